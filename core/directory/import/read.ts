// Reads a district file (.xlsx, or .csv for one kind) into rows keyed by column, as offices keep it:
// the header row is found under title rows and merged cells, columns are mapped by their Chinese
// names and synonyms (sheets.ts) or as the clerk mapped them before (`mapping`), columns nothing uses
// are listed once (`ignored`), empty and 合计 rows are skipped, full-width digits and spaces folded.
// An .xlsx is parsed in a worker thread with the row limit enforced while reading (parse-worker.ts),
// so a huge or hostile file never stalls the service. Problems name the sheet, row and column as
// the spreadsheet program shows them; a bad file is a problem, never an exception for the caller.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { parse as parseCsv } from "csv-parse/sync";
import type { ParseAnswer } from "./parse-worker.ts";
import { columnOf, fold, sheetKind, SHEETS, type Cell, type Column, type RowIn, type SheetKind } from "./sheets.ts";

export interface ReadRow {
  row: number; // 1-based, as the spreadsheet program shows it
  cells: RowIn;
}
export interface ReadSheet {
  kind: SheetKind;
  name: string; // as written in the file
  headers: Map<string, string>; // column key → header as written
  rows: ReadRow[];
  /** The row the headers are on (title rows above it are skipped). */
  headerRow: number;
  /** Every header of the sheet and the column key it was read as (null: not used). */
  mapping: { header: string; key: string | null }[];
}
/** A bad file, sheet, row or cell: `reason` is a refusal code with its `params` (worded by the api/CLI). */
export interface Problem {
  sheet: string;
  row: number | null;
  column: string | null;
  reason: string;
  params?: Record<string, string | number>;
}
/** Header → column key ("" = do not use) per sheet kind: remembered from the clerk's confirmations. */
export type ColumnMapping = Partial<Record<SheetKind["kind"], Record<string, string>>>;

export interface ReadFile {
  sheets: ReadSheet[];
  problems: Problem[];
  /** Sheets nothing in them was read from (e.g. a notes sheet), by name. */
  skippedSheets: string[];
}

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_ROWS = 200_000;
/** The parsing thread's heap: a bomb that gets past the row count still cannot grow the service. */
const WORKER_HEAP_MB = 512;
/** How far down the header row is looked for (title rows, notes, merged cells above it). */
const HEADER_SEARCH_ROWS = 15;
const TOTAL_ROW = /^(合计|总计|小计|合計|總計|小計|total)$/i;

const isXlsx = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const text = (c: unknown) => (c === null || c === undefined ? "" : fold(String(c)));

