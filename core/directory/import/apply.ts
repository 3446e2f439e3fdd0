// Imports a read district file: names resolved to codes (names.ts), every row validated (the
// directory's own schemas), every reference checked against the file and the database, the changes
// listed field by field (changes.ts), then all of it written in ONE transaction through the directory
// services (estates and buildings in their bulk forms, bulk.ts) — or nothing, when any row is bad.
// Matched by code or by name within the street, so a second import of the same file changes nothing;
// `dryRun` does the same work and rolls it back (the preview). A confirmation carrying the preview's
// fingerprint writes only when the same changes come out again.
import type { Db } from "../../db/db.ts";
import { DirectoryError, type Who } from "../audit.ts";
import { issueRefusal } from "../fields.ts";
import { saveStreet } from "../streets.ts";
import { saveCompany } from "../companies.ts";
import { saveBuildingsBulk, saveEstatesBulk } from "./bulk.ts";
import { saveLiaison } from "../liaisons.ts";
import { saveOffice } from "../offices.ts";
import { saveEstate } from "../estates.ts";
import type { BuildingIn, CompanyIn, EstateIn, LiaisonIn, OfficeIn, StreetIn } from "../fields.ts";
import type { Problem, ReadFile } from "./read.ts";
import type { SheetKind } from "./sheets.ts";
import { resolveNames, type MergedNames } from "./names.ts";
import { fingerprint, plannedChanges, type Change } from "./changes.ts";

export type Counts = Record<SheetKind["kind"], { created: number; updated: number; unchanged: number }>;
export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  problems: Problem[];
  counts: Counts;
  /** Every change, record · field: before → after (the preview's list). */
  changes: Change[];
  /** Its fingerprint: a confirmation passes it back as `expect`. */
  fingerprint: string;
  /** Companies (or streets) written several ways in the file and merged into one, for the clerk to confirm. */
  merged: MergedNames[];
  /** Per sheet: the header row, and each header with the column it was read as (null: not used). */
  sheets: { name: string; kind: SheetKind["kind"]; headerRow: number; mapping: { header: string; key: string | null }[] }[];
  /** Numbers of the open cases moved to a new company, by estate code. */
  moved: Record<string, string[]>;
}

export interface ImportOptions {
  dryRun?: boolean;
  now: Date;
  /** The preview's fingerprint: write only when the changes are still the same. */
  expect?: string;
  /** Deactivate the estates of the file's streets the file no longer lists (default: when its estates have no codes, i.e. it is a register). */
  deactivateMissing?: boolean;
  /** Per estate whose company changes and that has open cases: move them to the new company or leave them (required then). */
  openCases?: Record<string, "move" | "stay">;
  /** Moves an estate's open cases to its new company through the case service (the dashboard's estate move). */
  moveCases?: (estate: string, company: string) => Promise<string[]>;
}

class Rollback extends Error {}

interface Valid<T> {
  sheet: string;
  row: number;
  input: T;
  col: (key: string) => string;
}

const emptyCounts = (): Counts => Object.fromEntries(["streets", "companies", "estates", "buildings", "liaisons", "offices"].map((k) => [k, { created: 0, updated: 0, unchanged: 0 }])) as Counts;

