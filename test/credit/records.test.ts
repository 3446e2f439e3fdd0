// Records from outcomes, at once: an overdue case, a late resolution, a reopened case and a 不满意
// answer write their credit records in the transaction of the event itself — a failure injected
// after the record leaves neither the event nor the record. A manager's record follows them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CaseService, type CaseServiceDeps } from "../../core/cases/case-service.ts";
import { creditCampaignHook, creditEventsOf, hangCreditOn } from "../../core/credit/case-hooks.ts";
import { ManualClock } from "../../core/clock.ts";
import { loadClockSettings } from "../../core/clocks/clock-settings.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { Sweeps } from "../../core/clocks/sweeps.ts";
import { RevisitService } from "../../core/cases/revisit.ts";
import { loadCreditRules } from "../../core/credit/credit-rules.ts";
import { assignManager, saveManager } from "../../core/credit/managers.ts";
import { companyScores, managerScore, recordsOf } from "../../core/credit/credit-file.ts";
import { createRulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { textRenderer } from "../helpers/textRenderer.ts";

const rules = loadCreditRules("rules");
let db: TestDb;
let clock: ManualClock;
let cases: CaseService;
let failing: CaseService;
let residentId: number;
let estateId: number;

/** A case service with a failure right after the credit records are written (a hook after credit's). */
function failingAfterCredit(deps: CaseServiceDeps): CaseService {
  const svc = new CaseService(deps);
  hangCreditOn(svc, () => rules);
  svc.onTransition(async (_tx, t) => {
    if (creditEventsOf(t).length) throw new Error("injected failure after the credit record");
  });
  svc.onCaseEvents(async () => {
    throw new Error("injected failure after the credit record");
  });
  return svc;
}

const sweepsWith = (svc: CaseService) => {
  const settings = loadClockSettings("rules");
  return new Sweeps({ db: db.prisma, cases: svc, clock, settings: () => settings, renderer: textRenderer, timezone: "Asia/Shanghai", calendar: () => router.calendar() });
};
let router: Awaited<ReturnType<typeof createRulesRouter>>;

async function file() {
  const r = await cases.file({ sourceKey: `t:${Math.random()}`, kind: "repair", category: "water", description: "漏水", estateId, residentId, actor: { type: "resident", id: residentId } });
  return r.case;
}

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  estateId = (await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } })).id;
  residentId = (await db.prisma.resident.create({ data: { telegramUserId: 7001n, chatId: 7001n, name: "张三", status: "verified", estateId } })).id;
  clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
  router = await createRulesRouter({ db: db.prisma, rulesDir: "rules", clock });
  const deps: CaseServiceDeps = { db: db.prisma, router, clock };
  cases = new CaseService(deps);
  hangCreditOn(cases, () => rules);
  failing = failingAfterCredit(deps);
});
afterAll(async () => db.drop());
beforeEach(async () => {
  await db.prisma.creditRecord.deleteMany();
  await db.prisma.outboxMessage.deleteMany();
  await db.prisma.caseEvent.deleteMany();
  await db.prisma.case.deleteMany();
  clock.set("2026-11-24T10:00:00+08:00");
});

