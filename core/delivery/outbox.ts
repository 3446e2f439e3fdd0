// One outbox for every outgoing message. Writers enqueue rows inside their own transaction (so a
// case and its notifications commit together); one sender delivers them, in order per chat.
// A row is marked sent only after the transport accepted it; a crash between the two re-sends it
// once the lease expires (at-least-once at the Telegram boundary, exactly-once everywhere else).
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import { systemClock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { LeaseWorker } from "./lease-worker.ts";
import { prismaHotSql, type HotSql } from "../db/hot-sql.ts";
import { jsonForDb } from "../text.ts";
import { GroupCommit } from "./group-commit.ts";

export type OutMethod = "sendMessage" | "sendPhoto" | "sendMediaGroup" | "sendLocation" | "editMessageText" | "editMessageReplyMarkup" | "sendEmail";

/** chatId of e-mail rows (method sendEmail, payload { to, subject, text }): not a Telegram chat. */
export const EMAIL_CHAT_ID = 0;

export interface OutMessage {
  chatId: bigint | number;
  method?: OutMethod;
  payload: Record<string, unknown>;
  /** Same key twice is stored once: makes enqueuing idempotent across retries and instances. */
  dedupeKey?: string;
  caseId?: number;
}

type Tx = Pick<Db, "$queryRaw" | "$executeRaw">;

/** Stores messages; returns the dedupe keys that were new (a key stored before is skipped). */
export async function enqueue(db: Tx, messages: OutMessage | OutMessage[]): Promise<string[]> {
  return enqueueWith(prismaHotSql(db).query, messages);
}

/** enqueue() on any runner of plain SQL: the bot's replies outside a transaction use Database.hot. */
export async function enqueueWith(query: HotSql["query"], messages: OutMessage | OutMessage[]): Promise<string[]> {
  const list = Array.isArray(messages) ? messages : [messages];
  if (list.length === 0) return [];
  // Plain SQL: this runs for nearly every update; a Prisma createMany costs ~3× the CPU.
  const rows = await query<{ dedupeKey: string | null }>`
    INSERT INTO "OutboxMessage" ("chatId", method, payload, "dedupeKey", "caseId")
    SELECT chat, method, payload, key, "case" FROM unnest(${list.map((m) => BigInt(m.chatId))}::bigint[], ${list.map((m) => m.method ?? "sendMessage")}::text[],
      ${list.map((m) => jsonForDb(m.payload))}::jsonb[], ${list.map((m) => m.dedupeKey ?? null)}::text[], ${list.map((m) => m.caseId ?? null)}::int[])
      AS u(chat, method, payload, key, "case")
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "dedupeKey"`;
  return rows.flatMap((r) => (r.dedupeKey ? [r.dedupeKey] : []));
}

/** What the transport says when it could not deliver. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: "retry_after" | "transient" | "undeliverable" | "rejected",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface Transport {
  deliver(chatId: bigint, method: OutMethod, payload: Record<string, unknown>): Promise<{ messageId?: number }>;
}

export interface SenderOptions {
  db: Db;
  /** The per-message statements (Database.hot); Prisma's raw queries when not given. */
  sql?: HotSql;
  transport: Transport;
  clock?: Clock;
  log?: Logger;
  owner?: string;
  batchSize?: number;
  pollMs?: number;
  leaseMs?: number;
  maxRetryAfterMs?: number;
  maxBackoffMs?: number;
  onUndeliverable?: (chatId: bigint) => Promise<void>;
}

