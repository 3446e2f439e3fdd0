// Estate classification 示范 model / 达标 compliant / 整改 rectify (rules/assessment.json):
//   rectify    satisfaction < compliant.satisfaction or timeliness < compliant.timeliness
//   model      satisfaction ≥ model.satisfaction and timeliness ≥ model.timeliness,
//              repeat rate ≤ model.maxRepeatRate and no district escalation in the period
//   compliant  otherwise
// A measure with fewer than minSample answers (satisfaction) or deadlines due (timeliness) is "no
// data": it cannot make an estate rectify, and an estate needs both measures to be model.
// Each run stores one EstateClassification row per estate (history; the latest row is current).
import type { Db } from "../db/db.ts";
import type { AssessmentSettings } from "./assessment-settings.ts";
import { assessment, periodOf, periodWindow, type AssessmentRow } from "./assessment.ts";

export type EstateClass = "model" | "compliant" | "rectify";
export const CLASS_LABEL: Record<EstateClass, string> = { model: "示范", compliant: "达标", rectify: "整改" };

export function classifyEstate(f: AssessmentRow | undefined, s: AssessmentSettings["classification"]): { klass: EstateClass; satisfaction: number | null; timeliness: number | null } {
  const answers = f ? f.counts.revisitAnswers + f.counts.surveyAnswers : 0;
  const due = f ? f.counts.responseDue + f.counts.resolutionDue : 0;
  const satisfaction = f && answers >= s.minSample ? f.satisfaction : null;
  const timeliness = f && due >= s.minSample ? f.timeliness : null;
  if ((satisfaction !== null && satisfaction < s.compliant.satisfaction) || (timeliness !== null && timeliness < s.compliant.timeliness)) {
    return { klass: "rectify", satisfaction, timeliness };
  }
  const model =
    satisfaction !== null &&
    timeliness !== null &&
    satisfaction >= s.model.satisfaction &&
    timeliness >= s.model.timeliness &&
    (f?.repeatRate ?? 0) <= s.model.maxRepeatRate &&
    (f?.districtEscalations ?? 0) === 0;
  return { klass: model ? "model" : "compliant", satisfaction, timeliness };
}

/** Classifies every estate for the period containing `now` (or `period`) and stores the rows. */
export async function classifyEstates(db: Db, o: { settings: AssessmentSettings; now: Date; timezone: string; period?: string }) {
  const s = o.settings.classification;
  const period = o.period ?? periodOf(o.now, s.period, o.timezone);
  const w = periodWindow(period, o.timezone);
  const to = w.to < o.now ? w.to : new Date(o.now.getTime() + 1);
  const [estates, rows] = await Promise.all([
    db.estate.findMany({ orderBy: { id: "asc" }, select: { id: true, code: true, name: true, streetId: true } }),
    assessment(db, { by: "estate", period: "none", from: w.from, to, now: o.now, timezone: o.timezone }),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = estates.map((e) => {
    const f = byId.get(e.id);
    const c = classifyEstate(f, s);
    return {
      estateId: e.id,
      period,
      klass: c.klass,
      satisfaction: c.satisfaction,
      timeliness: c.timeliness,
      details: {
        code: e.code,
        name: e.name,
        label: CLASS_LABEL[c.klass],
        cases: f?.cases ?? 0,
        repeatRate: f?.repeatRate ?? null,
        districtEscalations: f?.districtEscalations ?? 0,
        answers: f ? f.counts.revisitAnswers + f.counts.surveyAnswers : 0,
        due: f ? f.counts.responseDue + f.counts.resolutionDue : 0,
        thresholds: s,
      },
      computedAt: o.now,
    };
  });
  await db.estateClassification.createMany({ data: out });
  return out;
}

/** The latest classification of each estate (the board), optionally one street. */
export async function currentClassifications(db: Db, o: { streetId?: number | null } = {}) {
  const rows = await db.$queryRaw<{ estateId: number; code: string; name: string; streetId: number; period: string; klass: EstateClass; satisfaction: number | null; timeliness: number | null; computedAt: Date }[]>`
    SELECT DISTINCT ON (ec."estateId") ec."estateId", e.code, e.name, e."streetId", ec.period, ec.klass, ec.satisfaction, ec.timeliness, ec."computedAt"
    FROM "EstateClassification" ec JOIN "Estate" e ON e.id = ec."estateId"
    WHERE ${o.streetId != null ? o.streetId : null}::int IS NULL OR e."streetId" = ${o.streetId ?? null}
    ORDER BY ec."estateId", ec."computedAt" DESC, ec.id DESC`;
  return rows.map((r) => ({ ...r, label: CLASS_LABEL[r.klass], smiling: r.klass !== "rectify" }));
}
