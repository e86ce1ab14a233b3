/** The back office: filters, full-text search, cursor pagination, create (idempotent) and cancel with a reason. */
import { expectAccessible, expect, recordOperations, screenshot, test } from "./fixtures";
import { subgraphQuery } from "./system";

interface FirstClient {
  clientsPage: { nodes: { id: string; lastName: string; fullName: string }[] };
}

test("filter by status and dates, then page through with 'show more'", async ({ page }) => {
  await page.goto("/back-office/applications");
  const table = page.getByTestId("applications-table");
  const rows = table.locator("tbody tr");
  await expect(rows).toHaveCount(20);
  await screenshot(page, "05-applications");
  await expectAccessible(page, "applications");

  const firstPage = await rows.locator("td:first-child").allTextContents();
  await page.getByRole("button", { name: "Показать ещё" }).click();
  await expect(rows).toHaveCount(40);
  const twoPages = await rows.locator("td:first-child").allTextContents();
  expect(twoPages.slice(0, 20)).toEqual(firstPage);
  expect(new Set(twoPages).size).toBe(40); // the cursor continues, nothing repeats

  await page.getByLabel("Статус").selectOption("SUBMITTED");
  await page.getByRole("button", { name: "Применить" }).click();
  await expect(page).toHaveURL(/status=SUBMITTED/);
  await expect(rows.first()).toBeVisible();
  const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-status")));
  expect(statuses.length).toBeGreaterThan(0);
  expect(new Set(statuses)).toEqual(new Set(["SUBMITTED"]));

  // Dates: the applied-at of every row lies within the chosen days.
  const dates = (await rows.locator("time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime") ?? ""))).map((d) => d.slice(0, 10)).sort();
  const day = dates[Math.floor(dates.length / 2)] as string;
  await page.getByLabel("Подана с").fill(day);
  await page.getByLabel("Подана по").fill(day);
  await page.getByRole("button", { name: "Применить" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${day}.*to=${day}`));
  await expect(rows.first()).toBeVisible();
  const filtered = await rows.locator("time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime") ?? ""));
  for (const applied of filtered) expect(applied.slice(0, 10)).toBe(day);

  // Back restores the previous filter (filters live in the address).
  await page.goBack();
  await expect(page).not.toHaveURL(/from=/);

  await page.getByLabel("Статус").selectOption("CANCELLED");
  await page.getByLabel("Подана с").fill("2001-01-01");
  await page.getByLabel("Подана по").fill("2001-01-02");
  await page.getByRole("button", { name: "Применить" }).click();
  await expect(page.getByText("Заявок с такими условиями нет.")).toBeVisible();
  await screenshot(page, "06-applications-empty");
});

test("create an application (a double click creates one), find it by a word form, cancel it with a reason", async ({ page, offset }) => {
  const { clientsPage } = await subgraphQuery<FirstClient>(4001 + offset, "{ clientsPage(first: 1) { nodes { id lastName fullName } } }");
  const client = clientsPage.nodes[0];
  expect(client).toBeDefined();
  const operations = recordOperations(page);
  const marker = `Серебряные ложки ${Date.now()}`;

  await page.goto("/back-office/applications/new");
  await page.getByLabel("Найти клиента (ФИО, телефон, документ)").fill(client?.lastName ?? "");
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page.getByLabel("Выберите клиента").locator("option")).not.toHaveCount(1);
  await page.getByLabel("Выберите клиента").selectOption(client?.id ?? "");
  await page.getByLabel("Продукт", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("Объект страхования").selectOption("PROPERTY");
  await page.getByLabel("Описание объекта").fill("Квартира, столовое серебро");
  await page.getByLabel("Страховая сумма, ₽").fill("1500000");
  await page.getByLabel("Комментарий").fill(marker);
  await expectAccessible(page, "create-application");
  await screenshot(page, "07-create-application");
  await page.getByRole("button", { name: "Создать заявку" }).dblclick();
  await expect(page.getByRole("heading", { level: 1, name: /Заявка APP-/ })).toBeVisible();
  expect(operations.filter((name) => name === "WebCreateApplication")).toHaveLength(1);
  const number = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace("Заявка ", "");

  // Full-text search with Russian morphology: "ложка" finds "ложки".
  await page.goto("/back-office/applications");
  await page.getByRole("searchbox", { name: "Поиск" }).fill("ложка");
  await page.getByRole("button", { name: "Найти" }).click();
  await expect(page).toHaveURL(/q=/);
  const found = page.getByTestId("applications-table").getByRole("link", { name: number });
  await expect(found).toHaveCount(1); // exactly one application was created
  await screenshot(page, "08-search");
  await found.click();

  await expect(page.getByRole("heading", { level: 1, name: `Заявка ${number}` })).toBeVisible();
  await page.getByRole("button", { name: "Отменить заявку" }).click();
  await page.getByRole("button", { name: "Отменить заявку" }).click(); // empty reason
  await expect(page.getByText("Укажите причину (до 500 символов).")).toBeVisible();
  await page.getByLabel("Причина отмены").fill("Клиент передумал");
  await expectAccessible(page, "cancel-application");
  await page.getByRole("button", { name: "Отменить заявку" }).click();
  await expect(page.getByTestId("cancellation-reason")).toHaveText("Клиент передумал");
  await expect(page.getByTestId("status-history")).toContainText("Отменена");
  await expect(page.getByTestId("status-history")).toContainText("Клиент передумал");
  await expect(page.getByRole("button", { name: "Отменить заявку" })).toHaveCount(0);
  await expect(page.getByTestId("notifications")).toContainText(`Заявка ${number} отменена.`);
  await screenshot(page, "09-application-cancelled");
});

test("the client card loads each section only when it is opened", async ({ page }) => {
  await page.goto("/back-office/applications");
  const operations = recordOperations(page);
  await page.getByTestId("applications-table").locator("tbody tr").first().locator("td").nth(2).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("");
  await expect.poll(() => operations).toContain("ClientHeader");
  const before = operations.length;
  expect(operations.filter((n) => n.startsWith("Client") && n !== "ClientHeader")).toEqual([]);

  for (const [title, operation] of [
    ["Документы", "ClientDocuments"],
    ["Контакты и адреса", "ClientContacts"],
    ["Работа", "ClientEmployment"],
    ["Заявки клиента", "ClientApplications"],
    ["Полисы", "ClientPolicies"],
  ] as const) {
    const summary = page.locator("summary", { hasText: title });
    await summary.focus();
    await page.keyboard.press("Enter"); // keyboard opens a section
    await expect.poll(() => operations).toContain(operation);
    await expect(page.locator("details[open]", { hasText: title }).locator(".section-body")).toBeVisible();
  }
  // Closing and reopening a section does not ask again.
  await page.locator("summary", { hasText: "Документы" }).click();
  await page.locator("summary", { hasText: "Документы" }).click();
  expect(operations.slice(before).filter((n) => n === "ClientDocuments")).toHaveLength(1);
  await screenshot(page, "10-client-card");
  await expectAccessible(page, "client-card");
});
