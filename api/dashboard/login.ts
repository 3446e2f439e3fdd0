// Login and logout. The login form carries its own CSRF token (double-submit cookie) because
// there is no session yet; failed attempts count toward the account lockout in auth.ts.
import express, { type Router } from "express";
import rateLimit from "express-rate-limit";
import { z } from "zod";
import { randomToken } from "../../core/directory/staff.ts";
import { cookies, LOGIN_CSRF_COOKIE, sameToken, who, type Auth } from "../auth.ts";
import { HttpError } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import { view, type View } from "./layout.ts";
import { renderPage } from "../views/render.tsx";
import { LoginPage } from "../views/public-pages.tsx";
import type { Logger } from "../../core/logger.ts";
import { formBody } from "../input-guard.ts";

const LoginForm = z.object({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200), _csrf: z.string().min(1), next: z.string().optional() });

// Only local paths: an open redirect would let a phishing link bounce through us.
const safeNext = (n: unknown) => (typeof n === "string" && /^\/(?!\/)[^\\]*$/.test(n) ? n : "/dashboard/cases");

export function loginPages(d: OfficeAppDeps, auth: Auth, log: Logger): Router {
  const r = express.Router();
  const form = (v: View, next: string, token: string, error?: string) => renderPage(LoginPage({ v, next, token, error }));
  const fresh = (res: express.Response) => {
    const token = randomToken(18);
    res.append("Set-Cookie", auth.loginCsrfCookie(token));
    return token;
  };

  r.get("/login", (req, res) => {
    if (who(res)?.user) return res.redirect(303, safeNext(req.query.next));
    const v = view(req, res, d.defaultLocale, d.timezone);
    res.type("html").send(form(v, safeNext(req.query.next), fresh(res)));
  });

  r.post(
    "/login",
    rateLimit({ windowMs: 60_000, limit: 20, standardHeaders: "draft-7", legacyHeaders: false, handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many login attempts from this address; wait a minute")) }),
    formBody({ extended: false, limit: "4kb" }),
    async (req, res) => {
      const v = view(req, res, d.defaultLocale, d.timezone);
      const f = LoginForm.safeParse(req.body);
      if (!f.success || !sameToken(f.data._csrf, cookies(req)[LOGIN_CSRF_COOKIE])) {
        res.status(f.success ? 403 : 400).type("html").send(form(v, safeNext(req.body?.next), fresh(res), v.t("error")));
        return;
      }
      const out = await auth.login(f.data.username, f.data.password, req.ip ?? "unknown");
      if (!out.ok) {
        log.warn({ username: f.data.username, ip: req.ip, reason: out.reason }, "dashboard login refused");
        const minutes = out.until ? Math.max(1, Math.ceil((out.until.getTime() - d.clock.now().getTime()) / 60_000)) : 0;
        res.status(out.reason === "locked" ? 423 : 401).type("html").send(form(v, safeNext(f.data.next), fresh(res), out.reason === "locked" ? v.t("login_paused").replace("{minutes}", String(minutes)) : v.t("login_failed")));
        return;
      }
      log.info({ username: out.user.username }, "dashboard login");
      res.append("Set-Cookie", out.cookie).redirect(303, safeNext(f.data.next));
    },
  );

  r.post("/logout", formBody({ extended: false, limit: "1kb" }), auth.requireCsrf, async (_req, res) => {
    await auth.logout(res);
    res.redirect(303, "/login");
  });
  return r;
}
