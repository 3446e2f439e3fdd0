// The office's own register, as offices keep it (a merged title row, extra columns, full-width digits,
// one estate name in two streets, one company spelled three ways, unit counts, an empty and a 合计
// row; sheets 小区名单 / 物业企业名录 / 楼栋明细), imported into a district with no demo codes:
// zero edits, names matched safely, every change listed, and a case that reaches a liaison.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseService } from "../../core/cases/case-service.ts";
import { ManualClock } from "../../core/clock.ts";
import { importDistrict, type ImportOptions } from "../../core/directory/import/apply.ts";
import { readDistrictFile } from "../../core/directory/import/read.ts";
import { moveOpenCases } from "../../core/directory/estates.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { SHIPPED_RULES_DIR } from "../helpers/demo-rules.ts";

type EstateRow = [string, string, string, string | number, string, string?, string?];
const ESTATES: EstateRow[] = [
  ["和平小区", "东城街道", "和平社区", "１２２１", "华美物业", "李经理", "13800000001"],
  ["和平小区", "西苑街道", "西苑社区", 300, "华美物业管理有限公司"],
  ["幸福花园", "东城街道", "幸福社区", 720, "华美物业服务有限公司", "张经理", "13800000002"],
  ["春晖苑", "西苑街道", "锦绣社区", 260, "无物业（社区代管）"],
  ["锦绣家园", "西苑街道", "锦绣社区", 350, "安居物业", "王经理", "13800000003"],
];
const BUILDINGS: [string, string, string, number][] = [
  ["和平小区", "东城街道", "1号楼", 3],
  ["和平小区", "东城街道", "2栋", 2],
  ["和平小区", "西苑街道", "A座", 1],
  ["幸福花园", "东城街道", "1", 2],
  ["锦绣家园", "西苑街道", "3号楼", 2],
];

