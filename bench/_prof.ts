import { performance } from "node:perf_hooks";
import { openDatabase } from "../core/db/db.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { loadCatalogue } from "../rules/catalogue.ts";
import { loadRuleSet } from "../rules/loader.ts";
import { compareRuleSets } from "../rules/editing/compare.ts";
import { freshDatabase } from "./support/lib.ts";
const N = Number(process.env.BENCH_N ?? 6000);
const target = await freshDatabase("prof");
const database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 4 });
const db = database.prisma;
await seedDemo(db);
await database.sql.exec(`INSERT INTO "Estate" (code, name, "streetId", "companyId", "inviteCode", households)
    SELECT 'b' || g, '测试小区' || g, (SELECT id FROM "Street" ORDER BY id OFFSET (g % 2) LIMIT 1),
           (SELECT id FROM "Company" ORDER BY id OFFSET (g % 3) LIMIT 1), 'BENCH' || g, 100 FROM generate_series(1, 200) g`);
const [{ lo, n }] = (await database.sql.query(`SELECT min(id) AS lo, count(*)::int AS n FROM "Estate"`)) as [{ lo: number; n: number }];
await database.sql.exec(`INSERT INTO "Case" (number, kind, category, description, urgency, state, "streetId", "estateId", "companyId", "createdAt", "updatedAt")
    SELECT 'B-' || g, (ARRAY['complaint','repair','suggestion'])[1 + g % 3]::"CaseKind", (ARRAY['water','lift','noise'])[1 + g % 3], 'bench', 'normal', 'closed'::"CaseState", e."streetId", e.id, e."companyId", ts, ts
    FROM generate_series(1, ${N}) g CROSS JOIN LATERAL (SELECT timestamp '2026-10-31 16:00' + (g::float8 / ${N}) * interval '29 days 23 hours' AS ts) t
    JOIN "Estate" e ON e.id = ${lo} + g % ${n}`);
const rs = loadRuleSet("rules", await loadCatalogue(db));
if (!rs.ok) throw new Error("bad");
for (let i = 0; i < 2; i++) {
  const c0 = performance.now();
  const cmp = await compareRuleSets(db, rs.ruleSet, rs.ruleSet, new Date("2026-11-30T23:00:00+08:00"), "Asia/Shanghai");
  console.log(cmp.looked, ((performance.now() - c0) / 1000).toFixed(2), "s");
}
await database.close(); await target.drop();
