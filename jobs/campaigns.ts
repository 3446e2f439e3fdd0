// The campaign clock: overdue rectification problems escalate to the street office, then the district
// office (core/campaigns/escalation.ts), every ten minutes and at start (catch-up after downtime).
import { escalateOverdueProblems } from "../core/campaigns/escalation.ts";
import type { CampaignDeps } from "../core/campaigns/problems.ts";
import type { Job } from "./scheduler.ts";

export function campaignJobs(d: CampaignDeps): Job[] {
  return [{ name: "campaign-escalation", schedule: "*/10 * * * *", runAtStart: true, run: () => escalateOverdueProblems(d) }];
}
