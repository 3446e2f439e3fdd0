// REST /api/v1/campaigns: create and list campaigns, register, list and act on their problems, the
// live figures and the ledger export. Street tokens see their streets only; the read-only roles
// (社区居委会, 业委会) read their estates only and change nothing (core/campaigns/scope.ts).
import express, { type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import { CampaignError } from "../../core/campaigns/scope.ts";
import { createCampaign, findCampaign, listCampaigns, phaseAt, type CampaignRow } from "../../core/campaigns/campaigns.ts";
import { applyProblemAction, registerProblem, type CampaignDeps } from "../../core/campaigns/problems.ts";
import { ledgerRow, listLedger, wholeLedger, ledgerXlsx, type LedgerRow } from "../../core/campaigns/ledger/ledger.ts";
import { campaignFigures, type FigureRow } from "../../core/campaigns/figures.ts";
import { importProblems } from "../../core/campaigns/import.ts";
import { isCommittee } from "../../core/directory/staff.ts";
import type { ProblemAction as Action } from "../../core/campaigns/lifecycle.ts";
import type { Locale } from "../../core/cases/categories.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { HttpError, parse } from "../http.ts";
import { DbId, jsonBody } from "../input-guard.ts";
import * as S from "./campaign-schemas.ts";

export function mapCampaignError(err: unknown): unknown {
  if (!(err instanceof CampaignError)) return err;
  const status = { not_found: 404, forbidden: 403, invalid: 400, conflict: 409, not_allowed: 409, needs_revisit: 409 }[err.code];
  return new HttpError(status, err.code === "invalid" ? "invalid_request" : err.code, err.message);
}

export const campaignJson = (c: CampaignRow, street: string | null, now: Date, baseUrl: string) => ({
  id: c.id,
  name: c.name,
  street,
  phase: phaseAt(c, now),
  phases: { inspect: { from: c.inspectFrom, to: c.inspectTo }, rectify: { from: c.rectifyFrom, to: c.rectifyTo }, accept: { from: c.acceptFrom, to: c.acceptTo } },
  targets: { rectification: c.targetRectification, timeliness: c.targetTimeliness },
  categories: c.categories,
  publicPage: `${baseUrl}/campaigns/${c.publicSlug}`,
});

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const problemJson = (p: LedgerRow) => ({
  id: p.id,
  seq: p.seq,
  estate: p.estate.code,
  estateName: p.estate.name,
  category: p.category,
  description: p.description,
  source: p.source,
  sourceRef: p.sourceRef,
  responsibleKind: p.responsibleKind,
  responsibleName: p.responsibleName,
  responsiblePerson: p.responsiblePerson,
  state: p.state,
  measure: p.measure,
  deadline: iso(p.deadline),
  rounds: p.rounds,
  lastVerdict: p.lastVerdict,
  closedAt: iso(p.closedAt),
  revisitResult: p.revisitResult,
  recheckDue: iso(p.recheckDue),
  recheckResult: p.recheckResult,
  repeatCount: p.repeatCount,
  escalationLevel: p.escalationLevel,
});

const figureJson = (r: FigureRow) => ({ key: r.key, label: r.label, registered: r.registered, closed: r.closed, closed_on_time: r.closedOnTime, due: r.due, rectification_rate: r.rectificationRate, timeliness_rate: r.timelinessRate });

export interface CampaignApiDeps extends CampaignDeps {
  publicBaseUrl: string;
  defaultLocale: Locale;
}

export function campaignsApi(db: Db, d: CampaignApiDeps, auth: Auth): Router {
  const r = express.Router();
  r.use(auth.requireApi);
  const act = async <T>(fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      throw mapCampaignError(err);
    }
  };
  const streetCode = async (id: number | null) => (id === null ? null : ((await db.street.findUnique({ where: { id } }))?.code ?? null));
  const campaignId = (raw: unknown) => parse(DbId, raw, "campaign id");

  r.get("/campaigns", async (_req, res) => {
    const rows = await listCampaigns(db, scopeOf(res));
    const now = d.clock.now();
    res.json(await Promise.all(rows.map(async (c) => campaignJson(c, await streetCode(c.streetId), now, d.publicBaseUrl))));
  });

  r.post("/campaigns", jsonBody({ limit: "256kb" }), async (req, res) => {
    const b = parse(S.CampaignCreate, req.body, "body");
    const c = await act(() => createCampaign(db, d.settings(), scopeOf(res), { ...b, phases: { inspect: [b.phases.inspect.from, b.phases.inspect.to], rectify: [b.phases.rectify.from, b.phases.rectify.to], accept: [b.phases.accept.from, b.phases.accept.to] } }));
    res.status(201).location(`/api/v1/campaigns/${c.id}`).json(campaignJson(c, await streetCode(c.streetId), d.clock.now(), d.publicBaseUrl));
  });

  r.get("/campaigns/:id", async (req, res) => {
    const c = await act(() => findCampaign(db, scopeOf(res), campaignId(req.params.id)));
    res.json(campaignJson(c, await streetCode(c.streetId), d.clock.now(), d.publicBaseUrl));
  });

  r.get("/campaigns/:id/problems", async (req, res) => {
    const q = parse(S.ProblemQuery, req.query, "query");
    const scope = scopeOf(res);
    const c = await act(() => findCampaign(db, scope, campaignId(req.params.id)));
    const page = await listLedger(db, scope, c.id, q, d.clock.now(), { limit: q.limit, after: q.after });
    res.json({ items: page.items.map(problemJson), nextAfter: page.nextAfter });
  });

  r.get("/campaigns/:id/ledger.xlsx", async (req, res) => {
    const scope = scopeOf(res);
    const c = await act(() => findCampaign(db, scope, campaignId(req.params.id)));
    const now = d.clock.now();
    const lang = typeof req.query.lang === "string" && ["zh-Hans", "zh-Hant", "en"].includes(req.query.lang) ? (req.query.lang as Locale) : d.defaultLocale;
    const body = await ledgerXlsx(await wholeLedger(db, scope, c.id, {}, now), { locale: lang, settings: d.settings(), timezone: d.timezone, now });
    res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").attachment(`${c.name}-台账.xlsx`).send(body);
  });

  r.post("/campaigns/:id/problems", jsonBody({ limit: "64kb" }), async (req, res) => {
    const b = parse(S.ProblemCreate, req.body, "body");
    const scope = scopeOf(res);
    const p = await act(() => registerProblem(d, scope, campaignId(req.params.id), b));
    res.status(201).location(`/api/v1/campaigns/${p.campaignId}/problems/${p.id}`).json(problemJson(await ledgerRow(db, p.id)));
  });

  r.post("/campaigns/:id/problems/import", express.raw({ type: () => true, limit: "20mb" }), async (req, res) => {
    const dryRun = req.query.dryRun === "true";
    const result = await act(() => importProblems(d, scopeOf(res), campaignId(req.params.id), req.body as Buffer, { dryRun }));
    res.status(result.ok ? 200 : 400).json(result);
  });

  r.post("/campaigns/:id/problems/:pid/actions", jsonBody({ limit: "64kb" }), async (req, res) => {
    const b = parse(S.ProblemAction, req.body, "body");
    const scope = scopeOf(res);
    const cid = campaignId(req.params.id);
    const pid = parse(DbId, req.params.pid, "problem id");
    const p = await act(() => applyProblemAction(d, scope, cid, pid, b.action as Action, b));
    res.json(problemJson(await ledgerRow(db, p.id)));
  });

  r.get("/campaigns/:id/figures", async (req, res) => {
    const q = parse(S.FiguresQuery, req.query, "query");
    const scope = scopeOf(res);
    const c = await act(() => findCampaign(db, scope, campaignId(req.params.id)));
    const f = await campaignFigures(db, c, d.clock.now(), { streetId: scope.streetId, estateIds: isCommittee(scope.role) ? (scope.estateIds ?? []) : null });
    const t = f.campaign;
    res.json({
      registered: t.registered,
      closed: t.closed,
      closed_on_time: t.closedOnTime,
      due: t.due,
      rectification_rate: t.rectificationRate,
      timeliness_rate: t.timelinessRate,
      targets: f.targets,
      ...(q.by ? { by: (q.by === "estate" ? f.estates : q.by === "company" ? f.companies : f.streets).map(figureJson) } : {}),
    });
  });
  return r;
}
