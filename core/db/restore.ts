// `npm run restore`: a backup file (core/db/backup.ts) into a stopped embedded folder or a PostgreSQL
// database — refused while a process holds the folder, and over existing data unless forced (the
// replaced folder is kept beside it). Then the check: every table's row count equals the count the
// backup recorded, and the migrations table is there, finished, and known to this version.
import fs from "node:fs";
import { openPgliteFolder, redactUrl } from "./db.ts";
import { lockHolder } from "./data-lock.ts";
import { countSql, readHeader, restorableSql, tableNames } from "./backup.ts";
import { sqlBatches } from "./sql-chunks.ts";
import { listMigrations } from "./migrate.ts";

export type RestoreTarget = { pgliteDir: string } | { databaseUrl: string };

export interface RestoreReport {
  target: string;
  counts: Record<string, number>;
  migrations: number;
  /** The folder that held data before (--force), kept. */
  keptAside?: string;
  ms: number;
  warnings: string[];
}

export class RestoreError extends Error {}

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export async function restoreBackup(file: string, target: RestoreTarget, opts: { force?: boolean } = {}): Promise<RestoreReport> {
  const t0 = performance.now();
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new RestoreError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const header = readHeader(text);
  if (!header && !/^-- PostgreSQL database dump/m.test(text.slice(0, 4096))) throw new RestoreError(`${file} is not a backup made by npm run backup (nor a pg_dump script)`);
  const sql = restorableSql(text);
  const run = "pgliteDir" in target ? restorePglite : restorePostgres;
  const { query, target: where, keptAside, close } = await run(target as never, sql, Boolean(opts.force));
  try {
    const check = await verify(query, header?.counts ?? null);
    return { target: where, ...check, ...(keptAside ? { keptAside } : {}), ms: Math.round(performance.now() - t0) };
  } finally {
    await close();
  }
}

async function restorePglite(target: { pgliteDir: string }, sql: string, force: boolean) {
  const dir = target.pgliteDir;
  const holder = lockHolder(dir);
  if (holder) throw new RestoreError(`${dir} is in use by PID ${holder.pid} (${holder.command}) since ${holder.startedAt}: stop it before restoring into that folder, or restore into another one with --target DIR`);
  let keptAside: string | undefined;
  const holdsDatabase = fs.existsSync(`${dir}/PG_VERSION`);
  const notEmpty = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => !f.startsWith("owner.lock") && !f.startsWith(".s.PGSQL") && f !== "control.sock");
  if (holdsDatabase && !force) throw new RestoreError(`${dir} already holds a database: add --force to replace it (it is kept as ${dir}.replaced-<time>), or choose an empty folder with --target DIR`);
  if (notEmpty && !force) throw new RestoreError(`${dir} is not empty and holds no database: choose an empty folder, or add --force (it is kept as ${dir}.replaced-<time>)`);
  // A damaged or partial folder is kept aside too: the service never opens one that is not whole.
  if (holdsDatabase || notEmpty) {
    keptAside = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(dir, keptAside);
  }
  try {
    const pg = await openPgliteFolder(dir);
    try {
      for (const batch of sqlBatches(sql)) await pg.exec(batch);
      // pg_dump's script empties the search path for its session.
      await pg.exec("RESET search_path");
    } catch (err) {
      await pg.close();
      throw err;
    }
    return { query: (async (q) => (await pg.query<Record<string, unknown>>(q)).rows) as Query, target: dir, keptAside, close: () => pg.close() };
  } catch (err) {
    // Nothing half-restored stays where the service would open it; the replaced folder goes back.
    fs.rmSync(dir, { recursive: true, force: true });
    if (keptAside) fs.renameSync(keptAside, dir);
    throw new RestoreError(`restore into ${dir} failed, nothing changed: ${(err as Error).message.split("\n")[0]}`);
  }
}

async function restorePostgres(target: { databaseUrl: string }, sql: string, force: boolean) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect().catch((err: Error) => {
    throw new RestoreError(`cannot reach PostgreSQL at ${redactUrl(target.databaseUrl)}: ${err.message}`);
  });
  const query: Query = async (q) => (await client.query(q)).rows as Record<string, unknown>[];
  try {
    const existing = await tableNames(query);
    if (existing.length && !force) throw new RestoreError(`${redactUrl(target.databaseUrl)} already has ${existing.length} tables: add --force to drop its public schema first, or restore into an empty database`);
    await client.query("BEGIN");
    if (existing.length) await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    for (const batch of sqlBatches(sql)) await client.query(batch);
    await client.query("COMMIT");
    // pg_dump's script empties the search path for its session.
    await client.query("RESET search_path");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    await client.end();
    if (err instanceof RestoreError) throw err;
    throw new RestoreError(`restore into ${redactUrl(target.databaseUrl)} failed, nothing changed: ${(err as Error).message.split("\n")[0]}`);
  }
  return { query, target: redactUrl(target.databaseUrl), keptAside: undefined, close: () => client.end() };
}

/** Row counts against the backup's, and the migrations table. */
async function verify(query: Query, expected: Record<string, number> | null) {
  const tables = await tableNames(query);
  const counts: Record<string, number> = {};
  if (tables.length) for (const r of await query(countSql(tables))) counts[String(r.t)] = Number(r.n);
  if (expected) {
    const wrong = Object.entries(expected).filter(([t, n]) => counts[t] !== n);
    if (wrong.length) throw new RestoreError(`restored data does not match the backup: ${wrong.map(([t, n]) => `${t} ${counts[t] ?? "missing"} rows, backup had ${n}`).join("; ")}`);
  }
  if (!tables.includes("_prisma_migrations")) throw new RestoreError("the restored database has no _prisma_migrations table: this is not a backup of this app");
  const rows = (await query(`SELECT migration_name, finished_at FROM "_prisma_migrations"`)) as { migration_name: string; finished_at: Date | null }[];
  const unfinished = rows.filter((r) => !r.finished_at);
  if (unfinished.length) throw new RestoreError(`the backup records an unfinished migration (${unfinished[0]!.migration_name}): take a backup from a healthy database`);
  const known = new Set(listMigrations().map((m) => m.name));
  const newer = rows.filter((r) => !known.has(r.migration_name)).map((r) => r.migration_name);
  const warnings = newer.length ? [`the backup has migrations this version does not know (${newer.join(", ")}): run the version that made it`] : [];
  return { counts, migrations: rows.length, warnings };
}