/** The register as an office keeps it; `edit` changes the estate rows (order, 序号, an insert). */
async function register(estates: EstateRow[] = ESTATES, numbers?: number[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("小区名单");
  ws.addRow(["某区住宅小区物业管理登记表（截至2026年11月）"]);
  ws.mergeCells("A1:K1");
  ws.addRow(["序号", "小区名称", "所属街道", "所属社区", "总户数", "物业服务企业", "物业项目负责人", "联系电话", "统一社会信用代码", "层数", "备注"]);
  estates.forEach((e, i) => {
    ws.addRow([numbers?.[i] ?? i + 1, e[0], e[1], e[2], e[3], e[4], e[5] ?? "", e[6] ?? "", "91330100MA2XXXXX", 18, ""]);
    if (i === 1) ws.addRow([]); // an empty row in the middle
  });
  ws.addRow(["合计", "", "", "", estates.reduce((n, e) => n + Number(String(e[3]).replace(/[\uFF10-\uFF19]/g, (c) => String(c.charCodeAt(0) - 0xff10))), 0)]);
  const co = wb.addWorksheet("物业企业名录");
  co.addRow(["物业服务企业名录"]);
  co.mergeCells("A1:D1");
  co.addRow(["序号", "企业名称", "统一社会信用代码", "联系电话"]);
  co.addRow([1, "华美物业", "91330100MA2AAAAA", "0571-8800 1234"]);
  co.addRow([2, "安居物业", "91330100MA2BBBBB", "0571-8800 5678"]);
  const b = wb.addWorksheet("楼栋明细");
  b.addRow(["小区名称", "所属街道", "楼栋号", "单元数", "层数"]);
  for (const r of BUILDINGS) b.addRow([...r, 6]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let db: TestDb;
let router: RulesRouter;
let cases: CaseService;
const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
const run = async (bytes: Buffer, o: Partial<ImportOptions> = {}) => importDistrict(db.prisma, "test import", await readDistrictFile(bytes, "登记表.xlsx"), { now: clock.now(), ...o });
const estate = (name: string, street: string) => db.prisma.estate.findFirstOrThrow({ where: { name, street: { name: street } }, include: { company: true, projectManager: true, buildings: { include: { units: true }, orderBy: { id: "asc" } } } });

beforeAll(async () => {
  db = await testDatabase();
  router = await createRulesRouter({ db: db.prisma, rulesDir: SHIPPED_RULES_DIR, clock });
  cases = new CaseService({ db: db.prisma, router, clock });
});
afterAll(async () => {
  router?.close();
  await db?.drop();
});

describe("the office's own register", { timeout: 120_000 }, () => {
  it("is read as the clerk keeps it: header under the title, columns by their names, extra ones listed once", async () => {
    const read = await readDistrictFile(await register(), "登记表.xlsx");
    expect(read.problems).toEqual([]);
    const estates = read.sheets.find((s) => s.kind.kind === "estates")!;
    expect(estates.headerRow).toBe(2);
    expect(estates.mapping.filter((m) => m.key === null).map((m) => m.header)).toEqual(["序号", "统一社会信用代码", "层数", "备注"]);
    expect(estates.mapping.find((m) => m.header === "总户数")!.key).toBe("households");
    // The empty row and the 合计 row are no records.
    expect(estates.rows.map((r) => r.cells.name)).toEqual(ESTATES.map((e) => e[0]));
    expect(read.sheets.map((s) => s.kind.kind).sort()).toEqual(["buildings", "companies", "estates"]);
  });

  it("previews every change, merges the company spelled three ways, and imports with zero edits", async () => {
    const preview = await run(await register(), { dryRun: true });
    expect(preview.problems).toEqual([]);
    expect(preview.merged).toEqual([{ kind: "companies", name: "华美物业", variants: ["华美物业", "华美物业管理有限公司", "华美物业服务有限公司"] }]);
    const created = preview.changes.filter((c) => c.action === "create");
    expect(created.filter((c) => c.kind === "estates").map((c) => c.record)).toEqual(["和平小区（东城街道）", "和平小区（西苑街道）", "幸福花园（东城街道）", "春晖苑（西苑街道）", "锦绣家园（西苑街道）"]);
    expect(created.filter((c) => c.kind === "companies").map((c) => c.record)).toEqual(["华美物业", "安居物业"]);
    expect(await db.prisma.estate.count()).toBe(0); // a preview writes nothing

    const done = await run(await register());
    expect(done.ok).toBe(true);
    const heping = await estate("和平小区", "东城街道");
    expect(heping).toMatchObject({ households: 1221, community: "和平社区", company: { name: "华美物业" }, projectManager: { name: "李经理", phone: "13800000001" } });
    expect(heping.buildings.map((b) => [b.name, b.units.map((u) => u.name)])).toEqual([
      ["1号楼", ["1单元", "2单元", "3单元"]],
      ["2栋", ["1单元", "2单元"]],
    ]);
    const other = await estate("和平小区", "西苑街道");
    expect(other.id).not.toBe(heping.id);
    expect(other.buildings.map((b) => b.name)).toEqual(["A座"]);
    expect((await estate("幸福花园", "东城街道")).buildings.map((b) => b.name)).toEqual(["1号楼"]);
    expect((await estate("春晖苑", "西苑街道")).company).toBeNull();
    expect(await db.prisma.company.count()).toBe(2);
    expect((await db.prisma.street.findMany({ orderBy: { id: "asc" } })).map((s) => [s.code, s.name])).toEqual([
      ["dongcheng", "东城街道"],
      ["xiyuan", "西苑街道"],
    ]);
  });

  it("the same file again, and renumbered and reordered, changes nothing", async () => {
    expect((await run(await register(), { dryRun: true })).changes).toEqual([]);
    const shuffled = [ESTATES[3]!, ESTATES[0]!, ESTATES[4]!, ESTATES[2]!, ESTATES[1]!];
    const again = await run(await register(shuffled, [11, 7, 3, 9, 1]));
    expect(again.problems).toEqual([]);
    expect(again.changes).toEqual([]);
  });

  it("an inserted estate is one insert; a changed count is one line, before → after", async () => {
    const rows: EstateRow[] = [ESTATES[0]!, ["新华里", "东城街道", "新华社区", 150, "安居物业"], ...ESTATES.slice(1)];
    rows[1 + 2] = ["幸福花园", "东城街道", "幸福社区", 730, "华美物业服务有限公司", "张经理", "13800000002"];
    const p = await run(await register(rows), { dryRun: true });
    expect(p.changes.map((c) => [c.kind, c.action, c.record, c.field ?? null, c.before ?? null, c.after ?? null])).toEqual([
      ["estates", "create", "新华里（东城街道）", null, null, null],
      ["estates", "update", "幸福花园（东城街道）", "dir_households", 720, 730],
    ]);
  });

  it("a district with no demo codes routes a case to a liaison with deadlines (the estate's project manager)", async () => {
    await router.reload();
    expect(router.status()).toMatchObject({ routingInForce: true, refused: [] });
    const xingfu = await estate("幸福花园", "东城街道");
    const { case: c } = await cases.file({ sourceKey: "office-register-1", kind: "repair", category: "water", description: "楼上漏水", estateId: xingfu.id, actor: { type: "resident" } });
    expect(c).toMatchObject({ state: "routed", liaisonId: xingfu.projectManagerId, companyId: xingfu.companyId });
    expect(c.responseDueAt).toBeInstanceOf(Date);
    expect(c.resolutionDueAt).toBeInstanceOf(Date);
    // No company (社区代管): the street office's queue, with deadlines.
    const chunhui = await estate("春晖苑", "西苑街道");
    const { case: q } = await cases.file({ sourceKey: "office-register-2", kind: "repair", category: "water", description: "漏水", estateId: chunhui.id, actor: { type: "resident" } });
    expect(q).toMatchObject({ liaisonId: null, companyId: null });
    expect(q.resolutionDueAt).toBeInstanceOf(Date);
  });

  it("a company change asks about the estate's open cases, and moves them when the clerk says so", async () => {
    const rows = ESTATES.map((e) => [...e] as EstateRow);
    rows[2]![4] = "安居物业"; // 幸福花园 changes company
    rows[2]![5] = "王经理";
    const bytes = await register(rows);
    const p = await run(bytes, { dryRun: true });
    const move = p.changes.find((c) => c.field === "dir_company")!;
    expect(move).toMatchObject({ record: "幸福花园（东城街道）", before: "华美物业", after: "安居物业", openCases: 1 });
    const unanswered = await run(bytes, { expect: p.fingerprint });
    expect(unanswered.ok).toBe(false);
    expect(unanswered.problems.map((x) => x.reason)).toEqual(["imp_open_cases_choice"]);
    const xingfu = await estate("幸福花园", "东城街道");
    const done = await run(bytes, { expect: p.fingerprint, openCases: { [move.code]: "move" }, moveCases: (e, co) => moveOpenCases({ db: db.prisma, cases }, "test import", e, co) });
    expect(done.problems).toEqual([]);
    const moved = await db.prisma.case.findFirstOrThrow({ where: { estateId: xingfu.id } });
    expect(done.moved[move.code]).toEqual([moved.number]);
    expect(moved.companyId).toBe((await db.prisma.company.findFirstOrThrow({ where: { name: "安居物业" } })).id);
  });

  it("a preview that no longer matches the directory is not written", async () => {
    const rows = ESTATES.map((e) => [...e] as EstateRow);
    rows[4]![3] = 999;
    const r = await run(await register(rows), { expect: "stale" });
    expect(r.problems.map((x) => x.reason)).toEqual(["imp_changed_since_preview"]);
    expect((await estate("锦绣家园", "西苑街道")).households).toBe(350);
  });

  it("a bad row keeps its sheet, row, column and reason, and nothing is written", async () => {
    const rows = ESTATES.map((e) => [...e] as EstateRow);
    rows[4]![3] = "很多";
    rows[0]![3] = 1300;
    const r = await run(await register(rows));
    expect(r.ok).toBe(false);
    // Row 8: title, header, two estates, the empty row, then the 3rd and 4th, and this one.
    expect(r.problems).toEqual([{ sheet: "小区名单", row: 8, column: "总户数", reason: "v_whole_number", field: undefined }].map(({ field: _f, ...p }) => p));
    expect((await estate("和平小区", "东城街道")).households).toBe(1221);
  });
});
