// The demo's campaign (scripts/seed/seed-campaign.ts): after `npm run seed` the campaign pages show a
// real 整改 phase — problems in every state a clerk meets, a failed round, a 回访 that reopened one,
// a 回头看 due within days, escalated overdue problems, an estate inspected with nothing found — and
// no notice is left for the made-up residents and groups.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { seedCampaign } from "../../scripts/seed/seed-campaign.ts";
import { campaignFigures } from "../../core/campaigns/figures.ts";
import { phaseAt } from "../../core/campaigns/campaigns.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { RULES_DIR } from "./fixture.ts";

let db: TestDb;
const now = new Date("2026-12-08T10:00:00+08:00");
beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  // The demo history's complaints the campaign links (one per estate, as seed-history leaves them).
  for (const e of await db.prisma.estate.findMany({ orderBy: { id: "asc" } })) {
    const resident = await db.prisma.resident.create({ data: { name: "住户", chatId: BigInt(9_000_000 + e.id), telegramUserId: BigInt(9_000_000 + e.id), status: "verified", estateId: e.id } });
    await db.prisma.case.create({ data: { number: `2026-9${String(e.id).padStart(5, "0")}`, kind: "complaint", category: "other", description: "投诉", streetId: e.streetId, estateId: e.id, residentId: resident.id } });
  }
}, 120_000);
afterAll(async () => db?.drop());

describe("the demo campaign", () => {
  it("is in its 整改 phase with problems in every state, a failed round, a reopening 回访, a 回头看 due soon and escalations", async () => {
    const r = await seedCampaign(db.prisma, { now, timezone: "Asia/Shanghai", rulesDir: RULES_DIR });
    expect(r).toMatchObject({ problems: 10, closed: 3 });
    expect(r.escalated).toBeGreaterThan(0);
    const c = await db.prisma.campaign.findFirstOrThrow();
    expect(phaseAt(c, now)).toBe("rectify");
    const problems = await db.prisma.campaignProblem.findMany({ orderBy: { seq: "asc" } });
    const states = new Set(problems.map((p) => p.state));
    for (const s of ["found", "proposed", "rectifying", "awaiting_acceptance", "closed", "reopened"]) expect(states).toContain(s);
    expect(problems.some((p) => p.rounds >= 2 && p.state === "closed")).toBe(true); // failed once, then passed
    expect(problems.find((p) => p.state === "reopened")?.revisitResult).toBe("dissatisfied");
    const soon = problems.filter((p) => p.recheckDue && p.recheckDue > now && p.recheckDue.getTime() - now.getTime() < 14 * 86_400_000);
    expect(soon.length).toBeGreaterThan(0);
    expect(problems.filter((p) => p.escalationLevel > 0).length).toBeGreaterThan(0);
    const chunhui = await db.prisma.estate.findUniqueOrThrow({ where: { code: "chunhui" } });
    expect(await db.prisma.campaignInspection.count({ where: { estateId: chunhui.id } })).toBe(1);
    expect(problems.some((p) => p.estateId === chunhui.id)).toBe(false);
    // The figures page has numbers: 3 of 10 closed.
    const f = await campaignFigures(db.prisma, c, now);
    expect([f.campaign.registered, f.campaign.closed]).toEqual([10, 3]);
    // The failed round counts against the company: its credit record.
    expect(await db.prisma.creditRecord.count({ where: { type: "acceptance_failed" } })).toBeGreaterThan(0);
    expect(await db.prisma.outboxMessage.count()).toBe(0);
  });
});
