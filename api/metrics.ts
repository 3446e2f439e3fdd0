// Prometheus metrics. createMetrics() gives one registry per process (app-context creates it and
// hands it to the app and to the scheduler, which counts every run with jobRuns.inc({ job, outcome })).
// What a person on call needs is read from the database at scrape time (so every instance reports
// the same truth): cases by state, filed by channel, open, overdue and escalated; inbox backlog and
// lag; outbox backlog and oldest pending age; Telegram errors by code (from the outbox's last
// errors); backup age through the `lastBackupAt` hook. deploy/grafana/estate-frontdoor.json shows them.
import client from "prom-client";
import type { RequestHandler } from "express";
import type { Db } from "../core/db/db.ts";
import { overdueWhere } from "../core/cases/case-query.ts";

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  jobRuns: client.Counter<"job" | "outcome">;
  /** Outgoing messages given up on, by kind and reason (rejected, attempts, age): alert on any increase. */
  deadLetters: client.Counter<"kind" | "reason">;
  /** A chat's first message failed for the first time, by kind: its chat waits (at most its holdChatSeconds). */
  headRetries: client.Counter<"kind">;
}

export interface MetricsOptions {
  /** When the last good backup was made (the backup feature records it); absent: backup_age_seconds is not exported. */
  lastBackupAt?: () => Promise<Date | null>;
  /** What /readyz decides; absent: the database answers. service_ready is 1 when ready, 0 otherwise. */
  ready?: () => Promise<boolean>;
  now?: () => Date;
}

export function createMetrics(db: Db, opts: MetricsOptions = {}): Metrics {
  const now = opts.now ?? (() => new Date());
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by route",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobRuns = new client.Counter({ name: "job_runs_total", help: "Scheduled job runs by outcome", labelNames: ["job", "outcome"] as const, registers: [registry] });
  const deadLetters = new client.Counter({
    name: "outbox_dead_letters_total",
    help: "Outgoing messages dead-lettered by this process (refused for good, or past their attempt/age limit)",
    labelNames: ["kind", "reason"] as const,
    registers: [registry],
  });
  const headRetries = new client.Counter({
    name: "outbox_head_retries_total",
    help: "A chat's first unsent message failed and is retried while its chat waits (at most holdChatSeconds, rules/delivery.json), by kind",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: "cases_by_state",
    help: "Cases in each lifecycle state",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await db.case.groupBy({ by: ["state"], _count: { _all: true } })) this.set({ state: r.state }, r._count._all);
    },
  });
  new client.Gauge({
    name: "outbox_backlog",
    help: "Outgoing messages not yet sent, by status",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of ["pending", "sending", "failed"] as const) this.set({ status: s }, 0);
      const rows = await db.outboxMessage.groupBy({ by: ["status"], where: { status: { in: ["pending", "sending", "failed"] } }, _count: { _all: true } });
      for (const r of rows) this.set({ status: r.status }, r._count._all);
    },
  });
  const byLabel = (name: string, help: string, label: string, read: () => Promise<[string, number][]>) =>
    new client.Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [k, v] of await read()) this.set({ [label]: k }, v);
      },
    });
  const single = (name: string, help: string, read: () => Promise<number>) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await read());
      },
    });
  // Readiness as a series, so an alert fires on a process that answers /metrics but not /readyz.
  const ready = opts.ready ?? (async () => (await db.$queryRaw`SELECT 1`, true));
  single("service_ready", "1 when the process is ready to serve (/readyz), 0 when not", () => ready().then((r) => (r ? 1 : 0), () => 0));
  byLabel("cases_filed", "Cases ever filed, by channel (telegram, web, api, open311)", "channel", async () =>
    (await db.case.groupBy({ by: ["channel"], _count: { _all: true } })).map((r) => [r.channel, r._count._all]),
  );
  single("cases_open", "Cases not closed", () => db.case.count({ where: { state: { not: "closed" } } }));
  single("cases_overdue", "Open cases past their response or resolution deadline", () => db.case.count({ where: overdueWhere(now()) }));
  byLabel("cases_escalated", "Open cases escalated, by level (1 street office, 2 district office)", "level", async () =>
    (await db.case.groupBy({ by: ["escalationLevel"], where: { escalationLevel: { gt: 0 }, state: { not: "closed" } }, _count: { _all: true } })).map((r) => [String(r.escalationLevel), r._count._all]),
  );
  byLabel("inbox_backlog", "Telegram updates received and not yet handled, by status", "status", async () =>
    (await db.inboundUpdate.groupBy({ by: ["status"], where: { status: { not: "done" } }, _count: { _all: true } })).map((r) => [r.status, r._count._all]),
  );
  single("inbox_lag_seconds", "Age of the oldest unhandled Telegram update", async () => {
    const r = await db.inboundUpdate.findFirst({ where: { status: "pending" }, orderBy: { receivedAt: "asc" }, select: { receivedAt: true } });
    return r ? Math.max(0, (now().getTime() - r.receivedAt.getTime()) / 1000) : 0;
  });
  single("outbox_oldest_pending_age_seconds", "Age of the oldest message waiting to be sent", async () => {
    const r = await db.outboxMessage.findFirst({ where: { status: { in: ["pending", "sending"] } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    return r ? Math.max(0, (now().getTime() - r.createdAt.getTime()) / 1000) : 0;
  });
  byLabel("telegram_errors", "Outgoing messages whose last attempt Telegram refused, by error code", "code", async () => {
    const rows = await db.outboxMessage.findMany({ where: { lastError: { not: null } }, select: { lastError: true }, orderBy: { id: "desc" }, take: 5000 });
    const counts = new Map<string, number>();
    for (const r of rows) {
      const code = /:\s(\d{3})\s/.exec(r.lastError ?? "")?.[1] ?? "network";
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    return [...counts];
  });
  if (opts.lastBackupAt) {
    const last = opts.lastBackupAt;
    single("backup_age_seconds", "Seconds since the last good backup (-1: none yet)", async () => {
      const at = await last();
      return at ? (now().getTime() - at.getTime()) / 1000 : -1;
    });
  }
  return { registry, httpDuration, jobRuns, deadLetters, headRetries };
}

/** Times every request; the route label is the matched pattern, so ids do not explode the series. */
export function timing(m: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = m.httpDuration.startTimer();
    res.on("finish", () => {
      const route = req.route?.path ? routeLabel(req.originalUrl, String(req.route.path)) : res.statusCode === 404 ? "(unmatched)" : req.baseUrl || "(other)";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * The matched pattern with its mount prefix. After an error the router has already reset
 * req.baseUrl, so the prefix is taken from the URL: the leading segments the pattern does not cover
 * (/api/v1/cases/9 with /cases/:id → /api/v1/cases/:id).
 */
export function routeLabel(originalUrl: string, pattern: string): string {
  const segments = originalUrl.split("?")[0]!.split("/").filter(Boolean);
  const own = pattern.split("/").filter(Boolean).length;
  const prefix = segments.slice(0, Math.max(0, segments.length - own));
  return `${prefix.length ? `/${prefix.join("/")}` : ""}${pattern === "/" && prefix.length ? "" : pattern}`;
}
