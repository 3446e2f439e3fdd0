// The whole service in-process (as main builds it, webhook mode) against the fake Bot API, plus the
// bookkeeping every reliability case shares: registered residents, a Telegram-like poster, and the
// comparison of what the fake API received with the outbox.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";
import { loadConfig } from "../../core/config.ts";
import { silentLogger, type Logger } from "../../core/logger.ts";
import { buildServices, type Services, type BuildOptions } from "../../app-context.ts";
import type { Db, Database } from "../../core/db/db.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import type { FakeBotApi, ApiCall } from "../helpers/fakeBotApi.ts";
import * as u from "../helpers/updates.ts";
export { registerResidents } from "../helpers/residentSim.ts";

export const SECRET = "reliability-secret-0123456789";

export interface Running {
  s: Services;
  base: string;
  /** POSTs an update as Telegram does; returns the HTTP status (0 when the connection failed). */
  post(update: Update, secret?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startService(database: Database, api: FakeBotApi, opts: Omit<BuildOptions, "database" | "botInfo"> & { env?: Record<string, string>; log?: Logger } = {}): Promise<Running> {
  const config = loadConfig({
    LOG_LEVEL: "silent",
    BOT_TOKEN: api.token,
    BOT_MODE: "webhook",
    WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
    OUTBOX_POLL_MS: "50",
    INBOX_POLL_MS: "50",
    ...opts.env,
  });
  const s = await buildServices(config, opts.log ?? silentLogger, { throttle: false, ...opts, database, botInfo: api.botInfo as unknown as UserFromGetMe });
  s.sender!.start();
  s.inbox!.start();
  const server = s.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    s,
    base,
    post: (update, secret = SECRET) => postUpdate(`${base}${WEBHOOK_PATH}`, update, secret),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await s.inbox?.stop();
      await s.sender?.stop();
      await s.scheduler.stop();
      s.router.close();
    },
  };
}

/** The environment of `main.ts` started as a child process against the fake Bot API on `port`. */
export function childServiceEnv(api: FakeBotApi, port: number, more: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // A burst at Telegram's real pace (1 message/s per chat) would take minutes; the fake has no limits.
    TELEGRAM_RATE_LIMITS: "false",
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    BOT_TOKEN: api.token,
    BOT_MODE: "webhook",
    WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
    OUTBOX_POLL_MS: "50",
    INBOX_POLL_MS: "50",
    ...more,
  };
}

export async function postUpdate(url: string, update: Update, secret = SECRET): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Gives every demo liaison and office a chat, so cards, escalations and digests go to Telegram. */
export async function giveChats(db: Db): Promise<{ liaisons: Map<number, bigint>; offices: Map<number, bigint> }> {
  const liaisons = new Map<number, bigint>();
  const offices = new Map<number, bigint>();
  for (const [i, l] of (await db.liaison.findMany({ orderBy: { id: "asc" } })).entries()) {
    const chat = BigInt(9000 + i);
    await db.liaison.update({ where: { id: l.id }, data: { chatId: chat, telegramUserId: chat } });
    liaisons.set(l.id, chat);
  }
  for (const [i, o] of (await db.office.findMany({ orderBy: { id: "asc" } })).entries()) {
    const chat = BigInt(-100_500 - i);
    await db.office.update({ where: { id: o.id }, data: { chatId: chat } });
    offices.set(o.id, chat);
  }
  return { liaisons, offices };
}

export const OUT_METHODS = new Set(["sendMessage", "sendPhoto", "sendMediaGroup", "sendLocation", "editMessageText", "editMessageReplyMarkup"]);

const fingerprint = (method: string, p: Record<string, unknown>) =>
  `${method}|${String(p.text ?? p.caption ?? "")}|${JSON.stringify(p.reply_markup ?? null)}|${String(p.message_id ?? "")}`;

export interface DeliveryAudit {
  /** Outbox rows that should have reached Telegram (not e-mail, not refused by Telegram). */
  due: number;
  sent: number;
  /** Due rows still not sent. */
  lost: number;
  /** Telegram calls beyond one per row (by chat and content). */
  duplicated: number;
  /** Chats whose calls arrived in another order than their outbox rows. */
  outOfOrder: number;
  /** Calls the fake API got that match no outbox row. */
  unexplained: number;
}

/**
 * Compares what the fake API accepted with the outbox, chat by chat: each sent row exactly once,
 * in outbox id order. `allowResend` counts re-sends of these row ids as the documented
 * at-least-once boundary rather than as duplicates.
 */
export async function auditDelivery(
  db: Db,
  calls: ApiCall[],
  allowResend: Set<number> = new Set(),
  /** Calls that may bypass the outbox (the bot's apology when the outbox is unreachable). */
  direct: (text: string) => boolean = () => false,
): Promise<DeliveryAudit & { resent: number; direct: number }> {
  const rows = await db.outboxMessage.findMany({ where: { method: { not: "sendEmail" } }, orderBy: { id: "asc" }, select: { id: true, chatId: true, method: true, payload: true, status: true } });
  const a = compareDelivery(rows, calls, allowResend, direct);
  if (a.anomalies.length) console.log("DELIVERY ANOMALIES", a.anomalies);
  const { anomalies: _a, ...figures } = a;
  return figures;
}

export interface OutboxRowSeen {
  id: number;
  chatId: bigint | number | string;
  method: string;
  payload: unknown;
  status: string;
}

