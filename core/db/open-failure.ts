// One line for each way a PGlite data folder cannot be opened, saying what is wrong and what to do,
// and the checks that a folder is whole before PGlite touches it (issue 24: a folder that lost
// PG_VERSION was re-initialised as an empty district; a table file truncated to half started
// silently with 528 of 1,382 timeline events gone). Before opening, nothing in the folder is written:
// - a non-empty folder must have every part of a PostgreSQL data directory (PG_VERSION, base/<db>,
//   global/pg_control, pg_wal, pg_xact…): initdb runs only in an empty or missing folder;
// - after a clean stop the folder holds MANIFEST_FILE (every relation file's size, every table's row
//   count, written after PGlite closed): each file must be there with the same size.
// After opening, the row counts are compared to the manifest, and without a manifest (after a crash)
// every relation's file must exist with at least the pages the catalog last recorded.
// PGlite reports a damaged folder as WebAssembly's "Aborted()" (after printing PostgreSQL's PANIC)
// and a newer format not at all; left alone, Node prints the minified line of PGlite that threw.
import fs from "node:fs";
import path from "node:path";
import { DataFolderInUse, LOCK_FILE } from "./data-lock.ts";

/** PostgreSQL major version of the bundled PGlite (0.5.x writes PG_VERSION 18). */
export const PGLITE_PG_MAJOR = "18";
/** Written by a clean stop, removed once the next start has checked it. */
export const MANIFEST_FILE = "frontdoor-manifest.json";
const PAGE = 8192;

export class DataFolderError extends Error {}

export const RESTORE = "restore from backup: npm run restore -- FILE --force (FILE: the newest in data/backups; the folder is kept aside)";

/** Files the service itself puts in the folder: a folder holding only these is empty. (Not the
 * manifest: a folder holding it held a database, and one holding nothing else lost it.) */
const OURS = (f: string) => f.startsWith(LOCK_FILE) || f.startsWith(".s.PGSQL") || f === "control.sock";

/** Every part of a data directory initdb makes that PostgreSQL cannot start without. */
const REQUIRED = ["PG_VERSION", "global/pg_control", "global/pg_filenode.map", "base", "pg_wal", "pg_xact", "pg_multixact", "postgresql.conf"];

export interface Manifest {
  stoppedAt: string;
  /** Relation file (relative to the folder) → [bytes, name]. */
  files: Record<string, [number, string]>;
  /** Public table → rows at the clean stop. */
  counts: Record<string, number>;
}

/** Checks done before PGlite touches the folder: readable, whole, a format this PGlite knows. */
export function checkDataFolder(dir: string): void {
  let entries: string[];
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
    entries = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // a new database
    throw new DataFolderError(`The database folder ${dir} cannot be read or written by this user (${(err as NodeJS.ErrnoException).code}): fix its owner or permissions (e.g. chown -R $(whoami) ${dir}).`);
  }
  if (entries.every(OURS)) return; // empty: initdb makes a new database here
  const missing = REQUIRED.filter((p) => !fs.existsSync(path.join(dir, p)));
  const databases = missing.includes("base") ? [] : fs.readdirSync(path.join(dir, "base")).filter((d) => fs.readdirSync(path.join(dir, "base", d)).length > 0);
  if (!missing.includes("base") && databases.length === 0) missing.push("the databases in base/ (it is empty)");
  if (missing.length) throw incomplete(dir, missing.join(", "));
  let version: string;
  try {
    version = fs.readFileSync(path.join(dir, "PG_VERSION"), "utf8").trim();
  } catch (err) {
    throw new DataFolderError(`The database folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code} on PG_VERSION): fix its permissions.`);
  }
  if (Number(version) > Number(PGLITE_PG_MAJOR)) {
    throw new DataFolderError(`The database folder ${dir} was written by a newer PostgreSQL (${version}; this version reads ${PGLITE_PG_MAJOR}): run the newer version of this app, or ${RESTORE}.`);
  }
  if (version !== PGLITE_PG_MAJOR) {
    throw new DataFolderError(`The database folder ${dir} holds PostgreSQL ${version} data, which this version (${PGLITE_PG_MAJOR}) cannot open: ${RESTORE}.`);
  }
  const manifest = readManifest(dir);
  if (manifest) {
    const damaged = Object.entries(manifest.files).flatMap(([file, [bytes, name]]) => {
      const now = sizeOf(path.join(dir, file));
      if (now === null) return [`${file} (${name}) is missing`];
      return now === bytes ? [] : [`${file} (${name}) is ${now} bytes, was ${bytes} at the clean stop`];
    });
    if (damaged.length) throw damagedFiles(dir, damaged);
  }
}

