// Spreadsheet import: the example workbook imports cleanly into an empty database and matches the
// demo; a second import changes nothing; a changed row updates; every kind of bad row is reported
// with sheet, row, column and reason and then nothing at all is written (one transaction).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { readDistrictFile } from "../../core/directory/import/read.ts";
import { importDistrict } from "../../core/directory/import/apply.ts";
import { exampleRows, exampleWorkbook } from "../../core/directory/import/example.ts";
import { SHEETS } from "../../core/directory/import/sheets.ts";

let db: TestDb;
beforeAll(async () => {
  db = await testDatabase();
}, 240_000);
afterAll(async () => db?.drop());

const now = new Date("2026-11-02T02:00:00Z");
const run = async (bytes: Buffer, name = "district.xlsx", dryRun = false) => importDistrict(db.prisma, "test", await readDistrictFile(bytes, name), { now, dryRun });

/** A workbook with the example's sheets, `change` applied to the rows first. */
async function book(change: (rows: ReturnType<typeof exampleRows>) => void, headers?: (kind: string, h: string[]) => string[]): Promise<Buffer> {
  const rows = exampleRows();
  change(rows);
  const wb = new ExcelJS.Workbook();
  for (const k of SHEETS) {
    const ws = wb.addWorksheet(k.zh);
    const h = k.columns.map((c) => c.zh);
    ws.addRow(headers ? headers(k.kind, h) : h);
    for (const r of rows[k.kind]) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const counts = async () => ({
  streets: await db.prisma.street.count(),
  estates: await db.prisma.estate.count(),
  units: await db.prisma.unit.count(),
  audit: await db.prisma.directoryAudit.count(),
});

// Each .xlsx is parsed in a worker thread that starts its own TypeScript loader: seconds more per file on a loaded machine.
describe("directory import", { timeout: 120_000 }, () => {
  it("the example workbook previews, then imports cleanly into an empty database", async () => {
    const bytes = await exampleWorkbook();
    const preview = await run(bytes, "district.xlsx", true);
    expect(preview).toMatchObject({ ok: true, dryRun: true, problems: [] });
    expect(preview.counts.estates.created).toBe(4);
    expect(await counts()).toEqual({ streets: 0, estates: 0, units: 0, audit: 0 });

    const done = await run(bytes);
    expect(done.ok).toBe(true);
    expect(done.counts).toMatchObject({ streets: { created: 2 }, companies: { created: 3 }, estates: { created: 4 }, buildings: { created: 12 }, liaisons: { created: 4 }, offices: { created: 5 } });
    const heping = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { company: true, street: true, contracts: true } });
    expect(heping).toMatchObject({ name: "和平小区", households: 480, inviteCode: "HEPING01", community: "和平社区", company: { code: "huamei" }, street: { code: "dongcheng" } });
    expect(heping.contracts[0]!.startsOn!.toISOString().slice(0, 10)).toBe("2021-01-01");
    expect(await db.prisma.unit.count()).toBe(24);
    const committee = await db.prisma.office.findUniqueOrThrow({ where: { code: "heping-community" } });
    expect(committee.level).toBe("community");
    expect(committee.estateIds).toEqual([heping.id]);
  });

  it("importing the same file again changes nothing; a changed row updates", async () => {
    const before = await counts();
    const again = await run(await exampleWorkbook());
    expect(again.ok).toBe(true);
    expect(Object.values(again.counts).every((c) => c.created === 0 && c.updated === 0)).toBe(true);
    expect(await counts()).toEqual(before);

    const changed = await run(await book((r) => (r.estates[0]![5] = 500)));
    expect(changed.counts.estates).toEqual({ created: 0, updated: 1, unchanged: 3 });
    expect((await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } })).households).toBe(500);
  });

  it("reports every kind of bad row with sheet, row, column and reason, and writes nothing", async () => {
    const before = await counts();
    const bytes = await book((r) => {
      r.streets.push(["new-street", "新街道", "启用"]); // a good row: must not be written either
      r.estates.push(["bad one", "坏", "dongcheng", "", "", 10, "", "", "", "", "", ""]); // code format
      r.estates.push(["e-hh", "户数错", "dongcheng", "", "", "很多", "", "", "", "", "", ""]); // not a number
      r.estates.push(["e-street", "无街道", "nowhere", "", "", 10, "", "", "", "", "", ""]); // unknown reference
      r.estates.push(["e-date", "日期错", "dongcheng", "", "", 10, "", "", "huamei", "2025-13-01", "", ""]); // bad date
      r.estates.push(["heping", "重复", "dongcheng", "", "", 10, "", "", "", "", "", ""]); // duplicate code
      r.liaisons.push(["l-x", "", "huamei"]); // empty name
      r.liaisons.push(["l-y", "无公司", "nope"]); // unknown company
      r.offices.push(["o-x", "坏级别", "city", "", "", ""]); // unknown level
      r.companies.push(["c-x", "", "", "", "", "暂停"]); // empty name (NUL cannot be stored in .xlsx; the API test covers it)
    });
    const res = await run(bytes);
    expect(res.ok).toBe(false);
    const got = res.problems.map((p) => `${p.sheet}|${p.row}|${p.column}`);
    expect(got).toEqual(
      expect.arrayContaining(["小区|6|编码", "小区|7|户数", "小区|8|街道", "小区|9|合同开始", "小区|10|编码", "联络人|6|姓名", "联络人|7|物业公司", "办公室|7|级别", "物业公司|5|名称"]),
    );
    expect(res.problems.find((p) => p.row === 8 && p.sheet === "小区")).toMatchObject({ reason: "unknown_street", params: { code: "nowhere" } });
    expect(res.problems.find((p) => p.row === 10 && p.sheet === "小区")!.reason).toBe("imp_twice");
    expect(await counts()).toEqual(before);
    expect(await db.prisma.street.count({ where: { code: "new-street" } })).toBe(0);
  });

  it("a row refused while writing rolls back the rows written before it", async () => {
    const before = await counts();
    // Valid on its own, but the invite code belongs to another estate: found only at write time.
    const res = await run(await book((r) => {
      r.streets.push(["later-street", "后街道", "启用"]);
      r.estates.push(["thief", "抢码小区", "dongcheng", "", "", 10, "", "", "", "", "", "HEPING01"]);
    }));
    expect(res.ok).toBe(false);
    expect(res.problems).toEqual([{ sheet: "小区", row: 6, column: null, reason: "invite_code_taken_estate", params: { invite: "HEPING01", holder: "和平小区" } }]);
    expect(await counts()).toEqual(before);
  });

  it("reads CSV (English headers accepted) and refuses files that are not spreadsheets", async () => {
    const csv = Buffer.from("\uFEFFcode,name,street,households,company\ncsv-one,CSV 小区,xiyuan,88,lvyuan\n");
    const res = await run(csv, "estates.csv");
    expect(res.ok).toBe(true);
    expect(res.counts.estates.created).toBe(1);
    expect((await db.prisma.estate.findUniqueOrThrow({ where: { code: "csv-one" } })).households).toBe(88);
    const unknown = await run(Buffer.from("foo,bar\n1,2\n"), "whatever.csv");
    expect(unknown.problems[0]!.reason).toBe("imp_csv_kind");
    const garbage = await run(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), "broken.xlsx");
    expect(garbage.ok).toBe(false);
    expect(garbage.problems[0]!.reason).toBe("imp_not_xlsx");
    const header = await run(await book(() => {}, (kind, h) => (kind === "estates" ? h.map((x) => (x === "户数" ? "面积" : x)) : h)));
    // A column nothing uses (面积) is no error any more (the preview lists it as not used); a missing required one is.
    expect(header.problems).toEqual(expect.arrayContaining([expect.objectContaining({ sheet: "小区", reason: "imp_required_column" })]));
    expect(header.problems.some((p) => p.column === "面积")).toBe(false);
  });
});
