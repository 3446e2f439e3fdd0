// What `npm run seed` does, apart from opening the database (testable without a process): the demo
// goes only into an EMPTY district. A district with any street, estate, company or case is left
// exactly as it is — no directory write, no password reset — so rerunning README's first command can
// never undo an office's work (an import, an edit, a changed password). The demo logins are made,
// and their passwords returned to print, once: when they are created.
import crypto from "node:crypto";
import type { Db } from "../../core/db/db.ts";
import { seedDemo, withDemoRules } from "../../core/directory/demo-district.ts";
import { readRuleFile } from "../../rules/editing/draft.ts";
import { saveRuleFile } from "../../rules/editing/versions.ts";
import { createStaffUser } from "../../core/directory/staff.ts";
import { seedHistory, type HistoryResult } from "./seed-history.ts";
import { seedCampaign, type CampaignSeedResult } from "./seed-campaign.ts";

export type SeedOutcome =
  | { kind: "left"; found: { streets: number; estates: number; companies: number; cases: number } }
  | { kind: "added"; counts: { estates: number; companies: number; liaisons: number }; history: HistoryResult | null; campaign: CampaignSeedResult | null; logins: string[]; routingAdded: boolean };

const DEMO_LOGINS = [
  { username: "demo-admin", role: "admin" as const, displayName: "演示管理员" },
  { username: "demo-dongcheng", role: "street" as const, street: "dongcheng", displayName: "东城街道(演示)" },
];

export async function runSeed(db: Db, o: { empty: boolean; now: Date; timezone: string; rulesDir: string }): Promise<SeedOutcome> {
  const [streets, estates, companies, cases] = await Promise.all([db.street.count(), db.estate.count(), db.company.count(), db.case.count()]);
  if (streets + estates + companies + cases > 0) return { kind: "left", found: { streets, estates, companies, cases } };
  const counts = await seedDemo(db);
  // The demo's estates route by its own rules, added to the office's routing.json (in the rules history).
  const routing = withDemoRules(readRuleFile(o.rulesDir, "routing") ?? JSON.stringify({ rules: [] }));
  if (routing) await saveRuleFile(db, o.rulesDir, "routing", routing, { staffId: null, staffName: "npm run seed" }, "演示小区的派单规则 the demo district's routing rules", o.now);
  const routingAdded = routing !== null;
  if (o.empty) return { kind: "added", counts, history: null, campaign: null, logins: [], routingAdded };
  const history = await seedHistory(db, { now: o.now, timezone: o.timezone, rulesDir: o.rulesDir });
  const campaign = await seedCampaign(db, { now: o.now, timezone: o.timezone, rulesDir: o.rulesDir });
  const logins: string[] = [];
  for (const u of DEMO_LOGINS) {
    // An account of that name made by hand (e.g. through /setup) keeps its password.
    if (await db.staffUser.findUnique({ where: { username: u.username } })) continue;
    const password = crypto.randomBytes(9).toString("base64url");
    await createStaffUser(db, { ...u, password });
    logins.push(`${u.username} / ${password}`);
  }
  return { kind: "added", counts, history, campaign, logins, routingAdded };
}
