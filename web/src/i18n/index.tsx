/**
 * Russian by default, English on request; the choice is remembered in localStorage.
 *
 * `t("osago.progress", { done: 2, total: 5 })` looks a dotted key up in the current language and
 * fills `{placeholders}`. Keys are checked by the compiler (`MessageKey`), so a typo fails the build.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";

import { en } from "./en";
import { type Messages, ru } from "./ru";

export type Language = "ru" | "en";

const CATALOGS: Record<Language, Messages> = { ru, en };
const STORAGE_KEY = "insuretech.language";

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

export type MessageKey = Leaves<Messages>;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function makeTranslate(language: Language): Translate {
  const messages = CATALOGS[language];
  return (key, params) => format(lookup(messages, key) ?? key, params);
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  /** The locale for numbers and dates (`ru-RU`, `en-GB`). */
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === "ru" || saved === "en") return saved;
  } catch {
    // Storage may be disabled; Russian is the default.
  }
  return "ru";
}

export function I18nProvider({ children, language: fixed }: { children: ReactNode; language?: Language }) {
  const [language, setLanguageState] = useState<Language>(fixed ?? initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered; still switched.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(
    () => ({ language, setLanguage, t: makeTranslate(language), locale: language === "ru" ? "ru-RU" : "en-GB" }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error("useI18n needs an <I18nProvider> above it.");
  return value;
}
