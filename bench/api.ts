// Case-list API under load: requests/s and latency for filtered, keyset-paginated /api/v1/cases
// over BENCH_N cases (default 1,000,000 on PostgreSQL, 20,000 on PGlite) in a fresh database this
// bench creates (and drops). Cases are bulk-loaded with INSERT … SELECT generate_series over 200
// estates in 2 streets. Load comes from autocannon in this process over loopback.
// Scenarios run side by side; the last line is one JSON object (the mixed scenario).
import { loadAssessmentSettings } from "../core/assessment/assessment-settings.ts";
import crypto from "node:crypto";
import path from "node:path";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import pg from "pg";
import { createApp } from "../api/app.ts";
import { CaseService } from "../core/cases/case-service.ts";
import { loadCategories } from "../core/cases/categories.ts";
import { systemClock } from "../core/clock.ts";
import { openDatabase, type Database } from "../core/db/db.ts";
import { silentLogger } from "../core/logger.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { createApiToken } from "../core/directory/staff.ts";
import { createRulesRouter } from "../rules/router.ts";

const PG_URL = process.env.DATABASE_URL;
const N = Number(process.env.BENCH_N ?? (PG_URL ? 1_000_000 : 20_000));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const ESTATES = 200;
const RULES_DIR = path.resolve(import.meta.dirname, "../rules");

