// Estate classification 示范 model / 达标 compliant / 整改 rectify (rules/assessment.json):
//   rectify    satisfaction < compliant.satisfaction or timeliness < compliant.timeliness
//   model      satisfaction ≥ model.satisfaction and timeliness ≥ model.timeliness,
//              repeat rate ≤ model.maxRepeatRate and no district escalation in the period
//   compliant  otherwise
//   unrated    未评定: satisfaction or timeliness has fewer than minSample answers / deadlines due
//              ("no data") and the measure that has data (if any) is not below 达标 — an estate is
//              never shown 达标 with a smile on figures nobody measured.
// A measure with data below 达标 makes an estate rectify even when the other has no data.
// Each run stores one EstateClassification row per estate (history; the latest row is current).
import type { Db } from "../db/db.ts";
import type { AssessmentSettings } from "./assessment-settings.ts";
import { assessment, periodOf, periodWindow, type AssessmentRow } from "./assessment.ts";

export type EstateClass = "model" | "compliant" | "rectify" | "unrated";
export const CLASS_LABEL: Record<EstateClass, string> = { model: "示范", compliant: "达标", rectify: "整改", unrated: "未评定" };

/** Smiling for 示范 and 达标, crying for 整改, neutral (null) for 未评定 and not yet classified. */
export const smilingOf = (k: EstateClass | null): boolean | null => (k === null || k === "unrated" ? null : k !== "rectify");

export function classifyEstate(f: AssessmentRow | undefined, s: AssessmentSettings["classification"]): { klass: EstateClass; satisfaction: number | null; timeliness: number | null } {
  const answers = f ? f.counts.revisitAnswers + f.counts.surveyAnswers : 0;
  const due = f ? f.counts.responseDue + f.counts.resolutionDue : 0;
  const satisfaction = f && answers >= s.minSample ? f.satisfaction : null;
  const timeliness = f && due >= s.minSample ? f.timeliness : null;
  if ((satisfaction !== null && satisfaction < s.compliant.satisfaction) || (timeliness !== null && timeliness < s.compliant.timeliness)) {
    return { klass: "rectify", satisfaction, timeliness };
  }
  if (satisfaction === null || timeliness === null) return { klass: "unrated", satisfaction, timeliness };
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
  return rows.map((r) => ({ ...r, label: CLASS_LABEL[r.klass], smiling: smilingOf(r.klass) }));
}

/**
 * Re-rates the board when the figures may have moved since the last rating — a case event (filed,
 * accepted, resolved, answered…), a survey answer, or a deadline passing in between — so opening
 * the board after new data shows it, not last night's figures. Two instances opening it at once
 * may both store a run; the board reads the latest, so that is harmless.
 */
export async function classifyIfStale(db: Db, o: { settings: AssessmentSettings; now: Date; timezone: string }): Promise<boolean> {
  const [last] = await db.$queryRaw<{ rated: Date | null }[]>`SELECT max("computedAt") AS rated FROM "EstateClassification"`;
  const rated = last?.rated ?? null;
  if (rated) {
    const [moved] = await db.$queryRaw<{ n: number }[]>`
      SELECT ((SELECT count(*) FROM (SELECT 1 FROM "CaseEvent" WHERE at > ${rated} LIMIT 1) e)
        + (SELECT count(*) FROM (SELECT 1 FROM "SurveyAnswer" WHERE "createdAt" > ${rated} LIMIT 1) a)
        + (SELECT count(*) FROM (SELECT 1 FROM "Case" WHERE ("responseDueAt" > ${rated} AND "responseDueAt" <= ${o.now})
            OR ("resolutionDueAt" > ${rated} AND "resolutionDueAt" <= ${o.now}) LIMIT 1) d))::int AS n`;
    if (!moved?.n) return false;
  }
  await classifyEstates(db, o);
  return true;
}
