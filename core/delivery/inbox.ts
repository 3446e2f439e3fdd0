// Durable inbox for webhook updates: an update is stored (deduplicated by update_id) before
// Telegram gets its 200, then handled here, in order per chat and in parallel across chats.
// A crash mid-handling leaves the row leased; it is picked up again when the lease expires.
import crypto from "node:crypto";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { LeaseWorker } from "./lease-worker.ts";
import { jsonForDb } from "../text.ts";
import type { WakeChannel } from "./wakeups.ts";
import { prismaHotSql, type HotSql } from "../db/hot-sql.ts";
import { GroupCommit } from "./group-commit.ts";

type ClaimedUpdate = { updateId: bigint; payload: Update; attempts: number };

export type Update = { update_id: number } & Record<string, unknown>;

export interface InboxOptions {
  db: Db;
  /** The per-update statements (Database.hot); Prisma's raw queries when not given. */
  sql?: HotSql;
  handle: (update: Update) => Promise<void>;
  /** Last attempt failed: tell the user something went wrong (the bot's apology). */
  onGiveUp?: (update: Update, err: unknown) => Promise<void>;
  log?: Logger;
  owner?: string;
  batchSize?: number;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /**
   * A web process (PROCESS_ROLE=web) wakes the worker process: the insert NOTIFYs this channel in
   * the same statement, so a stored update costs one round trip, not two.
   */
  notifyChannel?: WakeChannel;
}

/** Updates of one chat share a key so they are handled one at a time, in update_id order. */
export function chatKeyOf(u: Record<string, any>): string {
  const chat =
    u.message?.chat?.id ??
    u.edited_message?.chat?.id ??
    u.channel_post?.chat?.id ??
    u.callback_query?.message?.chat?.id ??
    u.my_chat_member?.chat?.id ??
    u.chat_member?.chat?.id ??
    u.chat_join_request?.chat?.id;
  if (chat !== undefined) return `c:${chat}`;
  const user = u.callback_query?.from?.id ?? u.inline_query?.from?.id ?? u.pre_checkout_query?.from?.id;
  return user !== undefined ? `u:${user}` : `x:${u.update_id}`;
}

export class InboxWorker extends LeaseWorker<ClaimedUpdate> {
  private readonly o: Required<Omit<InboxOptions, "onGiveUp" | "notifyChannel" | "sql">> & Pick<InboxOptions, "onGiveUp" | "notifyChannel">;
  private readonly sql: HotSql;
  /** "Done" marks of concurrently handled updates go together (core/delivery/group-commit.ts). */
  private readonly done: GroupCommit<bigint, void>;

  constructor(opts: InboxOptions) {
    const o = {
      log: silentLogger,
      owner: `${process.pid}-${crypto.randomUUID().slice(0, 8)}`,
      batchSize: 50,
      pollMs: 1000,
      leaseMs: 60_000,
      maxAttempts: 3,
      ...opts,
    };
    super({ log: o.log, name: "inbox", pollMs: o.pollMs, maxInFlight: o.batchSize, recoverEveryMs: o.leaseMs / 4 });
    this.o = o;
    this.sql = opts.sql ?? prismaHotSql(opts.db);
    this.done = new GroupCommit<bigint, void>(async (ids) => {
      await this.sql.exec`UPDATE "InboundUpdate" SET status = 'done', "processedAt" = now(), "leaseUntil" = NULL, "lastError" = NULL
        WHERE "updateId" = ANY(${ids}::bigint[]) AND "leaseOwner" = ${this.o.owner}`;
    });
  }

  /** Stores an update; false when this update_id was stored before (Telegram re-delivery). */
  async accept(update: Update): Promise<boolean> {
    // With a channel, the NOTIFY rides in the same statement and only for a new update (CASE keeps
    // pg_notify from running otherwise), so a re-delivery wakes nobody.
    const channel = this.o.notifyChannel ?? "";
    const [{ n }] = (await this.sql.query<{ n: number }>`
      WITH ins AS (
        INSERT INTO "InboundUpdate" ("updateId", "chatKey", payload)
        VALUES (${BigInt(update.update_id)}, ${chatKeyOf(update)}, ${jsonForDb(update)}::jsonb)
        ON CONFLICT ("updateId") DO NOTHING RETURNING 1)
      SELECT count(*)::int AS n, max(CASE WHEN ${channel}::text <> '' THEN pg_notify(${channel}::text, '')::text END) AS _ FROM ins`) as [{ n: number }];
    if (n > 0) this.wake();
    return n > 0;
  }

  /** Handles the oldest pending update of up to batchSize chats; returns how many. */
  processOnce(): Promise<number> {
    return this.runOnce();
  }

  protected async recoverExpired(): Promise<void> {
    await this.o.db.$executeRaw`UPDATE "InboundUpdate" SET status = 'pending', "leaseOwner" = NULL
      WHERE status = 'processing' AND "leaseUntil" < ${new Date()}`;
  }

  protected async claim(limit: number): Promise<ClaimedUpdate[]> {
    const now = new Date();
    // A pending update is due when no older update of its chat is still open (per-chat order).
    // Probing InboundUpdate_open_idx per candidate is a few index tuples; the DISTINCT ON over all
    // open rows this replaced was a bitmap scan that cost 1–2 ms under load (bench/intake).
    return this.sql.query<ClaimedUpdate>`
      WITH due AS (
        SELECT "updateId" FROM "InboundUpdate" p
        WHERE status = 'pending' AND NOT EXISTS (
          SELECT 1 FROM "InboundUpdate" o
          WHERE o."chatKey" = p."chatKey" AND o.status IN ('pending', 'processing') AND o."updateId" < p."updateId")
        ORDER BY "updateId" LIMIT ${limit}
      )
      UPDATE "InboundUpdate" i
      SET status = 'processing', "leaseOwner" = ${this.o.owner},
          "leaseUntil" = ${new Date(now.getTime() + this.o.leaseMs)}, attempts = i.attempts + 1
      FROM due WHERE i."updateId" = due."updateId" AND i.status = 'pending'
      RETURNING i."updateId", i.payload, i.attempts`;
  }

  protected async handle(row: ClaimedUpdate): Promise<void> {
    const db = this.o.db;
    const where = { updateId: row.updateId, leaseOwner: this.o.owner };
    try {
      await this.o.handle(row.payload);
      await this.done.add(row.updateId);
    } catch (err) {
      const last = row.attempts >= this.o.maxAttempts;
      this.o.log.error({ err, updateId: String(row.updateId), attempt: row.attempts, giveUp: last }, "inbox: update failed");
      const data: Prisma.InboundUpdateUpdateManyMutationInput = {
        status: last ? "failed" : "pending",
        lastError: String((err as Error)?.message ?? err).slice(0, 2000),
        leaseOwner: null,
        leaseUntil: null,
      };
      await db.inboundUpdate.updateMany({ where, data });
      if (last) await this.o.onGiveUp?.(row.payload, err).catch((e) => this.o.log.error({ err: e }, "inbox: apology failed"));
    }
  }
}
