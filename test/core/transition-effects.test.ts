// What each transition sets (core/cases/lifecycle.ts), seen on the stored case: the first acceptance
// is never overwritten (an office's Accept after a liaison's), a reassignment gives the new liaison
// fresh deadlines from the reassignment and keeps the first response deadline and company for the
// figures, and how a case stands against its deadlines in words (core/clocks/deadline-state.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CaseService } from "../../core/cases/case-service.ts";
import { applyOfficeAction } from "../../core/cases/office-actions.ts";
import { effectsOf, EVENT_TYPES, LIAISON_OPEN_STATES, OPEN_STATES, RESPONSE_OWED_STATES } from "../../core/cases/lifecycle.ts";
import { responseState, resolutionState } from "../../core/clocks/deadline-state.ts";
import { ManualClock } from "../../core/clock.ts";
import { assessment } from "../../core/assessment/assessment.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

const HOUR = 3_600_000;
let db: TestDb;
let clock: ManualClock;
let router: RulesRouter;
let cases: CaseService;
let estateId: number;
const office = { type: "office" as const, id: "user:admin" };

async function file() {
  const r = await cases.file({ sourceKey: `t:${Math.random()}`, kind: "repair", category: "water", description: "漏水", estateId, actor: { type: "resident" } });
  return r.case;
}
const stored = (id: number) => db.prisma.case.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  estateId = (await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } })).id;
  clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00")); // a Tuesday, a working day
  router = await createRulesRouter({ db: db.prisma, rulesDir: "rules", clock });
  cases = new CaseService({ db: db.prisma, router, clock });
});
afterAll(async () => db.drop());
beforeEach(() => clock.set("2026-11-24T10:00:00+08:00"));

describe("the first acceptance is never overwritten", () => {
  it("an office Accept after a liaison Accept keeps the liaison's acceptance time", async () => {
    const c = await file();
    const liaison = await db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } });
    clock.set("2026-11-24T10:30:00+08:00");
    await cases.apply(c.id, "accept", { type: "liaison", id: liaison.id }, { liaison });
    const first = (await stored(c.id)).acceptedAt;
    expect(first).toEqual(new Date("2026-11-24T10:30:00+08:00"));
    // Not fixed at the revisit: reopened, waiting for an acceptance again; the office accepts it.
    await cases.apply(c.id, "resolve", { type: "liaison", id: liaison.id });
    await cases.apply(c.id, "reopen", { type: "resident" });
    clock.set("2026-11-26T09:00:00+08:00");
    const after = await applyOfficeAction({ db: db.prisma, cases, clock }, c.id, "accept", office, {});
    expect(after.state).toBe("accepted");
    expect(after.acceptedAt).toEqual(first);
    expect(after.respondedAt).toEqual(new Date("2026-11-26T09:00:00+08:00"));
  });

  it("a transfer back to the office's queue keeps it too, and lets the company go", async () => {
    const c = await file();
    await cases.apply(c.id, "accept", { type: "liaison" });
    const accepted = (await stored(c.id)).acceptedAt;
    const moved = await cases.apply(c.id, "transfer", { type: "liaison" }, { note: "非我单位", company: null });
    expect(moved).toMatchObject({ state: "unroutable", liaisonId: null, companyId: null, acceptedAt: accepted, respondedAt: null });
  });
});

