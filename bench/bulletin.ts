// The monthly bulletins and the rules editor's dry-run over one month of cases: BENCH_N cases
// (default 30,000) filed in November 2026 over 200 estates; time to compose the district and street
// bulletins (figures + lists + board) and draw their PDFs (the district's in two languages), and
// time of the editor's 30-day comparison of two rule sets over the same cases (it compares at most
// 5,000, the newest). Last line: one JSON object.
import { performance } from "node:perf_hooks";
import { openDatabase, type Database } from "../core/db/db.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { loadCategories } from "../core/cases/categories.ts";
import { ManualClock } from "../core/clock.ts";
import { makeMonthlyBulletins } from "../core/bulletin/monthly.ts";
import { loadCatalogue } from "../rules/catalogue.ts";
import { loadRuleSet } from "../rules/loader.ts";
import { compareRuleSets } from "../rules/editing/compare.ts";
import { freshDatabase } from "./support/lib.ts";

const N = Number(process.env.BENCH_N ?? 30_000);
const TZ = "Asia/Shanghai";

const target = await freshDatabase("bulletin");
const database: Database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 4 });
try {
  const db = database.prisma;
  await seedDemo(db);
  await database.sql.exec(`
    INSERT INTO "Estate" (code, name, "streetId", "companyId", "inviteCode", households)
    SELECT 'b' || g, '测试小区' || g, (SELECT id FROM "Street" ORDER BY id OFFSET (g % 2) LIMIT 1),
           (SELECT id FROM "Company" ORDER BY id OFFSET (g % 3) LIMIT 1), 'BENCH' || g, 100 + (g * 37) % 1000
    FROM generate_series(1, 200) g`);
  const [{ lo, n }] = (await database.sql.query(`SELECT min(id) AS lo, count(*)::int AS n FROM "Estate"`)) as [{ lo: number; n: number }];
  // November 2026 (local): 1 in 7 late, 1 in 17 reopened, 1 in 3 rated, 1 % open.
  await database.sql.exec(`
    INSERT INTO "Case" (number, kind, category, description, urgency, state, "streetId", "estateId", "companyId",
      "responseDueAt", "resolutionDueAt", "acceptedAt", "resolvedAt", "closedAt", "reopenCount", satisfaction, "createdAt", "updatedAt")
    SELECT 'B-' || g, (ARRAY['complaint','repair','suggestion'])[1 + g % 3]::"CaseKind", (ARRAY['water','lift','noise'])[1 + g % 3], 'bench', 'normal',
      (CASE WHEN g % 100 = 0 THEN 'accepted' ELSE 'closed' END)::"CaseState", e."streetId", e.id, e."companyId",
      ts + interval '2 hours', ts + interval '3 days', ts + CASE WHEN g % 7 = 0 THEN interval '5 hours' ELSE interval '20 minutes' END,
      CASE WHEN g % 100 = 0 THEN NULL ELSE ts + CASE WHEN g % 7 = 0 THEN interval '4 days' ELSE interval '10 hours' END END,
      CASE WHEN g % 100 = 0 THEN NULL ELSE ts + interval '5 days' END,
      CASE WHEN g % 17 = 0 THEN 1 ELSE 0 END, CASE WHEN g % 3 = 0 THEN 1 + (g / 3) % 5 END, ts, ts
    FROM generate_series(1, ${N}) g
    CROSS JOIN LATERAL (SELECT timestamp '2026-10-31 16:00' + (g::float8 / ${N}) * interval '29 days 23 hours' AS ts) t
    JOIN "Estate" e ON e.id = ${lo} + g % ${n}`);
  // The district office reads English: its bulletin is drawn twice (zh-Hans for the dashboard, en for the office).
  await database.sql.exec(`UPDATE "Office" SET language = 'en' WHERE level = 'district'`);
  await database.sql.exec("ANALYZE");
  const clock = new ManualClock(new Date("2026-12-01T07:00:00+08:00"));
  const t0 = performance.now();
  const made = await makeMonthlyBulletins({ db, clock, timezone: TZ, categories: loadCategories("rules"), defaultLocale: "zh-Hans", minSample: () => 5, dashboardUrl: "http://x/dashboard", email: false });
  const bulletinMs = performance.now() - t0;
  const [{ bytes, pdfs }] = (await database.sql.query(`SELECT max(length(pdf) * 3 / 4)::int AS bytes, count(*)::int AS pdfs FROM "BulletinPdf"`)) as [{ bytes: number; pdfs: number }];

  const catalogue = await loadCatalogue(db);
  const rs = loadRuleSet("rules", catalogue);
  if (!rs.ok) throw new Error("rules invalid");
  const c0 = performance.now();
  const cmp = await compareRuleSets(db, rs.ruleSet, rs.ruleSet, new Date("2026-11-30T23:00:00+08:00"), TZ);
  const compareMs = performance.now() - c0;

  console.log(`backend              ${target.url ? "postgres" : "pglite"}`);
  console.log(`cases in the month   ${N}`);
  console.log(`bulletins            ${made.made} in ${(bulletinMs / 1000).toFixed(2)} s (${(bulletinMs / made.made).toFixed(0)} ms each, figures + lists + PDFs); ${pdfs} PDFs (district also in English), largest ${(bytes / 1024).toFixed(0)} KB`);
  console.log(`rules 30-day dry-run ${cmp.looked} cases compared in ${(compareMs / 1000).toFixed(2)} s (${((cmp.looked / compareMs) * 1000).toFixed(0)} cases/s, two rule sets each)`);
  console.log(JSON.stringify({ bench: "bulletin", backend: target.url ? "postgres" : "pglite", cases: N, bulletins: made.made, pdfs, bulletinSeconds: +(bulletinMs / 1000).toFixed(2), maxPdfKB: Math.round(bytes / 1024), compared: cmp.looked, compareSeconds: +(compareMs / 1000).toFixed(2) }));
} finally {
  await database.close();
  await target.drop();
}
