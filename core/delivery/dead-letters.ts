// Dead letters: outgoing messages the outbox gave up on (status failed — refused for good, or past
// their attempt/age limit, rules/delivery.json). The office lists them and sends one again; a retry
// puts the row back at its old place in its chat's queue with fresh limits.
import type { Db } from "../db/db.ts";

export interface DeadLetter {
  id: number;
  chatId: bigint;
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
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      chatId: r.chatId,
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

/** Queues a dead letter again (true), or says it is no longer one (false: already retried or gone). */
export async function retryDeadLetter(db: Db, id: number, now: Date): Promise<boolean> {
  const r = await db.outboxMessage.updateMany({
    where: { id, status: "failed" },
    data: { status: "pending", attempts: 0, nextAttemptAt: null, queuedAt: now, deadAt: null, leaseOwner: null, leaseUntil: null },
  });
  return r.count === 1;
}

/** A short line of what the message said, for the list (text, caption, or the method). */
export function preview(payload: Record<string, unknown>, max = 80): string {
  const s = String(payload.text ?? payload.caption ?? payload.subject ?? "").replace(/\s+/g, " ").trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