describe("a reassignment gives the new liaison fresh deadlines", () => {
  it("counts both deadlines from the reassignment, resets the escalation and keeps the first response deadline and company", async () => {
    const c = await file(); // water repair, normal: respond in 2 h (12:00)
    expect(c.responseDueAt).toEqual(new Date("2026-11-24T12:00:00+08:00"));
    await db.prisma.case.update({ where: { id: c.id }, data: { escalationLevel: 1, escalatedAt: new Date("2026-11-24T12:01:00+08:00") } });
    clock.set("2026-11-25T15:00:00+08:00"); // the next day, 27 h after the response deadline passed
    const expected = await router.route({ kind: "repair", category: "water", estate: "heping", street: "dongcheng", urgencyHint: false, filedAt: clock.now() });
    const moved = await applyOfficeAction({ db: db.prisma, cases, clock }, c.id, "assign", office, { liaison: "anju-wang" });
    const anju = await db.prisma.liaison.findUniqueOrThrow({ where: { code: "anju-wang" } });
    expect(moved).toMatchObject({
      state: "routed",
      liaisonId: anju.id,
      companyId: anju.companyId,
      responseDueAt: new Date("2026-11-25T17:00:00+08:00"),
      resolutionDueAt: expected.resolutionDueAt,
      escalationLevel: 0,
      escalatedAt: null,
      firstResponseDueAt: new Date("2026-11-24T12:00:00+08:00"),
      firstCompanyId: c.companyId,
    });
    expect(moved.resolutionDueAt!.getTime()).toBeGreaterThan(c.resolutionDueAt!.getTime());
    // The new liaison's response is open, not already missed.
    expect(responseState(moved, clock.now())).toEqual({ state: "open", leftMs: 2 * HOUR });
    // A second reassignment keeps the first deadline and company, not the second's.
    clock.set("2026-11-25T16:00:00+08:00");
    const again = await applyOfficeAction({ db: db.prisma, cases, clock }, c.id, "assign", office, { liaison: "huamei-li" });
    expect(again).toMatchObject({ firstResponseDueAt: new Date("2026-11-24T12:00:00+08:00"), firstCompanyId: c.companyId, responseDueAt: new Date("2026-11-25T18:00:00+08:00") });
  });

  it("the figures count the missed first response against the first company, not the new one", async () => {
    clock.set("2026-11-10T10:00:00+08:00"); // a day of its own (a Tuesday): only this case in the figures' window
    const c = await file(); // huamei's, respond by 12:00
    clock.set("2026-11-10T15:00:00+08:00"); // missed by huamei
    await applyOfficeAction({ db: db.prisma, cases, clock }, c.id, "assign", office, { liaison: "anju-wang" });
    clock.set("2026-11-10T15:30:00+08:00");
    await cases.apply(c.id, "accept", { type: "liaison" }); // anju in time for its own deadline (17:00)
    const rows = await assessment(db.prisma, { by: "company", period: "none", from: new Date("2026-11-10T00:00:00+08:00"), to: new Date("2026-11-11T00:00:00+08:00"), now: clock.now(), timezone: "Asia/Shanghai" });
    const anju = await db.prisma.liaison.findUniqueOrThrow({ where: { code: "anju-wang" } });
    const of = (companyId: number | null) => rows.find((r) => r.id === companyId)?.counts;
    expect(of(c.companyId)).toMatchObject({ responseDue: 1, responseOk: 0 });
    expect(of(anju.companyId)?.responseDue ?? 0).toBe(0);
    expect(rows.find((r) => r.id === anju.companyId)?.cases).toBe(1); // the case itself is the new company's now
  });

  it("refuses an assignment without a liaison, and changes nothing", async () => {
    const c = await file();
    await expect(cases.apply(c.id, "assign", office, {})).rejects.toThrow(/needs a liaison/);
    expect(await stored(c.id)).toMatchObject({ state: "routed", liaisonId: c.liaisonId, responseDueAt: c.responseDueAt });
  });
});

