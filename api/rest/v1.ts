// REST API /api/v1 (bearer token or dashboard session). Every handler validates with the zod
// schemas in schemas.ts and answers within the caller's area.
import crypto from "node:crypto";
import express, { type Response, type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import type { Logger } from "../../core/logger.ts";
import { listCases, type CaseFilter } from "../../core/cases/case-query.ts";
import { figures } from "../../core/assessment/figures.ts";
import { estateBoard } from "../../core/assessment/board.ts";
import { addNote, applyOfficeAction, decideExtension, OfficeActionError } from "../../core/cases/office-actions.ts";
import { fileIntake, type IntakeRefusal } from "../../core/cases/intake.ts";

/** The intake's refusals as an API client reads them. */
export function refusalMessage(r: IntakeRefusal, b: { category: string; kind?: string }): string {
  if (r.code === "too_long") return `description: at most ${r.max} characters (got ${r.length})`;
  if (r.code === "empty") return "description: required";
  if (r.code === "too_many_photos") return `at most ${r.max} photos`;
  return `category "${b.category}" is not offered for ${b.kind}`;
}
import { createApiToken, StaffError } from "../../core/directory/staff.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { areaOf, inArea } from "../../core/access/permissions.ts";
import { z } from "zod";
import { HttpError, parse } from "../http.ts";
import { scopeOf, type Auth } from "../auth.ts";
import * as S from "./schemas.ts";
import { figureColumns, sendExport } from "../exports.ts";
import { translator } from "../i18n/i18n.ts";
import { actorOf, companiesInScope, CASE_CSV_HEADER, caseCsvRow, caseDetail, caseSummary, FIGURE_CSV_HEADER, findCaseInScope, toCsv, type OfficeAppDeps } from "../office.ts";
import { DbId, jsonBody } from "../input-guard.ts";

export const CSV_MAX_ROWS = 100_000;

/** A stable hash of a parsed body: keys sorted, so a retry that orders its fields differently still matches. */
export function bodyHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)])) : v;
  return crypto.createHash("sha256").update(JSON.stringify(canonical(body))).digest("hex");
}

export function mapOfficeError(err: unknown): unknown {
  if (err instanceof OfficeActionError) return new HttpError(err.code === "not_found" ? 404 : err.code === "conflict" ? 409 : 400, err.code === "invalid" ? "invalid_request" : err.code, err.message);
  if (err instanceof StaffError) return new HttpError(400, "invalid_request", err.message);
  return err;
}

/** A caller may not name an estate outside its area (core/access inArea). */
export async function estateInScope(db: Db, code: string, scope: Scope) {
  const e = await db.estate.findUnique({ where: { code }, include: { street: true } });
  if (!e || !inArea(scope, { streetId: e.streetId, estateId: e.id })) throw new HttpError(404, "not_found", `estate "${code}" not found`);
  return e;
}

export function filterOf(query: z.infer<typeof S.CaseListQuery>, timezone: string): CaseFilter {
  const q = S.localDays(query, timezone);
  return { state: q.state, kind: q.kind, category: q.category, estate: q.estate, company: q.company, street: q.street, overdue: q.overdue, q: q.q, from: q.from, to: q.to };
}

/** Every case matching the filter, in pages of 1,000, up to CSV_MAX_ROWS (exports). */
export async function collectCases(db: Db, f: CaseFilter, scope: Scope, now: Date) {
  const rows: Awaited<ReturnType<typeof listCases>>["items"] = [];
  let before: number | undefined;
  do {
    const page = await listCases(db, f, scope, { limit: 1000, before }, now);
    rows.push(...page.items);
    before = page.nextBefore ?? undefined;
  } while (before && rows.length < CSV_MAX_ROWS);
  return rows;
}

export async function streamCaseCsv(db: Db, res: Response, f: CaseFilter, scope: Scope, now: Date, filename: string) {
  const rows: unknown[][] = [];
  let before: number | undefined;
  do {
    const page = await listCases(db, f, scope, { limit: 1000, before }, now);
    for (const c of page.items) rows.push(caseCsvRow(c, now));
    before = page.nextBefore ?? undefined;
  } while (before && rows.length < CSV_MAX_ROWS);
  res.type("text/csv; charset=utf-8").attachment(filename).send(toCsv(CASE_CSV_HEADER, rows));
}

