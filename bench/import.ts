// `npm run bench:import`: a district workbook of BENCH_N estates (default 300, the local plan
// registers 244) × 20 buildings × 6 units, imported into a fresh database (PGlite on disk, as in
// production; PostgreSQL when DATABASE_URL is set), then
// imported again (nothing changes). Target: the first import under 30 s. Ends with ONE JSON line.
import ExcelJS from "exceljs";
import { openDatabase } from "../core/db/db.ts";
import { readDistrictFile } from "../core/directory/import/read.ts";
import { importDistrict } from "../core/directory/import/apply.ts";
import { SHEETS } from "../core/directory/import/sheets.ts";
import { freshDatabase } from "./support/lib.ts";

const N = Number(process.env.BENCH_N ?? 300);
const BUILDINGS = 20;
const UNITS = 6;

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (kind: string, rows: (string | number)[][]) => {
    const k = SHEETS.find((s) => s.kind === kind)!;
    const ws = wb.addWorksheet(k.zh);
    ws.addRow(k.columns.map((c) => c.zh));
    for (const r of rows) ws.addRow(r);
  };
  const streets = Math.max(1, Math.ceil(N / 25));
  sheet("streets", Array.from({ length: streets }, (_, i) => [`s${i}`, `街道${i}`, "启用"]));
  sheet("companies", Array.from({ length: 30 }, (_, i) => [`co${i}`, `物业公司${i}`, `0571-${1000 + i}`, "二级", "", "启用"]));
  sheet("estates", Array.from({ length: N }, (_, i) => [`e${i}`, `小区${i}`, `s${i % streets}`, `社区${i % 40}`, `路${i}号`, 300 + (i % 500), "", "", `co${i % 30}`, "2024-01-01", "", ""]));
  const units = Array.from({ length: UNITS }, (_, u) => `${u + 1}单元`).join(",");
  sheet("buildings", Array.from({ length: N * BUILDINGS }, (_, j) => [`e${Math.floor(j / BUILDINGS)}`, `${(j % BUILDINGS) + 1}号楼`, units]));
  sheet("liaisons", Array.from({ length: 60 }, (_, i) => [`l${i}`, `联络人${i}`, `co${i % 30}`]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const t0 = performance.now();
const bytes = await workbook();
const scratch = await freshDatabase("import");
const database = await openDatabase({ databaseUrl: scratch.url, pgliteDir: scratch.dir });
const t1 = performance.now();
const read = await readDistrictFile(bytes, "bench.xlsx");
const t2 = performance.now();
const first = await importDistrict(database.prisma, "bench", read, { now: new Date() });
const t3 = performance.now();
const second = await importDistrict(database.prisma, "bench", await readDistrictFile(bytes, "bench.xlsx"), { now: new Date() });
const t4 = performance.now();
const units = await database.prisma.unit.count();
await database.close();
await scratch.drop();
if (!first.ok || !second.ok) {
  console.error(JSON.stringify(first.problems.slice(0, 5)));
  process.exit(1);
}
const s = (ms: number) => Math.round(ms) / 1000;
console.error(`workbook ${s(t1 - t0)} s (${(bytes.length / 1e6).toFixed(1)} MB) · read ${s(t2 - t1)} s · import ${s(t3 - t2)} s · re-import ${s(t4 - t3)} s · ${units} units`);
console.log(
  JSON.stringify({
    bench: "import",
    db: database.kind,
    estates: N,
    buildings: N * BUILDINGS,
    units,
    bytes: bytes.length,
    readS: s(t2 - t1),
    importS: s(t3 - t2),
    totalS: s(t3 - t1),
    reimportS: s(t4 - t3),
    reimportChanged: Object.values(second.counts).reduce((a, c) => a + c.created + c.updated, 0),
    targetS: 30,
    ok: t3 - t1 < 30_000,
  }),
);
