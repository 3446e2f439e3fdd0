// CaseService.file end to end on a real database: the case row with its address, the event log,
// the photos, the outbox rows for resident, liaison and office, numbering, and idempotency under
// concurrent duplicates. The intake path's cost lives here, so its output is pinned down here.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CaseService } from "../../core/cases/case-service.ts";
import { ManualClock } from "../../core/clock.ts";
import { loadCategories } from "../../core/cases/categories.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { BotNotifier } from "../../bot/render/notifier.ts";
import { createI18n } from "../../bot/i18n.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let router: RulesRouter;
let cases: CaseService;
let commits = 0;
const LIAISON_CHAT = 9101n;
const STREET_CHAT = -100211n;
const RESIDENT_CHAT = 7101n;
let resident: { id: number; estateId: number; buildingId: number; unitId: number };

const input = (sourceKey: string, over: Partial<Parameters<CaseService["file"]>[0]> = {}) => ({
  sourceKey,
  kind: "repair" as const,
  category: "water",
  description: "厨房水管漏水",
  estateId: resident.estateId,
  buildingId: resident.buildingId,
  unitId: resident.unitId,
  residentId: resident.id,
  actor: { type: "resident" as const, id: resident.id },
  ...over,
});

const outbox = async (caseId: number) =>
  (await db.prisma.outboxMessage.findMany({ where: { caseId }, orderBy: { id: "asc" } })).map((m) => ({ chat: m.chatId, method: m.method, payload: m.payload as Record<string, any>, key: m.dedupeKey }));

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  await db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: LIAISON_CHAT } });
  const heping = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true }, orderBy: { id: "asc" } } } });
  await db.prisma.office.update({ where: { streetId: heping.streetId }, data: { chatId: STREET_CHAT } });
  const b = heping.buildings[1]!;
  const r = await db.prisma.resident.create({
    data: { telegramUserId: RESIDENT_CHAT, chatId: RESIDENT_CHAT, name: "张三", phone: "13800000000", status: "verified", estateId: heping.id, buildingId: b.id, unitId: b.units[1]!.id },
  });
  resident = { id: r.id, estateId: heping.id, buildingId: b.id, unitId: b.units[1]!.id };
  // Tuesday 10:00 in Shanghai, an ordinary working day.
  const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
  router = await createRulesRouter({ db: db.prisma, rulesDir: "rules", clock });
  const notifier = new BotNotifier({ i18n: createI18n("zh-Hans"), categories: loadCategories("rules"), defaultLocale: "zh-Hans", timezone: "Asia/Shanghai" });
  cases = new CaseService({ db: db.prisma, sql: db.hot, router, clock, notifier, afterCommit: () => commits++ });
});
afterAll(async () => {
  router.close();
  await db.drop();
});
beforeEach(() => {
  commits = 0;
});

