// The landing page at / and the first-run setup link (/setup?token=…): no login needed for either.
// The setup token is checked and spent by core/directory/setup.ts; the form posts no session CSRF
// (there is no session yet) — the one-time token itself is the secret the post must carry.
import express, { type Router } from "express";
import rateLimit from "express-rate-limit";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import type { Logger } from "../../core/logger.ts";
import { estateBoard } from "../../core/assessment/board.ts";
import { completeSetup, setupTokenValid } from "../../core/directory/setup.ts";
import { StaffError } from "../../core/directory/staff.ts";
import { HttpError } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import { renderPage } from "../views/render.tsx";
import { LandingPage, SetupGone, SetupPage } from "../views/public-pages.tsx";
import { view } from "./layout.ts";

const SetupForm = z.object({
  token: z.string().min(10).max(100),
  username: z.string().trim().min(1).max(40),
  displayName: z.string().trim().max(40).optional(),
  password: z.string().min(1).max(200),
});

export function publicPages(db: Db, d: OfficeAppDeps, log: Logger, botUsername: () => string | null): Router {
  const r = express.Router();
  r.get("/", async (req, res) => {
    const v = view(req, res, d.defaultLocale, d.timezone);
    const rows = await estateBoard(db, { streetId: null });
    res.type("html").send(renderPage(LandingPage({ v, rows, botUsername: botUsername() })));
  });

  r.get("/setup", async (req, res) => {
    const v = view(req, res, d.defaultLocale, d.timezone);
    const token = typeof req.query.token === "string" ? req.query.token : "";
    if (!token || token.length > 100 || !(await setupTokenValid(db, token))) {
      res.status(410).type("html").send(renderPage(SetupGone({ v })));
      return;
    }
    res.type("html").send(renderPage(SetupPage({ v, token })));
  });

  r.post(
    "/setup",
    rateLimit({ windowMs: 60_000, limit: 20, standardHeaders: "draft-7", legacyHeaders: false, handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "too many attempts; wait a minute")) }),
    express.urlencoded({ extended: false, limit: "4kb" }),
    async (req, res) => {
      const v = view(req, res, d.defaultLocale, d.timezone);
      const f = SetupForm.safeParse(req.body);
      if (!f.success || !(await setupTokenValid(db, f.data.token))) {
        res.status(f.success ? 410 : 400).type("html").send(renderPage(SetupGone({ v })));
        return;
      }
      try {
        const u = await completeSetup(db, f.data.token, { username: f.data.username, password: f.data.password, displayName: f.data.displayName || undefined, locale: v.locale }, d.clock.now());
        log.info({ username: u.username }, "first admin created through the setup link");
        res.redirect(303, "/login?next=/dashboard/directory");
      } catch (err) {
        if (!(err instanceof StaffError)) throw err;
        const key = /^password/.test(err.message) ? "setup_password_short" : /^username/.test(err.message) ? "setup_username_bad" : "setup_gone";
        res.status(400).type("html").send(renderPage(SetupPage({ v, token: f.data.token, error: v.t(key), username: f.data.username })));
      }
    },
  );
  return r;
}