describe("deadline states", () => {
  const due = new Date("2026-12-05T11:56:00+08:00");
  const base = { responseDueAt: due, resolutionDueAt: due, acceptedAt: null, respondedAt: null, resolvedAt: null, closedAt: null };
  const at = (s: string) => new Date(s);

  it("met: accepted before the deadline", () => {
    const c = { ...base, state: "accepted" as const, acceptedAt: at("2026-12-05T10:00:00+08:00"), respondedAt: at("2026-12-05T10:00:00+08:00") };
    expect(responseState(c, at("2026-12-08T00:00:00+08:00"))).toEqual({ state: "met", at: c.respondedAt });
  });

  it("met late, by how much: accepted 29 h 30 min after it (the case the tick hid)", () => {
    const c = { ...base, state: "accepted" as const, acceptedAt: at("2026-12-06T17:26:00+08:00"), respondedAt: at("2026-12-06T17:26:00+08:00") };
    expect(responseState(c, at("2026-12-08T00:00:00+08:00"))).toEqual({ state: "met_late", at: c.respondedAt, lateMs: 29.5 * HOUR });
  });

  it("missed: still waiting past it; open: still waiting before it", () => {
    const c = { ...base, state: "routed" as const };
    expect(responseState(c, at("2026-12-05T13:56:00+08:00"))).toEqual({ state: "missed", lateMs: 2 * HOUR });
    expect(responseState(c, at("2026-12-05T10:56:00+08:00"))).toEqual({ state: "open", leftMs: HOUR });
  });

  it("a reopened case owes a new response even though it was accepted once", () => {
    const c = { ...base, state: "reopened" as const, acceptedAt: at("2026-12-01T10:00:00+08:00"), respondedAt: null };
    expect(responseState(c, at("2026-12-05T12:56:00+08:00"))).toEqual({ state: "missed", lateMs: HOUR });
  });

  it("resolution: met late when resolved after it; missed when closed by the office past it unresolved; none without a deadline", () => {
    const late = { ...base, state: "closed" as const, resolvedAt: at("2026-12-05T12:56:00+08:00"), closedAt: at("2026-12-07T00:00:00+08:00") };
    expect(resolutionState(late, at("2026-12-08T00:00:00+08:00"))).toEqual({ state: "met_late", at: late.resolvedAt, lateMs: HOUR });
    const closed = { ...base, state: "closed" as const, closedAt: at("2026-12-05T13:56:00+08:00") };
    expect(resolutionState(closed, at("2026-12-08T00:00:00+08:00"))).toEqual({ state: "missed", lateMs: 2 * HOUR });
    const closedEarly = { ...closed, closedAt: at("2026-12-05T09:00:00+08:00") };
    expect(resolutionState(closedEarly, at("2026-12-08T00:00:00+08:00"))).toEqual({ state: "none" });
    expect(responseState({ ...base, state: "awaiting_approval", responseDueAt: null }, at("2026-12-08T00:00:00+08:00"))).toEqual({ state: "none" });
  });
});

describe("the state machine's declarations", () => {
  it("derives the state lists from what each state owes", () => {
    expect([...RESPONSE_OWED_STATES].sort()).toEqual(["received", "reopened", "routed", "unroutable"]);
    expect([...OPEN_STATES].sort()).toEqual(["accepted", "received", "reopened", "routed", "unroutable"]);
    expect([...LIAISON_OPEN_STATES]).toEqual(["routed", "accepted", "reopened"]);
    expect(EVENT_TYPES).toEqual(expect.arrayContaining(["accept", "assign", "filed", "escalate", "photo", "message", "note"]));
  });

  it("declares what officeClose and reject set, from intent only", () => {
    const c = { acceptedAt: null, respondedAt: null, reopenCount: 0, responseDueAt: null, companyId: 1, firstResponseDueAt: null, firstCompanyId: null };
    const now = new Date("2026-12-01T00:00:00Z");
    expect(effectsOf("officeClose", { c, now, input: { note: "重复投诉" } })).toEqual({ closedAt: now, closeReason: "重复投诉" });
    expect(effectsOf("reject", { c, now, input: { note: "不是本小区住户" } })).toEqual({ closedAt: now, closeReason: "rejected" });
    expect(effectsOf("accept", { c: { ...c, acceptedAt: new Date(0) }, now, input: {} })).toEqual({ acceptedAt: new Date(0), respondedAt: now });
  });
});
