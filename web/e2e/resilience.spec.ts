/** Error paths: the gateway stops → a banner and a coded error with retry; it comes back → recovery. */
import { expect, fillOsagoForm, screenshot, test } from "./fixtures";
import { freePort, startGateway, stop, systemEnv } from "./system";

test("gateway stopped: the banner says so, the error offers retry; restarted: the banner clears and retry works", async ({ page, offset }) => {
  const port = await freePort();
  const env = systemEnv(process.env.E2E_DATA_DIR ?? "");
  let gateway = await startGateway(port, offset, env);
  try {
    await page.goto(`http://127.0.0.1:${port}/back-office/applications`);
    const rows = page.getByTestId("applications-table").locator("tbody tr");
    await expect(rows).toHaveCount(20);
    const banner = page.getByTestId("connection-banner");
    await expect(banner).toHaveText("");

    await stop(gateway.process);
    await page.getByRole("button", { name: "Показать ещё" }).click();
    const error = page.getByRole("alert");
    await expect(error).toContainText("Не удалось связаться с сервером");
    await expect(error).toHaveAttribute("data-code", "NETWORK_ERROR");
    await expect(banner).toHaveText("Нет связи с сервером. Переподключаемся…");
    await expect(banner).toHaveAttribute("data-status", "reconnecting");
    await screenshot(page, "11-gateway-down");

    gateway = await startGateway(port, offset, env);
    // The banner's probe notices the gateway by itself (backoff up to 10 s).
    await expect(banner).toHaveText("Связь восстановлена.", { timeout: 30_000 });
    await expect(banner).toHaveAttribute("data-status", "online");
    await screenshot(page, "12-gateway-back");
    await error.getByRole("button", { name: "Повторить" }).click();
    await expect(rows).toHaveCount(40);
    await expect(page.getByRole("alert")).toHaveCount(0);
  } finally {
    await stop(gateway.process);
  }
});

test("an unknown application shows NOT_FOUND in plain words", async ({ page }) => {
  await page.goto("/back-office/applications/00000000-0000-4000-8000-000000000000");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Такой записи нет");
  await expect(alert).toHaveAttribute("data-code", "NOT_FOUND");
  await expect(alert.getByRole("button", { name: "Повторить" })).toBeVisible();
});

test("live offers survive a gateway restart: the socket reconnects and the session is re-read", async ({ page, offset }) => {
  const port = await freePort();
  const env = systemEnv(process.env.E2E_DATA_DIR ?? "");
  let gateway = await startGateway(port, offset, env);
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await fillOsagoForm(page);
    await page.getByRole("button", { name: "Получить предложения" }).click();
    await expect(page.getByTestId("offer")).toHaveCount(5);
    await stop(gateway.process); // while insurers are still answering
    const banner = page.getByTestId("connection-banner");
    await expect(banner).toHaveText("Нет связи с сервером. Переподключаемся…");
    gateway = await startGateway(port, offset, env);
    await expect(banner).toHaveText("Связь восстановлена.", { timeout: 30_000 });
    await expect(page.getByTestId("offer-progress")).toContainText("Ответили 5 из 5", { timeout: 30_000 });
    const statuses = await page.getByTestId("offer").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
    expect(statuses).not.toContain("PENDING");
  } finally {
    await stop(gateway.process);
  }
});
