// Sends the outbox rows meant for offices' group robots (methods sendWecom / sendDingtalk). Each robot
// allows 20 messages a minute (DingTalk bans it for 10 minutes past that), so this sender keeps each
// robot under ROBOT_PER_MINUTE in any 60 s and folds everything waiting for one robot into as few
// messages as fit its byte limit: a burst of 200 escalations goes as a handful of messages naming all
// 200, nothing dropped. A refusal (bad key, signature refused, content refused) makes every row of
// that message a dead letter with the provider's full answer; "too fast" waits (60 s, or 10 min when
// the answer says banned); other failures back off and retry up to maxAttempts.
import crypto from "node:crypto";
import type { Db } from "../../db/db.ts";
import type { Clock } from "../../clock.ts";
import { systemClock } from "../../clock.ts";
import type { Logger } from "../../logger.ts";
import { silentLogger } from "../../logger.ts";
import { DeliveryError } from "../outbox.ts";
import { postRobot, ROBOT_PER_MINUTE, type RobotFetch, type RobotTarget } from "./robot-api.ts";
import { fold, type FoldRow } from "./fold.ts";
import { officeOfRobotChat, providerOf, ROBOT_METHODS, type RobotPayload } from "./robot-messages.ts";

export interface RobotSenderOptions {
  db: Db;
  fetch?: RobotFetch;
  clock?: Clock;
  log?: Logger;
  /** PUBLIC_BASE_URL: links in the messages. */
  baseUrl: string;
  perMinute?: number;
  maxAttempts?: number;
  /** Called per message posted (bench, metrics). */
  onPosted?: (robot: string, caseCount: number, at: Date) => void;
}

interface Row {
  id: number;
  chatId: bigint;
  method: string;
  payload: RobotPayload;
  attempts: number;
}

const WINDOW_MS = 60_000;

