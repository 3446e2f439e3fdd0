// The shapes the case service, its store and its notifier share: a case as read with its places,
// who acted, what a transition may set, and what people are told.
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { CaseState } from "../db/generated/prisma/enums.ts";
import type { HotSql } from "../db/hot-sql.ts";
import type { OutMessage } from "../delivery/outbox.ts";
import type { CaseAction } from "./lifecycle.ts";

export type Tx = Prisma.TransactionClient;
export type CaseRow = Prisma.CaseGetPayload<{ include: { estate: true; building: true; unit: true } }>;

export interface Actor {
  type: "resident" | "liaison" | "office" | "system" | "api";
  id?: string | number | bigint;
}

/** Columns a transition may set besides the state (plain values; null clears). */
export interface CasePatch {
  acceptedAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  closeReason?: string | null;
  liaisonId?: number | null;
  companyId?: number | null;
  revisitAskedAt?: Date | null;
  revisitRemindedAt?: Date | null;
  reopenCount?: number;
  responseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  escalationLevel?: number;
  escalatedAt?: Date | null;
}

export type CaseNotice =
  | { type: "filed"; case: CaseRow; notifyOffice: boolean }
  | { type: "transition"; case: CaseRow; action: CaseAction; from: CaseState; actor: Actor; note?: string; data?: Record<string, unknown> }
  | { type: "extension"; case: CaseRow; approved: boolean; requestedDueAt: Date; requestedBy: string; actor: Actor; note?: string };

/**
 * Renders domain notices as outbox rows (the bot's texts); reads what it needs through the case's
 * transaction (plain SQL). The case service stores the rows in that transaction.
 */
export interface Notifier {
  notify(tx: HotSql, notice: CaseNotice): Promise<OutMessage[]>;
}
export const noNotifier: Notifier = { notify: async () => [] };
