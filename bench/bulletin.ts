// The monthly bulletins and the rules editor's dry-run over one month of cases: BENCH_N cases
// (default 30,000) filed in November 2026 over 200 estates; time to compose the district and street
// bulletins (figures + lists + board) and draw their PDFs (the district's in two languages), and time
// of the editor's 30-day comparison of the rules in force with an edited routing.json over the same
// cases (at most 5,000, the newest), the old case-by-case loop and the current one in the same run.
// Last line: one JSON object.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { openDatabase, type Database } from "../core/db/db.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { loadCategories } from "../core/cases/categories.ts";
import { ManualClock } from "../core/clock.ts";
import { makeMonthlyBulletins } from "../core/bulletin/monthly.ts";
import { loadCatalogue } from "../rules/catalogue.ts";
import { loadRuleSet, type RuleSet } from "../rules/loader.ts";
import { COMPARE_DAYS, COMPARE_MAX_CASES, compareRuleSets } from "../rules/editing/compare.ts";
import { checkDraft } from "../rules/editing/draft.ts";
import { routeWithRuleSet } from "../rules/router.ts";
import { toLocal } from "../core/clocks/zoned-time.ts";
import type { Db } from "../core/db/db.ts";
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
  // A real edit: water cases everywhere go to 安居物业 — thousands rerouted, 8 examples traced.
  const routing = JSON.parse(fs.readFileSync("rules/routing.json", "utf8")) as { rules: unknown[] };
  routing.rules.unshift({ id: "bench-water-anju", priority: 95, when: { categories: ["water"] }, then: { company: "anju" } });
  const draft = checkDraft("rules", catalogue, "routing", JSON.stringify(routing));
  if (!draft.ok) throw new Error("draft invalid");
  const at = new Date("2026-11-30T23:00:00+08:00");
  // Before and after in the same run: the editor's loop as it was (a traced decision per case and rule
  // set, cases read with their estate/street/building relations), then as it is now.
  // Each runs once untimed first, so neither pays the JIT's warm-up for the other.
  await compareOneByOne(db, rs.ruleSet, draft.ruleSet, at, TZ);
  await compareRuleSets(db, rs.ruleSet, draft.ruleSet, at, TZ);
  const o0 = performance.now();
  const old = await compareOneByOne(db, rs.ruleSet, draft.ruleSet, at, TZ);
  const oldMs = performance.now() - o0;
  const c0 = performance.now();
  const cmp = await compareRuleSets(db, rs.ruleSet, draft.ruleSet, at, TZ);
  const compareMs = performance.now() - c0;
  if (old.rerouted !== cmp.rerouted || old.deadlinesChanged !== cmp.deadlinesChanged) throw new Error(`the two loops disagree: ${old.rerouted}/${old.deadlinesChanged} vs ${cmp.rerouted}/${cmp.deadlinesChanged}`);
  // What the local-time cache saves: Intl's formatToParts (every toLocal before) against toLocal now.
  const instants = Array.from({ length: 20_000 }, (_, i) => new Date(Date.UTC(2026, 10, 1) + i * 129_000));
  const intl = new Intl.DateTimeFormat("en-US", { timeZone: TZ, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  const i0 = performance.now();
  for (const d of instants) intl.formatToParts(d);
  const intlUs = ((performance.now() - i0) * 1000) / instants.length;
  const l0 = performance.now();
  for (const d of instants) toLocal(d, TZ);
  const localUs = ((performance.now() - l0) * 1000) / instants.length;

  console.log(`backend              ${target.url ? "postgres" : "pglite"}`);
  console.log(`cases in the month   ${N}`);
  console.log(`bulletins            ${made.made} in ${(bulletinMs / 1000).toFixed(2)} s (${(bulletinMs / made.made).toFixed(0)} ms each, figures + lists + PDFs); ${pdfs} PDFs (district also in English), largest ${(bytes / 1024).toFixed(0)} KB`);
  console.log(`rules 30-day dry-run ${cmp.looked} cases, ${cmp.rerouted} rerouted: before ${(oldMs / 1000).toFixed(2)} s (case by case, traced) | now ${(compareMs / 1000).toFixed(2)} s (${((cmp.looked / compareMs) * 1000).toFixed(0)} cases/s, two rule sets each)`);
  console.log(`local time of an instant  Intl formatToParts ${intlUs.toFixed(2)} µs | toLocal now ${localUs.toFixed(2)} µs`);
  console.log(JSON.stringify({ bench: "bulletin", backend: target.url ? "postgres" : "pglite", cases: N, bulletins: made.made, pdfs, bulletinSeconds: +(bulletinMs / 1000).toFixed(2), maxPdfKB: Math.round(bytes / 1024), compared: cmp.looked, rerouted: cmp.rerouted, compareSecondsBefore: +(oldMs / 1000).toFixed(2), compareSeconds: +(compareMs / 1000).toFixed(2), intlMicros: +intlUs.toFixed(2), toLocalMicros: +localUs.toFixed(2) }));
} finally {
  await database.close();
  await target.drop();
}

/** The editor's comparison as it was before it was made fast (kept here only to measure against). */
async function compareOneByOne(db: Db, before: RuleSet, after: RuleSet, now: Date, timezone: string) {
  const rows = await db.case.findMany({
    where: { createdAt: { gte: new Date(now.getTime() - COMPARE_DAYS * 86_400_000) } },
    orderBy: { id: "desc" },
    take: COMPARE_MAX_CASES + 1,
    select: { id: true, number: true, kind: true, category: true, urgencyHint: true, createdAt: true, estate: { select: { code: true, name: true } }, street: { select: { code: true } }, building: { select: { name: true } } },
  });
  let rerouted = 0;
  let deadlinesChanged = 0;
  for (const c of rows.slice(0, COMPARE_MAX_CASES)) {
    const facts = { kind: c.kind, category: c.category, estate: c.estate.code, street: c.street.code, building: c.building?.name, urgencyHint: c.urgencyHint, filedAt: c.createdAt };
    const [a, b] = [await routeWithRuleSet(before, facts, timezone), await routeWithRuleSet(after, facts, timezone)];
    if (a.company?.name !== b.company?.name || a.liaison?.name !== b.liaison?.name) rerouted++;
    else if (a.decision.urgency !== b.decision.urgency || a.responseDue !== b.responseDue || a.resolutionDue !== b.resolutionDue) deadlinesChanged++;
  }
  return { rerouted, deadlinesChanged };
}
