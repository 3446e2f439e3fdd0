// bench:sweep — one escalation sweep over a large case history: BENCH_N total cases (default
// 1,000,000 on PostgreSQL, 100,000 on PGlite) of which BENCH_OVERDUE (default 10,000) are overdue,
// then the same overdue count in a tenth of the history. The sweep's time must follow the overdue
// count, not the total: the ratio of the two times is the figure (≈ 1 is right).
import { openDatabase, type Database } from "../core/db/db.ts";
import { ManualClock } from "../core/clock.ts";
import { CaseService, noNotifier } from "../core/cases/case-service.ts";
import { loadClockSettings } from "../core/clocks/clock-settings.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { Sweeps } from "../core/clocks/sweeps.ts";
import { createRulesRouter } from "../rules/router.ts";
import { clockRendererForBench } from "./support/renderer.ts";
import { freshDatabase } from "./support/lib.ts";

const isPg = Boolean(process.env.DATABASE_URL);
const TOTAL = Number(process.env.BENCH_N ?? (isPg ? 1_000_000 : 100_000));
const OVERDUE = Number(process.env.BENCH_OVERDUE ?? 10_000);
const OPEN_NOT_DUE = Math.round(TOTAL * 0.02);
const now = new Date("2026-11-24T10:00:00+08:00");

async function run(total: number): Promise<{ total: number; escalated: number; sweepMs: number; loadS: number }> {
  const target = await freshDatabase("sweep");
  const database: Database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 4 });
  try {
    const db = database.prisma;
    await seedDemo(db);
    await db.liaison.updateMany({ data: { chatId: 9001n } });
    await db.office.updateMany({ data: { chatId: -100111n } });
    const t0 = performance.now();
    // Oldest first: closed history, then open cases not yet due, then the overdue ones.
    await database.sql.exec(`
      INSERT INTO "Case" (number, kind, category, description, urgency, state, "streetId", "estateId", "companyId", "liaisonId",
                          "responseDueAt", "resolutionDueAt", "acceptedAt", "resolvedAt", "closedAt", "createdAt", "updatedAt")
      SELECT 'B-' || g, 'repair', 'water', 'bench case', 'normal',
             (CASE WHEN g > ${total - OVERDUE - OPEN_NOT_DUE} THEN 'accepted' ELSE 'closed' END)::"CaseState",
             e."streetId", e.id, e."companyId", l.id,
             ts - interval '2 hours' + (CASE WHEN g > ${total - OVERDUE - OPEN_NOT_DUE} THEN interval '0' ELSE interval '-30 days' END),
             CASE WHEN g > ${total - OVERDUE} THEN ts - interval '1 hour'
                  WHEN g > ${total - OVERDUE - OPEN_NOT_DUE} THEN ts + interval '3 days'
                  ELSE ts - interval '28 days' END,
             ts - interval '3 days', NULL, CASE WHEN g > ${total - OVERDUE - OPEN_NOT_DUE} THEN NULL ELSE ts - interval '29 days' END,
             ts - interval '3 days', ts
      FROM generate_series(1, ${total}) g
      CROSS JOIN LATERAL (SELECT '${now.toISOString()}'::timestamp AS ts) t
      JOIN LATERAL (SELECT * FROM "Estate" ORDER BY id OFFSET (g % 4) LIMIT 1) e ON true
      JOIN LATERAL (SELECT * FROM "Liaison" WHERE "companyId" = e."companyId" ORDER BY id LIMIT 1) l ON true`);
    await database.sql.exec(`ANALYZE "Case"`);
    const loadS = (performance.now() - t0) / 1000;

    const clock = new ManualClock(now);
    const router = await createRulesRouter({ db, rulesDir: "rules", clock });
    const cases = new CaseService({ db, router, clock, notifier: noNotifier });
    const settings = loadClockSettings("rules");
    const sweeps = new Sweeps({ db, cases, clock, settings: () => settings, renderer: clockRendererForBench(), timezone: "Asia/Shanghai", calendar: () => router.calendar(), batchSize: 10_000 });
    const s0 = performance.now();
    const { level1 } = await sweeps.escalate();
    const sweepMs = performance.now() - s0;
    return { total, escalated: level1, sweepMs, loadS };
  } finally {
    await database.close();
    await target.drop();
  }
}

// Small first, so the big run does not pay this process's warm-up (query compilation, JIT) alone.
const small = await run(Math.round(TOTAL / 10));
console.log(`${small.total.toLocaleString()} cases (loaded in ${small.loadS.toFixed(1)} s): escalated ${small.escalated} in ${small.sweepMs.toFixed(0)} ms`);
const big = await run(TOTAL);
console.log(`${big.total.toLocaleString()} cases (loaded in ${big.loadS.toFixed(1)} s): escalated ${big.escalated} in ${big.sweepMs.toFixed(0)} ms`);
const result = {
  bench: "sweep",
  db: isPg ? "postgres" : "pglite",
  total_big: big.total,
  total_small: small.total,
  overdue: OVERDUE,
  escalated_big: big.escalated,
  escalated_small: small.escalated,
  sweep_ms_big: Math.round(big.sweepMs),
  sweep_ms_small: Math.round(small.sweepMs),
  size_ratio: big.total / small.total,
  time_ratio: +(big.sweepMs / small.sweepMs).toFixed(2),
};
console.log(JSON.stringify(result));
process.exit(0);
