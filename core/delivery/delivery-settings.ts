// How long the outbox keeps trying one message before it becomes a dead letter: an attempt limit and
// an age limit per kind of message (rules/delivery.json, office-editable; defaults below when the file
// is absent). A message past either limit stops holding up its chat: the chat's later messages go,
// and the office sees it on the dead-letter page. Kinds are told apart by the dedupe keys their
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
}

// Backoff doubles from 1 s up to 5 min: 10 tries ≈ 9 min, 20 ≈ 1 h, 40 ≈ 2.7 h of failures.
// A case card (and what a liaison or office must act on) outlives a Telegram outage of hours; a
// survey reminder or a chat reply is worth little after a day.
export const DEFAULT_LIMITS: Record<MessageKind, DeliveryLimit> = {
  case: { maxAttempts: 40, maxAgeHours: 72 },
  escalation: { maxAttempts: 40, maxAgeHours: 72 },
  revisit: { maxAttempts: 20, maxAgeHours: 72 },
  reminder: { maxAttempts: 10, maxAgeHours: 12 },
  reply: { maxAttempts: 15, maxAgeHours: 24 },
  survey: { maxAttempts: 10, maxAgeHours: 48 },
  digest: { maxAttempts: 15, maxAgeHours: 24 },
  warning: { maxAttempts: 15, maxAgeHours: 24 },
  // A progress SMS to a web resident: the case page has it anyway; after a day it is news no more.
  sms: { maxAttempts: 10, maxAgeHours: 24 },
  other: { maxAttempts: 20, maxAgeHours: 48 },
};

const limit = z.strictObject({
  maxAttempts: z.number().int().min(1).max(1000),
  maxAgeHours: z.number().positive().max(24 * 90),
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
