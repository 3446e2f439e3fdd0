// The liaison workspace on the web (/w/): for a liaison without Telegram (or away from it). Sign in
// with the phone the directory holds (SMS code, core/access/phone-codes.ts), the company's open
// cases nearest deadline first, and on a case page what the Telegram card does (cases.tsx). Only a
// liaison's session opens these pages: a resident's /r cookie is not sent here and means nothing
// here, a staff login neither; anyone else gets the sign-in page (401).
import { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import express from "express";
import rateLimit, { ipKeyGenerator } from "express-rate-limit";
import compression from "compression";
import { renderPage } from "../views/render.tsx";
import { HttpError, toHttp } from "../http.ts";
import type { FrontDoorDeps } from "../frontdoor/deps.ts";
import { checkWords, field, issueWords, safeNext, type CodeStepView } from "../frontdoor/sign-in/phone-sign-in.tsx";
import { checkCode, issueCode, maskedPhone, normalPhone } from "../../core/access/phone-codes.ts";
import { signInLiaison, signOutLiaison, workCsrfOk, workOf, workVisitor } from "./session.ts";
import { WorkLoginPage, WorkMessage } from "./pages.tsx";
import { workCasePages } from "./cases.tsx";

const liaisonByPhone = (d: FrontDoorDeps, phone: string) => d.db.liaison.findFirst({ where: { phone, active: true }, orderBy: { id: "asc" } });

export function workspace(d: FrontDoorDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 });
  const perAddress = rateLimit({
    windowMs: 60_000,
    limit: d.perAddressPerMinute ?? 120,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: (req) => `w:${ipKeyGenerator(req.ip ?? "")}`,
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", "slow_down")),
  });
  r.use("/w", compression(), perAddress, workVisitor(d));

  const login = (res: Response, s: Partial<CodeStepView>, status = 200) => {
    res.set("Cache-Control", "no-store");
    res.status(status).type("html").send(renderPage(<WorkLoginPage v={workOf(res)} s={{ action: "/w/login", step: "phone", ...s }} />));
  };
  const csrf = (req: Request, res: Response) => {
    if (!workCsrfOk(d, req, res)) throw new HttpError(403, "csrf", workOf(res).say("expired_form"));
  };

  r.get("/w/login", (req, res) => login(res, { next: safeNext(typeof req.query.next === "string" ? req.query.next : "", "/w/", "/w/") }));

  r.post("/w/login", form, async (req, res) => {
    csrf(req, res);
    const { say, locale } = workOf(res);
    const next = safeNext(field(req.body, "next"), "/w/", "/w/");
    const phone = normalPhone(field(req.body, "phone", 40));
    if (!phone) return login(res, { next, error: say("bad_mobile") }, 400);
    const now = d.clock.now();
    // A number not in the directory: the same row, the same limits, the same words; only no SMS.
    const liaison = await liaisonByPhone(d, phone);
    const sms = liaison ? (code: string) => ({ dedupeKey: `sms:code:${phone}:${now.getTime()}`, payload: { text: say("sms_code", { code }), params: [code, "5"], locale: liaison.language ?? locale } }) : null;
    const issued = await issueCode(d.db, d.secret, { phone, purpose: "liaison", address: req.ip ?? null, now, sms });
    d.wakeOutbox?.();
    if (!issued.ok) return login(res, { next, phone, error: issueWords(say, issued, now, d.timezone) }, 429);
    d.log.info({ phone: maskedPhone(phone), sent: issued.sent }, "workspace: sign-in code asked");
    login(res, { step: "code", phone, next, notice: say("w_code_sent", { phone: maskedPhone(phone) }) });
  });

  r.post("/w/login/code", form, async (req, res) => {
    csrf(req, res);
    const { say } = workOf(res);
    const next = safeNext(field(req.body, "next"), "/w/", "/w/");
    const phone = normalPhone(field(req.body, "phone", 40));
    if (!phone) return login(res, { next, error: say("bad_mobile") }, 400);
    const checked = await checkCode(d.db, d.secret, { phone, purpose: "liaison", code: field(req.body, "code", 20), now: d.clock.now() });
    if (!checked.ok) return login(res, { step: checked.why === "wrong" ? "code" : "phone", phone, next, error: checkWords(say, checked, d.timezone) }, checked.why === "locked" ? 429 : 400);
    const liaison = await liaisonByPhone(d, phone);
    if (!liaison) return login(res, { next, phone, error: say("w_not_liaison") }, 403);
    await d.db.liaison.update({ where: { id: liaison.id }, data: { lastSignInAt: d.clock.now() } });
    d.log.info({ liaisonId: liaison.id }, "workspace: liaison signed in");
    signInLiaison(d, res, liaison.id);
    res.redirect(303, next);
  });

  r.post("/w/logout", form, (req, res) => {
    csrf(req, res);
    signOutLiaison(d, res);
    res.redirect(303, "/w/login");
  });

  // Everything else under /w needs a liaison.
  r.use("/w", (req, res, next) => {
    if (workOf(res).liaison) return next();
    if (req.method !== "GET") throw new HttpError(401, "unauthorized", workOf(res).say("w_login_needed"));
    login(res, { next: safeNext(req.originalUrl, "/w/", "/w/"), notice: workOf(res).say("w_login_needed") }, 401);
  });
  r.use(workCasePages(d));

  const pageError: ErrorRequestHandler = (err, req, res, next) => {
    const e = toHttp(err);
    if (e.status >= 500 || !req.path.startsWith("/w") || !res.locals.work) return next(err);
    const v = workOf(res);
    const text = e.code === "rate_limited" ? v.say("slow_down") : e.message;
    res.status(e.status).type("html").send(renderPage(<WorkMessage v={v} title={v.say("error")} text={text} />));
  };
  r.use(pageError);
  return r;
}
