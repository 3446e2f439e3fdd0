import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { checkEarlyWarnings } from "../../core/assessment/early-warning.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { zhAssessmentRenderer } from "../../core/surveys/survey-notices.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { cases, type CaseSpec } from "./fixtures.ts";

const TZ = "Asia/Shanghai";
const now = new Date("2026-11-24T02:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const many = (estate: string, n: number, day: (i: number) => number, kind: CaseSpec["kind"] = "complaint"): CaseSpec[] =>
  Array.from({ length: n }, (_, i) => ({ estate, created: daysAgo(day(i)), kind, state: "received" }));

describe("early warning", () => {
  let db: TestDb;
  const settings = loadAssessmentSettings("rules"); // factor 2, minCount 5, kinds complaint + repair
  const run = (at = now) => checkEarlyWarnings(db.prisma, { settings, now: at, timezone: TZ, renderer: zhAssessmentRenderer });

  beforeAll(async () => {
    db = await testDatabase();
    await seedDemo(db.prisma);
    await db.prisma.office.updateMany({ where: { level: "street" }, data: { chatId: -100777n } });
    await cases(db.prisma, [
      // chunhui: 8 in the 8 weeks before (baseline 8 / 8 = 1 a week), 4 in the last 7 days: 4 > 2 but < minCount 5
      ...many("chunhui", 8, (i) => 10 + 7 * i),
      ...many("chunhui", 4, (i) => 1 + i),
      // jinxiu: baseline 24 / 8 = 3, recent 6 = exactly twice: not above; 3 suggestions do not count
      ...many("jinxiu", 24, (i) => 8 + 2 * i),
      ...many("jinxiu", 6, (i) => 1 + (i % 6)),
      ...many("jinxiu", 3, () => 2, "suggestion"),
      // heping: older than 9 weeks does not count in the baseline; recent 5 repairs vs baseline 0
      ...many("heping", 20, () => 70),
      ...many("heping", 5, (i) => i + 0.5, "repair"),
    ]);
  });
  afterAll(async () => db.drop());

  it("flags only a real spike, tells the street office once per day", async () => {
    const r = await run();
    expect(r.flagged.map((f) => [f.estate, f.recent, f.baseline])).toEqual([["和平小区", 5, 0]]);
    const msgs = await db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "warn:" } } });
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.chatId).toBe(-100777n);
    expect((msgs[0]!.payload as { text: string }).text).toContain("和平小区（东城街道）");
    expect((await run()).flagged).toEqual([]); // same day: flagged already
    expect(await db.prisma.earlyWarning.count()).toBe(1);
  });

  it("switches on when the minimum count is reached", async () => {
    await cases(db.prisma, many("chunhui", 1, () => 0.5)); // chunhui now 5 recent > 2 × 1
    const r = await run(new Date(now.getTime() + 60_000));
    expect(r.flagged.map((f) => [f.estate, f.recent, f.baseline])).toEqual([["春晖苑", 5, 1]]);
    // Next day heping's cases still spike: flagged again for the new day.
    const next = await run(new Date(now.getTime() + 86_400_000));
    expect(next.flagged.map((f) => f.estate)).toContain("和平小区");
    expect(await db.prisma.earlyWarning.count()).toBe(1 + 1 + next.flagged.length);
  });
});
