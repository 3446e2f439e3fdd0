// REST /api/v1/credit: the credit files (诚信档案) of companies and project managers — score,
// grade, blacklist, cards, records — managers and their estates, office-entered records and
// appeals (异议). Only translation to HTTP: the rules live in core/credit. A street caller sees the
// companies and managers working in its street and the records from its street only.
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { Scope } from "../../../core/directory/staff.ts";
import type { CreditRules } from "../../../core/credit/credit-rules.ts";
import { companyScores } from "../../../core/credit/credit-file.ts";
import { companyFile, managerFile, type CreditFile, type FileRecord } from "../../../core/credit/files.ts";
import { assignManager, listManagers, managerById, saveManager } from "../../../core/credit/managers.ts";
import { addManualRecord, CreditError, decideAppeal, fileAppeal, listAppeals } from "../../../core/credit/appeals.ts";
import { HttpError, parse } from "../../http.ts";
import { scopeOf, type Auth } from "../../auth.ts";
import { companiesInScope, type OfficeAppDeps } from "../../office.ts";
import { jsonBody } from "../../input-guard.ts";
import { mapDirectoryError } from "../directory.ts";
import { apiLocale } from "../../i18n/refusal-strings.ts";
import * as S from "./schemas.ts";

type Manager = NonNullable<Awaited<ReturnType<typeof managerById>>>;

export const creditError = (err: unknown): unknown =>
  err instanceof CreditError ? new HttpError(err.code === "not_found" ? 404 : err.code === "conflict" ? 409 : 400, err.code === "invalid" ? "invalid_request" : err.code, err.message) : err;

export function recordDto(r: FileRecord) {
  return {
    id: r.id,
    type: r.type,
    polarity: r.polarity as "bad" | "good",
    points: r.points,
    source: { type: r.sourceType, key: r.sourceKey, caseId: r.caseId, caseNumber: r.caseNumber },
    estate: r.estate?.code ?? null,
    actor: r.actor,
    note: r.note,
    at: r.at.toISOString(),
    validUntil: r.validUntil.toISOString(),
    counts: r.counts,
    status: r.status as "active" | "appealed" | "withdrawn",
    appeal: r.appeal ? { id: r.appeal.id, status: r.appeal.status } : null,
  };
}

function scoreDto(f: CreditFile) {
  const s = f.score;
  return { asOf: f.at.toISOString(), score: s.score, grade: s.grade, blacklisted: s.blacklisted, cards: { yellow: s.yellowCards, red: s.redCards }, base: s.base, good: s.good, bad: s.bad, workload: s.workload, records: f.records.map(recordDto) };
}

export function managerDto(m: Manager) {
  const d = (x: Date | null) => (x ? x.toISOString().slice(0, 10) : null);
  return { id: m.id, name: m.name, certificateNo: m.certificateNo, certificateExpiresOn: d(m.certificateExpiresOn), assignments: m.assignments.map((a) => ({ id: a.id, estate: a.estate.code, company: a.company.code, startsOn: d(a.startsOn)!, endsOn: d(a.endsOn) })) };
}

export const appealDto = (a: { id: number; recordId: number; status: string; reason: string; evidence: string | null; filedBy: string; filedAt: Date; decidedBy: string | null; decidedAt: Date | null; decisionReason: string | null }) => ({
  ...a,
  status: a.status as "open" | "upheld" | "withdrawn",
  filedAt: a.filedAt.toISOString(),
  decidedAt: a.decidedAt?.toISOString() ?? null,
});

/** The rules in force, or 503 when rules/credit.json could not be read. */
export function rulesOf(d: OfficeAppDeps): CreditRules {
  const rules = d.creditRules?.();
  if (!rules) throw new HttpError(503, "unavailable", "rules/credit.json is not loaded: credit files are unavailable");
  return rules;
}

/** A company the caller may see, by code (404 otherwise). */
export async function companyInScope(db: Db, code: string, scope: Scope) {
  const c = await db.company.findFirst({ where: { code, ...companiesInScope(scope) } });
  if (!c) throw new HttpError(404, "not_found", `company "${code}" not found`);
  return c;
}

/** A manager the caller may see: a street office those who ran one of its estates. */
export async function managerInScope(db: Db, id: number, scope: Scope): Promise<Manager> {
  const m = await managerById(db, id);
  if (!m || (scope.streetId !== null && !m.assignments.some((a) => a.estate.streetId === scope.streetId))) throw new HttpError(404, "not_found", `project manager ${id} not found`);
  return m;
}

