// The worker thread that reads an uploaded .xlsx (read.ts starts it): exceljs's streaming reader, row
// by row, stopping as soon as the file has more rows than the import takes — so a "bomb" (a small
// file of a million rows) costs this thread a bounded amount of work and memory, and the service's
// own thread keeps answering (bench/import.ts measures /healthz while one is refused).
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

async function parse(bytes: Uint8Array, maxRows: number): Promise<ParseAnswer> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), { sharedStrings: "cache", hyperlinks: "ignore", styles: "ignore", worksheets: "emit", entries: "ignore" });
  const sheets: ParsedSheet[] = [];
  let rows = 0;
  for await (const ws of reader) {
    const w = ws as unknown as AsyncIterable<ExcelJS.Row> & { name?: string };
    const table: unknown[][] = [];
    for await (const row of w) {
      if (++rows > maxRows) return { ok: false, reason: "imp_too_many_rows" };
      table[row.number - 1] = (row.values as unknown[]).slice(1).map(cell);
    }
    sheets.push({ name: w.name ?? `Sheet${sheets.length + 1}`, table: Array.from(table, (r) => r ?? []) });
  }
  return { ok: true, sheets };
}

if (parentPort) {
  const { bytes, maxRows } = workerData as { bytes: Uint8Array; maxRows: number };
  parse(bytes, maxRows).then(
    (answer) => parentPort!.postMessage(answer),
    (err: Error) => parentPort!.postMessage({ ok: false, reason: "imp_not_xlsx", detail: String(err?.message ?? err).slice(0, 120) } satisfies ParseAnswer),
  );
}
