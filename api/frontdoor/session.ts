// Who is at the front door and how they want to read it: the signed session cookie (resident), the
// browser id behind the CSRF token, the language and large-text choices. Cookies are httpOnly,
// SameSite=Lax, Secure when PUBLIC_BASE_URL is https, and scoped to /r.
import type { NextFunction, Request, Response } from "express";
import type { Resident } from "../../core/db/generated/prisma/client.ts";
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import { cookies } from "../auth.ts";
import { csrfToken, csrfValid, newBrowserId, readSession, sessionValue } from "./tokens.ts";
import { sayer } from "./strings.ts";
import type { View } from "./pages.tsx";
import type { FrontDoorDeps } from "./deps.ts";

export const SESSION_COOKIE = "rd_s";
const BROWSER_COOKIE = "rd_b";
const LANG_COOKIE = "rd_lang";
const BIG_COOKIE = "rd_big";
const SESSION_DAYS = 180;

export interface Visit {
  resident: Resident | null;
  view: View;
}

export function cookieFor(d: FrontDoorDeps, name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/r; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${d.secureCookies ? "; Secure" : ""}`;
}

/** Reads (and on first visit sets) the cookies; `?lang=` and `?big=` change the choices. */
export function visitor(d: FrontDoorDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const jar = cookies(req);
      let browserId = jar[BROWSER_COOKIE];
      if (!browserId || !/^[A-Za-z0-9_-]{24}$/.test(browserId)) {
        browserId = newBrowserId();
        res.append("Set-Cookie", cookieFor(d, BROWSER_COOKIE, browserId, SESSION_DAYS * 86_400));
      }
      res.locals.browserId = browserId;
      const residentId = readSession(d.secret, jar[SESSION_COOKIE], d.clock.now(), SESSION_DAYS);
      const resident = residentId ? await d.db.resident.findUnique({ where: { id: residentId } }) : null;
      const asked = typeof req.query.lang === "string" && (LOCALES as readonly string[]).includes(req.query.lang) ? (req.query.lang as Locale) : null;
      if (asked) res.append("Set-Cookie", cookieFor(d, LANG_COOKIE, asked, 365 * 86_400));
      const stored = jar[LANG_COOKIE] && (LOCALES as readonly string[]).includes(jar[LANG_COOKIE]) ? (jar[LANG_COOKIE] as Locale) : null;
      const locale = asked ?? stored ?? (resident && (LOCALES as readonly string[]).includes(resident.language) ? (resident.language as Locale) : d.defaultLocale);
      if (asked && resident && resident.language !== asked) await d.db.resident.update({ where: { id: resident.id }, data: { language: asked } });
      const bigAsked = req.query.big === "1" ? true : req.query.big === "0" ? false : null;
      if (bigAsked !== null) res.append("Set-Cookie", cookieFor(d, BIG_COOKIE, bigAsked ? "1" : "0", 365 * 86_400));
      const big = bigAsked ?? jar[BIG_COOKIE] === "1";
      const visit: Visit = { resident, view: { say: sayer(locale), locale, big, csrf: csrfToken(d.secret, browserId), signedIn: resident !== null } };
      res.locals.visit = visit;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export const visitOf = (res: Response): Visit => res.locals.visit as Visit;

/**
 * The visit before the session is read (the per-address limit runs first, so an address over it
 * costs no database read): language from `?lang=` or its cookie, nobody signed in.
 */
export function visitBeforeSession(d: Pick<FrontDoorDeps, "defaultLocale">, req: Request): Visit {
  const known = (l: unknown): l is Locale => typeof l === "string" && (LOCALES as readonly string[]).includes(l);
  const jar = cookies(req);
  const locale = known(req.query.lang) ? req.query.lang : known(jar[LANG_COOKIE]) ? jar[LANG_COOKIE] : d.defaultLocale;
  return { resident: null, view: { say: sayer(locale), locale, big: jar[BIG_COOKIE] === "1", csrf: "", signedIn: false } };
}

export function signIn(d: FrontDoorDeps, res: Response, residentId: number): void {
  res.append("Set-Cookie", cookieFor(d, SESSION_COOKIE, sessionValue(d.secret, residentId, d.clock.now()), SESSION_DAYS * 86_400));
}

/** The form's _csrf must be the HMAC of this browser's id (a form from another site cannot know it). */
export function csrfOk(d: FrontDoorDeps, req: Request, res: Response): boolean {
  return csrfValid(d.secret, res.locals.browserId as string | undefined, (req.body as Record<string, unknown> | undefined)?._csrf);
}
