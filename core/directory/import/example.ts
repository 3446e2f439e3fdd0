// The example workbook (`npm run import -- --example`): the demo district in the import's own
// layout, Chinese sheet and column names, so an office sees the format filled in and the file
// imports cleanly into an empty database.
import ExcelJS from "exceljs";
import { demoRows } from "../demo-district.ts";
import { SHEETS, type SheetKind } from "./sheets.ts";

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : "");
const LEVEL_ZH: Record<string, string> = { district: "区", street: "街道", community: "社区居委会", owners: "业委会" };

export function exampleRows(): Record<SheetKind["kind"], (string | number)[][]> {
  const d = demoRows();
  return {
    streets: d.streets.map((s) => [s.code, s.name, "启用"]),
    companies: d.companies.map((c) => [c.code, c.name, c.contact ?? "", c.grade ?? "", c.inviteCode ?? "", "启用"]),
    estates: d.estates.map((e) => [e.code, e.name, e.street, e.community ?? "", e.address ?? "", e.households, e.latitude ?? "", e.longitude ?? "", e.company ?? "", day(e.contractStart), day(e.contractEnd), e.inviteCode ?? ""]),
    buildings: d.buildings.map((b) => [b.estate, b.name, (b.units ?? []).join(",")]),
    liaisons: d.liaisons.map((l) => [l.code, l.name, l.company]),
    offices: d.offices.map((o) => [o.code, o.name, LEVEL_ZH[o.level]!, o.street ?? "", (o.estates ?? []).join(","), o.email ?? ""]),
  };
}

export async function exampleWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "estate-frontdoor";
  const rows = exampleRows();
  for (const kind of SHEETS) {
    const ws = wb.addWorksheet(kind.zh);
    ws.addRow(kind.columns.map((c) => (c.required ? `${c.zh}*` : c.zh)));
    ws.getRow(1).font = { bold: true };
    for (const r of rows[kind.kind]) ws.addRow(r);
    ws.columns.forEach((c) => (c.width = 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
