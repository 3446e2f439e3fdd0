// How the outbox treats one kind of message (rules/delivery.json, office-editable; defaults below when
// the file is absent): how long it keeps trying before the message becomes a dead letter (an attempt
// and an age limit; the office sees it on the dead-letter page), how long a failing message may keep
// its chat's later messages waiting (seconds, not hours: past it they go and it retries on its own),
// and whether its place in the chat matters at all. Kinds are told apart by the dedupe keys their
// writers already use, so no writer has to name its kind.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { loadRuleFile } from "../rule-file.ts";

export const MESSAGE_KINDS = ["case", "escalation", "revisit", "reminder", "reply", "survey", "digest", "warning", "sms", "other"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface DeliveryLimit {
  /** Failed tries (429 waits excluded) before the message is dead-lettered. */
  maxAttempts: number;
  /** Hours since it was queued after which a failure dead-letters it. */
  maxAgeHours: number;
  /** Seconds after its first failure (a 429 excluded) during which the chat's later messages wait for it. */
  holdChatSeconds: number;
  /** false: neither waits for the chat's earlier messages nor holds its later ones (a digest stands alone). */
  ordered: boolean;
}

// Backoff doubles from 1 s up to 5 min: 10 tries ≈ 9 min, 20 ≈ 1 h, 40 ≈ 2.7 h of failures.
// A case card (and what a liaison or office must act on) outlives a Telegram outage of hours; a
// survey reminder or a chat reply is worth little after a day. None of that may hold a chat: after
// holdChatSeconds (backoff 1+2+4+8+16 s ≈ 5 tries in 30 s) the chat's next messages go — a reply a
// resident is waiting for soonest, a case card (whose buttons the next messages refer to) latest.
export const DEFAULT_LIMITS: Record<MessageKind, DeliveryLimit> = {
  case: { maxAttempts: 40, maxAgeHours: 72, holdChatSeconds: 60, ordered: true },
  escalation: { maxAttempts: 40, maxAgeHours: 72, holdChatSeconds: 60, ordered: true },
  revisit: { maxAttempts: 20, maxAgeHours: 72, holdChatSeconds: 30, ordered: true },
  reminder: { maxAttempts: 10, maxAgeHours: 12, holdChatSeconds: 30, ordered: true },
  reply: { maxAttempts: 15, maxAgeHours: 24, holdChatSeconds: 20, ordered: true },
  survey: { maxAttempts: 10, maxAgeHours: 48, holdChatSeconds: 30, ordered: true },
  digest: { maxAttempts: 15, maxAgeHours: 24, holdChatSeconds: 0, ordered: false },
  warning: { maxAttempts: 15, maxAgeHours: 24, holdChatSeconds: 0, ordered: false },
  // A progress SMS to a web resident: the case page has it anyway; after a day it is news no more.
  sms: { maxAttempts: 10, maxAgeHours: 24, holdChatSeconds: 60, ordered: true },
  other: { maxAttempts: 20, maxAgeHours: 48, holdChatSeconds: 30, ordered: true },
};

const limit = z.strictObject({
  maxAttempts: z.number().int().min(1).max(1000),
  maxAgeHours: z.number().positive().max(24 * 90),
  // A minute at most could be too short for an office; ten minutes is the most a chat may wait.
  holdChatSeconds: z.number().min(0).max(600),
  ordered: z.boolean(),
});
const fileSchema = z.strictObject({
  $comment: z.unknown().optional(),
  limits: z.partialRecord(z.enum(MESSAGE_KINDS), limit.partial()),
});

export type DeliveryLimits = Record<MessageKind, DeliveryLimit>;

/** rules/delivery.json over the defaults; the defaults alone when the file is not there. */
export function loadDeliveryLimits(rulesDir: string): DeliveryLimits {
  if (!fs.existsSync(path.join(rulesDir, "delivery.json"))) return DEFAULT_LIMITS;
  const { data } = loadRuleFile(rulesDir, "delivery.json", fileSchema);
  return mergeLimits(data.limits);
}

export function mergeLimits(over: Partial<Record<MessageKind, Partial<DeliveryLimit>>>): DeliveryLimits {
  return Object.fromEntries(MESSAGE_KINDS.map((k) => [k, { ...DEFAULT_LIMITS[k], ...over[k] }])) as DeliveryLimits;
}

/** The kind of a message from its dedupe key (the writers' naming, see core/clocks, core/surveys, bot/render). */
export function kindOf(dedupeKey: string | null | undefined, caseId?: number | null): MessageKind {
  const key = dedupeKey ?? "";
  if (/^case:\d+:remind:/.test(key)) return "reminder";
  if (/^case:\d+:revisit:/.test(key)) return "revisit";
  if (key.startsWith("case:")) return "case";
  if (key.startsWith("esc:")) return "escalation";
  if (key.startsWith("survey:")) return "survey";
  if (key.startsWith("digest:")) return "digest";
  if (key.startsWith("warn:")) return "warning";
  if (key.startsWith("sms:")) return "sms";
  // Bot replies (u:<chat>:<update>:<n>); those about a case (a liaison's relay) count as the case's.
  if (key.startsWith("u:")) return caseId ? "case" : "reply";
  return caseId ? "case" : "other";
}

/** The kinds whose place in a chat does not matter (the outbox's claim lets them pass and be passed). */
export function unorderedKinds(limits: DeliveryLimits): string[] {
  return MESSAGE_KINDS.filter((k) => !limits[k].ordered);
}
