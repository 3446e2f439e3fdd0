// `npm run bench:backup`: backup and restore of a year-sized embedded database (BENCH_N cases,
// default 70,000 — a district's year, DESIGN.md), and what a backup does to filing: the p99 of a
// one-case insert transaction every 20 ms without a backup, then while one runs (the service's PGlite
// is held only while its folder is copied; BACKUP_MODE=dump holds it for the whole dump, as before).
// Ends with one JSON line. Figures: bench/README.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../core/db/db.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { backupPglite } from "../core/db/backup.ts";
import { restoreBackup } from "../core/db/restore.ts";
import { percentile } from "./support/lib.ts";

const N = Number(process.env.BENCH_N ?? 70_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-backup-"));
const say = (s: string) => process.stderr.write(`${s}\n`);

const database = await openDatabase({ pgliteDir: path.join(tmp, "db") });
const db = database.prisma;
await seedDemo(db);
const t0 = performance.now();
await database.sql.exec(`
  INSERT INTO "Case" (number, kind, category, description, urgency, state, "streetId", "estateId", "companyId",
    "responseDueAt", "resolutionDueAt", "acceptedAt", "resolvedAt", "closedAt", "createdAt", "updatedAt")
  SELECT 'B-' || g, (ARRAY['complaint','repair','suggestion'])[1 + g % 3]::"CaseKind", 'water',
    '3号楼2单元楼道灯坏了一周，晚上看不清楼梯，请尽快修理 #' || g, 'normal', 'closed'::"CaseState",
    e."streetId", e.id, e."companyId", ts + interval '2 hours', ts + interval '3 days', ts + interval '1 hour',
    ts + interval '1 day', ts + interval '4 days', ts, ts
  FROM generate_series(1, ${N}) g
  CROSS JOIN LATERAL (SELECT timestamp '2025-12-01' + (g::float8 / ${N}) * interval '365 days' AS ts) t
  JOIN (SELECT *, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM "Estate") e ON e.k = g % e.n`);
say(`${N} cases loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const estate = (await db.estate.findFirstOrThrow())!;

/** Files one case every 20 ms until `until` resolves; returns each filing's latency. */
async function fileWhile(until: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  let i = 0;
  const inFlight: Promise<void>[] = [];
  while (!done) {
    const n = ++i;
    const a = performance.now();
    inFlight.push(
      db
        .$transaction((tx) =>
          tx.case.create({
            data: { number: `L-${Date.now()}-${n}`, kind: "repair", category: "water", description: "bench", urgency: "normal", state: "received", streetId: estate.streetId, estateId: estate.id, companyId: estate.companyId },
          }),
        )
        .then(() => void times.push(performance.now() - a)),
    );
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(inFlight);
  return times;
}

const file = path.join(tmp, "year.sql");
const backupStart = performance.now();
// BACKUP_MODE=dump measures the old way (the dump holds the database); default: the snapshot.
const backup = backupPglite(database.embedded!.pglite, file, process.env.BACKUP_MODE === "dump" ? {} : { dataDir: path.join(tmp, "db") });
const during = await fileWhile(backup);
const info = await backup;
const backupMs = performance.now() - backupStart;
const baseline = await fileWhile(new Promise((r) => setTimeout(r, Math.max(3000, backupMs))));
await database.close();
say(`backup ${(info.bytes / 1e6).toFixed(1)} MB in ${(info.ms / 1000).toFixed(1)} s`);

const dirBytes = (d: string): number => fs.readdirSync(d, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirBytes(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0);
const r = await restoreBackup(file, { pgliteDir: path.join(tmp, "restored") });
say(`restore in ${(r.ms / 1000).toFixed(1)} s, check passed`);

const result = {
  bench: "backup",
  cases: N,
  folderMB: +(dirBytes(path.join(tmp, "db")) / 1e6).toFixed(1),
  backupMB: +(info.bytes / 1e6).toFixed(1),
  backupMode: process.env.BACKUP_MODE === "dump" ? "dump" : "snapshot",
  backupS: +(info.ms / 1000).toFixed(1),
  backupHeldS: +((info.heldMs ?? info.ms) / 1000).toFixed(2),
  restoreS: +(r.ms / 1000).toFixed(1),
  restoredRows: Object.values(r.counts).reduce((a, b) => a + b, 0),
  filingP50Ms: Math.round(percentile(baseline, 50)),
  filingP99Ms: Math.round(percentile(baseline, 99)),
  filingDuringBackupP50Ms: Math.round(percentile(during, 50)),
  filingDuringBackupP99Ms: Math.round(percentile(during, 99)),
  filingsDuringBackup: during.length,
  cpus: os.cpus().length,
  load1: +os.loadavg()[0]!.toFixed(1),
};
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify(result));