const incomplete = (dir: string, what: string) =>
  new DataFolderError(`The database folder ${dir} is not a complete database (missing ${what}): nothing in it was changed; ${RESTORE}.`);

/** `untouched`: found before PGlite opened the folder (after opening, PostgreSQL has written its control file). */
const damagedFiles = (dir: string, what: string[], untouched = true) =>
  new DataFolderError(`The database folder ${dir} is damaged: ${what.slice(0, 3).join("; ")}${what.length > 3 ? ` and ${what.length - 3} more` : ""}; ${untouched ? "nothing in it was changed; " : ""}${RESTORE}.`);

function sizeOf(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

export function readManifest(dir: string): Manifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as Manifest;
  } catch {
    return null;
  }
}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

const RELATIONS = `SELECT c.relname AS name, c.relpages AS pages, pg_relation_filepath(c.oid) AS file
  FROM pg_class c WHERE c.relkind IN ('r', 'i', 't', 'm', 'S') AND c.relpersistence = 'p' AND pg_relation_filepath(c.oid) IS NOT NULL`;

async function publicCounts(query: Query): Promise<Record<string, number>> {
  const tables = (await query(`SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).map((r) => String(r.tablename));
  if (!tables.length) return {};
  const sql = tables.map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t, count(*)::int AS n FROM public."${t.replace(/"/g, '""')}"`).join(" UNION ALL ");
  return Object.fromEntries((await query(sql)).map((r) => [String(r.t), Number(r.n)]));
}

/**
 * Checks an opened folder against its manifest (row counts) or, without one, against the catalog
 * (every relation's file present, whole pages, no fewer than the catalog last counted); then removes
 * the manifest, so a crash before the next clean stop leaves none. Throws the one line on damage.
 */
export async function checkOpenedFolder(dir: string, query: Query): Promise<void> {
  const manifest = readManifest(dir);
  if (manifest) {
    const counts = await publicCounts(query);
    const wrong = Object.entries(manifest.counts).filter(([t, n]) => counts[t] !== n);
    if (wrong.length) throw damagedFiles(dir, wrong.map(([t, n]) => `table ${t} has ${counts[t] ?? "no"} rows, had ${n} at the clean stop`), false);
  } else {
    const damaged = (await query(RELATIONS)).flatMap((r) => {
      const bytes = sizeOf(path.join(dir, String(r.file)));
      const name = String(r.name);
      if (bytes === null) return [`${String(r.file)} (${name}) is missing`];
      if (bytes % PAGE !== 0) return [`${String(r.file)} (${name}) is cut mid-page (${bytes} bytes)`];
      return bytes / PAGE < Number(r.pages) ? [`${String(r.file)} (${name}) has ${bytes / PAGE} pages, the catalog counted ${Number(r.pages)}`] : [];
    });
    if (damaged.length) throw damagedFiles(dir, damaged, false);
  }
  fs.rmSync(path.join(dir, MANIFEST_FILE), { force: true });
}

/** What a clean stop records: asked before PGlite closes (names, counts), sized after it closed. */
export async function manifestBeforeClose(query: Query): Promise<{ write(dir: string): void }> {
  const relations = await query(RELATIONS);
  const counts = await publicCounts(query);
  return {
    write(dir) {
      const files: Manifest["files"] = {};
      for (const r of relations) {
        const bytes = sizeOf(path.join(dir, String(r.file)));
        if (bytes !== null) files[String(r.file)] = [bytes, String(r.name)];
      }
      const manifest: Manifest = { stoppedAt: new Date().toISOString(), files, counts };
      const tmp = path.join(dir, `${MANIFEST_FILE}.partial`);
      fs.writeFileSync(tmp, JSON.stringify(manifest));
      fs.renameSync(tmp, path.join(dir, MANIFEST_FILE));
    },
  };
}

/** The one line for an error PGlite threw while opening `dir`. */
export function describeOpenFailure(err: unknown, dir: string): Error {
  if (err instanceof DataFolderInUse || err instanceof DataFolderError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return new DataFolderError(`The database folder ${dir} cannot be read or written by this user (${code}): fix its owner or permissions.`);
  if (/Aborted|PANIC|checkpoint|unreachable|RuntimeError|memory access out of bounds|invalid|corrupt/i.test(msg) || err instanceof WebAssembly.RuntimeError) {
    return new DataFolderError(`The database folder ${dir} is damaged and cannot be opened (${firstLine(msg)}): ${RESTORE}.`);
  }
  return new DataFolderError(`The database folder ${dir} cannot be opened: ${firstLine(msg)}`);
}

const firstLine = (s: string) => s.split("\n")[0]!.slice(0, 200);
