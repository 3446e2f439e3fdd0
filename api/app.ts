// The HTTP side: webhook, health, metrics and — when `office` deps are given — the office
// dashboard, the REST API, Open311 and the public estate board. Errors come back as short JSON
// (or a short page), never a stack.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import express, { type Express } from "express";
import helmet from "helmet";
import { SCRIPT_CSP_HASH } from "./frontdoor/pages.tsx";
import type { Db } from "../core/db/db.ts";
import type { InboxWorker } from "../core/delivery/inbox.ts";
import type { Logger } from "../core/logger.ts";
import { webhookRouter } from "./webhook.ts";
import { statusRouter, type StatusDeps } from "./status.ts";
import { createMetrics, timing, type Metrics } from "./metrics.ts";
import { surveysRouter, type SurveyApiDeps } from "./rest/surveys.ts";
import { wordRefusal } from "./i18n/refusal-strings.ts";
import { errorHandler, HttpError, outageOf, OutageWatch, RETRY_AFTER_S } from "./http.ts";
import { createAuth, sameToken, who } from "./auth.ts";
import { accessGate } from "./access.ts";
import { apiGate } from "./rate-limit.ts";
import { guardUrl } from "./input-guard.ts";
import type { OfficeAppDeps } from "./office.ts";
import { apiV1 } from "./rest/v1.ts";
import { directoryApi } from "./rest/directory.ts";
import { creditApi } from "./rest/credit/routes.ts";
import { creditPages } from "./dashboard/credit/pages.tsx";
import { publicCreditPage } from "./dashboard/credit/evaluation.tsx";
import { open311Router } from "./rest/open311/index.ts";
import { openApiDocument } from "./rest/openapi.ts";
import { loginPages } from "./dashboard/login.ts";
import { casesPages } from "./dashboard/cases.ts";
import { photoLinkPages, photoPages } from "./dashboard/photos.ts";
import { publicBoard, reportPages } from "./dashboard/reports.ts";
import { rulesPages } from "./dashboard/rules/routes.tsx";
import { deadLetterPages } from "./dashboard/dead-letters.tsx";
import { approvalPages } from "./dashboard/approvals.tsx";
import { bulletinPages } from "./dashboard/bulletins/routes.tsx";
import { assessmentPages } from "./dashboard/assessment-pages.tsx";
import { surveyPages, surveysUnavailable } from "./dashboard/surveys.ts";
import { view } from "./dashboard/layout.ts";
import { renderPage } from "./views/render.tsx";
import { DocsPage, ErrorPage } from "./views/public-pages.tsx";
import { publicPages } from "./dashboard/setup.ts";
import { frontDoor, type FrontDoorDeps } from "./frontdoor/index.tsx";
import { workspace } from "./workspace/index.tsx";
import { posterPages } from "./dashboard/posters.tsx";
import { directoryPages } from "./dashboard/directory/index.ts";
import { campaignPages, publicCampaignPage, type CampaignPageDeps } from "./dashboard/campaigns/routes.tsx";
import { campaignsApi } from "./rest/campaigns.ts";
import { pauseBanner, staffPages } from "./dashboard/staff.tsx";

export type { OfficeAppDeps } from "./office.ts";