describe("credit records from case events", () => {
  it("writes the overdue record when the clocks find the case late, naming case, who, when, points and expiry", async () => {
    const c = await file(); // respond by 12:00
    clock.set("2026-11-24T12:05:00+08:00");
    expect((await sweepsWith(cases).escalate()).level1).toBe(1);
    const rows = await db.prisma.creditRecord.findMany();
    const huamei = await db.prisma.company.findUniqueOrThrow({ where: { code: "huamei" } });
    expect(rows.map((r) => ({ subject: r.subject, type: r.type, sourceKey: r.sourceKey, note: r.note, actor: r.actor, points: r.points, at: r.at.toISOString(), validUntil: r.validUntil.toISOString() }))).toEqual([
      { subject: `company:${huamei.id}`, type: "overdue_response", sourceKey: `case:${c.id}`, note: c.number, actor: "system", points: 1, at: "2026-11-24T04:05:00.000Z", validUntil: "2027-11-24T04:05:00.000Z" },
    ]);
    // Again: nothing new (one record per case and type).
    await cases.caseEvents(db.prisma, [{ kind: "overdue_response", caseId: c.id, at: clock.now(), actor: "system" }]);
    expect(await db.prisma.creditRecord.count()).toBe(1);
  });

  it("a failure after the record in the escalation's transaction leaves no record and no escalation", async () => {
    const c = await file();
    clock.set("2026-11-24T12:05:00+08:00");
    await expect(sweepsWith(failing).escalate()).rejects.toThrow(/injected failure/);
    expect(await db.prisma.creditRecord.count()).toBe(0);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).escalationLevel).toBe(0);
    // The next sweep (without the failure) writes both.
    await sweepsWith(cases).escalate();
    expect(await db.prisma.creditRecord.count()).toBe(1);
  });

  it("a late resolution writes its record in the transition; a failure after it leaves the case unresolved and no record", async () => {
    const c = await file();
    await cases.apply(c.id, "accept", { type: "liaison", id: 1 });
    clock.set("2026-12-01T10:00:00+08:00"); // past the resolution deadline
    await expect(failing.apply(c.id, "resolve", { type: "liaison", id: 1 })).rejects.toThrow(/injected/);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("accepted");
    expect(await db.prisma.creditRecord.count()).toBe(0);
    await cases.apply(c.id, "resolve", { type: "liaison", id: 1 });
    expect((await db.prisma.creditRecord.findMany()).map((r) => [r.type, r.actor])).toEqual([["overdue_resolution", "liaison:1"]]);
  });

  it("a reopened case is a repeat complaint, a 不满意 answer (≤ 2) a revisit record, a 3 none", async () => {
    const c = await file();
    await cases.apply(c.id, "resolve", { type: "liaison" });
    const revisit = new RevisitService({ db: db.prisma, cases, clock });
    await revisit.rate(c.id, residentId, 3);
    expect(await db.prisma.creditRecord.count()).toBe(0);
    await revisit.rate(c.id, residentId, 2);
    await revisit.answerFixed(c.id, residentId, false);
    expect((await db.prisma.creditRecord.findMany({ orderBy: { id: "asc" } })).map((r) => [r.type, r.actor])).toEqual([
      ["revisit_unsatisfied", `resident:${residentId}`],
      ["repeat_complaint", `resident:${residentId}`],
    ]);
  });

  it("writes the estate's project manager a record too, which stays theirs when they move company", async () => {
    const m = await saveManager(db.prisma, "test", { name: "王建国", certificateNo: "WY-2024-001", certificateExpiresOn: new Date("2028-01-01") });
    await assignManager(db.prisma, "test", { managerId: m.id, estateId, startsOn: new Date("2026-01-01") });
    const c = await file();
    clock.set("2026-11-24T12:05:00+08:00");
    await sweepsWith(cases).escalate();
    expect((await recordsOf(db.prisma, `manager:${m.id}`)).map((r) => [r.type, r.caseId])).toEqual([["overdue_response", c.id]]);
    const before = await managerScore(db.prisma, rules, m.id, clock.now());
    // Moves to another company's estate: the old assignment ends, the record stays theirs.
    const other = await db.prisma.estate.findFirstOrThrow({ where: { companyId: { not: (await db.prisma.estate.findUniqueOrThrow({ where: { id: estateId } })).companyId } } });
    await assignManager(db.prisma, "test", { managerId: m.id, estateId: other.id, startsOn: new Date("2026-11-25") });
    const assignments = await db.prisma.managerAssignment.findMany({ where: { managerId: m.id }, orderBy: { id: "asc" } });
    expect(assignments.map((a) => [a.estateId, a.endsOn?.toISOString() ?? null])).toEqual([[estateId, "2026-11-25T00:00:00.000Z"], [other.id, null]]);
    clock.set("2026-11-26T10:00:00+08:00");
    const after = await managerScore(db.prisma, rules, m.id, clock.now());
    expect(after!.byType).toEqual(before!.byType);
    expect(after!.bad).toBe(1);
    // The company's score counts it as well, normalised by its cases.
    const huamei = await db.prisma.company.findUniqueOrThrow({ where: { code: "huamei" } });
    expect((await companyScores(db.prisma, rules, clock.now(), [huamei.id])).get(huamei.id)!.bad).toBe(1);
  });

  it("a campaign problem not rectified in time, or a failed acceptance, is the company's record; a violation found, or a developer's problem, is none", async () => {
    const hook = creditCampaignHook(() => rules);
    const huamei = await db.prisma.company.findUniqueOrThrow({ where: { code: "huamei" } });
    const base = { campaignId: 1, estateId, category: "fire", at: clock.now() };
    await hook(db.prisma, { ...base, kind: "violation_found", problemId: 11, companyId: huamei.id });
    await hook(db.prisma, { ...base, kind: "not_rectified_in_time", problemId: 12, companyId: null });
    expect(await db.prisma.creditRecord.count()).toBe(0);
    await hook(db.prisma, { ...base, kind: "not_rectified_in_time", problemId: 12, companyId: huamei.id });
    await hook(db.prisma, { ...base, kind: "acceptance_failed", problemId: 13, companyId: huamei.id, round: 1 });
    await hook(db.prisma, { ...base, kind: "acceptance_failed", problemId: 13, companyId: huamei.id, round: 1 }); // once per problem
    // (The estate's project manager, assigned above, gets the same records: the subject below is the company.)
    expect((await db.prisma.creditRecord.findMany({ where: { subject: { startsWith: "company:" } }, orderBy: { id: "asc" } })).map((r) => [r.subject, r.type, r.sourceKey, r.points])).toEqual([
      [`company:${huamei.id}`, "campaign_not_rectified", "problem:12", 5],
      [`company:${huamei.id}`, "acceptance_failed", "problem:13", 3],
    ]);
  });
});
