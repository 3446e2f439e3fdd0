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

export type { CasePatch } from "./lifecycle.ts";

export type CaseNotice =
  /** A new case, or (released) one the office let through after approving its resident. */
  | { type: "filed"; case: CaseRow; notifyOffice: boolean; released?: boolean }
  | { type: "transition"; case: CaseRow; action: CaseAction; from: CaseState; actor: Actor; note?: string; data?: Record<string, unknown> }
  | { type: "extension"; case: CaseRow; approved: boolean; requestedDueAt: Date; requestedBy: string; actor: Actor; note?: string }
  /** The resident's 1–5 answer at the revisit: the liaison hears it. */
  | { type: "rated"; case: CaseRow; score: number }
  /** The revisit still unanswered (the sweep's reminder) for a resident the bot cannot reach: a web resident. */
  | { type: "reminder"; case: CaseRow; about: "revisit" };

/**
 * Renders domain notices as outbox rows (the bot's texts); reads what it needs through the case's
 * transaction (plain SQL). The case service stores the rows in that transaction.
 */
export interface Notifier {
  notify(tx: HotSql, notice: CaseNotice): Promise<OutMessage[]>;
  /** The office decided on a resident's registration: what the resident is told. */
  resident?(tx: HotSql, notice: ResidentNotice): Promise<OutMessage[]>;
}

/** A pending resident approved or rejected (core/residents/approval.ts); `reason` comes with a rejection. */
export interface ResidentNotice {
  type: "approved" | "rejected";
  residentId: number;
  reason?: string;
}
export const noNotifier: Notifier = { notify: async () => [] };

/** Several notifiers as one (the bot's messages, and SMS to web residents): every row of each. */
export function allNotifiers(...list: Notifier[]): Notifier {
  return {
    async notify(tx, notice) {
      // One after the other: they read through the same transaction's connection.
      const rows: OutMessage[] = [];
      for (const n of list) rows.push(...(await n.notify(tx, notice)));
      return rows;
    },
    async resident(tx, notice) {
      const rows: OutMessage[] = [];
      for (const n of list) if (n.resident) rows.push(...(await n.resident(tx, notice)));
      return rows;
    },
  };
}
