// `npm run seed`'s demo history (scripts/seed/seed-history.ts): 90 days of cases through the real services
// give figures worth seeing — several estates with ≥ 5 rated cases, overdue cases escalated, cases
// reopened, credit deductions, the owner survey answered in every estate, early warnings — which the
// dashboard's figures, survey and warning pages show; a second seed adds nothing; no notice to the
// made-up residents is left in the outbox.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { seedHistory } from "../../scripts/seed/seed-history.ts";
import { assessment } from "../../core/assessment/assessment.ts";
import { estateBoard } from "../../core/assessment/board.ts";
import { classifyEstates } from "../../core/assessment/classification.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";

const RULES = path.resolve(import.meta.dirname, "../../rules");
const NOW = new Date("2026-11-30T12:00:00+08:00");
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
let f: OfficeFixture;
let db: OfficeFixture["db"];
beforeAll(async () => {
  f = await officeApp({}, { surveys: true });
  f.clock.set(NOW);
  db = f.db;
}, 180_000); // a migrated database and the app: slow when the machine is busy
afterAll(async () => db?.drop());

describe("demo history", () => {
  it("90 days through the services: rated cases in several estates, escalations, reopenings, deductions; twice adds nothing", async () => {
    const t0 = performance.now();
    const first = await seedHistory(db.prisma, { now: NOW, timezone: "Asia/Shanghai", rulesDir: RULES });
    console.log(`demo history: ${JSON.stringify(first)} in ${Math.round(performance.now() - t0)} ms`);
    expect(first!.cases).toBeGreaterThan(60);
    const rated = await db.prisma.case.groupBy({ by: ["estateId"], where: { satisfaction: { not: null } }, _count: true });
    expect(rated.filter((r) => r._count >= 5).length).toBeGreaterThanOrEqual(3);
    expect(first!.escalations).toBeGreaterThan(0);
    expect(await db.prisma.caseEvent.count({ where: { type: "reopen" } })).toBeGreaterThan(0);
    expect(await db.prisma.case.count({ where: { state: "closed" } })).toBeGreaterThan(40);
    // Cases filed over the whole period, not on one day.
    const first_ = await db.prisma.case.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
    expect(NOW.getTime() - first_.createdAt.getTime()).toBeGreaterThan(80 * 86_400_000);
    // The figures differ by company: 华美's satisfaction is above 绿苑's.
    const byCompany = await assessment(db.prisma, { by: "company", period: "none", from: new Date(NOW.getTime() - 91 * 86_400_000), to: NOW, now: NOW, timezone: "Asia/Shanghai" });
    const sat = (code: string) => byCompany.find((r) => r.code === code)?.satisfaction ?? null;
    expect(sat("huamei")).not.toBeNull();
    expect(sat("lvyuan")).not.toBeNull();
    expect(sat("huamei")!).toBeGreaterThan(sat("lvyuan")!);
    await classifyEstates(db.prisma, { settings: loadAssessmentSettings(RULES), now: NOW, timezone: "Asia/Shanghai" });
    const board = await estateBoard(db.prisma, { streetId: null });
    expect(board.filter((r) => r.smiling !== null).length).toBeGreaterThan(0);
    // The owner survey: answered in every estate, closed by now, its scores count in satisfaction.
    expect(first!.surveyAnswers).toBeGreaterThan(50);
    const answered = await db.prisma.surveyAnswer.groupBy({ by: ["estateId"], _count: true });
    expect(answered.filter((r) => r._count >= 5 * 5).length).toBeGreaterThanOrEqual(3);
    expect((await db.prisma.survey.findFirstOrThrow()).status).toBe("closed");
    expect(byCompany.every((r) => r.counts.surveyAnswers > 0)).toBe(true);
    // Early warnings: the past burst (春晖苑, 25 days ago) and the current one (锦绣家园).
    expect(first!.warnings).toBeGreaterThan(0);
    const flagged = await db.prisma.earlyWarning.findMany();
    expect(flagged.map((w) => w.estateId)).toEqual(expect.arrayContaining([f.ids.chunhui, f.ids.jinxiu]));
    expect(await db.prisma.outboxMessage.count()).toBe(0);
    const counts = { cases: await db.prisma.case.count(), events: await db.prisma.caseEvent.count() };
    expect(await seedHistory(db.prisma, { now: NOW, timezone: "Asia/Shanghai", rulesDir: RULES })).toBeNull();
    expect({ cases: await db.prisma.case.count(), events: await db.prisma.caseEvent.count() }).toEqual(counts);
  }, 300_000);

  it("the dashboard shows them: survey results per estate, satisfaction with survey answers, warnings", async () => {
    const a = request.agent(f.app);
    const form = await a.get("/login");
    await a.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    const survey = await db.prisma.survey.findFirstOrThrow();
    const sv = await a.get(`/dashboard/surveys/${survey.id}`);
    expect(sv.status).toBe(200);
    expect(sv.text).toContain("物业服务满意度调查");
    for (const name of ["和平小区", "幸福花园", "锦绣家园", "春晖苑"]) expect(sv.text).toContain(name);
    const figures = await a.get("/dashboard/figures");
    expect(figures.status).toBe(200);
    const estates = /<table id="fig-estate">[\s\S]*?<\/table>/.exec(figures.text)![0];
    expect(estates).toContain("和平小区");
    expect(estates).toMatch(/\d+\.\d% · \d+\/\d+/);
    const warnings = await a.get("/dashboard/warnings");
    expect(warnings.status).toBe(200);
    expect(warnings.text).toContain("锦绣家园");
    expect(warnings.text).toContain("春晖苑");
  }, 120_000);
});
