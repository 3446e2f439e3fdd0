// `npm run seed`'s demo history (scripts/seed-history.ts): 90 days of cases through the real services
// give figures worth seeing — several estates with ≥ 5 rated cases, overdue cases escalated, cases
// reopened, credit deductions — and a second seed adds nothing; no notice to the made-up residents
// is left in the outbox.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { seedHistory } from "../../scripts/seed-history.ts";
import { assessment } from "../../core/assessment/assessment.ts";
import { estateBoard } from "../../core/assessment/board.ts";
import { classifyEstates } from "../../core/assessment/classification.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";

const RULES = path.resolve(import.meta.dirname, "../../rules");
const NOW = new Date("2026-11-30T12:00:00+08:00");
let db: TestDb;
beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
});
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
    expect(await db.prisma.outboxMessage.count()).toBe(0);
    const counts = { cases: await db.prisma.case.count(), events: await db.prisma.caseEvent.count() };
    expect(await seedHistory(db.prisma, { now: NOW, timezone: "Asia/Shanghai", rulesDir: RULES })).toBeNull();
    expect({ cases: await db.prisma.case.count(), events: await db.prisma.caseEvent.count() }).toEqual(counts);
  }, 300_000);
});
