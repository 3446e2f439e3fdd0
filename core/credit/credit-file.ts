// Reads what a score needs from the database — valid records per type, workload, base facts — for
// one company, one project manager or the whole district, and scores it through score.ts. The
// database does the sums (GROUP BY subject, type; estates per company), so the district is a few
// aggregate queries, not every record row. Nothing is cached or precomputed: the score is the
// records as of `at`, so it is right the moment a record is written.
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import type { CreditRules } from "./credit-rules.ts";
import { scoreCounts, type BaseFacts, type Score, type ScoredRecord, type TypeCounts, type Workload } from "./score.ts";

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

/** The records that count at `at` (not withdrawn, at ≤ t < validUntil), per subject and type. */
export async function validCounts(db: Db, subjects: string[] | "companies", at: Date): Promise<Map<string, TypeCounts>> {
  const which = subjects === "companies" ? Prisma.sql`subject LIKE 'company:%'` : subjects.length ? Prisma.sql`subject IN (${Prisma.join(subjects)})` : Prisma.sql`false`;
  const rows = await db.$queryRaw<{ subject: string; type: string; n: number }[]>`
    SELECT subject, type, count(*)::int AS n FROM "CreditRecord"
    WHERE ${which} AND status <> 'withdrawn' AND at <= ${at} AND "validUntil" > ${at}
    GROUP BY subject, type`;
  const out = new Map<string, TypeCounts>();
  for (const r of rows) {
    const m = out.get(r.subject) ?? new Map<string, number>();
    m.set(r.type, r.n);
    out.set(r.subject, m);
  }
  return out;
}

/** One subject's valid records per type at each of `moments` (the chart), in one query. */
async function countsAtMoments(db: Db, subject: string, moments: Date[]): Promise<TypeCounts[]> {
  const values = Prisma.join(moments.map((t, i) => Prisma.sql`(${t}::timestamp(3), ${i}::int)`));
  const rows = await db.$queryRaw<{ i: number; type: string; n: number }[]>`
    SELECT m.i, r.type, count(*)::int AS n
    FROM (VALUES ${values}) AS m(t, i)
    JOIN "CreditRecord" r ON r.subject = ${subject} AND r.status <> 'withdrawn' AND r.at <= m.t AND r."validUntil" > m.t
    GROUP BY m.i, r.type`;
  const out = moments.map(() => new Map<string, number>());
  for (const r of rows) out[r.i]!.set(r.type, r.n);
  return out;
}

interface EstateFacts { companyId: number; estates: number; households: number; certified: number; complete: number }

/**
 * Per company: its active estates, their households, how many have a current manager with a
 * certificate valid at `at`, how many are complete (households, an address, a current manager).
 * The current manager of an estate is its latest assignment running at `at`.
 */
async function estateFacts(db: Db, at: Date, only?: number[]): Promise<Map<number, EstateFacts>> {
  const which = only ? (only.length ? Prisma.sql`e."companyId" IN (${Prisma.join(only)})` : Prisma.sql`false`) : Prisma.sql`e."companyId" IS NOT NULL`;
  const rows = await db.$queryRaw<EstateFacts[]>`
    SELECT e."companyId",
           count(*)::int AS estates,
           coalesce(sum(e.households), 0)::int AS households,
           count(*) FILTER (WHERE m."certificateNo" IS NOT NULL AND m."certificateExpiresOn" >= ${at})::int AS certified,
           count(*) FILTER (WHERE e.households > 0 AND coalesce(e.address, '') <> '' AND a."managerId" IS NOT NULL)::int AS complete
    FROM "Estate" e
    LEFT JOIN LATERAL (
      SELECT ma."managerId" FROM "ManagerAssignment" ma
      WHERE ma."estateId" = e.id AND ma."startsOn" <= ${at} AND (ma."endsOn" IS NULL OR ma."endsOn" > ${at})
      ORDER BY ma."startsOn" DESC, ma.id DESC LIMIT 1) a ON true
    LEFT JOIN "ProjectManager" m ON m.id = a."managerId"
    WHERE e.active AND ${which}
    GROUP BY e."companyId"`;
  return new Map(rows.map((r) => [r.companyId, r]));
}

