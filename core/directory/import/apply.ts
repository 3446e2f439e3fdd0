// Imports a read district file: every row validated (the directory's own schemas), every reference
// checked against the file and the database, then all of it written in ONE transaction through the
// directory services (estates and buildings in their bulk forms, bulk.ts) — or nothing, when any
// row is bad. Matched by code, so a second import of the same file changes nothing; `dryRun` does
// the same work and rolls it back (the preview).
import type { Db } from "../../db/db.ts";
import { DirectoryError, type Who } from "../audit.ts";
import { issueRefusal } from "../fields.ts";
import { saveStreet } from "../streets.ts";
import { saveCompany } from "../companies.ts";
import { saveBuildingsBulk, saveEstatesBulk } from "./bulk.ts";
import { saveLiaison } from "../liaisons.ts";
import { saveOffice } from "../offices.ts";
import type { BuildingIn, CompanyIn, EstateIn, LiaisonIn, OfficeIn, StreetIn } from "../fields.ts";
import type { Problem, ReadSheet } from "./read.ts";
import type { SheetKind } from "./sheets.ts";

export type Counts = Record<SheetKind["kind"], { created: number; updated: number; unchanged: number }>;
export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  problems: Problem[];
  counts: Counts;
}

class Rollback extends Error {}

interface Valid<T> {
  sheet: string;
  row: number;
  input: T;
  col: (key: string) => string;
}

const emptyCounts = (): Counts => Object.fromEntries(["streets", "companies", "estates", "buildings", "liaisons", "offices"].map((k) => [k, { created: 0, updated: 0, unchanged: 0 }])) as Counts;

export async function importDistrict(db: Db, who: Who, read: { sheets: ReadSheet[]; problems: Problem[] }, o: { dryRun?: boolean; now: Date }): Promise<ImportResult> {
  const problems = [...read.problems];
  const valid: Record<string, Valid<unknown>[]> = {};
  for (const s of read.sheets) {
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
  if (problems.length) return { ok: false, dryRun: o.dryRun ?? false, problems, counts };

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
        // Estates and buildings are the bulk of a district file: multi-row statements (bulk.ts).
        const estates = rows<EstateIn>("estates");
        counts.estates = await saveEstatesBulk(tx, who, estates.map((v) => v.input), o.now, (i, refusal) => problems.push({ sheet: estates[i]!.sheet, row: estates[i]!.row, column: null, ...refusal }));
        if (!problems.length) counts.buildings = await saveBuildingsBulk(tx, who, rows<BuildingIn>("buildings").map((v) => v.input), o.now);
        await each<LiaisonIn>("liaisons", async (v) => (await saveLiaison(tx, who, v.input)).action);
        await each<OfficeIn>("offices", async (v) => (await saveOffice(tx, who, v.input)).action);
        if (problems.length || o.dryRun) throw new Rollback();
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return { ok: problems.length === 0, dryRun: o.dryRun ?? false, problems, counts };
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
