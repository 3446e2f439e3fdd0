import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { surveyJobs } from "../../jobs/surveys.ts";
import { Scheduler } from "../../jobs/scheduler.ts";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/logger.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { zhAssessmentRenderer } from "../../core/surveys/survey-notices.ts";
import { estateBoard } from "../../core/assessment/board.ts";
import { settingsWith, textSurveyRenderer } from "../surveys/fixtures.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

const TZ = "Asia/Shanghai";

describe("estate board rating at start", () => {
  let db: TestDb;
  const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
  const job = () => {
    const surveys = new SurveyService({ db: db.prisma, clock, renderer: textSurveyRenderer, settings: settingsWith(4), rulesDir: "rules", timezone: TZ });
    const settings = loadAssessmentSettings("rules");
    const jobs = surveyJobs({ db: db.prisma, clock, surveys, surveySettings: settingsWith(4), assessmentSettings: () => settings, renderer: zhAssessmentRenderer, timezone: TZ });
    return jobs.find((j) => j.name === "assessment-nightly")!;
  };
  beforeAll(async () => {
    db = await testDatabase();
    await seedDemo(db.prisma);
  });
  afterAll(async () => db.drop());

  it("rates every estate once per period when started without a rating, and not again on the next start", async () => {
    expect((await estateBoard(db.prisma, { streetId: null })).every((r) => r.class === null)).toBe(true);
    expect(await job().atStart!()).toEqual({ period: "2026H2", rated: 4 });
    const board = await estateBoard(db.prisma, { streetId: null });
    expect(board.map((r) => [r.class, r.period, r.smiling])).toEqual(Array(4).fill(["unrated", "2026H2", null])); // the demo start has too little data: 未评定, neutral
    expect(await job().atStart!()).toEqual({ skipped: "already rated for 2026H2" });
    expect(await db.prisma.estateClassification.count()).toBe(4);
    // A start in the next half-year rates again; the history keeps both.
    clock.set(new Date("2027-01-03T09:00:00+08:00"));
    expect(await job().atStart!()).toEqual({ period: "2027H1", rated: 4 });
    expect(await db.prisma.estateClassification.count()).toBe(8);
    expect((await estateBoard(db.prisma, { streetId: null })).every((r) => r.period === "2027H1")).toBe(true);
  });

  it("the scheduler runs atStart at start instead of the full job", async () => {
    const ran: string[] = [];
    const s = new Scheduler(
      [
        { name: "a", schedule: "0 3 * * *", run: async () => ran.push("a.run"), atStart: async () => ran.push("a.atStart") },
        { name: "b", schedule: "0 3 * * *", run: async () => ran.push("b.run"), runAtStart: true },
        { name: "c", schedule: "0 3 * * *", run: async () => ran.push("c.run") },
      ],
      { timezone: TZ, log: silentLogger },
    );
    s.start();
    await s.stop();
    expect(ran.sort()).toEqual(["a.atStart", "b.run"]);
  });
});
