// Assessment figures (考核): one SQL aggregation over the cases in a window plus one over the survey
// answers, grouped by company / estate / street / district and month or half-year, joined on
// (group, period). Supersedes core/assessment/figures.ts for the assessment; definitions (DESIGN.md):
//   response rate     accepted by the response deadline ÷ cases whose response is due or done
//   resolution rate   resolved by the resolution deadline and never reopened ÷ resolutions due or done
//   timeliness 及时率  (response ok + resolution ok) ÷ (response due + resolution due)
//   satisfaction      (revisit answers ≥ 4 + survey scale answers ≥ 4) ÷ (revisit + survey scale answers);
//                     also reported separately (revisitRate, surveyRate)
//   repeat rate       cases with reopenCount > 0 ÷ cases
//   missed deadline   cases that missed their response or resolution deadline (late, or still open past it)
//   overdue now       open now and past a deadline (the dashboard's overdue)
//   per 1,000 households  cases × 1000 ÷ households of the group's estates (Estate.households)
// Periods are local (TIMEZONE): month "2026-07", half-year "2026H2". A rate with nothing due is null.
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import { fromLocal, toLocal } from "../clocks/zoned-time.ts";

export type Dimension = "company" | "estate" | "street" | "district";
export type PeriodKind = "month" | "half" | "none";

export interface AssessmentQuery {
  by: Dimension;
  period: PeriodKind;
  from: Date;
  to: Date;
  now: Date;
  timezone: string;
  /** Only this street's cases and answers (street offices). */
  streetId?: number | null;
  /** Only these estates' cases and answers (the committees, core/access). */
  estateIds?: number[] | null;
}

export interface AssessmentRow {
  /** Estate/company/street id; 0 for the district, -1 for cases with no company. */
  id: number;
  code: string;
  label: string;
  period: string | null;
  cases: number;
  households: number;
  casesPer1000: number | null;
  responseRate: number | null;
  resolutionRate: number | null;
  timeliness: number | null;
  satisfaction: number | null;
  revisitSatisfaction: number | null;
  surveySatisfaction: number | null;
  repeatRate: number | null;
  missedDeadline: number;
  overdueNow: number;
  districtEscalations: number;
  counts: {
    responseOk: number;
    responseDue: number;
    resolutionOk: number;
    resolutionDue: number;
    revisitAnswers: number;
    revisitSatisfied: number;
    surveyAnswers: number;
    surveySatisfied: number;
    repeats: number;
  };
}

interface Raw {
  key: number;
  period: string;
  cases: number;
  response_due: number;
  response_ok: number;
  resolution_due: number;
  resolution_ok: number;
  revisit_answers: number;
  revisit_satisfied: number;
  repeats: number;
  missed: number;
  overdue: number;
  esc2: number;
  survey_answers: number;
  survey_satisfied: number;
}

const rate = (ok: number, base: number) => (base > 0 ? ok / base : null);

/** Local time of a UTC timestamp column (Prisma stores UTC in timestamp without time zone). */
const local = (col: Prisma.Sql, tz: string) => Prisma.sql`((${col}) AT TIME ZONE 'UTC' AT TIME ZONE ${tz})`;

function periodSql(col: Prisma.Sql, kind: PeriodKind, tz: string): Prisma.Sql {
  const l = local(col, tz);
  if (kind === "month") return Prisma.sql`to_char(${l}, 'YYYY-MM')`;
  if (kind === "half") return Prisma.sql`(to_char(${l}, 'YYYY') || CASE WHEN extract(month FROM ${l}) <= 6 THEN 'H1' ELSE 'H2' END)`;
  return Prisma.sql`''`;
}

/** SQL: the case missed a deadline (late, or still open past it at `now`). Shared with the credit file. */
export function missedSql(now: Date): Prisma.Sql {
  return Prisma.sql`(
    (c."responseDueAt" IS NOT NULL AND coalesce(c."acceptedAt", c."resolvedAt", c."closedAt", ${now}) > c."responseDueAt")
    OR (c."resolutionDueAt" IS NOT NULL AND coalesce(c."resolvedAt", c."closedAt", ${now}) > c."resolutionDueAt"))`;
}

