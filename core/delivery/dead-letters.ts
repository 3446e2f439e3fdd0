// Dead letters: outgoing messages the outbox gave up on (status failed — refused for good, or past
// their attempt/age limit, rules/delivery.json). The office lists them and sends one again; a retry
// puts the row back at its old place in its chat's queue with fresh limits.
import type { Db } from "../db/db.ts";
import { EMAIL_CHAT_ID } from "./outbox.ts";
import { isRobotChat, officeOfRobotChat } from "./robots/robot-messages.ts";

/** Who a chat id is, from the directory: what the office needs to act (call them, fix the group link). */
export type Recipient =
  | { kind: "resident"; name: string; estate: string | null; building: string | null }
  | { kind: "liaison"; name: string; company: string }
  | { kind: "office"; name: string } // an office's group chat
  | { kind: "staff"; name: string; office: string } // an office member's private chat
  | { kind: "email"; to: string | null }
  | { kind: "unknown" };

export interface DeadLetter {
  id: number;
  chatId: bigint;
  recipient: Recipient;
  method: string;
  kind: string;
  caseId: number | null;
  caseNumber: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  queuedAt: Date;
  deadAt: Date | null;
  fallbackFrom: { method?: string; error?: string } | null;
}

/** Newest first. District-wide: the page is for admin and district staff. */
export async function listDeadLetters(db: Db, o: { limit?: number } = {}): Promise<{ rows: DeadLetter[]; total: number }> {
  const where = { status: "failed" as const };
  const [rows, total] = await Promise.all([
    db.outboxMessage.findMany({ where, orderBy: [{ deadAt: { sort: "desc", nulls: "last" } }, { id: "desc" }], take: o.limit ?? 100 }),
    db.outboxMessage.count({ where }),
  ]);
  const ids = [...new Set(rows.flatMap((r) => (r.caseId ? [r.caseId] : [])))];
  const numbers = new Map((await db.case.findMany({ where: { id: { in: ids } }, select: { id: true, number: true } })).map((c) => [c.id, c.number]));
  const who = await recipients(db, rows.map((r) => r.chatId));
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      chatId: r.chatId,
      recipient: r.chatId === BigInt(EMAIL_CHAT_ID) ? { kind: "email", to: typeof (r.payload as { to?: unknown } | null)?.to === "string" ? ((r.payload as { to: string }).to) : null } : (who.get(r.chatId) ?? { kind: "unknown" }),
      method: r.method,
      kind: r.kind,
      caseId: r.caseId,
      caseNumber: r.caseId ? (numbers.get(r.caseId) ?? null) : null,
      payload: (r.payload ?? {}) as Record<string, unknown>,
      attempts: r.attempts,
      lastError: r.lastError,
      queuedAt: r.queuedAt,
      deadAt: r.deadAt,
      fallbackFrom: (r.fallbackFrom ?? null) as DeadLetter["fallbackFrom"],
    })),
  };
}

/** Chat ids → people and groups of the directory, in one query per kind (a page shows at most a few hundred rows). */
async function recipients(db: Db, chatIds: bigint[]): Promise<Map<bigint, Recipient>> {
  const ids = [...new Set(chatIds)].filter((c) => c !== BigInt(EMAIL_CHAT_ID));
  const out = new Map<bigint, Recipient>();
  if (ids.length === 0) return out;
  const robotOffices = ids.filter(isRobotChat).map(officeOfRobotChat);
  const [offices, members, liaisons, residents, robots] = await Promise.all([
    db.office.findMany({ where: { chatId: { in: ids } }, select: { chatId: true, name: true } }),
    // A private chat's id is the user's id.
    db.officeMember.findMany({ where: { telegramUserId: { in: ids } }, select: { telegramUserId: true, name: true, office: { select: { name: true } } } }),
    db.liaison.findMany({ where: { chatId: { in: ids } }, select: { chatId: true, name: true, company: { select: { name: true } } } }),
    db.resident.findMany({ where: { chatId: { in: ids } }, select: { chatId: true, name: true, estate: { select: { name: true } }, building: { select: { name: true } } } }),
    // An office's WeCom / DingTalk robot (core/delivery/robots).
    robotOffices.length ? db.office.findMany({ where: { id: { in: robotOffices } }, select: { id: true, name: true } }) : Promise.resolve([]),
  ]);
  for (const o of robots) out.set(ids.find((c) => isRobotChat(c) && officeOfRobotChat(c) === o.id)!, { kind: "office", name: o.name });
  // The more specific wins when one chat id is several things (a liaison who is also a resident).
  for (const r of residents) out.set(r.chatId!, { kind: "resident", name: r.name, estate: r.estate?.name ?? null, building: r.building?.name ?? null });
  for (const m of members) out.set(m.telegramUserId, { kind: "staff", name: m.name, office: m.office.name });
  for (const l of liaisons) out.set(l.chatId!, { kind: "liaison", name: l.name, company: l.company.name });
  for (const o of offices) out.set(o.chatId!, { kind: "office", name: o.name });
  return out;
}

/** Queues a dead letter again (true), or says it is no longer one (false: already retried or gone). */
export async function retryDeadLetter(db: Db, id: number, now: Date): Promise<boolean> {
  const r = await db.outboxMessage.updateMany({
    where: { id, status: "failed" },
    data: { status: "pending", attempts: 0, nextAttemptAt: null, queuedAt: now, deadAt: null, leaseOwner: null, leaseUntil: null, holdsChatUntil: null },
  });
  return r.count === 1;
}

/** A short line of what the message said, for the list (text, caption, or the method). */
export function preview(payload: Record<string, unknown>, max = 80): string {
  const s = String(payload.text ?? payload.caption ?? payload.subject ?? "").replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
