import { describe, expect, it } from "vitest";

import { en } from "./en";
import { format, lookup, makeTranslate } from "./index";
import { ru } from "./ru";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("i18n", () => {
  it("English has exactly the Russian keys, with the same placeholders", () => {
    expect(keys(en).sort()).toEqual(keys(ru).sort());
    for (const key of keys(ru)) {
      const names = (text: string | undefined) => [...(text ?? "").matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(lookup(en, key)), key).toEqual(names(lookup(ru, key)));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(makeTranslate("ru")("osago.progress", { done: 2, total: 5 })).toBe("Ответили 2 из 5");
    expect(format("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });
});
