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
    // A liaison's own language; a resident's stored choice, else the session's (before registration),
    // else their Telegram app's language; a group chat its office's language (Office.language).
    localeNegotiator: (ctx) => {
      if (ctx.chat?.type !== "private") return ctx.groupLanguage ?? defaultLocale;
      if (ctx.liaison) return ctx.liaison.language ?? defaultLocale;
      return ctx.resident?.language ?? ctx.session.lang ?? localeFromTelegram(ctx.from?.language_code);
    },
  });
  i18n.loadLocalesDirSync(LOCALES_DIR);
  return i18n;
}

/** Telegram's language_code (IETF tag of the user's app): zh-Hant for zh-hant/zh-tw/zh-hk(/mo), en for en*, else zh-Hans. */
export function localeFromTelegram(code: string | undefined): Locale {
  const c = (code ?? "").toLowerCase().replace("_", "-");
  if (/^zh-(hant|tw|hk|mo)\b/.test(c)) return "zh-Hant";
  if (/^en\b/.test(c)) return "en";
  return "zh-Hans";
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
