// deploy/prometheus/alerts.yaml: every metric an alert rule reads is one the service's /metrics
// exports (an alert on a metric nobody exports never fires), and each rule says what to do.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { parse } from "yaml";
import { createApp } from "../../api/app.ts";
import { createMetrics } from "../../api/metrics.ts";
import { silentLogger } from "../../core/logger.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

const RULES = parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../deploy/prometheus/alerts.yaml"), "utf8")) as {
  groups: { name: string; rules: { alert: string; expr: string; labels?: { severity?: string }; annotations?: { summary?: string; description?: string } }[] }[];
};
/** Prometheus's own series and PromQL words, not metrics of ours. */
const PROMETHEUS_OWN = new Set(["up"]);
const PROMQL = new Set(["sum", "max", "min", "avg", "count", "rate", "increase", "irate", "by", "without", "or", "and", "unless", "on", "ignoring", "histogram_quantile", "time", "abs", "bool"]);

/** The metric names an expression reads: identifiers outside label matchers, ranges and strings. */
export function metricsIn(expr: string): string[] {
  const bare = expr.replace(/"[^"]*"/g, '""').replace(/\{[^}]*\}/g, "").replace(/\[[^\]]*\]/g, "").replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, "");
  return [...new Set([...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b/g)].map((m) => m[1]!).filter((w) => !PROMQL.has(w) && !/^\d/.test(w)))];
}

let f: OfficeFixture;
let exported: Set<string>;

beforeAll(async () => {
  f = await officeApp();
  const metrics = createMetrics(f.db.prisma, { lastBackupAt: async () => new Date() });
  const app = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: f.office, metrics });
  const text = (await request(app).get("/metrics")).text;
  // Declared metrics (a labelled counter has no series until its first increment) and a histogram's series.
  exported = new Set(
    [...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) => (type === "histogram" ? [name!, `${name}_count`, `${name}_sum`, `${name}_bucket`] : [name!])),
  );
}, 120_000);
afterAll(async () => f?.db.drop());

describe("deploy/prometheus/alerts.yaml", () => {
  const rules = RULES.groups.flatMap((g) => g.rules);

  it("alerts on what an on-call person needs", () => {
    const all = rules.map((r) => r.expr).join("\n");
    for (const m of ["outbox_oldest_pending_age_seconds", "inbox_lag_seconds", "outbox_dead_letters_total", "backup_age_seconds", "cases_escalated", "http_request_duration_seconds_count", "service_ready"]) {
      expect(all).toContain(m);
    }
  });

  it("reads only metrics /metrics exports", () => {
    expect(metricsIn('sum(rate(x_total{status=~"5.."}[5m])) by (instance) > 0 or max(y) == -1')).toEqual(["x_total", "y"]);
    for (const r of rules) {
      for (const m of metricsIn(r.expr)) {
        if (PROMETHEUS_OWN.has(m)) continue;
        expect(exported.has(m), `${r.alert}: ${m} is not exported by /metrics`).toBe(true);
      }
    }
  });

  it("every rule has a severity, a summary and a description that says what to do", () => {
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const r of rules) {
      expect(["page", "ticket"], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect((r.annotations?.description ?? "").length, r.alert).toBeGreaterThan(30);
    }
  });

  it("service_ready follows the readiness check", async () => {
    const m = createMetrics(f.db.prisma, { ready: async () => false });
    expect(await m.registry.getSingleMetricAsString("service_ready")).toMatch(/service_ready 0$/m);
    const ok = createMetrics(f.db.prisma);
    expect(await ok.registry.getSingleMetricAsString("service_ready")).toMatch(/service_ready 1$/m);
  });
});