export interface AppDeps {
  db: Db;
  log: Logger;
  /** Present in webhook mode. */
  webhook?: { inbox: InboxWorker; secret: string };
  botOn: boolean;
  botMode: string;
  /** The newest backup, for the status page (embedded database only). */
  lastBackup?: StatusDeps["lastBackup"];
  /** The rules in force: /readyz is not ready while no routing rule is, /status lists the rules left out. */
  rules?: StatusDeps["rules"];
  /** Dashboard, REST API, Open311, board. Without it only webhook, health, metrics and status run. */
  office?: OfficeAppDeps;
  /** One registry per process (jobs count their runs on it); made here when not given. */
  metrics?: Metrics;
  /** The bot's @username for the landing page, once the bot knows it (null while off or not yet up). */
  botUsername?: () => string | null;
  /** Surveys, assessment, credit file, classification, early warning under /api/v1 (needs `office`). */
  surveys?: Omit<SurveyApiDeps, "authenticate" | "requireRole" | "scope">;
  /** TRUST_PROXY: the proxies whose X-Forwarded-For is believed (none when empty). */
  trustProxy?: string[];
  /** The residents' web front door under /r (needs FRONTDOOR_SECRET). */
  frontDoor?: FrontDoorDeps & { posterFont: string };
  /** Rectification campaigns: dashboard pages, /api/v1/campaigns and the public progress pages. */
  campaigns?: CampaignPageDeps;
}

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js");

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // X-Forwarded-For only from the proxies TRUST_PROXY names; unset, the peer's own address counts for
  // every per-address limit (issue 24: loopback was trusted with no proxy, so any header was believed).
  app.set("trust proxy", deps.trustProxy?.length ? deps.trustProxy : false);
  const metrics = deps.metrics ?? createMetrics(deps.db);
  const o = deps.office;
  if (deps.webhook) app.use(webhookRouter({ ...deps.webhook, log: deps.log, metrics }));
  app.use(timing(metrics));
  app.use(guardUrl);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // The residents' pages inline their one small script (api/frontdoor/pages.tsx): that script only.
          scriptSrc: ["'self'", SCRIPT_CSP_HASH],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: o?.publicBaseUrl.startsWith("https:") ? [] : null,
        },
      },
      strictTransportSecurity: o?.publicBaseUrl.startsWith("https:") ?? false,
    }),
  );

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Ready means the database answers and the last write did not meet a full disk (a SELECT still
  // answers then, so the answers' own errors are watched: api/http.ts).
  const outages = new OutageWatch();
  app.get("/readyz", async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    try {
      await deps.db.$queryRaw`SELECT 1`;
    } catch (err) {
      const kind = outageOf(err) ?? "database";
      outages.saw(kind, deps.log, err, req.path);
      res.setHeader("Retry-After", String(RETRY_AFTER_S));
      res.status(503).json({ status: "not_ready", database: kind === "disk_full" ? "disk_full" : "unreachable" });
      return;
    }
    if (outages.recentDiskFull()) {
      res.setHeader("Retry-After", String(RETRY_AFTER_S));
      res.status(503).json({ status: "not_ready", database: "disk_full" });
      return;
    }
    const rules = deps.rules?.();
    // Without a routing rule in force every case waits in the office queue: the service is up, not ready.
    if (rules && !rules.routingInForce) {
      res.status(503).json({ status: "not_ready", database: "ok", routing: "none_in_force", refusedRules: rules.refused.length });
      return;
    }
    res.json({ status: "ready", database: "ok", ...(rules ? { routing: "ok", refusedRules: rules.refused.length } : {}) });
  });
  app.get("/metrics", async (req, res) => {
    if (o?.metricsToken && !sameToken(req.header("authorization")?.replace(/^Bearer\s+/i, ""), o.metricsToken)) {
      throw new HttpError(401, "unauthorized", "metrics need Authorization: Bearer <METRICS_TOKEN>");
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (o) {
    const db = deps.db;
    const auth = createAuth({
      db,
      clock: o.clock,
      sessionTtlHours: o.sessionTtlHours,
      maxFailures: o.loginMaxFailures,
      lockMinutes: o.loginLockMinutes,
      secureCookies: o.publicBaseUrl.startsWith("https:"),
      timezone: o.timezone,
    });
    app.get("/assets/chart.umd.min.js", (_req, res) => res.sendFile(CHART_JS, { maxAge: "1d" }));
    app.use("/assets", express.static(ASSETS, { maxAge: "1h", index: false }));
    if (deps.frontDoor) app.use(frontDoor(deps.frontDoor), workspace(deps.frontDoor));
    app.use(publicBoard(db, o));
    app.use(publicPages(db, o, deps.log, deps.botUsername ?? (() => null)));
    // Signed photo links sent to residents and liaisons: the link is the permission, no login.
    if (o.photoLinks) app.use(photoLinkPages(db, o, deps.log));
    if (deps.campaigns) app.use(publicCampaignPage(db, deps.campaigns));
    app.use(publicCreditPage(db, o));

    // One limiter for /api/v1 and Open311, keyed by the verified caller (api/rate-limit.ts); the
    // dashboard pages are not limited.
    const gate = apiGate(auth, o.apiRateLimitPerMin);
    let doc: ReturnType<typeof openApiDocument> | undefined;
    app.get("/api/openapi.json", (_req, res) => {
      doc ??= openApiDocument(o.publicBaseUrl);
      res.json(doc);
    });
    app.get("/api/docs", (req, res) => {
      res.type("html").send(renderPage(DocsPage({ v: view(req, res, o.defaultLocale, o.timezone) })));
    });
    app.use("/api/v1", ...gate.handlers, accessGate);
    app.use("/api/v1/directory", directoryApi({ db, d: o, auth, log: deps.log }));
    app.use("/api/v1/credit", creditApi({ db, d: o, auth }));
    if (deps.surveys) app.use("/api/v1", surveysRouter({ ...deps.surveys, authenticate: [auth.requireApi], requireRole: auth.requireRole }));
    if (deps.campaigns) app.use("/api/v1", campaignsApi(db, deps.campaigns, auth));
    app.use("/api/v1", apiV1(db, o, auth, deps.log));
    app.use("/open311/v2", open311Router(db, o, gate, deps.log));

    app.use(auth.identify);
    app.use(loginPages(o, auth, deps.log));
    // Every role's abilities, before any handler (api/access.ts, from core/access/permissions.ts).
    app.use("/dashboard", accessGate);
    app.get("/dashboard", (_req, res) => res.redirect(303, "/dashboard/cases"));
    app.use("/dashboard", auth.requirePage, pauseBanner(db), staffPages(db, o, auth));
    app.use("/dashboard", auth.requirePage, photoPages(db, o, deps.log));
    app.use("/dashboard", auth.requirePage, casesPages(db, o, auth), reportPages(db, o, auth), creditPages(db, o, auth), assessmentPages(db, o), rulesPages(db, o, auth), deadLetterPages(db, o, auth), approvalPages(db, o, auth), bulletinPages(db, o), directoryPages(db, o, auth, deps.log));
    if (deps.campaigns) app.use("/dashboard", auth.requirePage, campaignPages(db, deps.campaigns, auth));
    app.use("/dashboard", auth.requirePage, posterPages(db, o, deps.frontDoor ? { secret: deps.frontDoor.secret, fontPath: deps.frontDoor.posterFont } : null));
    if (deps.surveys) app.use("/dashboard", auth.requirePage, surveyPages({ ...deps.surveys, defaultLocale: o.defaultLocale, auth }));
    else app.use("/dashboard", auth.requirePage, surveysUnavailable(o));
  }
  app.use(statusRouter({ ...deps, defaultLocale: o?.defaultLocale, timezone: o?.timezone }));

  app.use((_req, _res, next) => next(new HttpError(404, "not_found", "not found")));
  app.use(
    errorHandler(deps.log, (req, e, res) => {
      const v = view(req, res, o?.defaultLocale ?? "zh-Hans", o?.timezone ?? "Asia/Shanghai");
      const user = who(res)?.user;
      // A refusal (reason code in the detail) is worded in the page's language.
      const reason = e.detail?.reason;
      const message = typeof reason === "string" ? wordRefusal(v.locale, { reason, params: e.detail?.params as Record<string, string | number> | undefined }) : e.message;
      return renderPage(ErrorPage({ v, status: e.status, message, user: user ? { displayName: user.displayName, role: user.role } : null }));
    }, outages),
  );
  return app;
}
