// bench:credit — grade recompute for BENCH_N companies (default 300), each with one estate, a
// certified manager, BENCH_CASES cases a year (default 100) and records over two years (about 4
// a month of every type mix), on PostgreSQL (DATABASE_URL) or PGlite. Measures one company's file
// page data (score, records, chart series) and every company's score at once (the district list,
// the dry-run). Targets: a company < 300 ms, the district < 5 s. Ends with one JSON line.
import { openDatabase } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { loadCreditRules } from "../../core/credit/credit-rules.ts";
import { companyScores } from "../../core/credit/credit-file.ts";
import { companyFile } from "../../core/credit/files.ts";
import { freshDatabase, percentile } from "../support/lib.ts";

const N = Number(process.env.BENCH_N ?? 300);
const CASES = Number(process.env.BENCH_CASES ?? 100);
const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
const rules = loadCreditRules("rules");
const target = await freshDatabase("credit");
const database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 10 });
const db = database.prisma;
const now = new Date("2026-12-01T00:00:00Z");
try {
  await seedDemo(db);
  const t0 = performance.now();
  await database.sql.exec(`
    INSERT INTO "Company" (code, name, "inviteCode", grade) SELECT 'b' || g, '公司' || g, 'BINV' || g, '二级' FROM generate_series(1, ${N}) g;
    INSERT INTO "Estate" (code, name, "streetId", "companyId", "inviteCode", households, address)
      SELECT 'be' || c.id, '小区' || c.id, (SELECT min(id) FROM "Street"), c.id, 'BEINV' || c.id, 500, '路 ' || c.id FROM "Company" c WHERE c.code LIKE 'b%';
    INSERT INTO "ProjectManager" (name, "certificateNo", "certificateExpiresOn") SELECT '经理' || g, 'C' || g, '2030-01-01' FROM generate_series(1, ${N}) g;
    INSERT INTO "ManagerAssignment" ("managerId", "estateId", "companyId", "startsOn")
      SELECT m.id, e.id, e."companyId", '2024-01-01' FROM "ProjectManager" m JOIN "Estate" e ON e.code = 'be' || (SELECT id FROM "Company" WHERE code = 'b' || substr(m."certificateNo", 2));
    INSERT INTO "Case" (number, kind, category, description, "streetId", "estateId", "companyId", state, "createdAt", "updatedAt")
      SELECT 'B-' || e.id || '-' || g, 'repair', 'water', 'x', e."streetId", e.id, e."companyId", 'closed', timestamp '2026-12-01' - (g * interval '1 day') * (730.0 / ${CASES * 2}), now()
      FROM "Estate" e, generate_series(1, ${CASES * 2}) g WHERE e.code LIKE 'be%';
    INSERT INTO "CreditRecord" (subject, "companyId", type, polarity, points, "sourceType", "sourceKey", "streetId", "estateId", actor, at, "validUntil")
      SELECT 'company:' || e."companyId", e."companyId", t.type, t.polarity, 1, 'case', 'b:' || e.id || ':' || g, e."streetId", e.id, 'system',
             timestamp '2026-12-01' - g * interval '7 days', timestamp '2026-12-01' - g * interval '7 days' + interval '365 days'
      FROM "Estate" e, generate_series(1, 104) g,
           LATERAL (SELECT (ARRAY['overdue_response','overdue_resolution','repeat_complaint','revisit_unsatisfied','honour','campaign_not_rectified'])[1 + (g + e.id) % 6] AS type) tt,
           LATERAL (SELECT tt.type, CASE WHEN tt.type = 'honour' THEN 'good' ELSE 'bad' END AS polarity) t
      WHERE e.code LIKE 'be%';`);
  const seedMs = performance.now() - t0;
  const records = await db.creditRecord.count();
  const one = (await db.company.findUniqueOrThrow({ where: { code: `b${Math.ceil(N / 2)}` } })).id;
  const pageMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const s = performance.now();
    await companyFile(db, rules, one, now);
    pageMs.push(performance.now() - s);
  }
  const districtMs: number[] = [];
  let grades: Record<string, number> = {};
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const all = await companyScores(db, rules, now);
    districtMs.push(performance.now() - s);
    grades = {};
    for (const x of all.values()) grades[x.grade] = (grades[x.grade] ?? 0) + 1;
  }
  const out = { bench: "credit", db: kind, companies: N, casesPerYear: CASES, records, seedMs: Math.round(seedMs), companyPageP50Ms: Math.round(percentile(pageMs, 50)), companyPageMaxMs: Math.round(Math.max(...pageMs)), districtP50Ms: Math.round(percentile(districtMs, 50)), districtMaxMs: Math.round(Math.max(...districtMs)), grades };
  console.log(`credit on ${kind}: ${N} companies, ${records} records; company page p50 ${out.companyPageP50Ms} ms (target < 300), district ${out.districtP50Ms} ms (target < 5000)`);
  console.log(JSON.stringify(out));
} finally {
  await database.close();
  await target.drop();
}
