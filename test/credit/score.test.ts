// Scores and grades against hand-computed fixtures, with the rules of rules/credit.json: base
// items, caps, workload normalisation, validity expiry, withdrawn records, cards and the blacklist.
import { describe, expect, it } from "vitest";
import { loadCreditRules, parseCreditRules } from "../../core/credit/credit-rules.ts";
import { computeScore, gradeOf, type ScoredRecord } from "../../core/credit/score.ts";

const rules = loadCreditRules("rules");
const at = new Date("2026-06-15T00:00:00Z");
const rec = (type: string, on = "2026-03-01", days = 365, status = "active"): ScoredRecord => {
  const d = new Date(`${on}T00:00:00Z`);
  return { type, at: d, validUntil: new Date(d.getTime() + days * 86_400_000), status };
};
const facts = { qualification: 1, managersCertified: 0.5, recordsComplete: 1 }; // 30 + 15 + 20 = 65
const many = (n: number, type: string) => Array.from({ length: n }, () => rec(type));

describe("credit score", () => {
  it("adds base, good records and bad records, normalised per 100 cases", () => {
    const records = [...many(3, "overdue_resolution"), rec("honour"), rec("good_practice")];
    // 3 × 2 points × 100/300 cases = 2 bad; 10 + 3 = 13 good: 65 + 13 − 2 = 76 → A
    const busy = computeScore(rules, records, { cases: 300, households: 0 }, facts, at);
    expect(busy).toMatchObject({ base: 65, good: 13, bad: 2, score: 76, grade: "A", blacklisted: false });
    // The same records at a company with 50 cases are not scaled up: 3 × 2 = 6 → 72
    expect(computeScore(rules, records, { cases: 50, households: 0 }, facts, at)).toMatchObject({ bad: 6, score: 72 });
  });

  it("caps good records at 40 and grades the bands AAA ≥ 85, AA 80–85, A 70–80, B 60–70, C < 60", () => {
    const s = computeScore(rules, many(5, "honour"), { cases: 0, households: 0 }, facts, at);
    expect(s).toMatchObject({ good: 40, score: 105, grade: "AAA" });
    expect([85, 84.99, 80, 79.99, 70, 60, 59.99, 0].map((x) => gradeOf(rules, x))).toEqual(["AAA", "AA", "AA", "A", "A", "B", "C", "C"]);
  });

  it("counts a record only while it is valid and not withdrawn", () => {
    const old = rec("inspection_violation", "2025-06-20"); // valid until 2026-06-20
    expect(computeScore(rules, [old], { cases: 0, households: 0 }, facts, at).score).toBe(60);
    expect(computeScore(rules, [old], { cases: 0, households: 0 }, facts, new Date("2026-06-21T00:00:00Z")).score).toBe(65);
    expect(computeScore(rules, [rec("inspection_violation", "2026-03-01", 365, "withdrawn")], { cases: 0, households: 0 }, facts, at).score).toBe(65);
    expect(computeScore(rules, [rec("inspection_violation", "2026-03-01", 365, "appealed")], { cases: 0, households: 0 }, facts, at).score).toBe(60);
  });

  it("normalises per 1,000 households when a type says so", () => {
    const r = parseCreditRules({ ...rules, recordTypes: rules.recordTypes.map((t) => (t.type === "repeat_complaint" ? { ...t, normalise: "households", per: 1000 } : t)) });
    // 4 × 1 point × 1000/4000 households = 1
    expect(computeScore(r, many(4, "repeat_complaint"), { cases: 0, households: 4000 }, facts, at).bad).toBe(1);
  });

  it("gives a yellow card per unrectified problem, a red card at 3 yellows with 10 bad records, and blacklists on a red card", () => {
    const yellows = many(3, "campaign_not_rectified");
    expect(computeScore(rules, yellows, { cases: 0, households: 0 }, facts, at)).toMatchObject({ yellowCards: 3, redCards: 0, blacklisted: false });
    const red = computeScore(rules, [...yellows, ...many(7, "inspection_violation")], { cases: 0, households: 0 }, facts, at);
    // 3 × 5 + 7 × 5 = 50 bad: 65 − 50 = 15, below 40 too
    expect(red).toMatchObject({ yellowCards: 3, redCards: 1, blacklisted: true, score: 15, grade: "C" });
  });

  it("refuses rules that break the model, naming the field", () => {
    expect(() => parseCreditRules({ ...rules, base: { ...rules.base, max: 90 } })).toThrow(/base\.max/);
    expect(() => parseCreditRules({ ...rules, caps: { good: 50, bad: 100 } })).toThrow(/caps\.good/);
    expect(() => parseCreditRules({ ...rules, cards: { ...rules.cards, yellowTypes: ["nope"] } })).toThrow(/yellowTypes: "nope"/);
  });
});
