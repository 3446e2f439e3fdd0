// Prometheus metrics. createMetrics() gives one registry per process (main creates it and hands it
// to the app and, later, to the jobs, which count their runs with jobRuns.inc({ job, outcome })).
// Cases by state and the outbox backlog are read from the database at scrape time.
import client from "prom-client";
import type { RequestHandler } from "express";
import type { Db } from "../core/db/db.ts";

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  jobRuns: client.Counter<"job" | "outcome">;
  /** Outgoing messages given up on, by kind and reason (rejected, attempts, age): alert on any increase. */
  deadLetters: client.Counter<"kind" | "reason">;
}

export function createMetrics(db: Db): Metrics {
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
  return { registry, httpDuration, jobRuns, deadLetters };
}

/** Times every request; the route label is the matched pattern, so ids do not explode the series. */
export function timing(m: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = m.httpDuration.startTimer();
    res.on("finish", () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? "(unmatched)" : req.baseUrl || "(other)";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