interface ClaimedRow {
  id: number;
  chatId: bigint;
  method: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export class OutboxSender extends LeaseWorker<ClaimedRow> {
  private readonly o: Required<Omit<SenderOptions, "onUndeliverable" | "sql">> & Pick<SenderOptions, "onUndeliverable">;
  private readonly sql: HotSql;
  /** "Sent" marks of concurrent deliveries go together (core/delivery/group-commit.ts). */
  private readonly marks: GroupCommit<{ id: number; messageId: number | null }, void>;

  constructor(opts: SenderOptions) {
    const o = {
      clock: systemClock,
      log: silentLogger,
      owner: `${process.pid}-${crypto.randomUUID().slice(0, 8)}`,
      batchSize: 30,
      pollMs: 1000,
      leaseMs: 60_000,
      maxRetryAfterMs: 60_000,
      maxBackoffMs: 5 * 60_000,
      ...opts,
    };
    super({ log: o.log, name: "outbox", pollMs: o.pollMs, maxInFlight: o.batchSize, recoverEveryMs: o.leaseMs / 4 });
    this.o = o;
    this.sql = opts.sql ?? prismaHotSql(opts.db);
    this.marks = new GroupCommit<{ id: number; messageId: number | null }, void>(async (rows) => {
      await this.sql.exec`UPDATE "OutboxMessage" o SET status = 'sent', "sentAt" = ${this.o.clock.now()},
          "sentMessageId" = m.mid, "lastError" = NULL, "leaseUntil" = NULL
        FROM unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => r.messageId)}::int[]) AS m(id, mid)
        WHERE o.id = m.id AND o."leaseOwner" = ${this.o.owner}`;
    });
  }

  /** One claim-and-deliver round; returns how many rows it handled. Tests call it directly. */
  drainOnce(): Promise<number> {
    return this.runOnce();
  }

  protected async recoverExpired(): Promise<void> {
    // A crashed sender's rows come back after their lease.
    await this.o.db.$executeRaw`UPDATE "OutboxMessage" SET status = 'pending', "leaseOwner" = NULL
      WHERE status = 'sending' AND "leaseUntil" < ${this.o.clock.now()}`;
  }

  protected async claim(limit: number): Promise<ClaimedRow[]> {
    const now = this.o.clock.now();
    // Only the oldest unsent message of each chat may go: that keeps per-chat order, also
    // across instances (the status guard makes a second claimer skip the row). Pending rows are
    // walked in id order (OutboxMessage_pending_idx), each checked against its chat's oldest open
    // row (OutboxMessage_open_idx): cheaper under load than sorting every open row (bench/intake).
    return this.sql.query<ClaimedRow>`
      WITH due AS (
        SELECT id FROM "OutboxMessage" p
        WHERE status = 'pending' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
          AND id = (SELECT min(o.id) FROM "OutboxMessage" o WHERE o."chatId" = p."chatId" AND o.status IN ('pending', 'sending'))
        ORDER BY id LIMIT ${limit}
      )
      UPDATE "OutboxMessage" o
      SET status = 'sending', "leaseOwner" = ${this.o.owner},
          "leaseUntil" = ${new Date(now.getTime() + this.o.leaseMs)}, attempts = o.attempts + 1
      FROM due WHERE o.id = due.id AND o.status = 'pending'
      RETURNING o.id, o."chatId", o.method, o.payload, o.attempts`;
  }

  protected async handle(row: ClaimedRow): Promise<void> {
    const db = this.o.db;
    try {
      const res = await this.o.transport.deliver(BigInt(row.chatId), row.method as OutMethod, row.payload);
      await this.marks.add({ id: row.id, messageId: res.messageId ?? null });
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError("transient", (err as Error)?.message ?? String(err));
      const now = this.o.clock.now().getTime();
      if (e.kind === "undeliverable" || e.kind === "rejected") {
        this.o.log.warn({ id: row.id, chatId: String(row.chatId), err: e.message }, `outbox: ${e.kind}`);
        await db.outboxMessage.updateMany({
          where: { id: row.id, leaseOwner: this.o.owner },
          data: { status: e.kind === "undeliverable" ? "undeliverable" : "failed", lastError: e.message, leaseUntil: null },
        });
        if (e.kind === "undeliverable") {
          // The user blocked the bot: what else waits for this chat would fail the same way.
          await db.$executeRaw`UPDATE "OutboxMessage" SET status = 'undeliverable', "lastError" = ${e.message}
            WHERE "chatId" = ${BigInt(row.chatId)} AND status = 'pending' AND id > ${row.id}`;
          await this.o.onUndeliverable?.(BigInt(row.chatId));
        }
        return;
      }
      const delay =
        e.kind === "retry_after"
          ? Math.min((e.retryAfterSeconds ?? 1) * 1000, this.o.maxRetryAfterMs)
          : Math.min(1000 * 2 ** Math.min(row.attempts - 1, 20), this.o.maxBackoffMs) * (0.75 + Math.random() * 0.5);
      this.o.log.info({ id: row.id, kind: e.kind, delayMs: Math.round(delay) }, "outbox: will retry");
      await db.outboxMessage.updateMany({
        where: { id: row.id, leaseOwner: this.o.owner },
        data: { status: "pending", nextAttemptAt: new Date(now + delay), lastError: e.message, leaseOwner: null, leaseUntil: null },
      });
    }
  }
}
