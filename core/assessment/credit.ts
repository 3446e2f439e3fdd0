// 诚信档案 credit file: a CreditDeduction row per case and reason (unique (reason, caseId)), so the
// nightly recompute is idempotent; the points come from rules/assessment.json at the time the
// deduction is made. Yearly evaluation: base − that year's deductions (by deduction time), not
// below 0, graded by the configured bands.
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import type { AssessmentSettings } from "./assessment-settings.ts";
import { missedSql, periodWindow } from "./assessment.ts";

export type DeductionReason = "overdue" | "unsatisfied_revisit" | "district_escalation";

/** Adds the deductions not recorded yet for cases created since `since`; returns new rows per reason. */
export async function recomputeDeductions(db: Db, o: { settings: AssessmentSettings; now: Date; since: Date }): Promise<Record<DeductionReason, number>> {
  const p = o.settings.deductions;
  const out: Record<DeductionReason, number> = { overdue: 0, unsatisfied_revisit: 0, district_escalation: 0 };
  const base = Prisma.sql`c."companyId" IS NOT NULL AND c."createdAt" >= ${o.since} AND c."createdAt" <= ${o.now}`;
  if (p.overdue > 0) {
    // When: the deadline it missed first.
    out.overdue = await db.$executeRaw`
      INSERT INTO "CreditDeduction" ("companyId", "caseId", reason, points, note, at)
      SELECT c."companyId", c.id, 'overdue', ${p.overdue}, c.number,
        CASE WHEN c."responseDueAt" IS NOT NULL AND coalesce(c."acceptedAt", c."resolvedAt", c."closedAt", ${o.now}) > c."responseDueAt"
             THEN c."responseDueAt" ELSE c."resolutionDueAt" END
      FROM "Case" c WHERE ${base} AND ${missedSql(o.now)}
      ON CONFLICT (reason, "caseId") DO NOTHING`;
  }
  if (p.unsatisfiedRevisit > 0) {
    out.unsatisfied_revisit = await db.$executeRaw`
      INSERT INTO "CreditDeduction" ("companyId", "caseId", reason, points, note, at)
      SELECT c."companyId", c.id, 'unsatisfied_revisit', ${p.unsatisfiedRevisit}, c.number, coalesce(c."closedAt", c."updatedAt")
      FROM "Case" c WHERE ${base} AND c.satisfaction <= ${p.unsatisfiedMax}
      ON CONFLICT (reason, "caseId") DO NOTHING`;
  }
  if (p.districtEscalation > 0) {
    out.district_escalation = await db.$executeRaw`
      INSERT INTO "CreditDeduction" ("companyId", "caseId", reason, points, note, at)
      SELECT c."companyId", c.id, 'district_escalation', ${p.districtEscalation}, c.number, coalesce(c."escalatedAt", c."updatedAt")
      FROM "Case" c WHERE ${base} AND c."escalationLevel" >= 2
      ON CONFLICT (reason, "caseId") DO NOTHING`;
  }
  return out;
}

export interface Evaluation {
  companyId: number;
  code: string;
  name: string;
  year: number;
  deducted: number;
  byReason: Record<string, { count: number; points: number }>;
  score: number;
  grade: string;
  label: string;
}

/** Yearly overall evaluation (年度综合评价) of every company. */
export async function evaluate(db: Db, o: { settings: AssessmentSettings; year: number; timezone: string }): Promise<Evaluation[]> {
  const { from, to } = periodWindow(String(o.year), o.timezone);
  const [companies, sums] = await Promise.all([
    db.company.findMany({ orderBy: { code: "asc" } }),
    db.$queryRaw<{ companyId: number; reason: string; n: number; points: number }[]>`
      SELECT "companyId", reason, count(*)::int AS n, sum(points)::float8 AS points
      FROM "CreditDeduction" WHERE at >= ${from} AND at < ${to} GROUP BY 1, 2`,
  ]);
  const ev = o.settings.evaluation;
  return companies.map((c) => {
    const mine = sums.filter((s) => s.companyId === c.id);
    const deducted = mine.reduce((a, s) => a + s.points, 0);
    const score = Math.max(0, ev.base - deducted);
    const band = ev.grades.find((g) => score >= g.min) ?? ev.grades[ev.grades.length - 1]!;
    return {
      companyId: c.id,
      code: c.code,
      name: c.name,
      year: o.year,
      deducted,
      byReason: Object.fromEntries(mine.map((s) => [s.reason, { count: s.n, points: s.points }])),
      score,
      grade: band.grade,
      label: band.label,
    };
  });
}

/** One company's deductions (newest first), for the credit-file page. */
export async function deductions(db: Db, o: { companyId: number; year?: number; timezone: string; limit?: number }) {
  const w = o.year ? periodWindow(String(o.year), o.timezone) : null;
  return db.creditDeduction.findMany({
    where: { companyId: o.companyId, ...(w ? { at: { gte: w.from, lt: w.to } } : {}) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: Math.min(o.limit ?? 200, 1000),
  });
}