describe("filing a case", () => {
  it("stores the case with its address, events and photos, and tells resident and liaison", async () => {
    const { case: c, created } = await cases.file(input("t:file:1", { photos: [{ fileId: "ph-A", fileUniqueId: "ua" }, { fileId: "ph-B" }], latitude: 39.9, longitude: 116.4 }));
    expect(created).toBe(true);
    expect(commits).toBe(1);
    expect(c.number).toMatch(/^2026-\d{6}$/);
    expect(c).toMatchObject({ state: "routed", kind: "repair", category: "water", urgency: "normal", residentId: resident.id, channel: "telegram", latitude: 39.9, longitude: 116.4 });
    expect(c.estate.code).toBe("heping");
    expect(c.building?.id).toBe(resident.buildingId);
    expect(c.unit?.id).toBe(resident.unitId);
    expect(c.createdAt.toISOString()).toBe("2026-11-24T02:00:00.000Z");
    expect(c.responseDueAt!.getTime()).toBeGreaterThan(c.createdAt.getTime());
    expect(c.resolutionDueAt!.getTime()).toBeGreaterThanOrEqual(c.responseDueAt!.getTime());

    const huamei = await db.prisma.company.findUniqueOrThrow({ where: { code: "huamei" } });
    const liaison = await db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } });
    const stored = await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(stored).toMatchObject({ companyId: huamei.id, liaisonId: liaison.id, streetId: c.estate.streetId, sourceKey: "t:file:1", description: "厨房水管漏水" });

    const events = await db.prisma.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.type, e.fromState, e.toState, e.actorType, e.actorId])).toEqual([
      ["filed", null, "received", "resident", String(resident.id)],
      ["route", "received", "routed", "system", null],
    ]);
    expect((events[1]!.data as { rule?: string }).rule).toBe(c.routeRule);

    const photos = await db.prisma.attachment.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } });
    expect(photos.map((p) => [p.fileId, p.fileUniqueId, p.addedBy])).toEqual([
      ["ph-A", "ua", "resident"],
      ["ph-B", null, "resident"],
    ]);

    const out = await outbox(c.id);
    expect(out.map((m) => [m.chat, m.method])).toEqual([
      [RESIDENT_CHAT, "sendMessage"],
      [LIAISON_CHAT, "sendMessage"],
      [LIAISON_CHAT, "sendMediaGroup"],
    ]);
    expect(out[0]!.payload.text).toContain(c.number);
    expect(out[0]!.payload.text).toContain(huamei.name);
    // The liaison's card: number, address, the phone the resident shared, action buttons.
    expect(out[1]!.payload.text).toContain(c.number);
    expect(out[1]!.payload.text).toContain("和平小区");
    expect(out[1]!.payload.text).toContain("13800000000");
    expect(JSON.stringify(out[1]!.payload.reply_markup)).toContain(`:${c.id}`);
    expect(out[2]!.payload.media.map((m: { media: string }) => m.media)).toEqual(["ph-A", "ph-B"]);
    // The number is drawn in the transaction's last statement: every message carries the real one.
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).number).toBe(c.number);
    expect(JSON.stringify(out.map((m) => m.payload))).not.toContain("case-number");
    expect(out.map((m) => m.key)).toEqual([`case:${c.id}:filed:resident`, `case:${c.id}:filed:liaison`, `case:${c.id}:filed:liaison:photos`]);
  });

  it("numbers cases one after another and tells the street office at once about an emergency", async () => {
    const a = (await cases.file(input("t:file:2"))).case;
    const b = (await cases.file(input("t:file:3", { category: "gas_smell", photos: [{ fileId: "ph-gas" }] }))).case;
    expect(Number(b.number.slice(5))).toBe(Number(a.number.slice(5)) + 1);
    expect(b.urgency).toBe("emergency");
    const out = await outbox(b.id);
    expect(out.map((m) => [m.chat, m.method])).toEqual([
      [RESIDENT_CHAT, "sendMessage"],
      [LIAISON_CHAT, "sendMessage"],
      [LIAISON_CHAT, "sendPhoto"],
      [STREET_CHAT, "sendMessage"],
      [STREET_CHAT, "sendPhoto"],
    ]);
    expect(out[1]!.payload.text).toContain(b.number);
    expect(out[3]!.payload.text).toContain(b.number);
    expect(JSON.stringify(out.map((m) => m.payload))).not.toContain("case-number");
    expect(out[4]!.payload.photo).toBe("ph-gas");
  });

  it("does not message a resident who blocked the bot, nor an inactive liaison", async () => {
    await db.prisma.resident.update({ where: { id: resident.id }, data: { blockedAt: new Date() } });
    await db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { active: false } });
    try {
      const { case: c } = await cases.file(input("t:file:blocked"));
      expect(await outbox(c.id)).toEqual([]);
    } finally {
      await db.prisma.resident.update({ where: { id: resident.id }, data: { blockedAt: null } });
      await db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { active: true } });
    }
  });

  it("gives the same case for the same filing, also when the duplicates race, and skips no number", async () => {
    const first = await cases.file(input("t:file:4"));
    const again = await cases.file(input("t:file:4", { description: "changed" }));
    expect(again.created).toBe(false);
    expect(again.case.id).toBe(first.case.id);
    expect(again.case.estate.code).toBe("heping");

    const racers = await Promise.all(Array.from({ length: 6 }, () => cases.file(input("t:file:5"))));
    expect(new Set(racers.map((r) => r.case.id)).size).toBe(1);
    expect(racers.filter((r) => r.created)).toHaveLength(1);
    expect(await db.prisma.case.count({ where: { sourceKey: "t:file:5" } })).toBe(1);
    expect(await outbox(racers[0]!.case.id)).toHaveLength(2);
    const next = (await cases.file(input("t:file:6"))).case;
    expect(Number(next.number.slice(5))).toBe(Number(racers[0]!.case.number.slice(5)) + 1);
  });

  it("stores concurrent filings' messages in the order the cases were numbered (one liaison's cards stay in order)", async () => {
    const filed = await Promise.all(Array.from({ length: 12 }, (_, i) => cases.file(input(`t:file:conc:${i}`))));
    const numberOf = new Map(filed.map((f) => [f.case.id, f.case.number]));
    const byId = await db.prisma.outboxMessage.findMany({ where: { chatId: LIAISON_CHAT, caseId: { in: [...numberOf.keys()] } }, orderBy: { id: "asc" } });
    expect(byId).toHaveLength(12);
    const numbers = byId.map((m) => numberOf.get(m.caseId!));
    expect(numbers).toEqual([...numbers].sort());
  });

  it("files an API case without a resident: stored and routed, only the liaison is told", async () => {
    const { case: c } = await cases.file({ sourceKey: "api:1", channel: "api", kind: "complaint", category: "noise", description: "楼下噪音", estateId: resident.estateId, actor: { type: "api", id: "crm" } });
    expect(c).toMatchObject({ channel: "api", residentId: null, buildingId: null, unitId: null, building: null, unit: null });
    const out = await outbox(c.id);
    expect(out.map((m) => m.chat)).toEqual([LIAISON_CHAT]);
    expect(out[0]!.payload.text).not.toContain("13800000000");
    const ev = await db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "filed" } });
    expect([ev.actorType, ev.actorId]).toEqual(["api", "crm"]);
  });
});
