// The rules router on the seeded demo district: routes, urgency, deadlines, the office queue when
// nothing matches, and CaseService filing through it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../core/cases/case-service.ts";
import { ManualClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { loadCatalogue, type Catalogue } from "../../rules/catalogue.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { editRules, facts, RULES_DIR, tempRules } from "./helpers.ts";

let db: TestDb;
let cat: Catalogue;
let router: RulesRouter;
const liaison = (code: string) => cat.liaisons.get(code)!.id;
const company = (code: string) => cat.companies.get(code)!.id;
const iso = (s: string) => new Date(s).toISOString();

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  cat = await loadCatalogue(db.prisma);
  router = await createRulesRouter({ db: db.prisma, rulesDir: RULES_DIR, timezone: "Asia/Shanghai" });
});
afterAll(async () => {
  router?.close();
  await db?.drop();
});

describe("routing the demo district", () => {
  it("an estate without a special rule goes to its own company's first liaison", async () => {
    const d = await router.route(facts({ estate: "heping", category: "water", filedAt: new Date("2026-09-30T10:00:00+08:00") }));
    expect(d).toMatchObject({ routed: true, companyId: company("huamei"), liaisonId: liaison("huamei-li"), rule: "estate-default-company", urgency: "normal", notifyOffice: false });
    // Ordinary repair: respond in 2 h, resolve in 2 working days across National Day.
    expect(d.responseDueAt?.toISOString()).toBe(iso("2026-09-30T12:00:00+08:00"));
    expect(d.resolutionDueAt?.toISOString()).toBe(iso("2026-10-09T18:00:00+08:00"));
    expect(d.why.join("\n")).toMatch(/estate-default-company/);
  });

  it("an ordinary repair reported at 23:38 is due two hours after the next opening; an emergency at that hour keeps its minutes", async () => {
    // Friday 18 Sep 2026, 23:38; Saturday rests, Sunday 20 Sep is a 调休 working day.
    const light = await router.route(facts({ estate: "heping", category: "electricity", filedAt: new Date("2026-09-18T23:38:00+08:00") }));
    expect(light.urgency).toBe("normal");
    expect(light.responseDueAt?.toISOString()).toBe(iso("2026-09-20T11:00:00+08:00"));
    expect(light.why.join("\n")).toContain("clocks start at the next opening");
    const gas = await router.route(facts({ estate: "heping", kind: "complaint", category: "gas_smell", filedAt: new Date("2026-09-18T23:38:00+08:00") }));
    expect(gas.responseDueAt?.toISOString()).toBe(iso("2026-09-18T23:53:00+08:00"));
  });

  it("kind decides the liaison in the anju estates", async () => {
    const repair = await router.route(facts({ estate: "xingfu", kind: "repair", category: "water" }));
    const complaint = await router.route(facts({ estate: "jinxiu", street: "xiyuan", kind: "complaint", category: "noise" }));
    expect(repair).toMatchObject({ routed: true, companyId: company("anju"), liaisonId: liaison("anju-zhao"), rule: "anju-repairs-technician" });
    expect(complaint).toMatchObject({ routed: true, companyId: company("anju"), liaisonId: liaison("anju-wang"), rule: "anju-complaints-manager" });
  });

  it("emergency: minutes-level deadlines, office notified; a time-of-day rule picks the night technician", async () => {
    const night = await router.route(facts({ estate: "xingfu", kind: "complaint", category: "gas_smell", filedAt: new Date("2026-10-03T23:10:00+08:00") }));
    expect(night).toMatchObject({ routed: true, liaisonId: liaison("anju-zhao"), rule: "xingfu-night-emergencies", urgency: "emergency", notifyOffice: true });
    expect(night.responseDueAt?.toISOString()).toBe(iso("2026-10-03T23:25:00+08:00"));
    expect(night.resolutionDueAt?.toISOString()).toBe(iso("2026-10-04T03:10:00+08:00"));
    // Same complaint at 10:00: the night rule does not fire, the complaints manager gets it.
    const day = await router.route(facts({ estate: "xingfu", kind: "complaint", category: "gas_smell", filedAt: new Date("2026-10-03T10:00:00+08:00") }));
    expect(day).toMatchObject({ liaisonId: liaison("anju-wang"), rule: "anju-complaints-manager", urgency: "emergency", notifyOffice: true });
  });

  it("a building rule raises urgency; other buildings stay normal", async () => {
    const b3 = await router.route(facts({ estate: "jinxiu", street: "xiyuan", category: "lift", building: "3号楼", filedAt: new Date("2026-11-24T10:00:00+08:00") }));
    const b1 = await router.route(facts({ estate: "jinxiu", street: "xiyuan", category: "lift", building: "1号楼", filedAt: new Date("2026-11-24T10:00:00+08:00") }));
    expect(b3).toMatchObject({ rule: "jinxiu-3-lift-urgent", urgency: "urgent" });
    expect(b1).toMatchObject({ rule: "anju-repairs-technician", urgency: "normal" });
    expect(b3.resolutionDueAt!.getTime()).toBeLessThan(b1.resolutionDueAt!.getTime());
  });

  it("the resident's urgency hint raises normal to urgent with shorter deadlines", async () => {
    const at = new Date("2026-11-24T10:00:00+08:00");
    const plain = await router.route(facts({ category: "water", filedAt: at }));
    const hinted = await router.route(facts({ category: "water", filedAt: at, urgencyHint: true }));
    expect(plain.urgency).toBe("normal");
    expect(hinted.urgency).toBe("urgent");
    expect(hinted.responseDueAt?.toISOString()).toBe(iso("2026-11-24T10:30:00+08:00"));
    expect(hinted.resolutionDueAt?.toISOString()).toBe(iso("2026-11-24T18:00:00+08:00"));
    expect(plain.resolutionDueAt?.toISOString()).toBe(iso("2026-11-26T18:00:00+08:00"));
  });

  it("complaints get working-day deadlines across the 调休 Saturday", async () => {
    // Filed Fri 9 Oct 2026 17:00: 4 office hours → 1 h Fri + 3 h on Sat 10 Oct (a working day).
    const d = await router.route(facts({ kind: "complaint", category: "noise", filedAt: new Date("2026-10-09T17:00:00+08:00") }));
    expect(d.responseDueAt?.toISOString()).toBe(iso("2026-10-10T12:00:00+08:00"));
    // 5 working days: Sat 10, Mon 12 … Thu 15.
    expect(d.resolutionDueAt?.toISOString()).toBe(iso("2026-10-15T18:00:00+08:00"));
  });
});

