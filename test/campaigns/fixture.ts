// A demo district on a test database with the campaign service wired: the real rule files, the
// Chinese work calendar, a manual clock and a recording credit hook.
import path from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { WorkCalendar } from "../../core/clocks/work-calendar.ts";
import { loadCampaignSettings } from "../../core/campaigns/settings.ts";
import { createCampaign } from "../../core/campaigns/campaigns.ts";
import type { CampaignDeps } from "../../core/campaigns/problems.ts";
import type { CampaignEvent } from "../../core/campaigns/hooks.ts";
import { testDatabase } from "../helpers/db.ts";

export const RULES_DIR = path.resolve(import.meta.dirname, "../../rules");
export const DISTRICT: Scope = { role: "district", streetId: null, actorId: "user:inspector", name: "检查员" };

export async function campaignFixture(start = "2026-09-18T10:00:00+08:00") {
  const db = await testDatabase();
  await seedDemo(db.prisma);
  const clock = new ManualClock(new Date(start));
  const settings = loadCampaignSettings(RULES_DIR);
  const credit: { kind: string; problemId: number; inTx: boolean }[] = [];
  const deps: CampaignDeps = {
    db: db.prisma,
    clock,
    timezone: "Asia/Shanghai",
    calendar: () => new WorkCalendar(),
    settings: () => settings,
    hooks: [
      async (tx, e: CampaignEvent) => {
        // The hook sees the row its transaction is writing: it runs inside it.
        const p = await tx.campaignProblem.findUnique({ where: { id: e.problemId } });
        credit.push({ kind: e.kind, problemId: e.problemId, inTx: p !== null });
      },
    ],
  };
  const campaign = await createCampaign(db.prisma, settings, DISTRICT, {
    name: "2026年住宅小区物业管理专项整治",
    phases: { inspect: [new Date("2026-09-01T00:00:00+08:00"), new Date("2026-09-30T23:59:59+08:00")], rectify: [new Date("2026-10-01T00:00:00+08:00"), new Date("2026-12-31T23:59:59+08:00")], accept: [new Date("2027-01-04T00:00:00+08:00"), new Date("2027-01-15T23:59:59+08:00")] },
  });
  const streetId = async (code: string) => (await db.prisma.street.findUniqueOrThrow({ where: { code } })).id;
  return { db, clock, settings, deps, credit, campaign, streetId };
}