async function freshDatabase(): Promise<{ db: Database; drop: () => Promise<void>; kind: "postgres" | "pglite" }> {
  if (!PG_URL) {
    const db = await openDatabase({ pgliteDir: "memory://" });
    return { db, drop: () => db.close(), kind: "pglite" };
  }
  const name = `bench_api_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolMax: 20 });
  return {
    db,
    kind: "postgres",
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function load(db: Database) {
  await seedDemo(db.prisma);
  const t0 = performance.now();
  // 200 estates over the two demo streets and three companies.
  await db.sql.exec(`
    INSERT INTO "Estate" (code, name, "streetId", "companyId", "inviteCode", households)
    SELECT 'b' || g, '小区' || g, (SELECT id FROM "Street" ORDER BY id LIMIT 1 OFFSET (g % 2)),
           (SELECT id FROM "Company" ORDER BY id LIMIT 1 OFFSET (g % 3)), 'BENCH' || g, 300
    FROM generate_series(1, ${ESTATES}) g`);
  const BATCH = 250_000;
  for (let start = 1; start <= N; start += BATCH) {
    const end = Math.min(N, start + BATCH - 1);
    // Spread over the last year; ~85 % finished, the rest open (some of them overdue).
    await db.sql.exec(`
      WITH e AS (SELECT array_agg(id ORDER BY id) ids, array_agg("streetId" ORDER BY id) streets, array_agg("companyId" ORDER BY id) cos FROM "Estate" WHERE code LIKE 'b%'),
      l AS (SELECT array_agg(id ORDER BY id) ids FROM "Liaison"),
      cats AS (SELECT array['water','lift','electricity','facilities','sanitation','noise','parking','security','fees','other'] c)
      INSERT INTO "Case" (number, kind, category, description, urgency, state, channel, "streetId", "estateId", "companyId", "liaisonId",
                          "createdAt", "updatedAt", "responseDueAt", "resolutionDueAt", "acceptedAt", "resolvedAt", "closedAt", "reopenCount", satisfaction)
      SELECT 'B-' || lpad(g::text, 9, '0'),
             (array['complaint','repair','suggestion'])[1 + g % 3]::"CaseKind",
             cats.c[1 + (g / 3) % 10],
             'bench case ' || g || ' 漏水 噪音',
             (CASE WHEN g % 50 = 0 THEN 'emergency' ELSE 'normal' END)::"Urgency",
             (CASE WHEN g % 20 < 17 THEN 'closed' WHEN g % 20 = 17 THEN 'routed' WHEN g % 20 = 18 THEN 'accepted' ELSE 'resolved' END)::"CaseState",
             'bench',
             e.streets[1 + ((g::bigint * 7919) % ${ESTATES})::int], e.ids[1 + ((g::bigint * 7919) % ${ESTATES})::int], e.cos[1 + ((g::bigint * 7919) % ${ESTATES})::int],
             l.ids[1 + g % array_length(l.ids, 1)],
             t, t, t + interval '2 hours', t + interval '3 days',
             CASE WHEN g % 20 <> 17 THEN t + ((g % 180) || ' minutes')::interval END,
             CASE WHEN g % 20 < 17 OR g % 20 = 19 THEN t + ((g % 5000) || ' minutes')::interval END,
             CASE WHEN g % 20 < 17 THEN t + interval '5 days' END,
             CASE WHEN g % 25 = 0 THEN 1 ELSE 0 END,
             CASE WHEN g % 20 < 17 THEN 1 + (g % 5) END
      FROM generate_series(${start}, ${end}) g, e, l, cats,
           LATERAL (SELECT now() - ((g::bigint * 524287) % 31536000) * interval '1 second' AS t) tt`);
    process.stdout.write(`\rloaded ${end.toLocaleString()} / ${N.toLocaleString()} cases`);
  }
  await db.sql.exec(`ANALYZE`);
  const s = (performance.now() - t0) / 1000;
  console.log(`\nbulk load: ${N.toLocaleString()} cases in ${s.toFixed(1)} s`);
  return s;
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function run(url: string, name: string, token: string, paths: string[]): Promise<Result> {
  let i = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

const { db, drop, kind } = await freshDatabase();
try {
  const loadSeconds = await load(db);
  const router = await createRulesRouter({ db: db.prisma, rulesDir: RULES_DIR, timezone: "Asia/Shanghai" });
  const app = createApp({
    db: db.prisma,
    log: silentLogger,
    botOn: false,
    botMode: "polling",
    office: {
      cases: new CaseService({ db: db.prisma, router, clock: systemClock }),
      router,
      categories: loadCategories(RULES_DIR),
      clock: systemClock,
      timezone: "Asia/Shanghai",
      defaultLocale: "zh-Hans",
      publicBaseUrl: "http://127.0.0.1",
      sessionTtlHours: 12,
      loginMaxFailures: 5,
      loginLockMinutes: 15,
      apiRateLimitPerMin: 100_000_000,
      assessmentSettings: () => loadAssessmentSettings("rules"),
    },
  });
  const district = (await createApiToken(db.prisma, { name: "bench", role: "district" })).token;
  const street = (await createApiToken(db.prisma, { name: "bench-street", role: "street", street: "dongcheng" })).token;
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Cursors spread through the id range, so deep pages are measured too.
  const [{ max }] = (await db.sql.query(`SELECT max(id)::int AS max FROM "Case"`)) as [{ max: number }];
  const cursors = Array.from({ length: 50 }, (_, k) => Math.max(2, Math.floor((max * (k + 1)) / 51)));
  const estates = Array.from({ length: 50 }, (_, k) => `b${1 + ((k * 37) % ESTATES)}`);
  const cats = ["water", "lift", "noise", "parking", "fees"];
  const mixed: string[] = [];
  for (let k = 0; k < 200; k++) {
    const c = cursors[k % cursors.length]!;
    const options = [
      `/api/v1/cases?limit=50`,
      `/api/v1/cases?limit=50&before=${c}`,
      `/api/v1/cases?estate=${estates[k % 50]}&limit=50`,
      `/api/v1/cases?estate=${estates[k % 50]}&state=routed,accepted&limit=20`,
      `/api/v1/cases?company=${["huamei", "anju", "lvyuan"][k % 3]}&limit=50&before=${c}`,
      `/api/v1/cases?state=routed&limit=50&before=${c}`,
      `/api/v1/cases?kind=repair&category=${cats[k % 5]}&limit=50`,
      `/api/v1/cases?overdue=true&limit=50`,
    ];
    mixed.push(options[k % options.length]!);
  }
  const results: Result[] = [];
  // Warm up connections and plans.
  await run(url, "warm-up", district, mixed.slice(0, 40)).catch(() => undefined);
  results.push(await run(url, "mixed filters + cursors (district)", district, mixed));
  results.push(await run(url, "newest page (district)", district, ["/api/v1/cases?limit=50"]));
  results.push(await run(url, "deep cursor pages (district)", district, cursors.map((c) => `/api/v1/cases?limit=50&before=${c}`)));
  results.push(await run(url, "estate + open states", district, estates.map((e) => `/api/v1/cases?estate=${e}&state=routed,accepted&limit=20`)));
  results.push(await run(url, "street scope, deep pages", street, cursors.map((c) => `/api/v1/cases?limit=50&before=${c}`)));
  results.push(await run(url, "overdue only", district, ["/api/v1/cases?overdue=true&limit=50"]));
  results.push(await run(url, "text search (ILIKE, no index)", district, ["/api/v1/cases?q=%E6%BC%8F%E6%B0%B4&limit=50&kind=repair&estate=b7"]));
  server.close();
  await router.close();

  console.log(`\n${kind}, ${N.toLocaleString()} cases, ${CONNECTIONS} connections, ${SECONDS} s each`);
  console.log("scenario".padEnd(40), "req/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "errors".padStart(7), "non-2xx".padStart(8));
  for (const r of results) console.log(r.name.padEnd(40), r.rps.toFixed(0).padStart(8), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.errors).padStart(7), String(r.non2xx).padStart(8));
  const m = results[0]!;
  console.log(JSON.stringify({ bench: "api", db: kind, cases: N, load_s: Math.round(loadSeconds * 10) / 10, scenario: m.name, connections: CONNECTIONS, rps: Math.round(m.rps), p50_ms: m.p50, p99_ms: m.p99, errors: m.errors + m.non2xx, worst_p99_ms: Math.max(...results.map((r) => r.p99)) }));
} finally {
  await drop();
}
