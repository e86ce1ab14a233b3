/** Shared test helpers: the system's address, screenshots kept as CI artefacts, the axe check. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { type Page, test as base, expect } from "@playwright/test";

import { ARTIFACTS } from "./system";

export const SCREENS = resolve(ARTIFACTS, "screens");

export const test = base.extend<{ offset: number }>({
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
  offset: async ({}, use) => {
    await use(Number(process.env.E2E_PORT_OFFSET));
  },
});

export { expect };

/** A full-page screenshot kept under var/artifacts/web/screens/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENS, `${name}.png`), fullPage: true });
}

/** Fail on any serious or critical axe-core violation of the page as it is now. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations on ${screen}`).toEqual([]);
  recordFigure(`axe.${screen}`, { violations: results.violations.length, serious: serious.length, passes: results.passes.length });
}

/** Keep a measured figure in var/artifacts/web/figures.json (merged across tests). */
export function recordFigure(name: string, value: unknown): void {
  const file = resolve(ARTIFACTS, "figures.json");
  let figures: Record<string, unknown> = {};
  try {
    figures = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    // first figure
  }
  figures[name] = value;
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}

/** GraphQL operation names the page sends, in order (HTTP only). */
export function recordOperations(page: Page): string[] {
  const names: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/graphql") && request.method() === "POST") {
      const body = request.postDataJSON() as { operationName?: string } | null;
      if (body?.operationName) names.push(body.operationName);
    }
  });
  return names;
}

/** Fill the OSAGO purchase form with valid details. */
export async function fillOsagoForm(page: Page): Promise<void> {
  const fields: Record<string, string> = {
    "Фамилия": "Смирнова",
    "Имя": "Анна",
    "Отчество": "Игоревна",
    "Дата рождения": "1990-05-17",
    "Телефон": "+7 916 555-12-34",
    "Эл. почта": "anna.smirnova@example.ru",
    VIN: "XTA210990Y2765432",
    "Госномер": "А123ВС777",
    "Марка": "Lada",
    "Модель": "Vesta",
    "Год выпуска": "2021",
    "Мощность, л. с.": "106",
    "Регион регистрации (код)": "77",
    "Возраст самого молодого водителя": "35",
    "Минимальный стаж, лет": "12",
  };
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}
