// Estate board: 示范 (model) / 达标 (compliant) / 整改 (must rectify) from the estate's figures over
// a window. The rule is deliberately simple until the survey issue brings the half-yearly
// questionnaire into it: score = the lowest of the estate's response, resolution and satisfaction
// rates; model needs score ≥ modelMin and nothing overdue; rectify is score < rectifyBelow;
// an estate with nothing due in the window is compliant ("no data").
import type { Db } from "./db.ts";
import { figures } from "./figures.ts";

export type EstateClass = "model" | "compliant" | "rectify";

export interface BoardRule {
  windowDays: number;
  modelMin: number;
  rectifyBelow: number;
}

export interface BoardRow {
  estate: string;
  name: string;
  street: string;
  streetName: string;
  company: string | null;
  cases: number;
  overdue: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  score: number | null;
  class: EstateClass;
  smiling: boolean;
}

export function classify(score: number | null, overdue: number, rule: BoardRule): EstateClass {
  if (score === null) return "compliant";
  if (score < rule.rectifyBelow) return "rectify";
  if (score >= rule.modelMin && overdue === 0) return "model";
  return "compliant";
}

export async function estateBoard(db: Db, o: { rule: BoardRule; now: Date; timezone: string; streetId: number | null }): Promise<BoardRow[]> {
  const from = new Date(o.now.getTime() - o.rule.windowDays * 86_400_000);
  const [estates, rows] = await Promise.all([
    db.estate.findMany({
      where: o.streetId !== null ? { streetId: o.streetId } : {},
      include: { street: true, company: true },
      orderBy: [{ streetId: "asc" }, { code: "asc" }],
    }),
    figures(db, { by: "estate", from, to: new Date(o.now.getTime() + 1000), now: o.now, streetId: o.streetId, timezone: o.timezone }),
  ]);
  const byCode = new Map(rows.map((r) => [r.key, r]));
  return estates.map((e) => {
    const f = byCode.get(e.code);
    const rates = [f?.responseRate, f?.resolutionRate, f?.satisfactionRate].filter((x): x is number => typeof x === "number");
    const score = rates.length ? Math.min(...rates) : null;
    const cls = classify(score, f?.overdue ?? 0, o.rule);
    return {
      estate: e.code,
      name: e.name,
      street: e.street.code,
      streetName: e.street.name,
      company: e.company?.name ?? null,
      cases: f?.cases ?? 0,
      overdue: f?.overdue ?? 0,
      responseRate: f?.responseRate ?? null,
      resolutionRate: f?.resolutionRate ?? null,
      satisfactionRate: f?.satisfactionRate ?? null,
      score,
      class: cls,
      smiling: cls !== "rectify",
    };
  });
}
