// One outbox for every outgoing message. Writers enqueue rows inside their own transaction (so a
// case and its notifications commit together); one sender delivers them, in order per chat.
// A row is marked sent only after the transport accepted it; a crash between the two re-sends it
// once the lease expires (at-least-once at the Telegram boundary, exactly-once everywhere else).
// A message that keeps failing holds its chat only for its kind's holdChatSeconds (then the chat's
// later messages go and it retries on its own); a photo answered 5xx goes as a text with a link at
// once. Design notes: core/delivery/README.md.
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
import { DEFAULT_LIMITS, kindOf, unorderedKinds, type DeliveryLimits, type MessageKind } from "./delivery-settings.ts";

export type OutMethod = "sendMessage" | "sendPhoto" | "sendMediaGroup" | "sendLocation" | "editMessageText" | "editMessageReplyMarkup" | "sendEmail" | "sendDocument" | "sendSms" | "sendWecom" | "sendDingtalk";

/** A file a row sends (sendDocument's `document`, an e-mail's `attachments`): stored in the database, never in the row. */
export interface DocumentRef {
  bulletinId: number;
  filename: string;
  /** The PDF's language (the receiving office's); rows queued before languages have none. */
  locale?: string;
}
/** Reads a DocumentRef's bytes for a transport; null when it is gone. */
export type DocumentLoader = (ref: DocumentRef) => Promise<{ filename: string; content: Buffer } | null>;

/** chatId of e-mail rows (method sendEmail, payload { to, subject, text }): not a Telegram chat. */
export const EMAIL_CHAT_ID = 0;