export function figuresWindow(query: { from?: Date; to?: Date }, now: Date, timezone: string) {
  const q = S.localDays(query, timezone);
  // "to" is exclusive; a case filed this very second still counts.
  return { from: q.from ?? new Date(now.getTime() - 365 * 86_400_000), to: q.to ?? new Date(now.getTime() + 1000) };
}

export function apiV1(db: Db, d: OfficeAppDeps, auth: Auth, log: Logger): Router {
  const r = express.Router();
  r.use(auth.requireApi);
  r.use(jsonBody({ limit: "64kb" }));
  const now = () => d.clock.now();
  const act = async <T>(fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      throw mapOfficeError(err);
    }
  };

  r.get("/cases", async (req, res) => {
    const q = parse(S.CaseListQuery, req.query, "query");
    const scope = scopeOf(res);
    const t = now();
    const page = await listCases(db, filterOf(q, d.timezone), scope, { limit: q.limit, before: q.before }, t);
    res.json({ items: page.items.map((c) => caseSummary(c, t)), nextBefore: page.nextBefore });
  });

  r.get("/cases.csv", async (req, res) => {
    const q = parse(S.CaseListQuery, req.query, "query");
    await streamCaseCsv(db, res, filterOf(q, d.timezone), scopeOf(res), now(), "cases.csv");
  });

  r.post("/cases", async (req, res) => {
    const scope = scopeOf(res);
    const key = parse(S.IdempotencyKey, req.header("idempotency-key"), "Idempotency-Key header");
    const b = parse(S.CaseCreate, req.body, "body");
    const estate = await estateInScope(db, b.estate, scope);
    const building = b.building ? await db.building.findUnique({ where: { estateId_name: { estateId: estate.id, name: b.building } } }) : null;
    if (b.building && !building) throw new HttpError(400, "invalid_request", `estate ${b.estate} has no building "${b.building}"`);
    const unit = b.unit && building ? await db.unit.findUnique({ where: { buildingId_name: { buildingId: building.id, name: b.unit } } }) : null;
    if (b.unit && !unit) throw new HttpError(400, "invalid_request", `no unit "${b.unit}" in that building`);
    const requestHash = bodyHash(b);
    const filed = await fileIntake({ cases: d.cases, categories: d.categories, understander: d.router }, {
      channel: "api",
      key: `${scope.actorId}:${key}`,
      requestHash,
      place: { estateId: estate.id, buildingId: building?.id ?? null, unitId: unit?.id ?? null },
      kind: b.kind,
      strictKind: true,
      category: b.category,
      description: b.description,
      urgent: b.urgent,
      latitude: b.latitude ?? null,
      longitude: b.longitude ?? null,
      actor: actorOf(scope),
    });
    if (!filed.ok) throw new HttpError(400, "invalid_request", refusalMessage(filed.refusal, b));
    const { case: c, created } = filed;
    // A retry carries the same body; the same key with another body is a client bug that would lose a case.
    if (!created && c.requestHash !== null && c.requestHash !== requestHash) {
      throw new HttpError(422, "idempotency_key_reused", `Idempotency-Key "${key}" was already used for case ${c.number} with a different body; use a new key for a new case`);
    }
    const full = await findCaseInScope(db, c.id, scope);
    res.status(created ? 201 : 200).location(`/api/v1/cases/${c.id}`).json(caseDetail(full, now()));
  });

  r.get("/cases/:id", async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    res.json(caseDetail(await findCaseInScope(db, id, scopeOf(res)), now()));
  });

  r.post("/cases/:id/actions", async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const b = parse(S.CaseActionBody, req.body, "body");
    const scope = scopeOf(res);
    const c = await findCaseInScope(db, id, scope);
    await act(() => applyOfficeAction({ db, cases: d.cases, clock: d.clock }, c.id, b.action, actorOf(scope), { note: b.note, liaison: b.liaison, expect: b.expectState ? [b.expectState] : undefined }));
    res.json(caseDetail(await findCaseInScope(db, c.id, scope), now()));
  });

  r.post("/cases/:id/notes", async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const b = parse(S.NoteBody, req.body, "body");
    const scope = scopeOf(res);
    const c = await findCaseInScope(db, id, scope);
    await act(() => addNote({ db, cases: d.cases, clock: d.clock }, c.id, actorOf(scope), b.note));
    res.status(201).json(caseDetail(await findCaseInScope(db, c.id, scope), now()));
  });

  r.post("/cases/:id/extensions/:ext", async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const ext = parse(DbId, req.params.ext, "extension id");
    const b = parse(S.ExtensionDecision, req.body, "body");
    const scope = scopeOf(res);
    const c = await findCaseInScope(db, id, scope);
    await act(() => decideExtension({ db, cases: d.cases, clock: d.clock }, c.id, ext, b.decision === "approve", actorOf(scope), b.note));
    res.json(caseDetail(await findCaseInScope(db, c.id, scope), now()));
  });

  r.get("/figures", async (req, res) => {
    const q = parse(S.FiguresQuery, req.query, "query");
    const t0 = now();
    const w = figuresWindow(q, t0, d.timezone);
    const rows = await figures(db, { by: q.by, byMonth: q.monthly, ...w, now: t0, ...areaOf(scopeOf(res)), timezone: d.timezone });
    if (q.format === "xlsx") {
      const t = translator(q.lang ?? d.defaultLocale);
      const monthly = q.by !== "month" && !!q.monthly;
      await sendExport(res, { format: "xlsx", columns: figureColumns(t, t(q.by === "month" ? "month" : q.by), monthly), rows, name: [t("figures"), t(`by_${q.by}`)], now: t0, timezone: d.timezone, sheet: t("figures") });
      return;
    }
    if (q.format === "csv") {
      res
        .type("text/csv; charset=utf-8")
        .attachment(`figures-${q.by}.csv`)
        .send(toCsv(FIGURE_CSV_HEADER, rows.map((x) => [x.key, x.label, x.month, x.cases, x.responseRate, x.resolutionRate, x.satisfactionRate, x.repeatRate, x.overdue])));
      return;
    }
    res.json({ by: q.by, from: w.from.toISOString(), to: w.to.toISOString(), minSample: d.assessmentSettings().classification.minSample, rows });
  });

  r.get("/board", async (_req, res) => {
    const rows = await estateBoard(db, areaOf(scopeOf(res)));
    res.json({ thresholds: d.assessmentSettings().classification, rows });
  });

  r.get("/estates", async (_req, res) => {
    const s = scopeOf(res);
    const rows = await db.estate.findMany({ where: s.streetId !== null ? { streetId: s.streetId } : {}, include: { street: true, company: true }, orderBy: { code: "asc" } });
    res.json(rows.map((e) => ({ code: e.code, name: e.name, street: e.street.code, company: e.company?.code ?? null, households: e.households })));
  });

  r.get("/companies", async (_req, res) => {
    const s = scopeOf(res);
    // A street office sees the companies working in its estates.
    const rows = await db.company.findMany({ where: companiesInScope(s), include: { estates: { select: { code: true, streetId: true } } }, orderBy: { code: "asc" } });
    res.json(rows.map((c) => ({ code: c.code, name: c.name, estates: c.estates.filter((e) => s.streetId === null || e.streetId === s.streetId).map((e) => e.code) })));
  });

  r.get("/liaisons", async (_req, res) => {
    // A street office sees the liaisons of the companies working in its estates.
    const rows = await db.liaison.findMany({ where: { company: companiesInScope(scopeOf(res)) }, include: { company: true }, orderBy: { code: "asc" } });
    res.json(rows.map((l) => ({ code: l.code, name: l.name, company: l.company.code, active: l.active, onTelegram: l.telegramUserId !== null })));
  });

  r.post("/rules/dry-run", async (req, res) => {
    const b = parse(S.DryRunBody, req.body, "body");
    const estate = await estateInScope(db, b.estate, scopeOf(res));
    const result = await d.router.dryRun({ kind: b.kind, category: b.category, estate: estate.code, street: estate.street.code, building: b.building, urgencyHint: b.urgent, filedAt: b.filedAt ?? now() });
    res.json(result);
  });

  r.get("/rules/status", (_req, res) => {
    res.json(d.router.status());
  });

  // Admins mint tokens over the API too (the CLI does the same); the plain token is shown once.
  r.post("/tokens", auth.requireRole("admin"), async (req, res) => {
    const b = parse(S.TokenCreateBody, req.body, "body");
    const { token, row } = await act(() => createApiToken(db, { ...b, createdBy: scopeOf(res).actorId }));
    log.info({ tokenId: row.id, role: row.role, by: scopeOf(res).actorId }, "API token created");
    res.status(201).json({ id: row.id, name: row.name, role: row.role, token });
  });

  r.use((_req, _res, next) => next(new HttpError(404, "not_found", "no such endpoint")));
  return r;
}
