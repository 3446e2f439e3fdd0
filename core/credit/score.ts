// The score itself, as a pure function of the rules, the valid records per type and the workload at
// one moment: the company page, the district list, the chart over time, the yearly evaluation and the
// dry-run all call `scoreCounts` (the database counts the records, credit-file.ts), so they cannot
// disagree. No database here.
import type { CreditRules, Grade } from "./credit-rules.ts";
import { typeOf } from "./credit-rules.ts";

export interface ScoredRecord {
  type: string;
  at: Date;
  validUntil: Date;
  status: string; // active | appealed | withdrawn
}

export interface Workload {
  /** Cases filed in the year before the moment scored. */
  cases: number;
  /** Households in the estates managed. */
  households: number;
}

/** Each base item's share earned, 0–1 (qualification held, managers certified, records complete). */
export type BaseFacts = Record<CreditRules["base"]["items"][number]["key"], number>;

export interface Score {
  score: number;
  grade: Grade;
  base: number;
  good: number;
  bad: number;
  yellowCards: number;
  redCards: number;
  blacklisted: boolean;
  /** Bad points per type after normalisation, for the "why". */
  byType: Record<string, { count: number; points: number }>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function isValidAt(r: ScoredRecord, at: Date): boolean {
  return r.status !== "withdrawn" && r.at <= at && r.validUntil > at;
}

export function gradeOf(rules: CreditRules, score: number): Grade {
  return (rules.grades.find((g) => score >= g.min) ?? rules.grades[rules.grades.length - 1]!).grade;
}

/** Valid records per type at one moment (the database counts them: credit-file.ts `validCounts`). */
export type TypeCounts = Map<string, number>;

/** The score from records in memory (tests, small lists): counts the valid ones, then `scoreCounts`. */
export function computeScore(rules: CreditRules, records: ScoredRecord[], workload: Workload, facts: BaseFacts, at: Date): Score {
  const counts: TypeCounts = new Map();
  for (const r of records) if (isValidAt(r, at)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return scoreCounts(rules, counts, workload, facts);
}

/** The rules applied to the valid records per type: base, normalisation, caps, grade, cards, blacklist. */
export function scoreCounts(rules: CreditRules, counts: TypeCounts, workload: Workload, facts: BaseFacts): Score {
  const base = Math.min(rules.base.max, rules.base.items.reduce((a, i) => a + i.points * clamp01(facts[i.key] ?? 0), 0));
  let good = 0;
  let bad = 0;
  let badRecords = 0;
  const byType: Score["byType"] = {};
  for (const [type, count] of counts) {
    const t = typeOf(rules, type);
    if (!t) continue; // a type removed from the rules no longer counts
    const load = t.normalise === "cases" ? workload.cases : t.normalise === "households" ? workload.households : 0;
    // Scaled down for a workload above `per` (per 100 cases, per 1,000 households), never scaled up.
    const factor = t.normalise === "none" ? 1 : t.per / Math.max(load, t.per);
    const points = count * t.points * factor;
    byType[type] = { count, points: round2(points) };
    if (t.polarity === "good") good += points;
    else {
      bad += points;
      badRecords += count;
    }
  }
  good = Math.min(good, rules.caps.good);
  bad = Math.min(bad, rules.caps.bad);
  const score = round2(Math.max(0, base + good - bad));
  const yellowCards = rules.cards.yellowTypes.reduce((a, y) => a + (counts.get(y) ?? 0), 0);
  const redCards = yellowCards >= rules.cards.red.yellows && badRecords >= rules.cards.red.badRecords ? Math.floor(yellowCards / rules.cards.red.yellows) : 0;
  return {
    score,
    grade: gradeOf(rules, score),
    base: round2(base),
    good: round2(good),
    bad: round2(bad),
    yellowCards,
    redCards,
    blacklisted: redCards >= rules.blacklist.redCards || score < rules.blacklist.scoreBelow,
    byType,
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
