// Wake-ups between a web process and a worker process on one PostgreSQL (PROCESS_ROLE=web|worker):
// the web process stores an update or enqueues a message and NOTIFYs; the worker LISTENs on its own
// connection and wakes its inbox or outbox at once. The workers' polling (INBOX_POLL_MS,
// OUTBOX_POLL_MS) still runs underneath, so a notification missed while the listener reconnects only
// delays work until the next poll; it never loses any.
import pg from "pg";
import type { HotSql } from "../db/hot-sql.ts";
import type { Logger } from "../logger.ts";

export const WAKE_CHANNELS = ["inbox_wake", "outbox_wake"] as const;
export type WakeChannel = (typeof WAKE_CHANNELS)[number];

/**
 * Returns notify(channel): at most one NOTIFY per channel in flight; calls meanwhile fold into one
 * more after it, so a burst of updates costs a few statements, not one each.
 */
export function wakeNotifier(sql: HotSql, log: Logger): (channel: WakeChannel) => void {
  const state = new Map<WakeChannel, "idle" | "busy" | "again">();
  const send = (channel: WakeChannel): void => {
    state.set(channel, "busy");
    sql.exec`SELECT pg_notify(${channel}, '')`
      .catch((err: Error) => log.warn({ channel, err: err.message }, "wake-up notify failed; the worker's polling picks the work up"))
      .finally(() => {
        if (state.get(channel) === "again") send(channel);
        else state.set(channel, "idle");
      });
  };
  return (channel) => {
    const s = state.get(channel) ?? "idle";
    if (s === "idle") send(channel);
    else state.set(channel, "again");
  };
}

/**
 * Where the worker LISTENs. Behind a transaction-mode pooler a LISTEN lands on a server connection
 * the pooler hands to someone else after the statement, so notifications never arrive: LISTEN on
 * DATABASE_DIRECT_URL when given, else no listener and the workers poll (said in the log).
 */
export function wakeupConnection(c: { DATABASE_URL?: string; DATABASE_DIRECT_URL?: string; PG_POOL_MODE: "session" | "transaction" }): { url: string | null; why: string } {
  if (c.DATABASE_DIRECT_URL) return { url: c.DATABASE_DIRECT_URL, why: "LISTEN on DATABASE_DIRECT_URL" };
  if (c.PG_POOL_MODE === "transaction") {
    return { url: null, why: "PG_POOL_MODE=transaction and no DATABASE_DIRECT_URL: no LISTEN through the pooler; workers poll (OUTBOX_POLL_MS, INBOX_POLL_MS)" };
  }
  return { url: c.DATABASE_URL ?? null, why: "LISTEN on DATABASE_URL" };
}

export interface WakeListener {
  /** Resolves once LISTEN is in place (the first connection). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTENs on a dedicated connection and calls the channel's handler on each notification. A lost
 * connection is re-opened with backoff; after reconnecting every handler runs once, since
 * notifications sent while it was away are gone.
 */
export function listenForWakeups(
  url: string,
  handlers: Partial<Record<WakeChannel, () => void>>,
  log: Logger,
  opts: { retryMs?: number; maxRetryMs?: number } = {},
): WakeListener {
  const retryMs = opts.retryMs ?? 500;
  const maxRetryMs = opts.maxRetryMs ?? 10_000;
  const channels = WAKE_CHANNELS.filter((c) => handlers[c]);
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const connect = async (attempt: number): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, application_name: "wake-listener" });
    let dropped = false;
    const retry = (why: string) => {
      if (dropped || closed) return;
      dropped = true;
      client = null;
      void c.end().catch(() => {});
      const wait = Math.min(maxRetryMs, retryMs * 2 ** Math.min(attempt, 10));
      log.warn({ why, retryInMs: wait }, "wake-up listener lost its connection; reconnecting (workers keep polling meanwhile)");
      timer = setTimeout(() => void connect(attempt + 1), wait);
      timer.unref();
    };
    c.on("error", (err) => retry(err.message));
    c.on("end", () => retry("connection ended"));
    c.on("notification", (n) => handlers[n.channel as WakeChannel]?.());
    try {
      await c.connect();
      for (const ch of channels) await c.query(`LISTEN ${ch}`);
    } catch (err) {
      retry((err as Error).message);
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    if (attempt > 0) for (const ch of channels) handlers[ch]!();
    log.info({ channels }, "wake-up listener ready");
    markReady();
    attempt = 0;
  };
  void connect(0);

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
