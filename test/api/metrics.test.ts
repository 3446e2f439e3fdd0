// Issue 17, item 6: the metrics a person on call needs, as Prometheus scrapes them — cases filed by
// channel, open, overdue and escalated; inbox and outbox backlog and age; Telegram errors by code;
// job runs and failures (counted by the scheduler); backup age (hook); error answers keep their
// /api/v1 route label. Every metric the Grafana dashboard (deploy/grafana) queries is exported.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "../../api/app.ts";
import { createMetrics, routeLabel, type Metrics } from "../../api/metrics.ts";
import { Scheduler } from "../../jobs/scheduler.ts";
import { silentLogger } from "../../core/logger.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

let f: OfficeFixture;
let metrics: Metrics;
let app: ReturnType<typeof createApp>;
const BACKUP_AT = new Date("2026-11-02T07:00:00+08:00");

beforeAll(async () => {
  f = await officeApp();
  metrics = createMetrics(f.db.prisma, { now: () => f.clock.now(), lastBackupAt: async () => BACKUP_AT });
  app = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: f.office, metrics });
}, 120_000);
afterAll(async () => f?.db.drop());

const scrape = async () => (await request(app).get("/metrics")).text;

describe("metrics", () => {
  it("exports cases by channel, open, overdue, escalated, queues, Telegram errors and backup age", async () => {
    const c = await f.file("heping");
    await f.file("xingfu");
    await request(app).post("/open311/v2/requests.json").type("form").send({ api_key: f.tokens.district, service_code: "repair.water", description: "m", address_id: "heping" });
    await f.db.prisma.case.update({ where: { id: c.id }, data: { escalationLevel: 2 } });
    await f.db.prisma.inboundUpdate.create({ data: { updateId: 1n, chatKey: "c1", payload: {}, receivedAt: new Date(f.clock.now().getTime() - 30_000) } });
    await f.db.prisma.outboxMessage.updateMany({ data: { lastError: "sendMessage: 403 Forbidden: bot was blocked by the user" } });
    const outboxed = await f.db.prisma.outboxMessage.count();
    let text = await scrape();
    expect(text).toContain('cases_filed{channel="telegram"} 2');
    expect(text).toContain('cases_filed{channel="open311"} 1');
    expect(text).toContain("cases_open 3");
    expect(text).toContain("cases_overdue 0");
    expect(text).toContain('cases_escalated{level="2"} 1');
    expect(text).toContain('inbox_backlog{status="pending"} 1');
    expect(text).toContain("inbox_lag_seconds 30");
    expect(text).toMatch(/outbox_oldest_pending_age_seconds \d/);
    if (outboxed > 0) expect(text).toContain(`telegram_errors{code="403"} ${outboxed}`);
    expect(text).toContain(`backup_age_seconds ${3 * 3600}`);
    f.clock.set(new Date(c.resolutionDueAt!.getTime() + 60_000));
    text = await scrape();
    expect(text).toMatch(/cases_overdue [1-9]/);
    f.clock.set(new Date("2026-11-02T10:00:00+08:00"));
  });

  it("counts job runs and failures from the scheduler", async () => {
    const s = new Scheduler(
      [
        { name: "good", schedule: "0 3 * * *", run: async () => 1 },
        { name: "bad", schedule: "0 3 * * *", run: async () => Promise.reject(new Error("boom")) },
      ],
      { timezone: "Asia/Shanghai", log: silentLogger, onRun: (job, outcome) => metrics.jobRuns.inc({ job, outcome }) },
    );
    await s.runJob(s.jobs[0]!);
    await s.runJob(s.jobs[1]!);
    await s.runJob(s.jobs[1]!);
    const text = await scrape();
    expect(text).toContain('job_runs_total{job="good",outcome="ok"} 1');
    expect(text).toContain('job_runs_total{job="bad",outcome="failed"} 2');
  });

  it("labels error answers with their full route", async () => {
    await request(app).get("/api/v1/cases/9999999999").set("Authorization", `Bearer ${f.tokens.district}`);
    await request(app).get("/api/v1/cases/999999").set("Authorization", `Bearer ${f.tokens.district}`);
    const text = await scrape();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases\/:id",status="400"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/cases\/:id",status="404"\} 1/);
    expect(routeLabel("/open311/v2/requests/2026-000001.json?x=1", "/requests/:file")).toBe("/open311/v2/requests/:file");
  });

  it("has every metric the Grafana dashboard queries", async () => {
    const dash = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../deploy/grafana/estate-frontdoor.json"), "utf8")) as { panels: { targets: { expr: string }[] }[] };
    const text = await scrape();
    const names = new Set([...text.matchAll(/^# TYPE (\w+)/gm)].map((m) => m[1]!));
    const queried = dash.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b([a-z_]+?)(_bucket|_count)?\b(?=[{[\s)]|$)/g)].map((m) => m[1]!)));
    const missing = [...new Set(queried)].filter((n) => /_(total|seconds|backlog|open|overdue|escalated|filed|errors|state)$/.test(n) && !names.has(n));
    expect(missing).toEqual([]);
    expect(dash.panels.length).toBeGreaterThanOrEqual(12);
  });
});
