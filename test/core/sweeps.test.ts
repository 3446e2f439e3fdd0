// The clocks with time travel: an injected clock, no real waiting.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CaseService } from "../../core/cases/case-service.ts";
import { ManualClock } from "../../core/clock.ts";
import { loadClockSettings } from "../../core/clocks/clock-settings.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { Sweeps } from "../../core/clocks/sweeps.ts";
import { RevisitService } from "../../core/cases/revisit.ts";
import { digestFor, sendDigests } from "../../core/clocks/digest.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { textRenderer } from "../helpers/textRenderer.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
let db: TestDb;
let clock: ManualClock;
let router: RulesRouter;
let cases: CaseService;
let sweeps: Sweeps;
let revisit: RevisitService;
let residentId: number;
const LIAISON_CHAT = 9001n;
const STREET_CHAT = -100111n;
const DISTRICT_CHAT = -100999n;
const RESIDENT_CHAT = 7001n;

const outbox = async () => (await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((m) => ({ chat: m.chatId, text: String((m.payload as { text?: string }).text) }));
const events = async (caseId: number, type: string) => db.prisma.caseEvent.count({ where: { caseId, type } });

async function file(category = "water", kind: "repair" | "complaint" = "repair") {
  const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
  const r = await cases.file({ sourceKey: `t:${Math.random()}`, kind, category, description: "漏水", estateId: estate.id, residentId, actor: { type: "resident", id: residentId } });
  return r.case;
}

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  await db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: LIAISON_CHAT } });
  const dongcheng = await db.prisma.street.findUniqueOrThrow({ where: { code: "dongcheng" } });
  await db.prisma.office.update({ where: { streetId: dongcheng.id }, data: { chatId: STREET_CHAT } });
  await db.prisma.office.updateMany({ where: { level: "district" }, data: { chatId: DISTRICT_CHAT } });
  const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
  residentId = (await db.prisma.resident.create({ data: { telegramUserId: RESIDENT_CHAT, chatId: RESIDENT_CHAT, name: "张三", status: "verified", estateId: estate.id } })).id;
  // Tuesday 10:00 in Shanghai, an ordinary working day.
  clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
  router = await createRulesRouter({ db: db.prisma, rulesDir: "rules", clock });
  cases = new CaseService({ db: db.prisma, router, clock });
  const settings = loadClockSettings("rules");
  const mk = () => new Sweeps({ db: db.prisma, cases, clock, settings: () => settings, renderer: textRenderer, timezone: "Asia/Shanghai", calendar: () => router.calendar() });
  sweeps = mk();
  revisit = new RevisitService({ db: db.prisma, cases, clock });
});
afterAll(async () => db.drop());
beforeEach(async () => {
  await db.prisma.outboxMessage.deleteMany();
  await db.prisma.caseEvent.deleteMany();
  await db.prisma.attachment.deleteMany();
  await db.prisma.case.deleteMany();
  clock.set("2026-11-24T10:00:00+08:00");
});

describe("reminders", () => {
  it("reminds the liaison once before the response deadline, and again before the resolution deadline", async () => {
    const c = await file(); // repair/water, normal: respond in 2 h (12:00), resolve in 2 working days (Thu 18:00)
    expect(c.responseDueAt).toEqual(new Date("2026-11-24T12:00:00+08:00"));
    await sweeps.reminders();
    expect(await outbox()).toEqual([]); // 2 h left, lead is 30 min
    clock.set("2026-11-24T11:40:00+08:00");
    expect(await sweeps.reminders()).toBe(1);
    expect(await sweeps.reminders()).toBe(0); // once
    expect(await outbox()).toEqual([{ chat: LIAISON_CHAT, text: `remind response ${c.number} in 20m` }]);
    await cases.apply(c.id, "accept", { type: "liaison" });
    clock.set("2026-11-26T14:30:00+08:00"); // 3.5 h before Thursday 18:00
    expect(await sweeps.reminders()).toBe(1);
    expect((await outbox()).at(-1)).toEqual({ chat: LIAISON_CHAT, text: `remind resolution ${c.number} in 210m` });
    expect(await events(c.id, "reminder")).toBe(2);
  });
});

