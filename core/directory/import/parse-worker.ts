// The worker thread that reads an uploaded .xlsx (read.ts starts it). First exceljs's streaming
// reader counts the rows, stopping as soon as the file has more than the import takes — so a "bomb"
// (a small file of a million rows) costs this thread a bounded amount of work and memory; only a
// file within the limit is then loaded whole (sheet names, merged cells) to be read. All of it off
// the service's own thread, which keeps answering (bench/import.ts measures /healthz meanwhile).
import { parentPort, workerData } from "node:worker_threads";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";

export interface ParsedSheet {
  name: string;
  /** table[r] = cells of spreadsheet row r + 1 (1-based rows as the clerk sees them). */
  table: unknown[][];
}
export type ParseAnswer = { ok: true; sheets: ParsedSheet[] } | { ok: false; reason: "imp_too_many_rows" | "imp_not_xlsx"; detail?: string };

function cell(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return v;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join("");
    if ("result" in o) return cell(o.result ?? null);
    if ("text" in o) return String(o.text);
    if ("error" in o) return null;
    if ("sharedFormula" in o || "formula" in o) return null;
  }
  return String(v);
}

async function countRows(bytes: Uint8Array, maxRows: number): Promise<boolean> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), { sharedStrings: "ignore", hyperlinks: "ignore", styles: "ignore", worksheets: "emit", entries: "ignore" });
  // exceljs reads a sheet that comes before workbook.xml in the zip with no model yet: names are not needed to count.
  (reader as unknown as { model: unknown }).model = { sheets: [] };
  let rows = 0;
  for await (const ws of reader) for await (const _row of ws as unknown as AsyncIterable<unknown>) if (++rows > maxRows) return false;
  return true;
}

async function parse(bytes: Uint8Array, maxRows: number): Promise<ParseAnswer> {
  if (!(await countRows(bytes, maxRows))) return { ok: false, reason: "imp_too_many_rows" };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheets: ParsedSheet[] = [];
  wb.eachSheet((ws) => {
    const table: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      table[n - 1] = (row.values as unknown[]).slice(1).map(cell);
    });
    sheets.push({ name: ws.name, table: Array.from(table, (r) => r ?? []) });
  });
  return { ok: true, sheets };
}

if (parentPort) {
  const { bytes, maxRows } = workerData as { bytes: Uint8Array; maxRows: number };
  parse(bytes, maxRows).then(
    (answer) => parentPort!.postMessage(answer),
    (err: Error) => parentPort!.postMessage({ ok: false, reason: "imp_not_xlsx", detail: String(err?.message ?? err).slice(0, 120) } satisfies ParseAnswer),
  );
}
