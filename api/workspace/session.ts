// Who is at the liaison workspace: a signed cookie (liaison id + issue time, HMAC with
// FRONTDOOR_SECRET under its own purpose, so a resident's cookie is never a liaison's), scoped to /w,
// 30 days; the browser id behind the CSRF token; the language (?lang=, then the liaison's own).
// A liaison made inactive in the directory is signed out at the next request.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Liaison } from "../../core/db/generated/prisma/client.ts";
import { LOCALES, type Locale } from "../../core/cases/categories.ts";
import { cookies } from "../auth.ts";
import { csrfToken, csrfValid, newBrowserId } from "../frontdoor/tokens.ts";
import type { FrontDoorDeps } from "../frontdoor/deps.ts";
import type { Say } from "../frontdoor/strings.ts";
import { workspaceSayer } from "./strings.ts";

const SESSION = "wk_s";
const BROWSER = "wk_b";
const LANG = "wk_lang";
const DAYS = 30;

export interface WorkVisit {
  liaison: Liaison | null;
  say: Say;
  locale: Locale;
  csrf: string;
  browserId: string;
}

const mac = (secret: string, value: string) => createHmac("sha256", secret).update(`liaison-session\n${value}`).digest().subarray(0, 24).toString("base64url");

export function liaisonSession(secret: string, liaisonId: number, at: Date): string {
  const value = `${liaisonId}.${Math.floor(at.getTime() / 1000)}`;
  return `${value}.${mac(secret, value)}`;
}

function readLiaisonSession(secret: string, cookie: string | undefined, now: Date): number | null {
  const m = /^(\d{1,9})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(cookie ?? "");
  if (!m) return null;
  const want = Buffer.from(mac(secret, `${m[1]}.${m[2]}`));
  const got = Buffer.from(m[3]!);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  if (now.getTime() / 1000 - Number(m[2]) > DAYS * 86_400) return null;
  return Number(m[1]);
}

export const workCookie = (d: Pick<FrontDoorDeps, "secureCookies">, name: string, value: string, maxAge: number) =>
  `${name}=${value}; Path=/w; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${d.secureCookies ? "; Secure" : ""}`;

const known = (l: unknown): l is Locale => typeof l === "string" && (LOCALES as readonly string[]).includes(l);

export function workVisitor(d: FrontDoorDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const jar = cookies(req);
      let browserId = jar[BROWSER];
      if (!browserId || !/^[A-Za-z0-9_-]{24}$/.test(browserId)) {
        browserId = newBrowserId();
        res.append("Set-Cookie", workCookie(d, BROWSER, browserId, DAYS * 86_400));
      }
      const id = readLiaisonSession(d.secret, jar[SESSION], d.clock.now());
      const found = id ? await d.db.liaison.findUnique({ where: { id } }) : null;
      const liaison = found?.active ? found : null;
      const asked = known(req.query.lang) ? req.query.lang : null;
      if (asked) res.append("Set-Cookie", workCookie(d, LANG, asked, 365 * 86_400));
      const locale = asked ?? (known(jar[LANG]) ? jar[LANG] : known(liaison?.language) ? (liaison!.language as Locale) : d.defaultLocale);
      const visit: WorkVisit = { liaison, say: workspaceSayer(locale), locale, csrf: csrfToken(d.secret, browserId), browserId };
      res.locals.work = visit;
      // The photo upload checks the CSRF field against this (api/frontdoor/uploads.ts).
      res.locals.browserId = browserId;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export const workOf = (res: Response): WorkVisit => res.locals.work as WorkVisit;

export function signInLiaison(d: FrontDoorDeps, res: Response, liaisonId: number): void {
  res.append("Set-Cookie", workCookie(d, SESSION, liaisonSession(d.secret, liaisonId, d.clock.now()), DAYS * 86_400));
}
export const signOutLiaison = (d: FrontDoorDeps, res: Response) => res.append("Set-Cookie", workCookie(d, SESSION, "", 0));

export const workCsrfOk = (d: FrontDoorDeps, req: Request, res: Response) => csrfValid(d.secret, workOf(res).browserId, (req.body as Record<string, unknown> | undefined)?._csrf);
