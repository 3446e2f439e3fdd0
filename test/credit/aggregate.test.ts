// The database does the sums: a company's score from SQL aggregates (valid records per type, estates,
// households, certified managers, cases in the year) against a hand-computed fixture, and against the
// same rows scored in memory by computeScore — one set of rules, two ways of counting, one answer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCreditRules } from "../../core/credit/credit-rules.ts";
import { companyScores } from "../../core/credit/credit-file.ts";
import { companyFile } from "../../core/credit/files.ts";
import { computeScore } from "../../core/credit/score.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

const rules = loadCreditRules("rules");
const at = new Date("2026-06-15T00:00:00Z");
const day = (s: string) => new Date(`${s}T00:00:00Z`);
let db: TestDb;
let companyId: number;

beforeAll(async () => {
  db = await testDatabase();
  const p = db.prisma;
  const street = await p.street.create({ data: { code: "agg", name: "聚合街道" } });
  const c = await p.company.create({ data: { code: "agg", name: "聚合物业", inviteCode: "AGGINV", grade: "二级" } });
  companyId = c.id;
  const e1 = await p.estate.create({ data: { code: "agg1", name: "甲小区", streetId: street.id, companyId, inviteCode: "AGG1", households: 600, address: "甲路 1 号" } });
  const e2 = await p.estate.create({ data: { code: "agg2", name: "乙小区", streetId: street.id, companyId, inviteCode: "AGG2", households: 400 } });
  await p.estate.create({ data: { code: "agg3", name: "丙小区", streetId: street.id, companyId, inviteCode: "AGG3", households: 9999, address: "丙路", active: false } });
  const m1 = await p.projectManager.create({ data: { name: "李经理", certificateNo: "AGG-1", certificateExpiresOn: day("2030-01-01") } });
  const m2 = await p.projectManager.create({ data: { name: "王经理", certificateNo: "AGG-2", certificateExpiresOn: day("2025-12-31") } });
  const m3 = await p.projectManager.create({ data: { name: "赵经理" } });
  await p.managerAssignment.createMany({
    data: [
      { managerId: m1.id, estateId: e1.id, companyId, startsOn: day("2024-01-01") },
      { managerId: m3.id, estateId: e1.id, companyId, startsOn: day("2026-09-01") }, // not yet
      { managerId: m1.id, estateId: e2.id, companyId, startsOn: day("2024-01-01"), endsOn: day("2026-01-01") }, // ended
      { managerId: m2.id, estateId: e2.id, companyId, startsOn: day("2026-01-01") }, // certificate expired
    ],
  });
  // 150 cases in the year before `at`, 20 older ones that do not count.
  await db.sql.exec(`
    INSERT INTO "Case" (number, kind, category, description, "streetId", "estateId", "companyId", state, "createdAt", "updatedAt")
    SELECT 'AGG-' || g, 'repair', 'water', 'x', ${street.id}, ${e1.id}, ${companyId}, 'closed',
           CASE WHEN g <= 150 THEN timestamp '2026-06-01' - g * interval '1 day' ELSE timestamp '2025-01-01' END, now()
    FROM generate_series(1, 170) g`);
  const rec = (type: string, polarity: string, on: string, status = "active", key = `${type}:${on}:${status}:${Math.random()}`) => ({
    subject: `company:${companyId}`, companyId, type, polarity, points: 1, sourceType: "office", sourceKey: key, actor: "test", at: day(on), validUntil: new Date(day(on).getTime() + 365 * 86_400_000), status,
  });
  await p.creditRecord.createMany({
    data: [
      rec("overdue_resolution", "bad", "2026-03-01"),
      rec("overdue_resolution", "bad", "2026-03-02"),
      rec("overdue_resolution", "bad", "2026-03-03"),
      rec("overdue_resolution", "bad", "2026-03-04", "withdrawn"),
      rec("inspection_violation", "bad", "2026-03-01", "appealed"),
      rec("inspection_violation", "bad", "2025-06-01"), // valid until 2026-06-01: expired at `at`
      rec("inspection_violation", "bad", "2026-07-01"), // after `at`
      rec("honour", "good", "2026-03-01"),
    ],
  });
});
afterAll(async () => db.drop());

describe("credit sums in SQL", () => {
  it("scores a company from aggregates as hand-computed", async () => {
    const s = (await companyScores(db.prisma, rules, at)).get(companyId)!;
    // Active estates 甲 and 乙 (丙 is inactive): 1,000 households; 甲's manager certified, 乙's expired;
    // 乙 has no address. Base 30 + 30 × ½ + 20 × ½ = 55.
    expect(s.workload).toEqual({ cases: 150, households: 1000 });
    expect(s.facts).toEqual({ qualification: 1, managersCertified: 0.5, recordsComplete: 0.5 });
    // Bad: 3 overdue resolutions × 2 × 100/150 = 4, the appealed inspection 5 (the withdrawn, expired
    // and future ones do not count); good: honour 10. 55 + 10 − 9 = 56 → C.
    expect(s).toMatchObject({ base: 55, good: 10, bad: 9, score: 56, grade: "C", blacklisted: false });
    expect(s.byType).toEqual({ overdue_resolution: { count: 3, points: 4 }, inspection_violation: { count: 1, points: 5 }, honour: { count: 1, points: 10 } });
    // The same rows scored in memory give the same score.
    const rows = await db.prisma.creditRecord.findMany({ where: { subject: `company:${companyId}` } });
    const { subject: _s, workload: _w, facts: _f, ...fromSql } = s;
    expect(computeScore(rules, rows, s.workload, s.facts, at)).toEqual(fromSql);
  });

  it("gives one company's page the same score and a chart counted per month", async () => {
    const f = await companyFile(db.prisma, rules, companyId, at);
    expect(f.score.score).toBe(56);
    expect(f.series).toHaveLength(13);
    expect(f.series[12]!.score).toBe(56);
    // Four months before: only the 2025-06-01 inspection counts (55 − 5).
    expect(f.series[8]!.score).toBe(50);
    expect(f.records.map((r) => r.counts).filter(Boolean)).toHaveLength(5);
  });
});
