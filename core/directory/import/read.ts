// Reads an uploaded district file into sheets of rows: .xlsx with exceljs (one sheet per kind), CSV
// with csv-parse (one kind per file, named by the file or recognised by its header). Anything that
// is not such a file becomes a SheetProblem, never an exception for the caller to catch.
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";
import { columnOf, sheetKind, SHEETS, type Cell, type Column, type RowIn, type SheetKind } from "./sheets.ts";

export interface ReadRow {
  row: number; // 1-based, as the spreadsheet program shows it
  cells: RowIn;
}
export interface ReadSheet {
  kind: SheetKind;
  name: string; // as written in the file
  headers: Map<string, string>; // column key → header as written
  rows: ReadRow[];
}
/** A bad file, sheet, row or cell: `reason` is a refusal code with its `params` (worded by the api/CLI). */
export interface Problem {
  sheet: string;
  row: number | null;
  column: string | null;
  reason: string;
  params?: Record<string, string | number>;
}

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_ROWS = 200_000;

const isXlsx = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("result" in v) return cellValue((v.result ?? null) as ExcelJS.CellValue);
    if ("text" in v) return String(v.text);
    if ("error" in v) return null;
  }
  return String(v);
}

/** Header row → column keys; unknown headers are reported, required ones checked. */
function headerMap(kind: SheetKind, sheet: string, headers: string[], problems: Problem[]): Map<number, Column> | null {
  const map = new Map<number, Column>();
  headers.forEach((h, i) => {
    if (!h.trim()) return;
    const c = columnOf(kind, h);
    if (!c) problems.push({ sheet, row: 1, column: h, reason: "imp_unknown_column", params: { expectedZh: kind.columns.map((x) => x.zh).join("、"), expectedEn: kind.columns.map((x) => x.en).join(", ") } });
    else map.set(i, c);
  });
  const missing = kind.columns.filter((c) => c.required && ![...map.values()].includes(c));
  for (const c of missing) problems.push({ sheet, row: 1, column: c.zh, reason: "imp_required_column", params: { zh: c.zh, en: c.en } });
  return missing.length ? null : map;
}

function toSheet(kind: SheetKind, name: string, table: Cell[][], problems: Problem[]): ReadSheet | null {
  const [head, ...body] = table;
  if (!head) return null;
  const map = headerMap(kind, name, head.map((h) => String(h ?? "")), problems);
  if (!map) return null;
  const rows: ReadRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => c === null || String(c).trim() === "")) return; // blank lines are fine
    const r: RowIn = {};
    for (const [idx, c] of map) r[c.key] = cells[idx] ?? null;
    rows.push({ row: i + 2, cells: r });
  });
  return { kind, name, headers: new Map([...map.values()].map((c) => [c.key, head[[...map.entries()].find(([, x]) => x === c)![0]] as string])), rows };
}

export async function readDistrictFile(bytes: Buffer, filename: string): Promise<{ sheets: ReadSheet[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const file = filename.replace(/^.*[\\/]/, "");
  if (bytes.length > MAX_FILE_BYTES) return { sheets: [], problems: [{ sheet: file, row: null, column: null, reason: "imp_too_large", params: { mb: MAX_FILE_BYTES / 1024 / 1024 } }] };
  const sheets: ReadSheet[] = [];
  if (isXlsx(bytes)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch (err) {
      return { sheets: [], problems: [{ sheet: file, row: null, column: null, reason: "imp_not_xlsx", params: { detail: (err as Error).message.slice(0, 120) } }] };
    }
    let total = 0;
    wb.eachSheet((ws) => {
      const kind = sheetKind(ws.name);
      if (!kind) {
        problems.push({ sheet: ws.name, row: null, column: null, reason: "imp_unknown_sheet", params: { expectedZh: SHEETS.map((s) => s.zh).join("、"), expectedEn: SHEETS.map((s) => s.en).join(", ") } });
        return;
      }
      const table: Cell[][] = [];
      ws.eachRow({ includeEmpty: true }, (row, n) => {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
        table[n - 1] = values;
      });
      total += table.length;
      const s = toSheet(kind, ws.name, Array.from(table, (r) => r ?? []), problems);
      if (s) sheets.push(s);
    });
    if (total > MAX_ROWS) return { sheets: [], problems: [{ sheet: file, row: null, column: null, reason: "imp_too_many_rows", params: { max: MAX_ROWS } }] };
  } else {
    let text = bytes.toString("utf8");
    if (text.includes("\uFFFD")) return { sheets: [], problems: [{ sheet: file, row: null, column: null, reason: "imp_not_utf8" }] };
    text = text.replace(/^\uFEFF/, "");
    let table: string[][];
    try {
      table = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, to: MAX_ROWS + 1 }) as string[][];
    } catch (err) {
      return { sheets: [], problems: [{ sheet: file, row: (err as { lines?: number }).lines ?? null, column: null, reason: "imp_bad_csv", params: { detail: (err as Error).message.slice(0, 160) } }] };
    }
    const stem = file.replace(/\.[^.]*$/, "");
    const kind = sheetKind(stem) ?? SHEETS.find((k) => (table[0] ?? []).filter((h) => columnOf(k, h)).length === k.columns.filter((c) => c.required).length && k.columns.filter((c) => c.required).every((c) => (table[0] ?? []).some((h) => columnOf(k, h) === c)));
    if (!kind) return { sheets: [], problems: [{ sheet: file, row: 1, column: null, reason: "imp_csv_kind", params: { expectedZh: SHEETS.map((s) => `${s.zh}.csv`).join("、"), expectedEn: SHEETS.map((s) => `${s.en}.csv`).join(", ") } }] };
    const s = toSheet(kind, stem, table, problems);
    if (s) sheets.push(s);
  }
  if (!sheets.length && !problems.length) problems.push({ sheet: file, row: null, column: null, reason: "imp_no_data" });
  return { sheets, problems };
}
