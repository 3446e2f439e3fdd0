// REST endpoints for surveys and the assessment (not wired here: mount under /api/v1 behind the
// dashboard's auth). Results are aggregates only — never one resident's answers. A street caller
// sees and pushes its own street only; creating surveys and recomputing need district or admin.
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import type { Clock } from "../../core/clock.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { SurveyError, type SurveyService } from "../../core/surveys/surveys.ts";
import { SurveyDefinitionError } from "../../core/surveys/survey-settings.ts";
import type { AssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { assessment, periodOf, periodWindow } from "../../core/assessment/assessment.ts";
import { deductions, evaluate, recomputeDeductions } from "../../core/assessment/credit.ts";
import { classifyEstates, currentClassifications } from "../../core/assessment/classification.ts";
import { listWarnings, spikes } from "../../core/assessment/early-warning.ts";
import { fromLocal, toLocal } from "../../core/clocks/zoned-time.ts";
import { HttpError, parse } from "../http.ts";
import { companiesInScope } from "../office.ts";
// The same schemas write the OpenAPI document (api/rest/openapi.ts).
import {
  AssessmentQuery,
  CreditYearQuery as YearQuery,
  EarlyWarningQuery as DaysQuery,
  PositiveId as id,
  SurveyCreateBody as CreateBody,
  SurveyProgressQuery,
  SurveyPushBody as PushBody,
  SurveyResultsQuery as ResultsQuery,
} from "./schemas.ts";
import { jsonBody } from "../input-guard.ts";

export interface SurveyApiDeps {
  db: Db;
  surveys: SurveyService;
  clock: Clock;
  timezone: string;
  assessmentSettings: () => AssessmentSettings;
  /** Runs first on every route, e.g. [auth.requireApi]; must leave the caller's Scope findable by `scope`. */
  authenticate: RequestHandler[];
  /** Role gate, e.g. auth.requireRole. */
  requireRole: (...roles: Scope["role"][]) => RequestHandler;
  /** The caller's scope (default: res.locals.who.scope, as api/auth.ts sets it). */
  scope?: (res: Response) => Scope;
}

const defaultScope = (res: Response): Scope => {
  const s = (res.locals.who as { scope?: Scope } | undefined)?.scope;
  if (!s) throw new HttpError(401, "unauthorized", "log in or send Authorization: Bearer <token>");
  return s;
};

const h =
  (fn: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch((err) => next(mapError(err)));
  };

/** Survey and questionnaire errors as HTTP errors (also used by the dashboard's survey pages). */
export function mapError(err: unknown): unknown {
  if (err instanceof SurveyDefinitionError) return new HttpError(400, "invalid_request", err.message, err.issues);
  if (err instanceof SurveyError) return new HttpError(err.code === "not_found" ? 404 : err.code === "conflict" ? 409 : 400, err.code === "invalid" ? "invalid_request" : err.code, err.message);
  if (err instanceof RangeError) return new HttpError(400, "invalid_request", err.message);
  return err;
}

export function surveysRouter(d: SurveyApiDeps): Router {
  const r = express.Router();
  const scopeOf = d.scope ?? defaultScope;
  const office = d.requireRole("admin", "district");
  // Only this router's own paths: it is mounted on /api/v1 beside the rest of the API.
  const own = ["/surveys", "/assessment", "/credit", "/classification", "/early-warnings"];
  r.use(own, jsonBody({ limit: "256kb" }), ...d.authenticate);

  r.get("/surveys", h(async (_req, res) => {
    const list = await d.surveys.list();
    res.json({ surveys: list.map((s) => ({ id: s.id, code: s.code, title: s.title, status: s.status, opensAt: s.opensAt, closesAt: s.closesAt, questions: s.questions.length, createdAt: s.createdAt })) });
  }));

  r.post("/surveys", office, h(async (req, res) => {
    const body = parse(CreateBody, req.body, "body");
    const { closesAt, open, ...def } = body;
    const s = await d.surveys.create(def, { closesAt, open, createdBy: scopeOf(res).actorId });
    res.status(201).json({ id: s.id, code: s.code, status: s.status, closesAt: s.closesAt });
  }));

  r.get("/surveys/:id", h(async (req, res) => {
    const s = await d.surveys.get(parse(id, req.params.id, "survey id"));
    const scope = scopeOf(res);
    const pushes = await d.db.surveyPush.findMany({ where: { surveyId: s.id }, orderBy: { id: "asc" } });
    res.json({ ...s, pushes, progress: await d.surveys.progress({ surveyId: s.id, streetId: scope.streetId }) });
  }));

  r.post("/surveys/:id/push", d.requireRole("admin", "district", "street"), h(async (req, res) => {
    const surveyId = parse(id, req.params.id, "survey id");
    const body = parse(PushBody, req.body, "body");
    const scope = scopeOf(res);
    if (scope.streetId !== null) {
      // A street office pushes to its street or one of its estates.
      const ok =
        (body.scope === "street" && body.id === scope.streetId) ||
        (body.scope === "estate" && body.id !== undefined && (await d.db.estate.findUnique({ where: { id: body.id } }))?.streetId === scope.streetId);
      if (!ok) throw new HttpError(403, "forbidden", "a street office may push only to its own street or estates");
    }
    const out = await d.surveys.push({ survey: surveyId, scope: body.scope, scopeId: body.id ?? null, createdBy: scope.actorId });
    res.status(201).json(out);
  }));

  r.get("/surveys/:id/progress", h(async (req, res) => {
    const surveyId = parse(id, req.params.id, "survey id");
    const q = parse(SurveyProgressQuery, req.query, "query");
    await d.surveys.get(surveyId); // an unknown survey is 404, not a row of zeros
    const scope = scopeOf(res);
    if (q.push !== undefined) {
      const p = await d.db.surveyPush.findFirst({ where: { id: q.push, surveyId } });
      if (!p) throw new HttpError(404, "not_found", `no push ${q.push} of survey ${surveyId}`);
    }
    res.json(await d.surveys.progress(q.push !== undefined ? { pushId: q.push, streetId: scope.streetId } : { surveyId, streetId: scope.streetId }));
  }));

  r.get("/surveys/:id/results", h(async (req, res) => {
    const surveyId = parse(id, req.params.id, "survey id");
    const q = parse(ResultsQuery, req.query, "query");
    res.json(await d.surveys.results(surveyId, { by: q.by, streetId: scopeOf(res).streetId }));
  }));

  r.get("/assessment", h(async (req, res) => {
    const q = parse(AssessmentQuery, req.query, "query");
    const now = d.clock.now();
    const p = q.period ?? periodOf(now, "half", d.timezone);
    const w = periodWindow(p, d.timezone);
    const rows = await assessment(d.db, { by: q.by, period: q.split, from: w.from, to: w.to, now, timezone: d.timezone, streetId: scopeOf(res).streetId });
    res.json({ period: p, by: q.by, split: q.split, rows });
  }));

  r.get("/credit", h(async (req, res) => {
    const q = parse(YearQuery, req.query, "query");
    const year = q.year ?? toLocal(d.clock.now(), d.timezone).year;
    // A street office reads the credit files of the companies working in its estates.
    const visible = new Set((await d.db.company.findMany({ where: companiesInScope(scopeOf(res)), select: { id: true } })).map((c) => c.id));
    const companies = await evaluate(d.db, { settings: d.assessmentSettings(), year, timezone: d.timezone });
    res.json({ year, companies: companies.filter((c) => visible.has(c.companyId)) });
  }));

  r.get("/credit/:company", h(async (req, res) => {
    const q = parse(YearQuery, req.query, "query");
    const company = await d.db.company.findFirst({ where: { code: String(req.params.company), ...companiesInScope(scopeOf(res)) } });
    if (!company) throw new HttpError(404, "not_found", `company "${req.params.company}" not found`);
    res.json({ company: { code: company.code, name: company.name }, deductions: await deductions(d.db, { companyId: company.id, year: q.year, timezone: d.timezone }) });
  }));

  r.post("/credit/recompute", office, h(async (_req, res) => {
    const now = d.clock.now();
    const since = fromLocal(toLocal(now, d.timezone).year - 1, 1, 1, 0, 0, d.timezone);
    res.json({ added: await recomputeDeductions(d.db, { settings: d.assessmentSettings(), now, since }) });
  }));

  r.get("/classification", h(async (_req, res) => {
    res.json({ estates: await currentClassifications(d.db, { streetId: scopeOf(res).streetId }) });
  }));

  r.get("/classification/history/:estate", h(async (req, res) => {
    const e = await d.db.estate.findUnique({ where: { code: String(req.params.estate) } });
    const scope = scopeOf(res);
    if (!e || (scope.streetId !== null && e.streetId !== scope.streetId)) throw new HttpError(404, "not_found", `estate "${req.params.estate}" not found`);
    res.json({ estate: e.code, history: await d.db.estateClassification.findMany({ where: { estateId: e.id }, orderBy: { computedAt: "desc" }, take: 200 }) });
  }));

  r.post("/classification/recompute", office, h(async (_req, res) => {
    const rows = await classifyEstates(d.db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    res.json({ estates: rows.map((x) => ({ estateId: x.estateId, code: x.details.code, period: x.period, klass: x.klass, satisfaction: x.satisfaction, timeliness: x.timeliness })) });
  }));

  r.get("/early-warnings", h(async (req, res) => {
    const q = parse(DaysQuery, req.query, "query");
    const now = d.clock.now();
    const scope = scopeOf(res);
    res.json({
      flagged: await listWarnings(d.db, { since: new Date(now.getTime() - q.days * 86_400_000), streetId: scope.streetId }),
      spikingNow: await spikes(d.db, { settings: d.assessmentSettings(), now, streetId: scope.streetId }),
    });
  }));

  return r;
}