describe("escalation", () => {
  it("escalates an overdue case to the street office once, then to the district after the grace period", async () => {
    const c = await file();
    clock.set("2026-11-24T12:01:00+08:00"); // response deadline passed, not accepted
    expect(await sweeps.escalate()).toEqual({ level1: 1, level2: 0 });
    expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 0 });
    expect(await outbox()).toEqual([
      { chat: STREET_CHAT, text: `L1 东城街道办事处: ${c.number}/response+1m` },
      { chat: LIAISON_CHAT, text: `L1 yours: ${c.number}` },
    ]);
    const after1 = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(after1).toMatchObject({ escalationLevel: 1, state: "routed" });
    // Grace for a normal case is one working day: Wednesday 18:00.
    clock.set("2026-11-25T17:59:00+08:00");
    expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 0 });
    clock.set("2026-11-25T18:00:00+08:00");
    expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 1 });
    expect((await outbox()).slice(2)).toEqual([
      { chat: DISTRICT_CHAT, text: `L2 区物业办: ${c.number}/response+1800m` },
      { chat: LIAISON_CHAT, text: `L2 yours: ${c.number}` },
    ]);
    expect(await events(c.id, "escalate")).toBe(2);
    expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 0 });
  });

  it("counts the district grace from the real escalation time, also on a machine set to another time zone", async () => {
    // The embedded database once handed raw timestamps to Prisma without a zone: read as local time,
    // the escalation looked 8 h older in Asia/Shanghai and went to the district 8 h early.
    const tz = process.env.TZ;
    process.env.TZ = "Asia/Shanghai";
    try {
      const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
      const { case: c } = await cases.file({ sourceKey: `t:${Math.random()}`, kind: "repair", category: "water", description: "水管爆裂", urgencyHint: true, estateId: estate.id, residentId, actor: { type: "resident", id: residentId } });
      expect(c.urgency).toBe("urgent"); // district grace: 4 h
      const escalatedAt = new Date(c.responseDueAt!.getTime() + MIN);
      clock.set(escalatedAt);
      expect(await sweeps.escalate()).toEqual({ level1: 1, level2: 0 });
      clock.set(new Date(escalatedAt.getTime() + 4 * HOUR - MIN));
      expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 0 });
      clock.set(new Date(escalatedAt.getTime() + 4 * HOUR));
      expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 1 });
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it("does not escalate a case that was accepted and resolved in time", async () => {
    const c = await file();
    await cases.apply(c.id, "accept", { type: "liaison" });
    await cases.apply(c.id, "resolve", { type: "liaison" });
    clock.advance(10 * 24 * HOUR);
    expect(await sweeps.escalate()).toEqual({ level1: 0, level2: 0 });
  });

  it("catches up after downtime: a case that went overdue while the service was down escalates on the first run", async () => {
    const c = await file("noise", "complaint");
    clock.advance(9 * 24 * HOUR); // the service was off for nine days
    const r = await sweeps.runAll();
    expect(r.escalated1).toBe(1);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).escalationLevel).toBe(1);
  });

  it("two instances sweeping at the same moment escalate each case once", async () => {
    const made = [];
    for (let i = 0; i < 12; i++) made.push(await file());
    clock.set("2026-11-24T13:00:00+08:00");
    const settings = loadClockSettings("rules");
    const other = new Sweeps({ db: db.prisma, cases, clock, settings: () => settings, renderer: textRenderer, timezone: "Asia/Shanghai", calendar: () => router.calendar(), batchSize: 5 });
    const [a, b] = await Promise.all([sweeps.escalate(), other.escalate()]);
    expect(a.level1 + b.level1).toBe(12);
    for (const c of made) expect(await events(c.id, "escalate")).toBe(1);
  });
});

