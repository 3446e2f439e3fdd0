// The hook other domains hang on campaign events (the credit engine writes its records here): every
// registered function runs inside the transaction that records the event, so a record exists exactly
// when the event does. Campaigns know nothing of credit; the app context registers the functions.
import type { Prisma } from "../db/generated/prisma/client.ts";

export type CampaignEventKind =
  /** A problem's rectification deadline passed without it being rectified (first escalation). */
  | "not_rectified_in_time"
  /** An acceptance round failed (a 整改通知书 went to the responsible unit). */
  | "acceptance_failed"
  /** A problem (violation) was registered against a responsible unit. */
  | "violation_found";

export interface CampaignEvent {
  kind: CampaignEventKind;
  campaignId: number;
  problemId: number;
  estateId: number;
  /** The managing company when it is the responsible unit; null for a developer or a department. */
  companyId: number | null;
  category: string;
  at: Date;
  /** The acceptance round (acceptance_failed). */
  round?: number;
  note?: string | null;
}

export type CampaignHook = (tx: Prisma.TransactionClient, event: CampaignEvent) => Promise<void>;

/** Runs every hook in order; a failing hook fails the transaction (the event is then not recorded either). */
export async function runHooks(hooks: readonly CampaignHook[] | undefined, tx: Prisma.TransactionClient, event: CampaignEvent): Promise<void> {
  for (const h of hooks ?? []) await h(tx, event);
}
