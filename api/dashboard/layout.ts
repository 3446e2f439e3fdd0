// The page frame for dashboard routes and the View every page renders with: language, time zone,
// CSRF token and local-time formatting. Pages are Preact (api/views/*.tsx) rendered to a fragment
// and placed in the shared Shell (api/views/shell.tsx); nothing here builds HTML by hand.
import type { Request, Response } from "express";
import type { VNode } from "preact";
import { h } from "preact";
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import { cookies, who } from "../auth.ts";
import { pickLocale, translator, type Translate } from "../i18n/i18n.ts";
import { localTime } from "../views/format.ts";
import { renderPage } from "../views/render.tsx";
import { Shell } from "../views/shell.tsx";

export { pct } from "../views/format.ts";

export interface View {
  t: Translate;
  locale: Locale;
  timezone: string;
  csrf: string;
  /** Local date, weekday and time in the page's language ("2026-12-02 周三 14:05"). */
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
  return { t: translator(locale), locale, timezone, csrf: who(res)?.csrfToken ?? "", fmt: (d) => localTime(d, timezone, locale) };
}

/** A whole page: the body is a Preact element, or a fragment already rendered by Preact. */
export function page(v: View, title: string, body: VNode | string, o: { res?: Response; scripts?: string[]; nav?: boolean; status?: number } = {}): string {
  const user = o.res ? who(o.res)?.user : undefined;
  // Failed logins paused this account somewhere since the holder last looked (api/dashboard/staff.tsx).
  const pause = o.res?.locals.pauseBanner as { at: Date; address: string; failures: number } | undefined;
  const banner = pause ? v.t("lock_banner").replace("{when}", v.fmt(pause.at)).replace("{address}", pause.address).replace("{failures}", String(pause.failures)) : null;
  const frame = { v, title, user: user ? { displayName: user.displayName, role: user.role } : null, nav: o.nav, scripts: o.scripts, banner };
  return renderPage(typeof body === "string" ? h(Shell, { ...frame, html: body }) : h(Shell, frame, body));
}