export async function importDistrict(db: Db, who: Who, read: ReadFile | Omit<ReadFile, "skippedSheets">, o: ImportOptions): Promise<ImportResult> {
  const problems = [...read.problems];
  const file = { skippedSheets: [], ...read, sheets: [...read.sheets] };
  const sheets = file.sheets.map((s) => ({ name: s.name, kind: s.kind.kind, headerRow: s.headerRow ?? 1, mapping: s.mapping ?? [] }));
  const estateSheet = file.sheets.find((s) => s.kind.kind === "estates");
  const register = estateSheet !== undefined && !estateSheet.headers.has("code");
  const names = await resolveNames(db, file, { register });
  problems.push(...names.problems);
  const done = (extra: Partial<ImportResult> = {}): ImportResult => ({ ok: problems.length === 0, dryRun: o.dryRun ?? false, problems, counts, changes: [], fingerprint: "", merged: names.merged, sheets, moved: {}, ...extra });
  const valid: Record<string, Valid<unknown>[]> = {};
  for (const s of file.sheets) {
    const col = (key: string) => s.headers.get(key) ?? key;
    const seen = new Map<string, number>();
    for (const r of s.rows) {
      const parsed = s.kind.schema.safeParse(s.kind.toInput(r.cells));
      if (!parsed.success) {
        for (const i of parsed.error.issues) {
          const { reason, params } = issueRefusal(i);
          problems.push({ sheet: s.name, row: r.row, column: col(String(i.path[0] ?? "")), reason, ...(params ? { params } : {}) });
        }
        continue;
      }
      const input = parsed.data as { code?: string; estate?: string; name?: string };
      const key = input.code ?? `${input.estate}/${input.name}`;
      if (seen.has(key)) {
        problems.push({ sheet: s.name, row: r.row, column: col(input.code ? "code" : "name"), reason: "imp_twice", params: { key, row: seen.get(key)! } });
        continue;
      }
      seen.set(key, r.row);
      (valid[s.kind.kind] ??= []).push({ sheet: s.name, row: r.row, input, col });
    }
  }
  const rows = <T>(k: SheetKind["kind"]) => (valid[k] ?? []) as Valid<T>[];
  await checkReferences(db, rows, problems);
  const counts = emptyCounts();
  if (problems.length) return done();
  const inputs = <T>(k: SheetKind["kind"]) => rows<T>(k).map((v) => v.input);
  const changes = await plannedChanges(db, { streets: inputs("streets"), companies: inputs("companies"), estates: inputs("estates"), buildings: inputs("buildings"), liaisons: inputs("liaisons") }, { deactivateMissing: o.deactivateMissing ?? register });
  const print = fingerprint(changes);
  const result = (): ImportResult => done({ changes, fingerprint: print, moved });
  const moved: Record<string, string[]> = {};
  if (!o.dryRun && o.expect !== undefined && o.expect !== print) {
    problems.push({ sheet: "", row: null, column: null, reason: "imp_changed_since_preview" });
    return result();
  }
  const companyMoves = changes.filter((c) => c.field === "dir_company" && (c.openCases ?? 0) > 0);
  if (!o.dryRun) for (const c of companyMoves) if (!o.openCases?.[c.code]) problems.push({ sheet: "", row: null, column: null, reason: "imp_open_cases_choice", params: { estate: c.record, n: c.openCases! } });
  if (problems.length) return result();

  const tally = (k: SheetKind["kind"], a: "created" | "updated" | "unchanged") => counts[k][a]++;
  try {
    await db.$transaction(
      async (tx) => {
        // A row the services refuse (e.g. an invite code held by another estate) is reported like a
        // bad cell; the transaction then rolls back, so nothing of the file is written.
        const each = async <T>(k: SheetKind["kind"], fn: (v: Valid<T>) => Promise<"created" | "updated" | "unchanged">) => {
          for (const v of rows<T>(k)) {
            try {
              tally(k, await fn(v));
            } catch (err) {
              if (!(err instanceof DirectoryError)) throw err;
              problems.push({ sheet: v.sheet, row: v.row, column: null, ...err.refusal });
            }
          }
        };
        await each<StreetIn>("streets", async (v) => (await saveStreet(tx, who, v.input)).action);
        await each<CompanyIn>("companies", async (v) => (await saveCompany(tx, who, v.input)).action);
        // Before the estates: an estate names its project manager, a liaison.
        await each<LiaisonIn>("liaisons", async (v) => (await saveLiaison(tx, who, v.input)).action);
        // Estates and buildings are the bulk of a district file: multi-row statements (bulk.ts).
        const estates = rows<EstateIn>("estates");
        counts.estates = await saveEstatesBulk(tx, who, estates.map((v) => v.input), o.now, (i, refusal) => problems.push({ sheet: estates[i]!.sheet, row: estates[i]!.row, column: null, ...refusal }));
        if (!problems.length) counts.buildings = await saveBuildingsBulk(tx, who, rows<BuildingIn>("buildings").map((v) => v.input), o.now);
        // Estates the register no longer lists; one with cases still open stays (the preview says so).
        for (const c of changes.filter((x) => x.kind === "estates" && x.action === "deactivate" && !rows<EstateIn>("estates").some((v) => v.input.code === x.code))) {
          const e = await tx.estate.findUniqueOrThrow({ where: { code: c.code }, include: { street: true } });
          if (await tx.case.count({ where: { estateId: e.id, state: { in: ["received", "unroutable", "routed", "accepted", "reopened"] } } })) continue;
          await saveEstate(tx, who, { code: e.code, name: e.name, street: e.street.code, households: e.households, active: false }, o.now);
        }
        await each<OfficeIn>("offices", async (v) => (await saveOffice(tx, who, v.input)).action);
        if (problems.length || o.dryRun) throw new Rollback();
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  // Open cases of an estate that changed company: moved through the case service when the clerk chose so.
  if (!problems.length && !o.dryRun && o.moveCases)
    for (const c of companyMoves) {
      const to = rows<EstateIn>("estates").find((v) => v.input.code === c.code)?.input.company;
      if (o.openCases?.[c.code] === "move" && to) moved[c.code] = await o.moveCases(c.code, to);
    }
  return result();
}

/** Codes a row names must exist in the file or the database. */
async function checkReferences(db: Db, rows: <T>(k: SheetKind["kind"]) => Valid<T>[], problems: Problem[]) {
  const [streets, companies, estates] = await Promise.all([
    db.street.findMany({ select: { code: true } }),
    db.company.findMany({ select: { code: true } }),
    db.estate.findMany({ select: { code: true } }),
  ]);
  const known = {
    street: new Set([...streets.map((x) => x.code), ...rows<StreetIn>("streets").map((v) => v.input.code)]),
    company: new Set([...companies.map((x) => x.code), ...rows<CompanyIn>("companies").map((v) => v.input.code)]),
    estate: new Set([...estates.map((x) => x.code), ...rows<EstateIn>("estates").map((v) => v.input.code)]),
  };
  const need = (v: Valid<unknown>, kind: keyof typeof known, key: string, code: string | null | undefined) => {
    if (code && !known[kind].has(code)) problems.push({ sheet: v.sheet, row: v.row, column: v.col(key), reason: `unknown_${kind}`, params: { code } });
  };
  for (const v of rows<EstateIn>("estates")) {
    need(v, "street", "street", v.input.street);
    need(v, "company", "company", v.input.company);
  }
  for (const v of rows<BuildingIn>("buildings")) need(v, "estate", "estate", v.input.estate);
  for (const v of rows<LiaisonIn>("liaisons")) need(v, "company", "company", v.input.company);
  for (const v of rows<OfficeIn>("offices")) {
    need(v, "street", "street", v.input.street);
    for (const e of v.input.estates ?? []) need(v, "estate", "estates", e);
  }
}
