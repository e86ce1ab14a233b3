/** Batch create from CSV: each row's outcome, and an idempotent re-upload. */
import { expectAccessible, expect, screenshot, test } from "./fixtures";
import { subgraphQuery } from "./system";

test("upload a CSV: valid rows are created, bad rows explained, the same file again creates nothing", async ({ page, offset }) => {
  const { clientsPage } = await subgraphQuery<{ clientsPage: { nodes: { id: string }[] } }>(
    4001 + offset,
    "{ clientsPage(first: 2) { nodes { id } } }",
  );
  const { products } = await subgraphQuery<{ products: { id: string; kind: string }[] }>(4003 + offset, "{ products { id kind } }");
  const [first, second] = clientsPage.nodes;
  const product = products.find((p) => p.kind === "PROPERTY") ?? products[0];
  const stamp = Date.now();
  const csv = [
    "clientId;productId;kind;sumRub;termMonths;comment;vin;year;powerHp",
    `${first?.id};${product?.id};PROPERTY;2 500 000,50;12;"Дача; баня ${stamp}";;;`,
    `${second?.id};${product?.id};PERSON;900000;24;Пакет ${stamp};;;`,
    `${first?.id};${product?.id};PROPERTY;-5;12;Отрицательная сумма;;;`,
    `not-a-uuid;${product?.id};PERSON;100000;12;Чужой клиент;;;`,
  ].join("\r\n");

  await page.goto("/back-office/batch");
  await expectAccessible(page, "batch");
  const file = { name: "applications.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") };
  await page.getByLabel("Файл CSV").setInputFiles(file);
  await expect(page.getByText("Строк к загрузке: 3")).toBeVisible();
  await page.getByRole("button", { name: "Создать заявки" }).click();
  const summary = page.getByTestId("batch-summary");
  await expect(summary).toHaveText("Создано: 2, уже были: 0, с ошибками: 2.");
  const results = page.getByTestId("batch-table").locator("tbody tr");
  await expect(results.nth(0)).toContainText("Создана APP-");
  await expect(results.nth(2)).toContainText("sumRub must be a positive amount");
  await expect(results.nth(3)).not.toHaveText(/^5\s*$/); // the server's reason is shown
  await screenshot(page, "13-batch");

  await page.getByLabel("Файл CSV").setInputFiles(file);
  await page.getByRole("button", { name: "Создать заявки" }).click();
  await expect(summary).toHaveText("Создано: 0, уже были: 2, с ошибками: 2.");
  await expect(results.nth(0)).toContainText("Уже была: APP-");
});
