/** The shell: English on request, keyboard use, and the offline GraphiQL on the gateway and a subgraph. */
import { expect, screenshot, test } from "./fixtures";

test("Russian by default, English on request, and the choice survives a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await page.getByLabel("Язык").selectOption("en");
  await expect(page.getByRole("heading", { level: 1, name: "OSAGO online" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "OSAGO online" })).toBeVisible();
  await page.getByRole("link", { name: "Applications" }).click();
  await expect(page.getByRole("columnheader", { name: "Number" })).toBeVisible();
  await screenshot(page, "14-applications-english");
  await page.getByLabel("Language").selectOption("ru");
  await expect(page.getByRole("heading", { level: 1, name: "Заявки" })).toBeVisible();
});

test("keyboard only: skip link, navigation, focus on the new screen's heading", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Перейти к содержимому" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Фамилия")).toBeFocused();

  await page.goto("/");
  const nav = page.getByRole("link", { name: "Заявки" });
  for (let i = 0; i < 10 && !(await nav.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press("Tab");
  await expect(nav).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Заявки" })).toBeFocused();
});

test("GraphiQL works offline on the gateway and on a subgraph", async ({ page, baseURL, offset }) => {
  const outside: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol !== "data:") outside.push(request.url());
  });
  await page.goto(new URL("/graphql", baseURL).toString());
  await expect(page.locator(".graphiql-container")).toBeVisible();
  await screenshot(page, "15-graphiql-gateway");

  await page.goto(`http://127.0.0.1:${4003 + offset}/graphql`);
  await expect(page.locator(".graphiql-container")).toBeVisible();
  await page.getByRole("button", { name: /documentation explorer/i }).click();
  await expect(page.getByText("Root Types")).toBeVisible();
  await page.getByRole("link", { name: "Query" }).first().click();
  await expect(page.getByText("quoteSession").first()).toBeVisible();
  await screenshot(page, "16-graphiql-subgraph");
  expect(outside).toEqual([]);
});
