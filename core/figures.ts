// The offices' figures, aggregated in SQL (one pass over the cases in the window) by company,
// estate, street or month. Definitions (DESIGN.md):
//   response rate    accepted by the response deadline ÷ cases whose response is due or done
//   resolution rate  resolved by the resolution deadline and never reopened ÷ cases whose
//                    resolution is due or done
//   satisfaction     revisit answers ≥ 4 of 5 ÷ answers (Case.satisfaction; surveys join later)
//   repeat rate      cases reopened at least once ÷ cases
//   overdue          open now and past a deadline (same rule as core/case-query.ts)
// A rate is null when nothing is due yet: "no data" is not 0 %.
import { Prisma } from "./generated/prisma/client.ts";
import type { Db } from "./db.ts";

export type FigureDimension = "company" | "estate" | "street" | "month";

export interface FigureQuery {
  by: FigureDimension;
  /** Split each group by month too (trend charts). */
  byMonth?: boolean;
  from: Date;
  to: Date;
  streetId: number | null;
  now: Date;
  timezone: string;
}

export interface FigureRow {
  key: string;
  label: string;
  month: string | null;
  cases: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  repeatRate: number | null;
  overdue: number;
  counts: { responseOk: number; responseDue: number; resolutionOk: number; resolutionDue: number; satisfied: number; answers: number; repeats: number };
}

interface RawRow {
  key: string | null;
  label: string | null;
  month: string | null;
  cases: number;
  response_due: number;
  response_ok: number;
  resolution_due: number;
  resolution_ok: number;
  answers: number;
  satisfied: number;
  repeats: number;
  overdue: number;
}

const rate = (ok: number, base: number) => (base > 0 ? ok / base : null);

export async function figures(db: Db, q: FigureQuery): Promise<FigureRow[]> {
  // createdAt is a UTC timestamp without zone: say so before converting to local time.
  const month = Prisma.sql`to_char(c."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE ${q.timezone}, 'YYYY-MM')`;
  const dim = {
    company: { key: Prisma.sql`coalesce(co.code, '-')`, label: Prisma.sql`coalesce(co.name, '-')` },
    estate: { key: Prisma.sql`e.code`, label: Prisma.sql`e.name` },
    street: { key: Prisma.sql`s.code`, label: Prisma.sql`s.name` },
    month: { key: month, label: month },
  }[q.by];
  const monthCol = q.byMonth && q.by !== "month" ? month : Prisma.sql`NULL::text`;
  const scope = q.streetId !== null ? Prisma.sql`AND c."streetId" = ${q.streetId}` : Prisma.empty;
  const rows = await db.$queryRaw<RawRow[]>`
    SELECT ${dim.key} AS key, ${dim.label} AS label, ${monthCol} AS month,
      count(*)::int AS cases,
      count(*) FILTER (WHERE c."responseDueAt" IS NOT NULL AND (c."acceptedAt" IS NOT NULL OR c."responseDueAt" < ${q.now}))::int AS response_due,
      count(*) FILTER (WHERE c."acceptedAt" IS NOT NULL AND c."acceptedAt" <= c."responseDueAt")::int AS response_ok,
      count(*) FILTER (WHERE c."resolutionDueAt" IS NOT NULL AND (c."resolvedAt" IS NOT NULL OR c."resolutionDueAt" < ${q.now}))::int AS resolution_due,
      count(*) FILTER (WHERE c."resolvedAt" IS NOT NULL AND c."resolvedAt" <= c."resolutionDueAt" AND c."reopenCount" = 0)::int AS resolution_ok,
      count(*) FILTER (WHERE c.satisfaction IS NOT NULL)::int AS answers,
      count(*) FILTER (WHERE c.satisfaction >= 4)::int AS satisfied,
      count(*) FILTER (WHERE c."reopenCount" > 0)::int AS repeats,
      count(*) FILTER (WHERE c.state IN ('received','routed','unroutable','accepted','reopened') AND (
        c."resolutionDueAt" < ${q.now}
        OR (c.state IN ('received','routed','unroutable','reopened') AND c."acceptedAt" IS NULL AND c."responseDueAt" < ${q.now})))::int AS overdue
    FROM "Case" c
    JOIN "Estate" e ON e.id = c."estateId"
    JOIN "Street" s ON s.id = c."streetId"
    LEFT JOIN "Company" co ON co.id = c."companyId"
    WHERE c."createdAt" >= ${q.from} AND c."createdAt" < ${q.to} ${scope}
    GROUP BY 1, 2, 3
    ORDER BY 3 NULLS FIRST, 2`;
  return rows.map((r) => ({
    key: r.key ?? "-",
    label: r.label ?? "-",
    month: r.month,
    cases: r.cases,
    responseRate: rate(r.response_ok, r.response_due),
    resolutionRate: rate(r.resolution_ok, r.resolution_due),
    satisfactionRate: rate(r.satisfied, r.answers),
    repeatRate: rate(r.repeats, r.cases),
    overdue: r.overdue,
    counts: {
      responseOk: r.response_ok,
      responseDue: r.response_due,
      resolutionOk: r.resolution_ok,
      resolutionDue: r.resolution_due,
      satisfied: r.satisfied,
      answers: r.answers,
      repeats: r.repeats,
    },
  }));
}
