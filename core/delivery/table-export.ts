// Spreadsheet exports (.xlsx through exceljs, and CSV) for the dashboard and the REST API: rows go
// through a list of columns (a header the caller already translated, a value, a kind), so this module
// knows no language and no HTTP. What Excel/WPS users need and raw dumps got wrong:
//   times      local wall-clock time (TIMEZONE), "2026-11-02 10:00", never UTC ISO strings
//   percent    a real percentage cell in xlsx (0.0%), "83.3%" in CSV, empty when no data
//   CSV        UTF-8 with a BOM; cells a spreadsheet would run as a formula get a leading quote
import ExcelJS from "exceljs";
import { toLocal } from "../clocks/zoned-time.ts";

export type ColumnKind = "text" | "number" | "percent" | "datetime";
export type Cell = string | number | Date | null | undefined;

export interface Column<R> {
  header: string;
  kind?: ColumnKind;
  value: (row: R) => Cell;
  /** Width in characters (xlsx). */
  width?: number;
}

const two = (n: number) => String(n).padStart(2, "0");

/** "2026-11-02 10:00" in the given time zone. */
export function localStamp(d: Date, timezone: string): string {
  const l = toLocal(d, timezone);
  return `${l.year}-${two(l.month)}-${two(l.day)} ${two(l.hour)}:${two(l.minute)}`;
}

function csvCell(kind: ColumnKind, v: Cell, timezone: string): string {
  if (v === null || v === undefined || v === "") return "";
  let s: string;
  if (v instanceof Date) s = localStamp(v, timezone);
  else if (kind === "percent" && typeof v === "number") s = `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
  else s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportCsv<R>(columns: Column<R>[], rows: R[], timezone: string): string {
  const head = columns.map((c) => csvCell("text", c.header, timezone)).join(",");
  const body = rows.map((r) => columns.map((c) => csvCell(c.kind ?? "text", c.value(r), timezone)).join(","));
  return "\uFEFF" + [head, ...body].join("\r\n") + "\r\n";
}

/**
 * One worksheet with a bold, frozen header row. Excel has no time zones: a time is written as the
 * local wall-clock time (shown "yyyy-mm-dd hh:mm"), which is what a clerk compares with the case page.
 */
export async function exportXlsx<R>(columns: Column<R>[], rows: R[], o: { sheet: string; timezone: string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const ws = wb.addWorksheet(o.sheet.replace(/[*?:\\/[\]]/g, " ").slice(0, 31) || "Sheet1", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width ?? (c.kind === "datetime" ? 17 : c.kind === "percent" || c.kind === "number" ? 10 : Math.max(10, c.header.length * 2 + 2)),
    style: c.kind === "percent" ? { numFmt: "0.0%" } : c.kind === "datetime" ? { numFmt: "yyyy-mm-dd hh:mm" } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow(
      columns.map((c) => {
        const v = c.value(r);
        if (v === undefined || v === null || v === "") return null;
        if (v instanceof Date) {
          const l = toLocal(v, o.timezone);
          return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
        }
        if (typeof v === "string" && /^[=+\-@]/.test(v)) return `'${v}`;
        return v;
      }),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A file name with the filter and the local date: "案件-超时-2026-11-02.xlsx". */
export function exportFileName(parts: (string | undefined | null | false)[], now: Date, timezone: string, ext: "csv" | "xlsx"): string {
  const l = toLocal(now, timezone);
  const clean = parts.filter((p): p is string => !!p).map((p) => p.replace(/[\\/:*?"<>|\r\n]+/g, "_").slice(0, 40));
  return `${[...clean, `${l.year}-${two(l.month)}-${two(l.day)}`].join("-")}.${ext}`;
}
