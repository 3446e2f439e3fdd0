// Page frame and small formatting helpers for the server-rendered dashboard.
import type { Request, Response } from "express";
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import { formatLocal } from "../../core/clocks/zoned-time.ts";
import { cookies, who } from "../auth.ts";
import { pickLocale, translator, type Translate } from "../i18n/i18n.ts";

export const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface View {
  t: Translate;
  locale: Locale;
  timezone: string;
  csrf: string;
  fmt(d: Date | null | undefined): string;
}

export const LANG_COOKIE = "efd_lang";

export function localeOf(req: Request, res: Response, fallback: Locale): Locale {
  const q = typeof req.query.lang === "string" ? req.query.lang : undefined;
  if (q && (LOCALES as readonly string[]).includes(q)) res.append("Set-Cookie", `${LANG_COOKIE}=${q}; Path=/; SameSite=Lax; Max-Age=31536000`);
  return pickLocale(q, cookies(req)[LANG_COOKIE], who(res)?.user?.locale, fallback);
}

export function view(req: Request, res: Response, fallback: Locale, timezone: string): View {
  const locale = localeOf(req, res, fallback);
  return { t: translator(locale), locale, timezone, csrf: who(res)?.csrfToken ?? "", fmt: (d) => (d ? formatLocal(d, timezone) : "—") };
}

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);

export function duration(ms: number, t: Translate): string {
  const m = Math.floor(ms / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const en = t("app").startsWith("Estate");
  return en ? `${d ? `${d}d ` : ""}${h}h ${m % 60}m` : `${d ? `${d}天` : ""}${h}小时${m % 60}分`;
}

const NAV = [
  ["/dashboard/cases", "cases"],
  ["/dashboard/overdue", "overdue"],
  ["/dashboard/figures", "figures"],
  ["/dashboard/streets", "streets_page"],
  ["/dashboard/board", "board"],
  ["/dashboard/credit", "credit"],
  ["/dashboard/warnings", "warnings"],
  ["/dashboard/rules", "rules"],
  ["/dashboard/bulletins", "bu_bulletins"],
  ["/dashboard/surveys", "sv_surveys"],
  ["/dashboard/directory", "dir_directory"],
] as const;
// Links only some roles may follow.
const NAV_STAFF = [["/dashboard/dead-letters", "dead_letters", ["admin", "district"]]] as const;

export function page(v: View, title: string, body: string, o: { res?: Response; scripts?: string[]; nav?: boolean } = {}): string {
  const w = o.res ? who(o.res) : undefined;
  const langs = LOCALES.map((l) => (l === v.locale ? `<b>${l}</b>` : `<a href="?lang=${l}">${l}</a>`)).join(" · ");
  const nav =
    o.nav === false
      ? ""
      : `<nav>${[...NAV, ...NAV_STAFF.filter(([, , roles]) => w?.user && (roles as readonly string[]).includes(w.user.role))].map(([href, key]) => `<a href="${href}">${esc(v.t(key))}</a>`).join("")}<span class="sp"></span>
${w?.user ? `<span class="who">${esc(w.user.displayName)} (${esc(w.user.role)})</span><form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${esc(v.csrf)}"><button>${esc(v.t("logout"))}</button></form>` : ""}</nav>`;
  return `<!doctype html><html lang="${v.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · ${esc(v.t("app"))}</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><header><a class="brand" href="/dashboard">${esc(v.t("app"))}</a><span class="langs">${langs}</span></header>${nav}
<main><h1>${esc(title)}</h1>${body}</main>${(o.scripts ?? []).map((s) => `<script src="${s}"></script>`).join("")}</body></html>`;
}

export const csrfField = (v: View) => `<input type="hidden" name="_csrf" value="${esc(v.csrf)}">`;

export function select(name: string, options: [string, string][], value: string | undefined, allLabel?: string): string {
  const opts = (allLabel !== undefined ? [["", allLabel] as [string, string]] : []).concat(options);
  return `<select name="${name}" id="f-${name}">${opts.map(([k, l]) => `<option value="${esc(k)}"${k === (value ?? "") ? " selected" : ""}>${esc(l)}</option>`).join("")}</select>`;
}
