// How every npm tool (admin, dry-run, seed, migrate, backup, import…) reaches the database — one
// choice, made here: PostgreSQL through DATABASE_URL; an embedded folder owned by a running service
// through that service's socket (core/db/pglite-serve.ts), so the tool's writes are the service's
// writes at once; an embedded folder nobody holds by opening it, holding its lock like the service.
import path from "node:path";
import fs from "node:fs";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { openDatabase, type Database } from "./db.ts";
import { applyMigrations, type SqlRunner } from "./migrate.ts";
import { DataFolderInUse, lockHolder } from "./data-lock.ts";
import { SOCKET_PORT, requestBackup, wireSocket } from "./pglite-serve.ts";
import { backupPglite, backupPostgres, type BackupInfo } from "./backup.ts";
import { poolHotSql } from "./hot-sql.ts";
import { PrismaClient } from "./generated/prisma/client.ts";

export interface ToolDatabase extends Database {
  /** "service": through the running service; "folder": this process opened the folder; "postgres". */
  via: "service" | "folder" | "postgres";
  /** A consistent backup of this database into `file`. */
  backup(file: string): Promise<BackupInfo>;
}

export async function openForTool(config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">, log?: Logger): Promise<ToolDatabase> {
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    const db = await openDatabase({ databaseUrl: url, log, poolMax: 2 });
    return Object.assign(db, { via: "postgres" as const, backup: (file: string) => backupPostgres(url, path.resolve(file)) });
  }
  const dir = config.PGLITE_DIR;
  const holder = lockHolder(dir);
  if (holder && holder.pid !== process.pid) {
    if (!fs.existsSync(wireSocket(dir))) throw new DataFolderInUse(dir, holder);
    return throughService(dir, log);
  }
  const db = await openDatabase({ pgliteDir: dir, log });
  return Object.assign(db, { via: "folder" as const, backup: (file: string) => backupPglite(db.embedded!.pglite, path.resolve(file)) });
}

async function throughService(dir: string, log?: Logger): Promise<ToolDatabase> {
  const pg = (await import("pg")).default;
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new pg.Pool({ host: path.resolve(dir), port: SOCKET_PORT, user: "postgres", database: "postgres", max: 2, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => {});
  await pool.query("select 1").catch((err: Error) => {
    throw new Error(`The service holding ${dir} did not answer on its socket (${err.message}): is it still starting? Try again, or stop it and run the tool alone.`);
  });
  const sql: SqlRunner = {
    exec: async (text) => void (await pool.query(text)),
    query: async (text, params = []) => (await pool.query(text, params as unknown[])).rows,
    async withClient(fn) {
      const client = await pool.connect();
      try {
        return await fn({ exec: async (t) => void (await client.query(t)), query: async (t, p = []) => (await client.query(t, p as unknown[])).rows });
      } finally {
        client.release();
      }
    },
  };
  const migrations = await applyMigrations(sql, log);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  await prisma.$connect();
  return {
    prisma,
    kind: "pglite",
    migrations,
    sql,
    // Named prepared statements would outlive this tool in the service's one PostgreSQL backend.
    hot: poolHotSql(pool, pg.types, { prepare: false }),
    via: "service",
    backup: (file) => requestBackup(dir, path.resolve(file)),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Runs a tool's body: any failure is one line on stderr and exit code 1 (a database that cannot be
 * opened, a locked folder, a bad argument) — never a stack of PGlite's minified code.
 */
export async function runTool(body: () => Promise<number | void>): Promise<never> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
    code = 1;
  }
  process.exit(code);
}
