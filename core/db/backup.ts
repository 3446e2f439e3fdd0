// Backups as plain SQL (pg_dump's INSERT form), on both databases, so one file restores into a fresh
// PGlite folder or into PostgreSQL (the move off the embedded database). PGlite is dumped by
// @electric-sql/pglite-tools' pg_dump inside the owning process, holding PGlite's locks so the dump
// sees no half-done transaction; PostgreSQL by the pg_dump on PATH. The first line of a PGlite backup
// records the row count of every table taken under the same locks: restore checks it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { redactUrl } from "./db.ts";
import { simpleQuery } from "./pglite-sessions.ts";

export const HEADER = "-- estate-frontdoor backup ";

export interface BackupInfo {
  file: string;
  bytes: number;
  ms: number;
  createdAt: string;
  /** Rows per table when the dump was taken (PGlite); null from PostgreSQL's pg_dump. */
  counts: Record<string, number> | null;
  /** How long the service's database was held (PGlite): the whole dump, or only the snapshot's copy. */
  heldMs?: number;
}

interface Engine {
  isInTransaction(): boolean;
  execProtocol(message: Uint8Array): Promise<{ messages: { name: string; fields?: (string | null)[] }[] }>;
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  execProtocolRawStream(message: Uint8Array, opts: { onRawData: (d: Uint8Array) => void }): Promise<void>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

/** The tables of the public schema (the app's and _prisma_migrations). */
export async function tableNames(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<string[]> {
  const rows = await query(`SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return rows.map((r) => String(r.tablename));
}

export const countSql = (tables: string[]) =>
  tables.map((t) => `SELECT '${t.replace(/'/g, "''")}' AS t, count(*)::int AS n FROM public."${t.replace(/"/g, '""')}"`).join(" UNION ALL ");

/** A consistent SQL dump of a live PGlite, with its row counts; the service waits meanwhile. */
export async function dumpPglite(pg: PGlite): Promise<{ sql: string; counts: Record<string, number> }> {
  const { pgDump } = await import("@electric-sql/pglite-tools/pg_dump");
  const e = pg as unknown as Engine;
  const searchPath = (await pg.query<{ search_path: string }>("SHOW search_path")).rows[0]!.search_path;
  const tables = await tableNames(async (q) => (await pg.query<Record<string, unknown>>(q)).rows);
  // pg_dump asks for the search path through query() and resets it with exec(); both would wait for
  // the locks held here, so they are answered on the raw protocol instead.
  const view = {
    query: async () => ({ rows: [{ search_path: searchPath }] }),
    exec: async (sql: string) => void (await e.execProtocolRaw(simpleQuery(sql))),
    execProtocolRawStream: e.execProtocolRawStream.bind(e),
  };
  return e._runExclusiveTransaction(() =>
    e._runExclusiveQuery(async () => {
      const counts: Record<string, number> = {};
      if (tables.length) {
        for (const m of (await e.execProtocol(simpleQuery(countSql(tables)))).messages) {
          if (m.name === "dataRow" && m.fields) counts[String(m.fields[0])] = Number(m.fields[1]);
        }
      }
      try {
        const file = await pgDump({ pg: view as unknown as PGlite, args: ["--no-owner", "--no-privileges", "--rows-per-insert=1000"] });
        return { sql: await file.text(), counts };
      } finally {
        // pg_dump ends without committing its read-only snapshot transaction, and PGlite is one
        // session: left open, the service's next write fails ("cannot execute INSERT in a read-only
        // transaction", bench:backup). Its session settings (extra_float_digits…) go too.
        await e.execProtocolRaw(simpleQuery("ROLLBACK"));
        await e.execProtocolRaw(simpleQuery("RESET ALL"));
      }
    }),
  );
}

/**
 * Writes a PGlite backup to `file` (through a temporary name: a half-written file is never a backup).
 * With `dataDir` (the live PGlite's folder) the service is held only while the folder is copied
 * after a CHECKPOINT — a consistent snapshot, since nothing runs on the one connection meanwhile —
 * and a child process dumps the copy; filing goes on during the dump (bench:backup). Without it the
 * dump itself holds the database (an in-memory PGlite, or the child dumping its copy).
 */
export async function backupPglite(pg: PGlite, file: string, opts: { dataDir?: string } = {}): Promise<BackupInfo> {
  if (opts.dataDir) return backupBySnapshot(pg, opts.dataDir, file);
  const t0 = performance.now();
  const { sql, counts } = await dumpPglite(pg);
  const createdAt = new Date().toISOString();
  const text = `${HEADER}${JSON.stringify({ createdAt, counts })}\n${sql}`;
  writeAtomically(file, text);
  const ms = Math.round(performance.now() - t0);
  return { file, bytes: Buffer.byteLength(text), ms, createdAt, counts, heldMs: ms };
}

const DUMP_CHILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../scripts/dump-snapshot.ts");
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Lock files and sockets of the live folder are not data (owner.lock, the tools' socket). */
const NOT_DATA = /(^|\/)(owner\.lock|\.s\.PGSQL[^/]*|control\.sock)$/;

async function backupBySnapshot(pg: PGlite, dataDir: string, file: string): Promise<BackupInfo> {
  const t0 = performance.now();
  const e = pg as unknown as Engine;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const snapshot = fs.mkdtempSync(path.join(path.dirname(path.resolve(file)), ".snapshot-"));
  let heldMs = 0;
  try {
    await e._runExclusiveTransaction(() =>
      e._runExclusiveQuery(async () => {
        const h0 = performance.now();
        await e.execProtocolRaw(simpleQuery("CHECKPOINT"));
        fs.cpSync(dataDir, snapshot, {
          recursive: true,
          filter: (src) => {
            if (NOT_DATA.test(src)) return false;
            const st = fs.lstatSync(src);
            return st.isDirectory() || st.isFile();
          },
        });
        heldMs = Math.round(performance.now() - h0);
      }),
    );
    const info = await new Promise<BackupInfo>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", DUMP_CHILD, snapshot, path.resolve(file)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (err += d));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code === 0) resolve(JSON.parse(out.trim().split("\n").at(-1)!) as BackupInfo);
        else reject(new Error(`backup dump failed (exit ${code}): ${err.trim().split("\n").slice(-3).join(" ")}`));
      });
    });
    return { ...info, ms: Math.round(performance.now() - t0), heldMs };
  } finally {
    fs.rmSync(snapshot, { recursive: true, force: true });
  }
}

