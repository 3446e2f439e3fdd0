// The one intake (core/cases/intake.ts) on a real database: who may file on which channel, one set
// of limits, the kind a category allows, emergency from the understanding, the idempotency key, and
// photos — Telegram file ids and stored files alike — written with the case in one transaction, so
// a failure before the commit leaves neither a case nor photos that no case knows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../core/cases/case-service.ts";
import { fileIntake, INTAKE_LIMITS, eligibility, type IntakeDeps, type IntakeResident } from "../../core/cases/intake.ts";
import { loadCategories } from "../../core/cases/categories.ts";
import { ManualClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let router: RulesRouter;
let deps: IntakeDeps;
let resident: IntakeResident;
const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
const actor = () => ({ type: "resident" as const, id: resident.id });
const stored = (n: number) => Array.from({ length: n }, (_, i) => ({ storageKey: `k/${i}.jpg`, contentType: "image/jpeg", size: 1000 + i, source: "web" }));

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  const heping = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true } } } });
  const b = heping.buildings[0]!;
  const r = await db.prisma.resident.create({ data: { name: "王五", status: "verified", estateId: heping.id, buildingId: b.id, unitId: b.units[0]!.id } });
  resident = { id: r.id, status: "verified", estateId: heping.id, buildingId: b.id, unitId: b.units[0]!.id };
  router = await createRulesRouter({ db: db.prisma, rulesDir: "rules", clock });
  deps = { cases: new CaseService({ db: db.prisma, sql: db.hot, router, clock }), categories: loadCategories("rules"), understander: router };
});
afterAll(async () => {
  router.close();
  await db.drop();
});

describe("who may file", () => {
  it("the bot files for verified residents only; the web form also for a pending one (held); a rejected one nowhere", () => {
    const pending = { ...resident, status: "pending" as const };
    expect(eligibility("telegram", pending)).toEqual({ code: "pending" });
    expect(eligibility("web", pending)).toBeNull();
    expect(eligibility("miniapp", { ...resident, status: "rejected" })).toEqual({ code: "rejected" });
    expect(eligibility("telegram", null)).toEqual({ code: "not_registered" });
    expect(eligibility("open311", null)).toBeNull();
  });
});

describe("one set of limits for every channel", () => {
  it(`refuses more than ${INTAKE_LIMITS.maxDescription} characters or ${INTAKE_LIMITS.maxPhotos} photos, and stores nothing`, async () => {
    const before = await db.prisma.case.count();
    for (const channel of ["telegram", "web", "api", "open311"] as const) {
      const long = await fileIntake(deps, { channel, key: `long-${channel}`, resident, category: "water", description: "漏".repeat(2001), actor: actor() });
      expect(long).toEqual({ ok: false, refusal: { code: "too_long", length: 2001, max: 2000 } });
    }
    const many = await fileIntake(deps, { channel: "web", key: "many", resident, category: "water", description: "漏水", photos: stored(7), actor: actor() });
    expect(many).toEqual({ ok: false, refusal: { code: "too_many_photos", count: 7, max: 6 } });
    const empty = await fileIntake(deps, { channel: "web", key: "empty", resident, category: "water", description: "  ", actor: actor() });
    expect(empty).toEqual({ ok: false, refusal: { code: "empty" } });
    expect(await db.prisma.case.count()).toBe(before);
  });
});

describe("kind, emergency and the idempotency key", () => {
  it("takes the category's kind when the one asked is not offered, and refuses it where the channel is strict", async () => {
    const web = await fileIntake(deps, { channel: "web", key: "kind-1", resident, category: "water", kind: "suggestion", description: "水管漏水", actor: actor() });
    expect(web.ok && web.case.kind).toBe("repair");
    const api = await fileIntake(deps, { channel: "api", key: "kind-2", place: { estateId: resident.estateId! }, category: "water", kind: "suggestion", strictKind: true, description: "水管漏水", actor: { type: "api" } });
    expect(api).toEqual({ ok: false, refusal: { code: "kind_not_offered", kind: "suggestion", category: "water" } });
  });

  it("reads an emergency from the description on every channel (urgent at least)", async () => {
    const r = await fileIntake(deps, { channel: "api", key: "gas-1", place: { estateId: resident.estateId! }, category: "other", description: "楼道里有很浓的煤气味", actor: { type: "api" } });
    expect(r.ok && r.case.urgencyHint).toBe(true);
    const calm = await fileIntake(deps, { channel: "api", key: "calm-1", place: { estateId: resident.estateId! }, category: "other", description: "建议增加垃圾桶", actor: { type: "api" } });
    expect(calm.ok && calm.case.urgencyHint).toBe(false);
  });

  it("gives the same case for the same filing twice, per channel and resident", async () => {
    const a = await fileIntake(deps, { channel: "web", key: "draft-abc", resident, category: "water", description: "漏水", actor: actor() });
    const b = await fileIntake(deps, { channel: "web", key: "draft-abc", resident, category: "water", description: "漏水", actor: actor() });
    expect(a.ok && b.ok && [a.created, b.created, a.case.id === b.case.id, a.case.sourceKey]).toEqual([true, false, true, `web:${resident.id}:draft-abc`]);
  });
});

describe("photos are written with the case, in its transaction", () => {
  it("stores Telegram file ids (pending download) and stored files (stored) as the case's attachments, in order", async () => {
    const r = await fileIntake(deps, {
      channel: "web",
      key: "photos-1",
      resident,
      category: "water",
      description: "漏水",
      photos: [{ fileId: "AgAC-1", fileUniqueId: "u1" }, ...stored(2)],
      actor: actor(),
    });
    if (!r.ok) throw new Error("refused");
    const rows = await db.prisma.attachment.findMany({ where: { caseId: r.case.id }, orderBy: { id: "asc" } });
    expect(rows.map((a) => [a.fileId, a.storeStatus, a.storageKey, a.size])).toEqual([
      ["AgAC-1", "pending", null, null],
      ["web:k/0.jpg", "stored", "k/0.jpg", 1000],
      ["web:k/1.jpg", "stored", "k/1.jpg", 1001],
    ]);
    expect(await db.prisma.caseEvent.count({ where: { caseId: r.case.id, type: "photo" } })).toBe(2);
  });

  it("a failure after the photos are written leaves neither the case nor any photo row", async () => {
    const failing: IntakeDeps = {
      ...deps,
      cases: new CaseService({
        db: db.prisma,
        sql: db.hot,
        router,
        clock,
        notifier: {
          notify: async () => {
            throw new Error("crash between the photos and the commit");
          },
        },
      }),
    };
    const photos = await db.prisma.attachment.count();
    await expect(fileIntake(failing, { channel: "web", key: "crash-1", resident, category: "water", description: "漏水", photos: stored(3), actor: actor() })).rejects.toThrow(/crash/);
    expect(await db.prisma.case.count({ where: { sourceKey: `web:${resident.id}:crash-1` } })).toBe(0);
    expect(await db.prisma.attachment.count()).toBe(photos);
  });
});
