// The dashboard's and REST API's view of the figures. The rates themselves are computed in one
// place, core/assessment/assessment.ts (one SQL aggregation over cases plus one over survey answers); this
// maps its rows to the shape the pages, CSV and /api/v1/figures have always shown:
//   satisfaction = revisit and survey answers ≥ 4 of 5; overdue = open now and past a deadline.
// A rate is null when nothing is due yet: "no data" is not 0 %.
import type { Db } from "../db/db.ts";
import { assessment } from "./assessment.ts";

export type FigureDimension = "company" | "estate" | "street" | "month";

export interface FigureQuery {
  by: FigureDimension;
  /** Split each group by month too (trend charts). */
  byMonth?: boolean;
  from: Date;
  to: Date;
  streetId: number | null;
  /** The committees' estates (core/access areaOf); unset = the whole street or district. */
  estateIds?: number[] | null;
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

export async function figures(db: Db, q: FigureQuery): Promise<FigureRow[]> {
  const rows = await assessment(db, {
    by: q.by === "month" ? "district" : q.by,
    period: q.by === "month" || q.byMonth ? "month" : "none",
    from: q.from,
    to: q.to,
    now: q.now,
    timezone: q.timezone,
    streetId: q.streetId,
    estateIds: q.estateIds,
  });
  return rows
    .map((r) => ({
      key: q.by === "month" ? r.period! : r.id === -1 ? "-" : r.code,
      label: q.by === "month" ? r.period! : r.id === -1 ? "-" : r.label,
      month: q.byMonth && q.by !== "month" ? r.period : null,
      cases: r.cases,
      responseRate: r.responseRate,
      resolutionRate: r.resolutionRate,
      satisfactionRate: r.satisfaction,
      repeatRate: r.repeatRate,
      overdue: r.overdueNow,
      counts: {
        responseOk: r.counts.responseOk,
        responseDue: r.counts.responseDue,
        resolutionOk: r.counts.resolutionOk,
        resolutionDue: r.counts.resolutionDue,
        satisfied: r.counts.revisitSatisfied + r.counts.surveySatisfied,
        answers: r.counts.revisitAnswers + r.counts.surveyAnswers,
        repeats: r.counts.repeats,
      },
    }))
    .sort((a, b) => (a.month ?? "").localeCompare(b.month ?? "") || a.label.localeCompare(b.label));
}