/** PostgreSQL: the pg_dump on PATH (same INSERT form), or a clear message when there is none. */
export async function backupPostgres(url: string, file: string): Promise<BackupInfo> {
  const t0 = performance.now();
  const tmp = `${file}.partial`;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const createdAt = new Date().toISOString();
  fs.writeFileSync(tmp, `${HEADER}${JSON.stringify({ createdAt, counts: null })}\n`);
  const out = fs.openSync(tmp, "a");
  const stderr: Buffer[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn("pg_dump", ["--no-owner", "--no-privileges", "--inserts", "--rows-per-insert=1000", "--dbname", url], { stdio: ["ignore", out, "pipe"] });
    child.stderr!.on("data", (d: Buffer) => stderr.push(d));
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "ENOENT" ? new Error("pg_dump is not on PATH: install the PostgreSQL client tools (e.g. apt install postgresql-client) to back up a PostgreSQL database") : err),
    );
    child.on("close", (c) => resolve(c ?? 1));
  }).finally(() => fs.closeSync(out));
  if (code !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`pg_dump of ${redactUrl(url)} failed: ${Buffer.concat(stderr).toString().trim().split("\n")[0]}`);
  }
  fs.renameSync(tmp, file);
  return { file, bytes: fs.statSync(file).size, ms: Math.round(performance.now() - t0), createdAt, counts: null };
}

function writeAtomically(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.partial`;
  fs.writeFileSync(tmp, text);
  const fd = fs.openSync(tmp, "r");
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/** The header of a backup file, or null when the file is not one of ours. */
export function readHeader(text: string): { createdAt: string; counts: Record<string, number> | null } | null {
  if (!text.startsWith(HEADER)) return null;
  try {
    return JSON.parse(text.slice(HEADER.length, text.indexOf("\n"))) as { createdAt: string; counts: Record<string, number> | null };
  } catch {
    return null;
  }
}

/** The dump's statements, without psql-only lines (\restrict, from pg_dump 17.6) and PG 17-only settings. */
export function restorableSql(text: string): string {
  return text.replace(/^\\(?:un)?restrict\b.*$/gm, "").replace(/^SET transaction_timeout = 0;$/gm, "");
}

export const BACKUP_PREFIX = "frontdoor-";
export const backupName = (at: Date) => `${BACKUP_PREFIX}${at.toISOString().replace(/[:.]/g, "-")}.sql`;

/** Backups in `dir`, newest first. */
export function listBackups(dir: string): { file: string; bytes: number; at: Date }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .filter((f) => f.startsWith(BACKUP_PREFIX) && f.endsWith(".sql"))
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      return { file: path.join(dir, f), bytes: st.size, at: st.mtime };
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Backups kept whatever BACKUP_KEEP says (file name → why), in PINNED_FILE beside them. */
export const PINNED_FILE = "pinned.json";

export function pinnedBackups(dir: string): Record<string, { reason: string; at: string }> {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, PINNED_FILE), "utf8")) as Record<string, { reason: string; at: string }>;
  } catch {
    return {};
  }
}

/**
 * Keeps the newest backup for good when a start is refused (a damaged folder): it is the last one
 * taken from the data before the damage, and later nightly runs must not rotate it out (issue 24).
 * Returns its file, or null when there is no backup. Unpin by editing or deleting PINNED_FILE.
 */
export function pinNewestBackup(dir: string, reason: string): string | null {
  const newest = listBackups(dir)[0];
  if (!newest) return null;
  const pins = pinnedBackups(dir);
  const name = path.basename(newest.file);
  if (pins[name]) return newest.file;
  pins[name] = { reason: reason.slice(0, 300), at: new Date().toISOString() };
  try {
    writeAtomically(path.join(dir, PINNED_FILE), JSON.stringify(pins, null, 2));
    return newest.file;
  } catch {
    return null; // a read-only backup folder: nothing prunes it either
  }
}

/** Deletes all but the newest `keep` backups, never a pinned one; returns how many went. */
export function pruneBackups(dir: string, keep: number): number {
  const pins = pinnedBackups(dir);
  const old = listBackups(dir)
    .slice(keep)
    .filter((b) => !pins[path.basename(b.file)]);
  for (const b of old) fs.rmSync(b.file, { force: true });
  return old.length;
}
