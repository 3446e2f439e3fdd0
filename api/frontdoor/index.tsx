// The residents' web front door under /r (README: "Residents without Telegram"): QR link →
// register once → one-screen filing → my cases / case page / revisit. Rate limits per address
// (every /r request) and per resident (filings and additions); 4xx answers are pages in the
// resident's language.
import { Router, type ErrorRequestHandler, type NextFunction, type Request, type Response } from "express";
import rateLimit, { ipKeyGenerator } from "express-rate-limit";
import compression from "compression";
import { renderPage } from "../views/render.tsx";
import { HttpError, toHttp } from "../http.ts";
import { MessagePage } from "./pages.tsx";
import { visitBeforeSession, visitOf, visitor } from "./session.ts";
import { registerPages } from "./register.tsx";
import { filingPages } from "./filing.tsx";
import { casePages } from "./case-pages.tsx";
import { miniApp } from "./mini-app.tsx";
import { loginPages } from "./sign-in/phone-sign-in.tsx";
import type { FrontDoorDeps } from "./deps.ts";

export type { FrontDoorDeps } from "./deps.ts";
export { placeToken } from "./tokens.ts";

export function frontDoor(d: FrontDoorDeps): Router {
  const r = Router();
  // An answer, not a throw: express-rate-limit awaits its handler, and the per-address limit runs
  // before the visit is known (issue 24: it answered 500, "reading 'view'", instead of 429).
  const slowDown = (req: Request, res: Response, next: NextFunction) => {
    res.locals.visit ??= visitBeforeSession(d, req);
    next(new HttpError(429, "rate_limited", visitOf(res).view.say("slow_down")));
  };
  const perAddress = rateLimit({ windowMs: 60_000, limit: d.perAddressPerMinute ?? 120, standardHeaders: "draft-7", legacyHeaders: false, keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? "")}`, handler: slowDown });
  const perResident = rateLimit({
    windowMs: 3_600_000,
    limit: d.perResidentPerHour ?? 20,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    // Only posts by a signed-in resident count here; the address limit covers the rest.
    skip: (req, res) => req.method !== "POST" || !visitOf(res).resident,
    keyGenerator: (_req, res) => `resident:${visitOf(res).resident!.id}`,
    handler: slowDown,
  });
  // gzip: the form page (inlined style and script) goes from ~12.7 KB to ~4 KB, a quarter second less on slow 3G.
  r.use("/r", compression(), perAddress, visitor(d), perResident);
  r.use(loginPages(d), filingPages(d), casePages(d), miniApp(d), registerPages(d));
  const pageError: ErrorRequestHandler = (err, req, res, next) => {
    const e = toHttp(err);
    if (e.status >= 500 || !req.path.startsWith("/r") || !res.locals.visit) return next(err);
    const { view } = visitOf(res);
    if (req.path === "/r/suggest") return void res.status(e.status).json({ error: e.code, message: e.message });
    res.status(e.status).type("html").send(renderPage(<MessagePage v={view} title={view.say("error")} text={e.message} />));
  };
  r.use(pageError);
  return r;
}