/**
 * The audit itself, on plain data. Identical messages in a row (the same apology twice, say) are
 * compared as runs: a run of k identical calls against m identical rows is m sends plus k − m
 * re-sends, and those re-sends are allowed when any row of the run (or the row just before, with
 * the same content) is in `allowResend`. Walking call by call would pin a re-send of the first row
 * on the second and then call the second's own send a duplicate.
 */
export function compareDelivery(
  rows: OutboxRowSeen[],
  calls: Pick<ApiCall, "method" | "payload">[],
  allowResend: Set<number> = new Set(),
  direct: (text: string) => boolean = () => false,
): DeliveryAudit & { resent: number; direct: number; anomalies: string[] } {
  const byChat = new Map<string, { id: number; fp: string }[]>();
  const a = { due: 0, sent: 0, lost: 0, duplicated: 0, outOfOrder: 0, unexplained: 0, resent: 0, direct: 0, anomalies: [] as string[] };
  const textOf = (fp: string) => fp.split("|")[1] ?? "";
  // Messages that may bypass the outbox have no place in a chat's order: they are counted, per
  // chat, apart from the walk (sent rows against calls; calls beyond the rows went direct).
  const bypass = new Map<string, number>();
  const count = (k: string, d: number) => bypass.set(k, (bypass.get(k) ?? 0) + d);
  for (const r of rows) {
    if (r.method === "sendEmail") continue;
    const k = String(r.chatId);
    if (!byChat.has(k)) byChat.set(k, []);
    if (r.status === "failed" || r.status === "undeliverable") continue;
    const fp = fingerprint(r.method, r.payload as Record<string, unknown>);
    a.due++;
    if (r.status === "sent") a.sent++;
    else a.lost++;
    if (direct(textOf(fp))) {
      if (r.status === "sent") count(k, -1);
    } else byChat.get(k)!.push({ id: r.id, fp });
  }
  const got = new Map<string, string[]>();
  for (const c of calls) {
    if (!OUT_METHODS.has(c.method)) continue;
    const k = String(c.payload.chat_id);
    const { chat_id: _c, ...p } = c.payload;
    if (!got.has(k)) got.set(k, []);
    const fp = fingerprint(c.method, p);
    if (direct(textOf(fp))) count(k, 1);
    else got.get(k)!.push(fp);
  }
  for (const n of bypass.values()) {
    if (n > 0) a.direct += n;
    else a.lost -= n; // marked sent, never arrived
  }
  const note = (kind: string, chat: string, fp: string, i: number, list: { id: number; fp: string }[]) => {
    if (a.anomalies.length < Number(process.env.AUDIT_ANOMALIES ?? 8)) a.anomalies.push(`${kind} chat ${chat} at row ${list[i]?.id ?? "end"}: ${fp.slice(0, 70)} | rows: ${list.slice(Math.max(0, i - 2), i + 2).map((r) => `${r.id}:${r.fp.slice(0, 30)}`).join(" / ")}`);
  };
  for (const [chat, due] of byChat) {
    // Walk the calls in arrival order against the rows in id order.
    const seq = got.get(chat) ?? [];
    let i = 0;
    let prev: { id: number; fp: string } | null = null;
    for (let j = 0; j < seq.length; ) {
      const fp = seq[j]!;
      if (due[i]?.fp === fp) {
        let k = 1;
        while (seq[j + k] === fp) k++;
        let m = 1;
        while (m < k && due[i + m]?.fp === fp) m++;
        const run = due.slice(i, i + m);
        const extras = k - m;
        if (extras > 0) {
          const mayRepeat = [...run, ...(prev?.fp === fp ? [prev] : [])].some((r) => allowResend.has(r.id));
          if (mayRepeat) a.resent += extras;
          else {
            a.duplicated += extras;
            note("duplicated", chat, fp, i + m, due);
          }
        }
        prev = run.at(-1)!;
        i += m;
        j += k;
        continue;
      }
      if (prev && prev.fp === fp) {
        if (allowResend.has(prev.id)) a.resent++;
        else {
          a.duplicated++;
          note("duplicated", chat, fp, i, due);
        }
      } else if (due.slice(i).some((r) => r.fp === fp)) {
        a.outOfOrder++;
        note("outOfOrder", chat, fp, i, due);
        i = due.findIndex((r, x) => x >= i && r.fp === fp) + 1;
      } else {
        a.unexplained++;
        note("unexplained", chat, fp, i, due);
      }
      j++;
    }
  }
  for (const [chat, seq] of got) if (!byChat.has(chat)) a.unexplained += seq.length;
  return a;
}

/** One figures line per case, easy to grep from the test output and quote. */
export function report(name: string, figures: Record<string, unknown>): void {
  console.log(`RELIABILITY ${JSON.stringify({ case: name, backend: process.env.TEST_DATABASE_URL ? "postgres" : "pglite", ...figures })}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds or the time is up; returns whether it held. */
export async function until(cond: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    // A query of the test's own may meet a connection cut a moment ago: ask again.
    if (await Promise.resolve().then(cond).catch(() => false)) return true;
    await sleep(everyMs);
  }
  return cond();
}

/** Nothing left to do: inbox and outbox both empty of pending/leased rows. */
export async function quiet(db: Db): Promise<boolean> {
  const [{ n }] = (await db.$queryRaw<{ n: bigint }[]>`
    SELECT (SELECT COUNT(*) FROM "InboundUpdate" WHERE status IN ('pending', 'processing'))
         + (SELECT COUNT(*) FROM "OutboxMessage" WHERE status IN ('pending', 'sending')) AS n`) as [{ n: bigint }];
  return n === 0n;
}
