// One I18n instance per process: the bot middleware and the notifier (which renders outside any
// update, inside the case transaction) translate from the same Fluent bundles.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import { LOCALES, type Locale } from "../core/cases/categories.ts";
import type { BotContext } from "./context.ts";

const LOCALES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

export function createI18n(defaultLocale: Locale): I18n<BotContext> {
  const i18n = new I18n<BotContext>({
    defaultLocale,
    // Fluent would otherwise wrap every variable in invisible bidi marks (breaks copy-paste of case numbers).
    fluentBundleOptions: { useIsolating: false },
    // Liaisons and office chats have no language setting: the default locale (a known gap).
    localeNegotiator: (ctx) => (ctx.liaison ? undefined : (ctx.resident?.language ?? (ctx.chat?.type === "private" ? ctx.session.lang : undefined))) ?? defaultLocale,
  });
  i18n.loadLocalesDirSync(LOCALES_DIR);
  return i18n;
}

export function toLocale(value: string | null | undefined, fallback: Locale): Locale {
  return (LOCALES as readonly string[]).includes(value ?? "") ? (value as Locale) : fallback;
}

export function translator(i18n: I18n<BotContext>, locale: Locale): Translate {
  return (key, vars) => i18n.t(locale, key, plain(vars));
}

/** Numbers as plain strings: Fluent would group them ("2,000"), odd in counts and in Chinese. */
export function plain(vars: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!vars) return undefined;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]));
}

export const LOCALE_BUTTONS: { locale: Locale; label: string }[] = [
  { locale: "zh-Hans", label: "简体中文" },
  { locale: "zh-Hant", label: "繁體中文" },
  { locale: "en", label: "English" },
];