export async function assessment(db: Db, q: AssessmentQuery): Promise<AssessmentRow[]> {
  const caseKey = { company: Prisma.sql`coalesce(c."companyId", -1)`, estate: Prisma.sql`c."estateId"`, street: Prisma.sql`c."streetId"`, district: Prisma.sql`0` }[q.by];
  const responseKey = q.by === "company" ? Prisma.sql`coalesce(c."firstCompanyId", c."companyId", -1)` : caseKey;
  const firstDue = Prisma.sql`coalesce(c."firstResponseDueAt", c."responseDueAt")`;
  const ansKey = { company: Prisma.sql`coalesce(a."companyId", -1)`, estate: Prisma.sql`a."estateId"`, street: Prisma.sql`a."streetId"`, district: Prisma.sql`0` }[q.by];
  const cScope = Prisma.sql`${q.streetId != null ? Prisma.sql`AND c."streetId" = ${q.streetId}` : Prisma.empty} ${q.estateIds ? Prisma.sql`AND c."estateId" = ANY(${q.estateIds}::int[])` : Prisma.empty}`;
  const aScope = Prisma.sql`${q.streetId != null ? Prisma.sql`AND a."streetId" = ${q.streetId}` : Prisma.empty} ${q.estateIds ? Prisma.sql`AND a."estateId" = ANY(${q.estateIds}::int[])` : Prisma.empty}`;
  const now = q.now;
  const rows = await db.$queryRaw<Raw[]>`
    WITH cf AS (
      SELECT ${caseKey} AS key, ${periodSql(Prisma.sql`c."createdAt"`, q.period, q.timezone)} AS period,
        count(*)::int AS cases,
        count(*) FILTER (WHERE c."resolutionDueAt" IS NOT NULL AND (c."resolvedAt" IS NOT NULL OR c."resolutionDueAt" < ${now}))::int AS resolution_due,
        count(*) FILTER (WHERE c."resolvedAt" IS NOT NULL AND c."resolvedAt" <= c."resolutionDueAt" AND c."reopenCount" = 0)::int AS resolution_ok,
        count(*) FILTER (WHERE c.satisfaction IS NOT NULL)::int AS revisit_answers,
        count(*) FILTER (WHERE c.satisfaction >= 4)::int AS revisit_satisfied,
        count(*) FILTER (WHERE c."reopenCount" > 0)::int AS repeats,
        count(*) FILTER (WHERE ${missedSql(now)})::int AS missed,
        count(*) FILTER (WHERE c.state IN ('received','routed','unroutable','accepted','reopened') AND (
          c."resolutionDueAt" < ${now}
          OR (c.state IN ('received','routed','unroutable','reopened') AND c."respondedAt" IS NULL AND c."responseDueAt" < ${now})))::int AS overdue,
        count(*) FILTER (WHERE c."escalationLevel" >= 2)::int AS esc2
      FROM "Case" c
      WHERE c."createdAt" >= ${q.from} AND c."createdAt" < ${q.to} ${cScope}
      GROUP BY 1, 2
    ), rf AS (
      -- The response rate: the first acceptance against the first response deadline, counted for the
      -- company that held the case then (a reassignment gives the next one fresh deadlines of its own).
      SELECT ${responseKey} AS key, ${periodSql(Prisma.sql`c."createdAt"`, q.period, q.timezone)} AS period,
        count(*) FILTER (WHERE ${firstDue} IS NOT NULL AND (c."acceptedAt" IS NOT NULL OR ${firstDue} < ${now}))::int AS response_due,
        count(*) FILTER (WHERE c."acceptedAt" IS NOT NULL AND c."acceptedAt" <= ${firstDue})::int AS response_ok
      FROM "Case" c
      WHERE c."createdAt" >= ${q.from} AND c."createdAt" < ${q.to} ${cScope}
      GROUP BY 1, 2
    ), af AS (
      SELECT ${ansKey} AS key, ${periodSql(Prisma.sql`a."createdAt"`, q.period, q.timezone)} AS period,
        count(*)::int AS survey_answers, count(*) FILTER (WHERE a.score >= 4)::int AS survey_satisfied
      FROM "SurveyAnswer" a
      WHERE a.score IS NOT NULL AND a."createdAt" >= ${q.from} AND a."createdAt" < ${q.to} ${aScope}
      GROUP BY 1, 2
    )
    SELECT coalesce(cf.key, rf.key, af.key)::int AS key, coalesce(cf.period, rf.period, af.period) AS period,
      coalesce(cf.cases, 0) AS cases, coalesce(rf.response_due, 0) AS response_due, coalesce(rf.response_ok, 0) AS response_ok,
      coalesce(cf.resolution_due, 0) AS resolution_due, coalesce(cf.resolution_ok, 0) AS resolution_ok,
      coalesce(cf.revisit_answers, 0) AS revisit_answers, coalesce(cf.revisit_satisfied, 0) AS revisit_satisfied,
      coalesce(cf.repeats, 0) AS repeats, coalesce(cf.missed, 0) AS missed, coalesce(cf.overdue, 0) AS overdue, coalesce(cf.esc2, 0) AS esc2,
      coalesce(af.survey_answers, 0) AS survey_answers, coalesce(af.survey_satisfied, 0) AS survey_satisfied
    FROM cf FULL JOIN rf ON rf.key = cf.key AND rf.period = cf.period
      FULL JOIN af ON af.key = coalesce(cf.key, rf.key) AND af.period = coalesce(cf.period, rf.period)
    ORDER BY 2, 1`;

  const dims = await dimensions(db, q.by);
  return rows.map((r) => {
    const d = dims.get(r.key) ?? { code: r.key === -1 ? "-" : String(r.key), label: r.key === -1 ? "（未分配）" : String(r.key), households: 0 };
    const sAns = r.revisit_answers + r.survey_answers;
    return {
      id: r.key,
      code: d.code,
      label: d.label,
      period: q.period === "none" ? null : r.period,
      cases: r.cases,
      households: d.households,
      casesPer1000: d.households > 0 ? (r.cases * 1000) / d.households : null,
      responseRate: rate(r.response_ok, r.response_due),
      resolutionRate: rate(r.resolution_ok, r.resolution_due),
      timeliness: rate(r.response_ok + r.resolution_ok, r.response_due + r.resolution_due),
      satisfaction: rate(r.revisit_satisfied + r.survey_satisfied, sAns),
      revisitSatisfaction: rate(r.revisit_satisfied, r.revisit_answers),
      surveySatisfaction: rate(r.survey_satisfied, r.survey_answers),
      repeatRate: rate(r.repeats, r.cases),
      missedDeadline: r.missed,
      overdueNow: r.overdue,
      districtEscalations: r.esc2,
      counts: {
        responseOk: r.response_ok,
        responseDue: r.response_due,
        resolutionOk: r.resolution_ok,
        resolutionDue: r.resolution_due,
        revisitAnswers: r.revisit_answers,
        revisitSatisfied: r.revisit_satisfied,
        surveyAnswers: r.survey_answers,
        surveySatisfied: r.survey_satisfied,
        repeats: r.repeats,
      },
    };
  });
}