export class RobotSender {
  private readonly o: Required<Omit<RobotSenderOptions, "onPosted">> & Pick<RobotSenderOptions, "onPosted">;
  private readonly owner = `robots-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  /** When each robot was last posted to, within the last minute. */
  private readonly posts = new Map<string, number[]>();
  /** A robot that answered "too fast" (or banned) is left alone until then. */
  private readonly pausedUntil = new Map<string, number>();

  constructor(opts: RobotSenderOptions) {
    this.o = { fetch: (url, init) => fetch(url, init), clock: systemClock, log: silentLogger, perMinute: ROBOT_PER_MINUTE, maxAttempts: 12, ...opts };
  }

  private budget(robot: string, now: number): number {
    const recent = (this.posts.get(robot) ?? []).filter((t) => now - t < WINDOW_MS);
    this.posts.set(robot, recent);
    return this.o.perMinute - recent.length;
  }

  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  /** Polls every `pollMs` (one round at a time). */
  start(pollMs = 2000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.drainOnce()
        .catch((err) => this.o.log.error({ err: String(err) }, "robots: round failed"))
        .finally(() => (this.running = null));
    }, pollMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** When a robot with waiting rows may next be posted to (ms since epoch), or null when nothing waits. */
  async nextWakeAt(): Promise<number | null> {
    const now = this.o.clock.now().getTime();
    const waiting = await this.o.db.outboxMessage.findMany({ where: { status: "pending", method: { in: [...ROBOT_METHODS] } }, select: { method: true, chatId: true, nextAttemptAt: true } });
    let best: number | null = null;
    for (const w of waiting) {
      const robot = `${w.method}:${w.chatId}`;
      const recent = (this.posts.get(robot) ?? []).filter((t) => now - t < WINDOW_MS);
      let at = Math.max(now, w.nextAttemptAt?.getTime() ?? now, this.pausedUntil.get(robot) ?? now);
      if (recent.length >= this.o.perMinute) at = Math.max(at, recent[recent.length - this.o.perMinute]! + WINDOW_MS);
      best = best === null ? at : Math.min(best, at);
    }
    return best;
  }

  /** One round: for each robot with due rows and room under its limit, fold and post. Returns rows handled. */
  async drainOnce(): Promise<number> {
    const db = this.o.db;
    const now = this.o.clock.now();
    const due = await db.outboxMessage.findMany({
      where: { status: "pending", method: { in: [...ROBOT_METHODS] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
      orderBy: { id: "asc" },
      take: 5000,
      select: { id: true, chatId: true, method: true, payload: true, attempts: true },
    });
    const byRobot = new Map<string, Row[]>();
    for (const r of due as unknown as Row[]) byRobot.set(`${r.method}:${r.chatId}`, [...(byRobot.get(`${r.method}:${r.chatId}`) ?? []), r]);
    let handled = 0;
    for (const [robot, rows] of byRobot) {
      const t = now.getTime();
      if ((this.pausedUntil.get(robot) ?? 0) > t) continue;
      let room = this.budget(robot, t);
      if (room <= 0) continue;
      const first = rows[0]!;
      const target = await this.targetOf(first);
      if (!target) {
        await this.dead(rows.map((r) => r.id), new DeliveryError("rejected", `${providerOf(first.method)}: the office has no robot set up any more`), now);
        handled += rows.length;
        continue;
      }
      for (const msg of fold(rows.map((r): FoldRow => ({ id: r.id, payload: r.payload })), this.o.baseUrl)) {
        if (room-- <= 0) break;
        const claimed = await this.claim(msg.ids, now);
        if (!claimed.length) continue;
        this.posts.get(robot)!.push(t);
        try {
          await postRobot(this.o.fetch, target, msg, t);
          await db.outboxMessage.updateMany({ where: { id: { in: claimed }, leaseOwner: this.owner }, data: { status: "sent", sentAt: now, lastError: null, leaseUntil: null } });
          this.o.onPosted?.(robot, claimed.length, now);
        } catch (err) {
          const e = err instanceof DeliveryError ? err : new DeliveryError("transient", String((err as Error)?.message ?? err));
          await this.failed(robot, rows.filter((r) => claimed.includes(r.id)), e, now);
          if (e.kind === "retry_after") break;
        }
        handled += claimed.length;
      }
    }
    return handled;
  }

  private async targetOf(row: Row): Promise<RobotTarget | null> {
    const office = await this.o.db.office.findUnique({ where: { id: officeOfRobotChat(BigInt(row.chatId)) }, select: { wecomWebhook: true, dingtalkWebhook: true, dingtalkSecret: true } });
    const provider = providerOf(row.method);
    const url = provider === "wecom" ? office?.wecomWebhook : office?.dingtalkWebhook;
    return url ? { provider, url, secret: provider === "dingtalk" ? office?.dingtalkSecret : null } : null;
  }

  private async claim(ids: number[], now: Date): Promise<number[]> {
    const rows = await this.o.db.$queryRaw<{ id: number }[]>`UPDATE "OutboxMessage" SET status = 'sending', "leaseOwner" = ${this.owner},
        "leaseUntil" = ${new Date(now.getTime() + 60_000)}, attempts = attempts + 1
      WHERE id = ANY(${ids}::int[]) AND status = 'pending' RETURNING id`;
    return rows.map((r) => r.id);
  }

  private async failed(robot: string, rows: Row[], e: DeliveryError, now: Date): Promise<void> {
    const ids = rows.map((r) => r.id);
    this.o.log.warn({ robot, rows: ids.length, err: e.message }, "robots: message not accepted");
    if (e.kind === "rejected" || e.kind === "undeliverable") return this.dead(ids, e, now);
    if (e.kind === "retry_after") {
      const until = now.getTime() + (e.retryAfterSeconds ?? 60) * 1000;
      this.pausedUntil.set(robot, until);
      await this.o.db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: "pending", nextAttemptAt: new Date(until), lastError: e.record(), leaseOwner: null, leaseUntil: null } });
      return;
    }
    const attempts = Math.max(...rows.map((r) => r.attempts + 1));
    if (attempts >= this.o.maxAttempts) return this.dead(ids, e, now);
    const delay = Math.min(1000 * 2 ** attempts, 5 * 60_000);
    await this.o.db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: "pending", nextAttemptAt: new Date(now.getTime() + delay), lastError: e.record(), leaseOwner: null, leaseUntil: null } });
  }

  private async dead(ids: number[], e: DeliveryError, now: Date): Promise<void> {
    await this.o.db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { status: "failed", deadAt: now, lastError: e.record(), leaseOwner: null, leaseUntil: null } });
  }
}