describe("revisit", () => {
  async function resolved() {
    const c = await file();
    await cases.apply(c.id, "accept", { type: "liaison" });
    await cases.apply(c.id, "resolve", { type: "liaison" }, { note: "已更换水管" });
    return c;
  }

  it("asks the resident, reminds once, then closes as no answer", async () => {
    const c = await resolved();
    expect((await sweeps.revisits()).revisitsAsked).toBe(1);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("revisit");
    expect(await outbox()).toEqual([{ chat: RESIDENT_CHAT, text: `fixed? ${c.number}` }]);
    clock.advance(23 * HOUR);
    expect((await sweeps.revisits()).revisitReminders).toBe(0);
    clock.advance(HOUR);
    expect((await sweeps.revisits()).revisitReminders).toBe(1);
    expect((await sweeps.revisits()).revisitReminders).toBe(0);
    expect((await outbox()).at(-1)).toEqual({ chat: RESIDENT_CHAT, text: `again: fixed? ${c.number}` });
    clock.advance(2 * 24 * HOUR);
    expect((await sweeps.revisits()).closedNoAnswer).toBe(1);
    const closed = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(closed).toMatchObject({ state: "closed", closeReason: "no_answer" });
  });

  it("fixed: closes the case as confirmed and keeps the rating", async () => {
    const c = await resolved();
    await sweeps.revisits();
    await revisit.answerFixed(c.id, residentId, true);
    await revisit.rate(c.id, residentId, 5);
    expect(await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "closed", closeReason: "confirmed", satisfaction: 5 });
    clock.advance(5 * 24 * HOUR);
    expect(await sweeps.revisits()).toEqual({ revisitsAsked: 0, revisitReminders: 0, closedNoAnswer: 0 });
  });

  it("not fixed: reopens to the same liaison with fresh deadlines, counted as a repeat complaint", async () => {
    const c = await resolved();
    await sweeps.revisits();
    clock.advance(2 * HOUR);
    const r = await revisit.answerFixed(c.id, residentId, false);
    expect(r).toMatchObject({ state: "reopened", reopenCount: 1, liaisonId: c.liaisonId, escalationLevel: 0, resolvedAt: null });
    expect(r.responseDueAt).toEqual(new Date(clock.now().getTime() + 2 * HOUR));
    const ev = await db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "reopen" } });
    expect(ev).toMatchObject({ actorType: "resident", fromState: "revisit", toState: "reopened" });
    await revisit.rate(c.id, residentId, 2);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).satisfaction).toBe(2);
  });

  it("refuses another resident's answer and a rating outside 1–5", async () => {
    const c = await resolved();
    await sweeps.revisits();
    await expect(revisit.answerFixed(c.id, residentId + 999, true)).rejects.toThrow(/not this resident/);
    await expect(revisit.rate(c.id, residentId, 6)).rejects.toThrow(RangeError);
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("revisit");
  });
});

describe("digest", () => {
  it("tells each office its new escalations and overdue count, once a day", async () => {
    await file();
    clock.set("2026-11-24T13:00:00+08:00");
    await sweeps.escalate();
    await db.prisma.outboxMessage.deleteMany();
    clock.set("2026-11-25T08:30:00+08:00");
    const d = { db: db.prisma, clock, renderer: textRenderer, dashboardUrl: "http://x", timezone: "Asia/Shanghai" };
    expect(await sendDigests(d)).toBe(2);
    expect(await sendDigests(d)).toBe(0);
    expect(await outbox()).toEqual([
      { chat: DISTRICT_CHAT, text: "digest 区物业办: new 1, overdue 1" },
      { chat: STREET_CHAT, text: "digest 东城街道办事处: new 1, overdue 1" },
    ]);
  });
});

describe("digest scope", () => {
  it("counts undeliverable messages only in the office's own area", async () => {
    clock.set("2026-11-25T08:30:00+08:00");
    const xiyuanEstate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "jinxiu" } });
    const other = await db.prisma.resident.create({ data: { telegramUserId: 7002n, chatId: 7002n, name: "李四", status: "verified", estateId: xiyuanEstate.id } });
    await db.prisma.outboxMessage.createMany({
      data: [
        { chatId: RESIDENT_CHAT, payload: { text: "a" }, status: "undeliverable", createdAt: new Date("2026-11-25T00:00:00Z") }, // 和平小区, 东城
        { chatId: other.chatId!, payload: { text: "b" }, status: "undeliverable", createdAt: new Date("2026-11-25T00:00:00Z") }, // 锦绣家园, 西苑
      ],
    });
    const dongcheng = await db.prisma.office.findFirstOrThrow({ where: { street: { code: "dongcheng" } } });
    const district = await db.prisma.office.findFirstOrThrow({ where: { level: "district" } });
    const ref = (o: typeof dongcheng) => ({ id: o.id, level: o.level, name: o.name, chatId: o.chatId, email: o.email, streetId: o.streetId });
    expect((await digestFor(db.prisma, ref(dongcheng), clock.now(), "x")).undeliverable).toBe(1);
    expect((await digestFor(db.prisma, ref(district), clock.now(), "x")).undeliverable).toBe(2);
  });
});