describe("nothing matches", () => {
  it("routed false with a reason, deadlines still set", async () => {
    const dir = tempRules();
    editRules(dir, "routing.json", (j) => (j.rules = j.rules.filter((r: any) => r.id !== "estate-default-company")));
    const r = await createRulesRouter({ db: db.prisma, rulesDir: dir });
    const d = await r.route(facts({ estate: "chunhui", street: "xiyuan", kind: "complaint", category: "parking", filedAt: new Date("2026-11-24T10:00:00+08:00") }));
    expect(d).toMatchObject({ routed: false, companyId: null, liaisonId: null, rule: null, urgency: "normal" });
    expect(d.why.join("\n")).toMatch(/no routing rule matched.*street office queue/);
    expect(d.responseDueAt?.toISOString()).toBe(iso("2026-11-24T14:00:00+08:00"));
    expect(d.resolutionDueAt?.toISOString()).toBe(iso("2026-12-01T18:00:00+08:00"));
    expect(r.status().warnings.join()).toMatch(/chunhui\/parking|estate\/category pairs have no routing rule/);
  });

  it("a toOffice rule sends the case to the office queue on purpose", async () => {
    const dir = tempRules();
    editRules(dir, "routing.json", (j) => (j.rules.find((r: any) => r.id === "fees-to-street-office").enabled = true));
    const r = await createRulesRouter({ db: db.prisma, rulesDir: dir });
    const d = await r.route(facts({ kind: "complaint", category: "fees" }));
    expect(d).toMatchObject({ routed: false, rule: "fees-to-street-office", companyId: null });
    expect((await r.route(facts({ kind: "suggestion", category: "fees" }))).routed).toBe(true);
  });

  it("an unknown estate is not lost: office queue with deadlines", async () => {
    const d = await router.route(facts({ estate: "atlantis" }));
    expect(d.routed).toBe(false);
    expect(d.why.join("\n")).toMatch(/unknown estate "atlantis"/);
    expect(d.resolutionDueAt).toBeInstanceOf(Date);
  });
});