export interface OutMessage {
  chatId: bigint | number;
  method?: OutMethod;
  payload: Record<string, unknown>;
  /** Same key twice is stored once: makes enqueuing idempotent across retries and instances. */
  dedupeKey?: string;
  caseId?: number;
  /** Picks the attempt and age limits; derived from the dedupe key when not given (delivery-settings.ts). */
  kind?: MessageKind;
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
    INSERT INTO "OutboxMessage" ("chatId", method, payload, "dedupeKey", "caseId", kind)
    SELECT chat, method, payload, key, "case", kind FROM unnest(${list.map((m) => BigInt(m.chatId))}::bigint[], ${list.map((m) => m.method ?? "sendMessage")}::text[],
      ${list.map((m) => jsonForDb(m.payload))}::jsonb[], ${list.map((m) => m.dedupeKey ?? null)}::text[], ${list.map((m) => m.caseId ?? null)}::int[],
      ${list.map((m) => m.kind ?? kindOf(m.dedupeKey, m.caseId))}::text[])
      AS u(chat, method, payload, key, "case", kind)
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING "dedupeKey"`;
  return rows.flatMap((r) => (r.dedupeKey ? [r.dedupeKey] : []));
}

/** What the transport says when it could not deliver; `detail` is the far side's answer, kept in full. */
export class DeliveryError extends Error {
  constructor(
    readonly kind: "retry_after" | "transient" | "undeliverable" | "rejected",
    message: string,
    readonly retryAfterSeconds?: number,
    readonly detail?: { status?: number; description?: string; body?: string },
  ) {
    super(message);
  }

  /** The stored error: the message (method, status, description), then the answer's body. */
  record(): string {
    return this.detail?.body ? `${this.message}\nbody: ${this.detail.body}` : this.message;
  }
}

/** Why a message became a dead letter: refused at once (permanent 4xx) or past its attempt/age limit. */
export type DeadReason = "rejected" | "attempts" | "age";

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
  /** Attempt and age limits per kind (rules/delivery.json); read at each failure, so edits apply at once. */
  limits?: () => DeliveryLimits;
  /** Counts dead letters (api/metrics.ts). */
  onDeadLetter?: (kind: string, reason: DeadReason) => void;
  /** Counts a chat's first message failing for the first time (api/metrics.ts): its chat now waits. */
  onHeadRetry?: (kind: string) => void;
  /** Only rows with these methods (with the bot off, a sender for e-mail and SMS leaves Telegram's rows waiting). */
  methods?: OutMethod[];
  /** A photo or album that cannot be sent: the text to send instead (caption and a dashboard link), or null. */
  mediaFallback?: (row: { chatId: bigint; method: OutMethod; payload: Record<string, unknown>; caseId: number | null }) => Promise<Record<string, unknown> | null>;
}

const MEDIA: ReadonlySet<string> = new Set(["sendPhoto", "sendMediaGroup"]);
const channelOf = (method: string) => (method === "sendEmail" ? "email" : method === "sendSms" ? "sms" : "telegram");

interface ClaimedRow {
  id: number;
  chatId: bigint;
  method: string;
  payload: Record<string, unknown>;
  attempts: number;
  kind: string;
  queuedAt: Date;
  caseId: number | null;
  holdsChatUntil: Date | null;
}

export class OutboxSender extends LeaseWorker<ClaimedRow> {
  private readonly o: Required<Omit<SenderOptions, "onUndeliverable" | "sql" | "onDeadLetter" | "onHeadRetry" | "mediaFallback" | "methods">> &
    Pick<SenderOptions, "onUndeliverable" | "onDeadLetter" | "onHeadRetry" | "mediaFallback" | "methods">;
  private readonly sql: HotSql;
  /** When this sender last got a message through, per channel (Telegram, e-mail, SMS): tells a message
   *  that fails alone from an outage where everything fails (then the chat keeps its order). */
  private readonly lastDelivered = new Map<string, number>();
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
      limits: () => DEFAULT_LIMITS,
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
    const unordered = unorderedKinds(this.o.limits());
    // A message goes when no earlier unsent message of its chat holds it: that keeps per-chat order,
    // also across instances (the status guard makes a second claimer skip the row). An earlier
    // message does not hold it when it is of a kind whose order does not matter, an e-mail (chat 0
    // is every mailbox), or failing past its hold (holdsChatUntil); such a message retries on its
    // own. Pending rows are walked in id order (OutboxMessage_pending_idx), each checked against its
    // chat's earlier open rows (OutboxMessage_open_idx): cheaper under load than sorting every open
    // row (bench/intake).
    return this.sql.query<ClaimedRow>`
      WITH due AS (
        SELECT id FROM "OutboxMessage" p
        WHERE status = 'pending' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
          AND (${this.o.methods ?? null}::text[] IS NULL OR method = ANY(${this.o.methods ?? null}::text[]))
          AND method NOT IN ('sendWecom', 'sendDingtalk') -- group robots: paced and folded by robots/robot-sender.ts
          AND (p.method = 'sendEmail' OR p.kind = ANY(${unordered}::text[]) OR p."holdsChatUntil" <= ${now}
            OR NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."chatId" = p."chatId" AND o.status IN ('pending', 'sending') AND o.id < p.id
              AND o.method <> 'sendEmail' AND o.kind <> ALL(${unordered}::text[]) AND (o."holdsChatUntil" IS NULL OR o."holdsChatUntil" > ${now})))
        ORDER BY id LIMIT ${limit}
      )
      UPDATE "OutboxMessage" o
      SET status = 'sending', "leaseOwner" = ${this.o.owner},
          "leaseUntil" = ${new Date(now.getTime() + this.o.leaseMs)}, attempts = o.attempts + 1
      FROM due WHERE o.id = due.id AND o.status = 'pending'
      RETURNING o.id, o."chatId", o.method, o.payload, o.attempts, o.kind, o."queuedAt", o."caseId", o."holdsChatUntil"`;
  }

  protected async handle(row: ClaimedRow): Promise<void> {
    const db = this.o.db;
    try {
      const res = await this.o.transport.deliver(BigInt(row.chatId), row.method as OutMethod, row.payload);
      this.lastDelivered.set(channelOf(row.method), this.o.clock.now().getTime());
      await this.marks.add({ id: row.id, messageId: res.messageId ?? null });
    } catch (err) {
      const e = err instanceof DeliveryError ? err : new DeliveryError("transient", (err as Error)?.message ?? String(err));
      const now = this.o.clock.now();
      if (e.kind === "undeliverable") {
        this.o.log.warn({ id: row.id, chatId: String(row.chatId), err: e.message }, "outbox: undeliverable");
        await db.outboxMessage.updateMany({ where: { id: row.id, leaseOwner: this.o.owner }, data: { status: "undeliverable", lastError: e.record(), leaseUntil: null } });
        // The user blocked the bot: what else waits for this chat would fail the same way.
        await db.$executeRaw`UPDATE "OutboxMessage" SET status = 'undeliverable', "lastError" = ${e.message}
          WHERE "chatId" = ${BigInt(row.chatId)} AND status = 'pending' AND id > ${row.id}`;
        await this.o.onUndeliverable?.(BigInt(row.chatId));
        return;
      }
      const dead = e.kind === "rejected" ? "rejected" : this.pastLimits(row, e, now);
      if (dead) return this.giveUp(row, e, dead, now);
      // Telegram's 5xx to a photo rarely clears on a retry (a file it cannot fetch or process): the
      // text with the link goes now rather than after the attempt limit.
      if (MEDIA.has(row.method) && (e.detail?.status ?? 0) >= 500 && (await this.fallBackToText(row, e, now))) return;
      const delay =
        e.kind === "retry_after"
          ? Math.min((e.retryAfterSeconds ?? 1) * 1000, this.o.maxRetryAfterMs)
          : Math.min(1000 * 2 ** Math.min(row.attempts - 1, 20), this.o.maxBackoffMs) * (0.75 + Math.random() * 0.5);
      // Waiting our turn (429) keeps the chat's order and starts no hold; any other failure starts
      // the message's hold on its chat, once. While nothing at all gets through on its channel (an
      // outage, not this message), the hold is renewed past the next try: letting the chat's later
      // messages go would only scramble their order, not deliver them.
      const limit = this.limitOf(row);
      const holdMs = limit.holdChatSeconds * 1000;
      const outage = now.getTime() - (this.lastDelivered.get(channelOf(row.method)) ?? -Infinity) > holdMs;
      const renewed = outage && e.kind !== "retry_after" ? new Date(Math.max(row.holdsChatUntil?.getTime() ?? 0, now.getTime() + delay + holdMs)) : null;
      const holdsChatUntil = renewed ?? (e.kind === "retry_after" || row.holdsChatUntil ? row.holdsChatUntil : new Date(now.getTime() + holdMs));
      if (e.kind !== "retry_after" && !row.holdsChatUntil) {
        this.o.log.warn({ id: row.id, chatId: String(row.chatId), kind: row.kind, method: row.method, err: e.message, holdChatSeconds: limit.ordered ? limit.holdChatSeconds : 0, delayMs: Math.round(delay) },
          "outbox: a chat's next message failed; retrying (its chat's later messages wait at most holdChatSeconds)");
        this.o.onHeadRetry?.(row.kind);
      } else this.o.log.info({ id: row.id, kind: e.kind, attempts: row.attempts, delayMs: Math.round(delay) }, "outbox: will retry");
      await db.outboxMessage.updateMany({
        where: { id: row.id, leaseOwner: this.o.owner },
        data: { status: "pending", nextAttemptAt: new Date(now.getTime() + delay), lastError: e.record(), leaseOwner: null, leaseUntil: null, holdsChatUntil },
      });
    }
  }

  /** Past the kind's limits? A 429 only counts against the age: waiting our turn is not failing. */
  private pastLimits(row: ClaimedRow, e: DeliveryError, now: Date): DeadReason | null {
    const limit = this.limitOf(row);
    if (now.getTime() - new Date(row.queuedAt).getTime() >= limit.maxAgeHours * 3_600_000) return "age";
    if (e.kind !== "retry_after" && row.attempts >= limit.maxAttempts) return "attempts";
    return null;
  }

  private limitOf(row: ClaimedRow) {
    const limits = this.o.limits();
    return limits[row.kind as MessageKind] ?? limits.other;
  }

  /** A photo or album goes as a text with a link instead: the same row, so the chat's order holds
   *  (and its hold, when it has one, keeps counting from the photo's first failure). */
  private async fallBackToText(row: ClaimedRow, e: DeliveryError, now: Date): Promise<boolean> {
    const text = await this.o.mediaFallback?.({ chatId: BigInt(row.chatId), method: row.method as OutMethod, payload: row.payload, caseId: row.caseId });
    if (!text) return false;
    this.o.log.warn({ id: row.id, chatId: String(row.chatId), err: e.message }, "outbox: media not sent; sending a text with a link instead");
    await this.o.db.outboxMessage.updateMany({
      where: { id: row.id, leaseOwner: this.o.owner },
      data: {
        method: "sendMessage",
        payload: text as object,
        fallbackFrom: { method: row.method, payload: row.payload, error: e.record() } as object,
        status: "pending", attempts: 0, nextAttemptAt: null, queuedAt: now, lastError: e.record(), leaseOwner: null, leaseUntil: null,
      },
    });
    return true;
  }

  /** A photo goes as a text with a link instead; anything else becomes a dead letter, and the chat's
   *  next message may go. */
  private async giveUp(row: ClaimedRow, e: DeliveryError, reason: DeadReason, now: Date): Promise<void> {
    const db = this.o.db;
    if (MEDIA.has(row.method) && (await this.fallBackToText(row, e, now))) return;
    this.o.log.warn({ id: row.id, chatId: String(row.chatId), kind: row.kind, reason, attempts: row.attempts, err: e.message }, "outbox: dead letter");
    const n = await db.outboxMessage.updateMany({
      where: { id: row.id, leaseOwner: this.o.owner },
      data: { status: "failed", deadAt: now, lastError: e.record(), leaseOwner: null, leaseUntil: null },
    });
    if (n.count) this.o.onDeadLetter?.(row.kind, reason);
  }
}