export function creditApi(o: { db: Db; d: OfficeAppDeps; auth: Auth }): Router {
  const { db, d, auth } = o;
  const r = express.Router();
  r.use(auth.requireApi, jsonBody({ limit: "64kb" }));
  const office = auth.requireRole("admin", "district");
  const staff = auth.requireRole("admin", "district", "street");
  const at = (req: Request) => {
    const q = parse(S.AsOfQuery, req.query, "query");
    return q.at ? new Date(q.at) : d.clock.now();
  };
  const h = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: (e: unknown) => void) => {
    fn(req, res).catch((err) => next(mapDirectoryError(creditError(err), apiLocale(req.header("accept-language"), d.defaultLocale))));
  };

  r.get("/companies", staff, h(async (req, res) => {
    const when = at(req);
    const companies = await db.company.findMany({ where: companiesInScope(scopeOf(res)), orderBy: { code: "asc" } });
    const scores = await companyScores(db, rulesOf(d), when, companies.map((c) => c.id));
    res.json({ asOf: when.toISOString(), companies: companies.map((c) => { const s = scores.get(c.id)!; return { code: c.code, name: c.name, score: s.score, grade: s.grade, blacklisted: s.blacklisted, cards: { yellow: s.yellowCards, red: s.redCards } }; }) });
  }));

  r.get("/companies/:code", staff, h(async (req, res) => {
    const { code } = parse(S.CompanyCodeParam, req.params, "path");
    const scope = scopeOf(res);
    const c = await companyInScope(db, code, scope);
    const f = await companyFile(db, rulesOf(d), c.id, at(req), scope.streetId);
    res.json({ company: { code: c.code, name: c.name }, ...scoreDto(f) });
  }));

  r.get("/managers", staff, h(async (_req, res) => {
    res.json({ managers: (await listManagers(db, { streetId: scopeOf(res).streetId })).map(managerDto) });
  }));

  r.post("/managers", office, h(async (req, res) => {
    const b = parse(S.ManagerBody, req.body, "body");
    const m = await saveManager(db, scopeOf(res).actorId, { ...b, certificateExpiresOn: b.certificateExpiresOn ? new Date(b.certificateExpiresOn) : null });
    res.status(201).json(managerDto((await managerById(db, m.id))!));
  }));

  r.get("/managers/:id", staff, h(async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const scope = scopeOf(res);
    const m = await managerInScope(db, id, scope);
    const f = (await managerFile(db, rulesOf(d), m.id, at(req), scope.streetId))!;
    res.json({ manager: managerDto(m), ...scoreDto(f) });
  }));

  r.put("/managers/:id", office, h(async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const b = parse(S.ManagerBody, req.body, "body");
    await saveManager(db, scopeOf(res).actorId, { id, ...b, certificateExpiresOn: b.certificateExpiresOn ? new Date(b.certificateExpiresOn) : null });
    res.json(managerDto((await managerById(db, id))!));
  }));

  r.post("/managers/:id/assignments", office, h(async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const b = parse(S.AssignmentBody, req.body, "body");
    const estate = await db.estate.findUnique({ where: { code: b.estate } });
    if (!estate) throw new HttpError(404, "not_found", `estate "${b.estate}" not found`);
    const company = b.company ? await db.company.findUnique({ where: { code: b.company } }) : null;
    if (b.company && !company) throw new HttpError(404, "not_found", `company "${b.company}" not found`);
    await assignManager(db, scopeOf(res).actorId, { managerId: id, estateId: estate.id, companyId: company?.id, startsOn: new Date(b.startsOn) });
    res.status(201).json(managerDto((await managerById(db, id))!));
  }));

  r.post("/records", office, h(async (req, res) => {
    const b = parse(S.ManualRecordBody, req.body, "body");
    const company = b.company ? await companyInScope(db, b.company, scopeOf(res)) : null;
    const estate = b.estate ? await db.estate.findUnique({ where: { code: b.estate } }) : null;
    if (b.estate && !estate) throw new HttpError(404, "not_found", `estate "${b.estate}" not found`);
    const row = await addManualRecord(db, rulesOf(d), { companyId: company?.id, managerId: b.manager, type: b.type, note: b.note, estateId: estate?.id ?? null, at: b.at ? new Date(b.at) : d.clock.now(), actor: scopeOf(res).actorId });
    res.status(201).json({ id: row.id, subject: row.subject, type: row.type, validUntil: row.validUntil.toISOString() });
  }));

  r.get("/appeals", staff, h(async (_req, res) => {
    res.json({ appeals: (await listAppeals(db, { streetId: scopeOf(res).streetId })).map(appealDto) });
  }));

  // An appeal is filed for the company (its liaison's words, or the office on its behalf).
  r.post("/records/:id/appeals", staff, h(async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const b = parse(S.AppealBody, req.body, "body");
    const scope = scopeOf(res);
    const rec = await db.creditRecord.findUnique({ where: { id } });
    if (!rec || (scope.streetId !== null && rec.streetId !== scope.streetId)) throw new HttpError(404, "not_found", `record ${id} not found`);
    res.status(201).json(appealDto(await fileAppeal(db, { recordId: id, reason: b.reason, evidence: b.evidence, filedBy: scope.actorId, at: d.clock.now() })));
  }));

  r.post("/appeals/:id/decision", office, h(async (req, res) => {
    const { id } = parse(S.IdParam, req.params, "path");
    const b = parse(S.DecisionBody, req.body, "body");
    res.json(appealDto(await decideAppeal(db, { appealId: id, decision: b.decision, reason: b.reason, by: scopeOf(res).actorId, at: d.clock.now() })));
  }));

  return r;
}