/** Cases filed per company in the year before `at` (the `cases` normalisation). */
async function casesInYear(db: Db, at: Date, only?: number[]): Promise<Map<number, number>> {
  const which = only ? (only.length ? Prisma.sql`"companyId" IN (${Prisma.join(only)})` : Prisma.sql`false`) : Prisma.sql`"companyId" IS NOT NULL`;
  const rows = await db.$queryRaw<{ companyId: number; n: number }[]>`
    SELECT "companyId", count(*)::int AS n FROM "Case"
    WHERE ${which} AND "createdAt" > ${new Date(at.getTime() - YEAR_MS)} AND "createdAt" <= ${at}
    GROUP BY "companyId"`;
  return new Map(rows.map((r) => [r.companyId, r.n]));
}

/** Every company's score at `at` (the district list, the dry-run, the public page): four aggregate queries. */
export async function companyScores(db: Db, rules: CreditRules, at: Date, only?: number[]): Promise<Map<number, SubjectScore>> {
  const [companies, estates, cases, counts] = await Promise.all([
    db.company.findMany({ where: only ? { id: { in: only } } : {}, select: { id: true, grade: true } }),
    estateFacts(db, at, only),
    casesInYear(db, at, only),
    validCounts(db, only ? only.map(companySubject) : "companies", at),
  ]);
  const out = new Map<number, SubjectScore>();
  for (const c of companies) {
    const e = estates.get(c.id);
    const workload = { cases: cases.get(c.id) ?? 0, households: e?.households ?? 0 };
    const facts: BaseFacts = { qualification: c.grade ? 1 : 0, managersCertified: share(e?.certified ?? 0, e?.estates ?? 0), recordsComplete: share(e?.complete ?? 0, e?.estates ?? 0) };
    const subject = companySubject(c.id);
    out.set(c.id, { subject, workload, facts, ...scoreCounts(rules, counts.get(subject) ?? new Map(), workload, facts) });
  }
  return out;
}

/** A project manager's score: their own records wherever they worked, their estates' workload. */
export async function managerScore(db: Db, rules: CreditRules, managerId: number, at: Date): Promise<SubjectScore | null> {
  const m = await db.projectManager.findUnique({ where: { id: managerId }, include: { assignments: true } });
  if (!m) return null;
  const from = new Date(at.getTime() - YEAR_MS);
  const spans = m.assignments.filter((a) => a.startsOn <= at && (!a.endsOn || a.endsOn > from));
  const now = spans.filter((a) => !a.endsOn || a.endsOn > at);
  const subject = managerSubject(m.id);
  const [cases, estates, counts] = await Promise.all([
    Promise.all(spans.map((a) => db.case.count({ where: { estateId: a.estateId, createdAt: { gt: a.startsOn > from ? a.startsOn : from, lte: a.endsOn && a.endsOn < at ? a.endsOn : at } } }))),
    db.estate.findMany({ where: { id: { in: now.map((a) => a.estateId) } }, select: { households: true } }),
    validCounts(db, [subject], at),
  ]);
  const workload = { cases: cases.reduce((a, n) => a + n, 0), households: estates.reduce((a, e) => a + e.households, 0) };
  const ok = certified(m, at) ? 1 : 0;
  const facts: BaseFacts = { qualification: ok, managersCertified: ok, recordsComplete: now.length > 0 ? 1 : 0 };
  return { subject, workload, facts, ...scoreCounts(rules, counts.get(subject) ?? new Map(), workload, facts) };
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
export async function scoreSeries(db: Db, rules: CreditRules, score: SubjectScore, at: Date, months = 12): Promise<{ at: Date; score: number }[]> {
  const moments = [...Array.from({ length: months }, (_, k) => new Date(at.getTime() - (months - k) * (YEAR_MS / 12))), at];
  const counts = await countsAtMoments(db, score.subject, moments);
  return moments.map((t, i) => ({ at: t, score: scoreCounts(rules, counts[i]!, score.workload, score.facts).score }));
}
