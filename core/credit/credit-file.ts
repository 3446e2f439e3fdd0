// Reads what a score needs from the database — records, workload, base facts — for one company,
// one project manager or the whole district, and scores it through score.ts. Nothing is cached
// or precomputed: the score is the records as of `at`, so it is right the moment a record is written.
import type { Db } from "../db/db.ts";
import type { CreditRules } from "./credit-rules.ts";
import { computeScore, type BaseFacts, type Score, type ScoredRecord, type Workload } from "./score.ts";

const YEAR_MS = 365 * 86_400_000;

export interface RecordRow extends ScoredRecord {
  id: number;
  subject: string;
  companyId: number | null;
  managerId: number | null;
  polarity: string;
  points: number;
  sourceType: string;
  sourceKey: string;
  caseId: number | null;
  streetId: number | null;
  estateId: number | null;
  actor: string;
  note: string | null;
}

export interface SubjectScore extends Score {
  subject: string;
  workload: Workload;
  facts: BaseFacts;
}

export const companySubject = (id: number) => `company:${id}`;
export const managerSubject = (id: number) => `manager:${id}`;

const certified = (m: { certificateNo: string | null; certificateExpiresOn: Date | null }, at: Date) => !!m.certificateNo && !!m.certificateExpiresOn && m.certificateExpiresOn >= at;
const share = (n: number, of: number) => (of > 0 ? n / of : 0);

async function currentAssignments(db: Db, at: Date) {
  return db.managerAssignment.findMany({
    where: { startsOn: { lte: at }, OR: [{ endsOn: null }, { endsOn: { gt: at } }] },
    include: { manager: true },
  });
}

/** Records that count at some moment of the year before `at` (for the score now and its chart). */
async function recordsFor(db: Db, subjects: string[] | "companies", at: Date): Promise<Map<string, RecordRow[]>> {
  const rows = await db.creditRecord.findMany({
    where: { ...(subjects === "companies" ? { subject: { startsWith: "company:" } } : { subject: { in: subjects } }), at: { lte: at }, validUntil: { gt: new Date(at.getTime() - YEAR_MS) } },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  const out = new Map<string, RecordRow[]>();
  for (const r of rows) out.set(r.subject, [...(out.get(r.subject) ?? []), r]);
  return out;
}

/** Every company's score now (the district list, the dry-run, the public page); one query per table. */
export async function companyScores(db: Db, rules: CreditRules, at: Date, only?: number[]): Promise<Map<number, SubjectScore>> {
  const where = only ? { id: { in: only } } : {};
  const [companies, estates, assignments, cases, records] = await Promise.all([
    db.company.findMany({ where, select: { id: true, grade: true } }),
    db.estate.findMany({ where: { active: true, companyId: only ? { in: only } : { not: null } }, select: { id: true, companyId: true, households: true, address: true } }),
    currentAssignments(db, at),
    db.$queryRaw<{ companyId: number; n: number }[]>`
      SELECT "companyId", count(*)::int AS n FROM "Case"
      WHERE "companyId" IS NOT NULL AND "createdAt" > ${new Date(at.getTime() - YEAR_MS)} AND "createdAt" <= ${at} GROUP BY 1`,
    recordsFor(db, only ? only.map(companySubject) : "companies", at),
  ]);
  const managerOf = new Map(assignments.map((a) => [a.estateId, a.manager]));
  const casesOf = new Map(cases.map((c) => [c.companyId, c.n]));
  const out = new Map<number, SubjectScore>();
  for (const c of companies) {
    const mine = estates.filter((e) => e.companyId === c.id);
    const workload = { cases: casesOf.get(c.id) ?? 0, households: mine.reduce((a, e) => a + e.households, 0) };
    const facts: BaseFacts = {
      qualification: c.grade ? 1 : 0,
      managersCertified: share(mine.filter((e) => { const m = managerOf.get(e.id); return m ? certified(m, at) : false; }).length, mine.length),
      recordsComplete: share(mine.filter((e) => e.households > 0 && !!e.address && managerOf.has(e.id)).length, mine.length),
    };
    const subject = companySubject(c.id);
    out.set(c.id, { subject, workload, facts, ...computeScore(rules, records.get(subject) ?? [], workload, facts, at) });
  }
  return out;
}

/** A project manager's score: their own records wherever they worked, their estates' workload. */
export async function managerScore(db: Db, rules: CreditRules, managerId: number, at: Date): Promise<SubjectScore | null> {
  const m = await db.projectManager.findUnique({ where: { id: managerId }, include: { assignments: true } });
  if (!m) return null;
  const from = new Date(at.getTime() - YEAR_MS);
  const spans = m.assignments.filter((a) => a.startsOn <= at && (!a.endsOn || a.endsOn > from));
  let cases = 0;
  for (const a of spans) {
    cases += await db.case.count({ where: { estateId: a.estateId, createdAt: { gt: a.startsOn > from ? a.startsOn : from, lte: a.endsOn && a.endsOn < at ? a.endsOn : at } } });
  }
  const now = spans.filter((a) => !a.endsOn || a.endsOn > at);
  const estates = await db.estate.findMany({ where: { id: { in: now.map((a) => a.estateId) } }, select: { households: true } });
  const workload = { cases, households: estates.reduce((a, e) => a + e.households, 0) };
  const ok = certified(m, at) ? 1 : 0;
  const facts: BaseFacts = { qualification: ok, managersCertified: ok, recordsComplete: now.length > 0 ? 1 : 0 };
  const subject = managerSubject(m.id);
  const records = (await recordsFor(db, [subject], at)).get(subject) ?? [];
  return { subject, workload, facts, ...computeScore(rules, records, workload, facts, at) };
}

/** A subject's records (newest first), optionally only those from one street, with their latest appeal. */
export async function recordsOf(db: Db, subject: string, o: { streetId?: number | null; limit?: number } = {}) {
  return db.creditRecord.findMany({
    where: { subject, ...(o.streetId != null ? { streetId: o.streetId } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: Math.min(o.limit ?? 500, 2000),
    include: { appeals: { orderBy: { id: "desc" }, take: 1 } },
  });
}

/**
 * The score at the end of each of the last `months` months and now (the chart). Base facts and
 * workload are today's — a chart of what the records did, not a replay of the directory.
 */
export function scoreSeries(rules: CreditRules, records: ScoredRecord[], workload: Workload, facts: BaseFacts, at: Date, months = 12): { at: Date; score: number }[] {
  const points: { at: Date; score: number }[] = [];
  for (let i = months; i >= 1; i--) {
    const t = new Date(at.getTime() - i * (YEAR_MS / 12));
    points.push({ at: t, score: computeScore(rules, records, workload, facts, t).score });
  }
  points.push({ at, score: computeScore(rules, records, workload, facts, at).score });
  return points;
}

export { recordsFor };