/** Parses an .xlsx in a worker thread (see parse-worker.ts for why). */
function parseInWorker(bytes: Buffer): Promise<ParseAnswer> {
  const file = new URL("./parse-worker.ts", import.meta.url).href;
  // The worker is TypeScript like the rest: tsx's loader is registered inside it first.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
  return new Promise((resolve) => {
    const w = new Worker(boot, { eval: true, workerData: { bytes: new Uint8Array(bytes), maxRows: MAX_ROWS }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let done = false;
    const finish = (a: ParseAnswer) => {
      if (done) return;
      done = true;
      resolve(a);
      void w.terminate();
    };
    w.once("message", finish);
    w.once("error", (err) => finish({ ok: false, reason: /memory/i.test(String(err)) ? "imp_too_many_rows" : "imp_not_xlsx", detail: String(err.message).slice(0, 120) }));
    w.once("exit", () => finish({ ok: false, reason: "imp_not_xlsx", detail: "parser stopped" }));
  });
}

/** The header row: the row among the first ones that names the most columns of the kind. */
function findHeader(kind: SheetKind, table: Cell[][], mapping: Record<string, string>): number {
  let best = -1;
  let bestHits = 1;
  for (let i = 0; i < Math.min(table.length, HEADER_SEARCH_ROWS); i++) {
    const cells = (table[i] ?? []).map(text).filter(Boolean);
    const hits = new Set(cells.map((h) => (mapping[h] !== undefined ? mapping[h] || null : (columnOf(kind, h)?.key ?? null))).filter(Boolean)).size;
    if (hits > bestHits) {
      best = i;
      bestHits = hits;
    }
  }
  return best;
}

function toSheet(kind: SheetKind, name: string, table: Cell[][], problems: Problem[], mapping: Record<string, string> = {}): ReadSheet | null {
  const at = Math.max(0, findHeader(kind, table, mapping));
  const head = (table[at] ?? []).map(text);
  const headerRow = at + 1;
  const map = new Map<number, Column>();
  const seen: { header: string; key: string | null }[] = [];
  head.forEach((h, i) => {
    if (!h) return;
    const chosen = mapping[h];
    const c = chosen !== undefined ? kind.columns.find((x) => x.key === chosen) : columnOf(kind, h);
    // A column already taken by an earlier header is not read twice (e.g. two 联系电话).
    const used = c && [...map.values()].includes(c);
    if (c && !used) map.set(i, c);
    seen.push({ header: h, key: c && !used ? c.key : null });
  });
  const missing = kind.columns.filter((c) => c.required && ![...map.values()].includes(c));
  for (const c of missing) problems.push({ sheet: name, row: headerRow, column: c.zh, reason: "imp_required_column", params: { zh: c.zh, en: c.en } });
  if (missing.length) return null;
  const rows: ReadRow[] = [];
  table.forEach((cells, i) => {
    if (i <= at) return;
    const values = (cells ?? []).map((c) => (typeof c === "string" ? fold(c) : c));
    const filled = values.filter((c) => c !== null && c !== undefined && String(c).trim() !== "");
    if (!filled.length) return; // blank lines are fine
    if (filled.slice(0, 3).some((c) => TOTAL_ROW.test(String(c).replace(/\s/g, "")))) return; // 合计 rows sum up, they are not records
    const r: RowIn = {};
    for (const [idx, c] of map) r[c.key] = values[idx] ?? null;
    rows.push({ row: i + 1, cells: r });
  });
  const headers = new Map([...map.entries()].map(([i, c]) => [c.key, head[i]!]));
  return { kind, name, headers, rows, headerRow, mapping: seen };
}

/** The kind of a sheet: by its name, else by the columns under it (the best match of every kind). */
function kindOf(name: string, table: Cell[][], mapping: ColumnMapping): SheetKind | undefined {
  const named = sheetKind(name);
  if (named) return named;
  let best: SheetKind | undefined;
  let bestHits = 0;
  for (const k of SHEETS) {
    const at = findHeader(k, table, mapping[k.kind] ?? {});
    if (at < 0) continue;
    const hits = (table[at] ?? []).filter((h) => columnOf(k, text(h))).length;
    const required = k.columns.filter((c) => c.required).every((c) => (table[at] ?? []).some((h) => columnOf(k, text(h)) === c));
    if (required && hits > bestHits) {
      best = k;
      bestHits = hits;
    }
  }
  return best;
}

export async function readDistrictFile(bytes: Buffer, filename: string, o: { mapping?: ColumnMapping } = {}): Promise<ReadFile> {
  const problems: Problem[] = [];
  const mapping = o.mapping ?? {};
  const file = filename.replace(/^.*[\\/]/, "");
  const fail = (p: Omit<Problem, "sheet"> & { sheet?: string }): ReadFile => ({ sheets: [], problems: [{ sheet: file, ...p }], skippedSheets: [] });
  if (bytes.length > MAX_FILE_BYTES) return fail({ row: null, column: null, reason: "imp_too_large", params: { mb: MAX_FILE_BYTES / 1024 / 1024 } });
  const sheets: ReadSheet[] = [];
  const skippedSheets: string[] = [];
  if (isXlsx(bytes)) {
    const parsed = await parseInWorker(bytes);
    if (!parsed.ok) return fail({ row: null, column: null, reason: parsed.reason, params: parsed.reason === "imp_too_many_rows" ? { max: MAX_ROWS } : { detail: parsed.detail ?? "" } });
    for (const ws of parsed.sheets) {
      const table = ws.table as Cell[][];
      const kind = kindOf(ws.name, table, mapping);
      if (!kind) {
        // A sheet of notes or a chart is no error; a sheet that looks like data but is not known is.
        if (table.filter((r) => r.some((c) => text(c))).length > 1) problems.push({ sheet: ws.name, row: null, column: null, reason: "imp_unknown_sheet", params: { expectedZh: SHEETS.map((s) => s.zh).join("、"), expectedEn: SHEETS.map((s) => s.en).join(", ") } });
        else skippedSheets.push(ws.name);
        continue;
      }
      const s = toSheet(kind, ws.name, table, problems, mapping[kind.kind]);
      if (s) sheets.push(s);
    }
  } else {
    let csv = bytes.toString("utf8");
    if (csv.includes("\uFFFD")) return fail({ row: null, column: null, reason: "imp_not_utf8" });
    csv = csv.replace(/^\uFEFF/, "");
    let table: string[][];
    try {
      table = parseCsv(csv, { relax_column_count: true, skip_empty_lines: false, to: MAX_ROWS + 1 }) as string[][];
    } catch (err) {
      return fail({ row: (err as { lines?: number }).lines ?? null, column: null, reason: "imp_bad_csv", params: { detail: (err as Error).message.slice(0, 160) } });
    }
    if (table.length > MAX_ROWS) return fail({ row: null, column: null, reason: "imp_too_many_rows", params: { max: MAX_ROWS } });
    const stem = file.replace(/\.[^.]*$/, "");
    const kind = kindOf(stem, table, mapping);
    if (!kind) return fail({ row: 1, column: null, reason: "imp_csv_kind", params: { expectedZh: SHEETS.map((s) => `${s.zh}.csv`).join("、"), expectedEn: SHEETS.map((s) => `${s.en}.csv`).join(", ") } });
    const s = toSheet(kind, stem, table, problems, mapping[kind.kind]);
    if (s) sheets.push(s);
  }
  if (!sheets.length && !problems.length) problems.push({ sheet: file, row: null, column: null, reason: "imp_no_data" });
  return { sheets, problems, skippedSheets };
}