describe("day type and dry-run trace", () => {
  it("a restday rule follows the Chinese calendar, not the weekday", async () => {
    const dir = tempRules();
    editRules(dir, "routing.json", (j) =>
      j.rules.unshift({ id: "heping-restday", priority: 90, when: { estates: ["heping"], dayType: "restday" }, then: { company: "lvyuan", liaison: "lvyuan-chen" } }),
    );
    const r = await createRulesRouter({ db: db.prisma, rulesDir: dir });
    // Thu 1 Oct 2026 is a holiday; Sat 10 Oct 2026 is a working day (调休).
    expect((await r.route(facts({ filedAt: new Date("2026-10-01T10:00:00+08:00") }))).rule).toBe("heping-restday");
    expect((await r.route(facts({ filedAt: new Date("2026-10-10T10:00:00+08:00") }))).rule).toBe("estate-default-company");
    const trace = await r.dryRun(facts({ filedAt: new Date("2026-10-10T10:00:00+08:00") }));
    expect(trace.local.dayType).toBe("workday");
    expect(trace.candidates.find((c) => c.rule === "heping-restday")).toMatchObject({ fired: false, failed: ["day is a restday"] });
    expect(trace.company).toEqual({ code: "huamei", name: "华美物业" });
  });
});

describe("CaseService files through the rules router", () => {
  it("stores the route, urgency, deadlines and the why in the event log", async () => {
    const clock = new ManualClock(new Date("2026-09-30T10:00:00+08:00"));
    const cases = new CaseService({ db: db.prisma, router, clock });
    const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "xingfu" } });
    const { case: c } = await cases.file({ sourceKey: "rules-test-1", kind: "repair", category: "burst_pipe", description: "水管爆了", estateId: estate.id, actor: { type: "resident" } });
    expect(c).toMatchObject({ state: "routed", liaisonId: liaison("anju-zhao"), urgency: "emergency", routeRule: "anju-repairs-technician" });
    expect(c.responseDueAt?.toISOString()).toBe(iso("2026-09-30T10:15:00+08:00"));
    const ev = await db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "route" } });
    expect(ev.note).toMatch(/anju-repairs-technician/);
    expect(ev.data).toMatchObject({ notifyOffice: true });
  });
});

describe("a fresh database before seeding", () => {
  it("the demo's own rules are left out alone, the shipped ones route, and the demo's come in once its estates exist", async () => {
    const db = await testDatabase();
    try {
      const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
      const router = await createRulesRouter({ db: db.prisma, rulesDir: RULES_DIR, clock });
      expect(router.status().routingInForce).toBe(true);
      expect(router.status().refused.map((i) => i.rule)).toEqual(expect.arrayContaining(["xingfu-night-emergencies", "anju-repairs-technician"]));
      const facts = { kind: "repair" as const, category: "water", estate: "xingfu", street: "dongcheng", urgencyHint: false, filedAt: clock.now() };
      const before = await router.route(facts);
      expect(before).toMatchObject({ routed: false, companyId: null });
      expect(before.resolutionDueAt).toBeInstanceOf(Date);
      await seedDemo(db.prisma);
      clock.advance(60_000); // past the reload throttle: an unknown estate triggers a reload
      const after = await router.route(facts);
      expect(after).toMatchObject({ routed: true, rule: "anju-repairs-technician", companyId: (await db.prisma.company.findUniqueOrThrow({ where: { code: "anju" } })).id });
      expect(router.status().refused).toEqual([]);
    } finally {
      await db.drop();
    }
  });
});
