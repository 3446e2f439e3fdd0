// `npm run bench:import`: a district workbook of BENCH_N estates (default 300, the local plan
// registers 244) × 20 buildings × 6 units, imported into a fresh database (PGlite on disk, as in
// production; PostgreSQL when DATABASE_URL is set), then
// imported again (nothing changes). Target: the first import under 30 s. Then the same size as an
// office keeps its register (issue 31: 小区名单 under a merged title, names instead of codes, 物业项目负责人
// with a phone, 楼栋明细 with unit counts, 物业企业名录, 序号 and other columns it does not use), as the
// clerk does it: preview, confirm with the preview's fingerprint, preview again (0 changes); cell edits
// a clerk makes: 0 (the file goes in as written). Figures side by side. Ends with ONE JSON line.
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

/** The office's own register of `n` estates in 8 streets, 40 companies, ~18.6 buildings of ~4 units each. */
async function register(n: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const streets = Array.from({ length: 8 }, (_, i) => `${"东西南北中前后新"[i]}城街道`);
  const companies = Array.from({ length: 40 }, (_, i) => `${"华安绿金银泰康宁和顺"[i % 10]}${"美居苑城"[Math.floor(i / 10)]}物业服务有限公司`);
  const ws = wb.addWorksheet("小区名单");
  ws.addRow(["某区住宅小区物业管理登记表（截至2026年11月）"]);
  ws.mergeCells("A1:J1");
  ws.addRow(["序号", "小区名称", "所属街道", "所属社区", "总户数", "物业服务企业", "物业项目负责人", "联系电话", "统一社会信用代码", "备注"]);
  for (let i = 0; i < n; i++) ws.addRow([i + 1, `${["幸福", "和平", "锦绣", "春晖", "阳光", "翠苑"][i % 6]}${Math.floor(i / 6) + 1}区`, streets[i % 8], `社区${i % 40}`, 300 + (i % 500), i % 37 === 0 ? "无物业（社区代管）" : companies[i % 40], i % 37 === 0 ? "" : `经理${i}`, i % 37 === 0 ? "" : `138${String(10000000 + i).slice(-8)}`, "91330100MA2XXXXX", ""]);
  ws.addRow(["合计"]);
  const co = wb.addWorksheet("物业企业名录");
  co.addRow(["序号", "企业名称", "统一社会信用代码", "联系电话"]);
  companies.forEach((c, i) => co.addRow([i + 1, c, `91330100MA2${String(i).padStart(5, "0")}`, `0571-8800${String(i).padStart(4, "0")}`]));
  const b = wb.addWorksheet("楼栋明细");
  b.addRow(["小区名称", "所属街道", "楼栋号", "单元数", "层数"]);
  for (let i = 0; i < n; i++) for (let j = 0; j < 18 + (i % 3 === 0 ? 1 : 0); j++) b.addRow([`${["幸福", "和平", "锦绣", "春晖", "阳光", "翠苑"][i % 6]}${Math.floor(i / 6) + 1}区`, streets[i % 8], `${j + 1}号楼`, 3 + (j % 3), 18]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The clerk's way through the dashboard's import: preview, confirm with its fingerprint, preview again. */
async function asClerk(bytes: Buffer) {
  const scratch = await freshDatabase("import_register");
  const database = await openDatabase({ databaseUrl: scratch.url, pgliteDir: scratch.dir });
  const now = new Date();
  const t0 = performance.now();
  const preview = await importDistrict(database.prisma, "bench", await readDistrictFile(bytes, "登记表.xlsx"), { now, dryRun: true });
  const t1 = performance.now();
  const done = await importDistrict(database.prisma, "bench", await readDistrictFile(bytes, "登记表.xlsx"), { now, expect: preview.fingerprint });
  const t2 = performance.now();
  const again = await importDistrict(database.prisma, "bench", await readDistrictFile(bytes, "登记表.xlsx"), { now, dryRun: true });
  const t3 = performance.now();
  const counts = { estates: await database.prisma.estate.count(), buildings: await database.prisma.building.count(), units: await database.prisma.unit.count(), companies: await database.prisma.company.count(), streets: await database.prisma.street.count() };
  await database.close();
  await scratch.drop();
  if (!preview.ok || !done.ok) {
    console.error(JSON.stringify([...preview.problems, ...done.problems].slice(0, 5)));
    process.exit(1);
  }
  return { previewS: (t1 - t0) / 1000, importS: (t2 - t1) / 1000, previewAgainS: (t3 - t2) / 1000, changesAgain: again.changes.length, counts };
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
const reg = await asClerk(await register(N));
const r3 = (x: number) => Math.round(x * 1000) / 1000;
console.error(`\n${"".padEnd(34)}${"code workbook".padStart(16)}${"office register".padStart(18)}`);
console.error(`${"preview / read (s)".padEnd(34)}${String(s(t2 - t1)).padStart(16)}${String(r3(reg.previewS)).padStart(18)}`);
console.error(`${"import (s)".padEnd(34)}${String(s(t3 - t2)).padStart(16)}${String(r3(reg.importS)).padStart(18)}`);
console.error(`${"again: time (s) / changes".padEnd(34)}${`${s(t4 - t3)} / ${Object.values(second.counts).reduce((a, c) => a + c.created + c.updated, 0)}`.padStart(16)}${`${r3(reg.previewAgainS)} / ${reg.changesAgain}`.padStart(18)}`);
console.error(`register as imported: ${JSON.stringify(reg.counts)}; cell edits by the clerk: 0\n`);
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
    register: { previewS: r3(reg.previewS), importS: r3(reg.importS), previewAgainS: r3(reg.previewAgainS), changesAgain: reg.changesAgain, ...reg.counts, cellEdits: 0 },
    targetS: 30,
    ok: t3 - t1 < 30_000,
  }),
);