/** Code, label and households of each group (households: sum over the group's estates). */
async function dimensions(db: Db, by: Dimension): Promise<Map<number, { code: string; label: string; households: number }>> {
  const estates = await db.estate.findMany({ select: { id: true, code: true, name: true, streetId: true, companyId: true, households: true } });
  const out = new Map<number, { code: string; label: string; households: number }>();
  const total = estates.reduce((a, e) => a + e.households, 0);
  if (by === "district") out.set(0, { code: "district", label: "全区", households: total });
  if (by === "estate") for (const e of estates) out.set(e.id, { code: e.code, label: e.name, households: e.households });
  if (by === "street" || by === "company") {
    const list = by === "street" ? await db.street.findMany() : await db.company.findMany();
    for (const x of list) {
      const hh = estates.filter((e) => (by === "street" ? e.streetId : e.companyId) === x.id).reduce((a, e) => a + e.households, 0);
      out.set(x.id, { code: x.code, label: x.name, households: hh });
    }
  }
  return out;
}

/** "2026H2" / "2026-07" for the local date of `t`. */
export function periodOf(t: Date, kind: "half" | "month", tz: string): string {
  const l = toLocal(t, tz);
  return kind === "half" ? `${l.year}H${l.month <= 6 ? 1 : 2}` : `${l.year}-${String(l.month).padStart(2, "0")}`;
}

/** [from, to) of a period label, local midnight to local midnight. */
export function periodWindow(period: string, tz: string): { from: Date; to: Date } {
  const h = /^(\d{4})H([12])$/.exec(period);
  if (h) {
    const y = Number(h[1]);
    return h[2] === "1" ? { from: fromLocal(y, 1, 1, 0, 0, tz), to: fromLocal(y, 7, 1, 0, 0, tz) } : { from: fromLocal(y, 7, 1, 0, 0, tz), to: fromLocal(y + 1, 1, 1, 0, 0, tz) };
  }
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return { from: fromLocal(y, mo, 1, 0, 0, tz), to: mo === 12 ? fromLocal(y + 1, 1, 1, 0, 0, tz) : fromLocal(y, mo + 1, 1, 0, 0, tz) };
  }
  const y = /^(\d{4})$/.exec(period);
  if (y) return { from: fromLocal(Number(y[1]), 1, 1, 0, 0, tz), to: fromLocal(Number(y[1]) + 1, 1, 1, 0, 0, tz) };
  throw new RangeError(`period must look like 2026H2, 2026-07 or 2026, got "${period}"`);
}
