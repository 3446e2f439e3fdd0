// Opens the database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, otherwise an
// embedded PGlite data dir on disk. Pending migrations are applied before the client is handed out.
import fs from "node:fs";
import { PrismaClient } from "./generated/prisma/client.ts";
import { releaseOnFailedEnd } from "./pg-release-guard.ts";
import { applyMigrations, type SqlRunner, type MigrationReport } from "./migrate.ts";
import type { Logger } from "./logger.ts";

export type Db = PrismaClient;
export type DbKind = "postgres" | "pglite";

export interface Database {
  prisma: PrismaClient;
  kind: DbKind;
  migrations: MigrationReport;
  /** Plain SQL outside Prisma (migrations, benches). */
  sql: SqlRunner;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string;
  pgliteDir?: string; // "memory://" for an in-memory database
  log?: Logger;
  poolMax?: number;
}

export async function openDatabase(opts: DbOptions): Promise<Database> {
  const { sql, adapter, kind, closeRaw } = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts.poolMax ?? 10)
    : await openPglite(opts.pgliteDir ?? "./data/pglite");
  let migrations: MigrationReport;
  try {
    migrations = await applyMigrations(sql, opts.log);
  } catch (err) {
    await closeRaw();
    throw err;
  }
  const prisma = new PrismaClient({ adapter });
  await prisma.$connect();
  return {
    prisma,
    kind,
    migrations,
    sql,
    async close() {
      await prisma.$disconnect();
      await closeRaw();
    },
  };
}

async function openPostgres(url: string, max: number) {
  const pg = (await import("pg")).default;
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server (PostgreSQL restart) must not crash the process.
  pool.on("error", () => {});
  // Same for a checked-out client whose connection is cut (the query in flight gets the error; an
  // 'error' event with no listener would end the process) — adapter-pg drops its listener on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  await pool.query("select 1").catch((err: Error) => {
    throw new Error(`Cannot reach PostgreSQL at ${redactUrl(url)}: ${err.message}`);
  });
  const sql: SqlRunner = {
    async exec(text) {
      await pool.query(text);
    },
    async query(text, params = []) {
      return (await pool.query(text, params as unknown[])).rows;
    },
    async withClient(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (t) => void (await client.query(t)),
          query: async (t, p = []) => (await client.query(t, p as unknown[])).rows,
        });
      } finally {
        client.release();
      }
    },
  };
  return { sql, adapter: releaseOnFailedEnd(new PrismaPg(pool)), kind: "postgres" as const, closeRaw: () => pool.end() };
}

async function openPglite(dir: string) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  const sql: SqlRunner = {
    async exec(text) {
      await pglite.exec(text);
    },
    async query(text, params = []) {
      return (await pglite.query(text, params as unknown[])).rows as Record<string, unknown>[];
    },
    async withClient(fn) {
      return fn({ exec: this.exec, query: this.query });
    },
  };
  // The adapter is built against an older @prisma/driver-adapter-utils whose types differ only
  // nominally; at run time it speaks the same adapter protocol (the whole suite runs on it).
  const adapter = new PrismaPGlite(pglite) as unknown as import("@prisma/adapter-pg").PrismaPg;
  return { sql, adapter, kind: "pglite" as const, closeRaw: () => pglite.close() };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
