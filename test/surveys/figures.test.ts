// Figures, credit deductions and classification on a small data set whose expected numbers are
// worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { assessment, periodWindow } from "../../core/assessment/assessment.ts";
import { recomputeDeductions, evaluate } from "../../core/assessment/credit.ts";
import { classifyEstate, classifyEstates, currentClassifications } from "../../core/assessment/classification.ts";
import { loadAssessmentSettings, type AssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import type { AssessmentRow } from "../../core/assessment/assessment.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { cases } from "./fixtures.ts";

const TZ = "Asia/Shanghai";
const now = new Date("2026-11-24T02:00:00Z");
const T = "2026-09-01T00:00:00Z";
const at = (h: number) => new Date(new Date(T).getTime() + h * 3_600_000).toISOString();

describe("assessment figures", () => {
  let db: TestDb;
  const settings = loadAssessmentSettings("rules");
  const h2 = periodWindow("2026H2", TZ);
  const q = (by: "company" | "estate" | "street", period: "none" | "month" = "none") => assessment(db.prisma, { by, period, from: h2.from, to: h2.to, now, timezone: TZ });
  const row = (rows: AssessmentRow[], code: string) => rows.find((r) => r.code === code)!;

  beforeAll(async () => {
    db = await testDatabase();
    await seedDemo(db.prisma);
    await cases(db.prisma, [
      // heping (华美物业, 480 households)
      { estate: "heping", created: T, respDue: at(1), accepted: at(0.5), resDue: at(24), resolved: at(12), sat: 5 }, // h1 all in time
      { estate: "heping", created: T, respDue: at(1), accepted: at(2), resDue: at(24), resolved: at(48), sat: 2 }, // h2 late twice, unsatisfied
      { estate: "heping", created: T, respDue: at(1), accepted: at(0.5), resDue: at(24), resolved: at(12), reopen: 1, sat: 4 }, // h3 reopened
      { estate: "heping", created: T, state: "accepted", respDue: at(1), accepted: at(0.5), resDue: "2026-11-20T00:00:00Z", esc: 2 }, // h4 overdue now, district
      { estate: "heping", created: "2026-06-30T17:00:00Z", state: "received" }, // h5: 1 July 01:00 local → 2026H2
      { estate: "heping", created: "2026-06-30T15:00:00Z", state: "received" }, // h6: 30 June 23:00 local → 2026H1, outside
      // xingfu (安居物业, 720 households)
      { estate: "xingfu", created: T, respDue: at(1), accepted: at(0.5), resDue: at(24), resolved: at(12), sat: 4 }, // x1
      { estate: "xingfu", created: T, respDue: at(1), accepted: at(0.5), resDue: at(24), resolved: at(12), sat: 3 }, // x2
      { estate: "xingfu", created: T, state: "routed", respDue: "2026-11-30T00:00:00Z", resDue: "2026-12-10T00:00:00Z" }, // x3 nothing due yet
    ]);
    const est = new Map((await db.prisma.estate.findMany()).map((e) => [e.code, e]));
    const ans = (code: string, score: number | null, choice: string | null = null) => {
      const e = est.get(code)!;
      return { surveyId, questionId: score === null ? "priority" : "overall", score, choice, estateId: e.id, streetId: e.streetId, companyId: e.companyId, createdAt: new Date("2026-10-01T00:00:00Z") };
    };
    const { id: surveyId } = await db.prisma.survey.create({ data: { code: "fig", title: {}, questions: [], status: "closed" } });
    await db.prisma.surveyAnswer.createMany({
      data: [ans("heping", 5), ans("heping", 4), ans("heping", 3), ans("heping", null, "parking"), ans("jinxiu", 4), ans("jinxiu", 5)],
    });
  });
  afterAll(async () => db.drop());

  it("per estate over 2026H2", async () => {
    const rows = await q("estate");
    const h = row(rows, "heping");
    expect(h.cases).toBe(5); // h1–h5 (h6 is in H1)
    expect(h.responseRate).toBeCloseTo(3 / 4); // due: h1 h2 h3 h4; in time: h1 h3 h4
    expect(h.resolutionRate).toBeCloseTo(1 / 4); // due: h1 h2 h3 (resolved) + h4 (past due); ok: h1 (h3 reopened)
    expect(h.timeliness).toBeCloseTo((3 + 1) / (4 + 4));
    expect(h.revisitSatisfaction).toBeCloseTo(2 / 3); // 5, 2, 4 → two ≥ 4
    expect(h.surveySatisfaction).toBeCloseTo(2 / 3); // 5, 4, 3 (the choice answer is no score)
    expect(h.satisfaction).toBeCloseTo((2 + 2) / (3 + 3));
    expect(h.repeatRate).toBeCloseTo(1 / 5);
    expect(h.missedDeadline).toBe(2); // h2 late, h4 open past its resolution deadline
    expect(h.overdueNow).toBe(1); // h4
    expect(h.districtEscalations).toBe(1);
    expect(h.casesPer1000).toBeCloseTo((5 * 1000) / 480);

    const x = row(rows, "xingfu");
    expect([x.cases, x.timeliness, x.satisfaction, x.repeatRate, x.missedDeadline]).toEqual([3, 1, 0.5, 0, 0]); // (2+2)/(2+2); 1 of 2 revisits ≥ 4
    const j = row(rows, "jinxiu"); // no cases, survey answers only
    expect([j.cases, j.timeliness, j.satisfaction, j.casesPer1000]).toEqual([0, null, 1, 0]);
    expect(rows.find((r) => r.code === "chunhui")).toBeUndefined();
  });

  it("per company and street, and per month", async () => {
    const co = await q("company");
    const anju = row(co, "anju"); // xingfu + jinxiu
    expect(anju.cases).toBe(3);
    expect(anju.satisfaction).toBeCloseTo((1 + 2) / (2 + 2));
    expect(anju.casesPer1000).toBeCloseTo((3 * 1000) / (720 + 350));
    expect(row(co, "huamei").timeliness).toBeCloseTo(4 / 8);

    const st = await q("street");
    const dc = row(st, "dongcheng"); // heping + xingfu
    expect(dc.cases).toBe(8);
    expect(dc.timeliness).toBeCloseTo((5 + 3) / (6 + 6)); // response 3+2 of 4+2, resolution 1+2 of 4+2
    expect(dc.satisfaction).toBeCloseTo((2 + 1 + 2) / (3 + 2 + 3));
    expect(dc.casesPer1000).toBeCloseTo((8 * 1000) / (480 + 720));
    expect(row(st, "xiyuan").satisfaction).toBe(1);

    const months = (await q("estate", "month")).filter((r) => r.code === "heping").map((r) => [r.period, r.cases, r.counts.surveyAnswers]);
    expect(months).toEqual([
      ["2026-07", 1, 0],
      ["2026-09", 4, 0],
      ["2026-10", 0, 3],
    ]);
  });

  it("deducts once per case and reason, and evaluates the year", async () => {
    const since = new Date("2026-01-01T00:00:00Z");
    const first = await recomputeDeductions(db.prisma, { settings, now, since });
    expect(first).toEqual({ overdue: 2, unsatisfied_revisit: 1, district_escalation: 1 }); // h2 h4 · h2 (2 ≤ 2) · h4
    const doubled: AssessmentSettings = { ...settings, deductions: { ...settings.deductions, overdue: 10 } };
    expect(await recomputeDeductions(db.prisma, { settings: doubled, now, since })).toEqual({ overdue: 0, unsatisfied_revisit: 0, district_escalation: 0 });
    expect(await db.prisma.creditDeduction.count()).toBe(4);
    const ev = await evaluate(db.prisma, { settings, year: 2026, timezone: TZ });
    const huamei = ev.find((e) => e.code === "huamei")!;
    expect(huamei.deducted).toBeCloseTo(1 + 1 + 0.5 + 2); // two overdue, one unsatisfied, one district escalation
    expect([huamei.score, huamei.grade]).toEqual([95.5, "excellent"]);
    expect(ev.find((e) => e.code === "anju")!.score).toBe(100);
    expect(ev.find((e) => e.code === "huamei")!.byReason.overdue).toEqual({ count: 2, points: 2 });
  });

  it("classifies at the thresholds and keeps history", async () => {
    const c = settings.classification; // compliant 0.90/0.90, model 0.95/0.95, repeat ≤ 0.05, minSample 5
    const f = (sat: number, tim: number, extra: Partial<AssessmentRow> = {}): AssessmentRow =>
      ({
        satisfaction: sat,
        timeliness: tim,
        repeatRate: 0,
        districtEscalations: 0,
        counts: { revisitAnswers: 10, surveyAnswers: 10, responseDue: 10, resolutionDue: 10 },
        ...extra,
      }) as AssessmentRow;
    expect(classifyEstate(f(0.899, 0.95), c).klass).toBe("rectify"); // just below 达标
    expect(classifyEstate(f(0.95, 0.899), c).klass).toBe("rectify");
    expect(classifyEstate(f(0.9, 0.9), c).klass).toBe("compliant"); // at 达标
    expect(classifyEstate(f(0.949, 0.99), c).klass).toBe("compliant"); // just below 示范
    expect(classifyEstate(f(0.95, 0.95), c).klass).toBe("model"); // at 示范
    expect(classifyEstate(f(1, 1, { repeatRate: 0.06 }), c).klass).toBe("compliant");
    expect(classifyEstate(f(1, 1, { districtEscalations: 1 }), c).klass).toBe("compliant");
    expect(classifyEstate(f(0.5, 0.5, { counts: { revisitAnswers: 2, surveyAnswers: 2, responseDue: 2, resolutionDue: 2 } as AssessmentRow["counts"] }), c).klass).toBe("unrated"); // 4 < minSample: no data → 未评定, never 达标
    const fewAnswers = { revisitAnswers: 2, surveyAnswers: 0, responseDue: 10, resolutionDue: 10 } as AssessmentRow["counts"];
    expect(classifyEstate(f(1, 1, { counts: fewAnswers }), c).klass).toBe("unrated"); // timely, but satisfaction unmeasured
    expect(classifyEstate(f(1, 0.5, { counts: fewAnswers }), c).klass).toBe("rectify"); // measured timeliness below 达标

    await classifyEstates(db.prisma, { settings, now, timezone: TZ });
    await classifyEstates(db.prisma, { settings, now: new Date(now.getTime() + 86_400_000), timezone: TZ });
    expect(await db.prisma.estateClassification.count()).toBe(8); // 4 estates × 2 runs
    const board = await currentClassifications(db.prisma);
    // heping: satisfaction 4/6 over 6 answers, timeliness 4/8 over 8 due → 整改; the others lack data.
    expect(board.map((b) => [b.code, b.klass, b.period])).toEqual([
      ["heping", "rectify", "2026H2"],
      ["xingfu", "unrated", "2026H2"],
      ["jinxiu", "unrated", "2026H2"],
      ["chunhui", "unrated", "2026H2"],
    ]);
    expect(board[0]!.smiling).toBe(false);
    expect(board[1]!.smiling).toBe(null); // neutral face
  });
});
