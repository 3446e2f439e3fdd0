// Opens the database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, otherwise an
// embedded PGlite data dir on disk. Pending migrations are applied before the client is handed out.
import { PrismaClient } from "./generated/prisma/client.ts";
import { releaseOnFailedEnd } from "./pg-release-guard.ts";
import { applyMigrations, checkMigrations, type SqlRunner, type MigrationReport } from "./migrate.ts";
import type { Logger } from "../logger.ts";
import type { PGlite } from "@electric-sql/pglite";
import { acquireDataLock } from "./data-lock.ts";
import { checkDataFolder, checkOpenedFolder, describeOpenFailure, manifestBeforeClose } from "./open-failure.ts";
import { PG_TIMESTAMP, poolHotSql, prismaHotSql, utcTimestampText, type HotSql } from "./hot-sql.ts";

export type Db = PrismaClient;
export type DbKind = "postgres" | "pglite";

export interface Database {
  prisma: PrismaClient;
  kind: DbKind;
  migrations: MigrationReport;
  /** Plain SQL outside Prisma (migrations, benches). */
  sql: SqlRunner;
  /** The per-update statements (core/db/hot-sql.ts): the pg pool on PostgreSQL, Prisma on PGlite. */
  hot: HotSql;
  /** The embedded database this process owns (it serves the tools: core/db/pglite-serve.ts). */
  embedded?: { pglite: PGlite; dir: string };
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string;
  pgliteDir?: string; // "memory://" for an in-memory database
  /** A PGlite data dir dumped with dumpDataDir() to start from instead of an empty one. The tests open
   * every database from one migrated dump: loading it costs ~2 s of CPU against ~5 s for initdb plus
   * the migrations (test/README.md). Migrations still run after it, so an older dump is brought up to date. */
  pgliteDataDir?: Blob;
  log?: Logger;
  poolMax?: number;
  /** Prepared statements for the per-update SQL on PostgreSQL (off behind a transaction-mode pooler). */
  preparedStatements?: boolean;
  /** "check": only verify that every migration is applied (MIGRATE_ON_START=false; a separate step migrates). */
  migrations?: "apply" | "check";
}

// How long a transaction may wait to start. PGlite is one connection: a transaction waits for every
// one queued before it and for a backup, which holds the whole database (24 s for 165 MB,
// bench:backup); Prisma's default of 2 s turned that wait into an apology to the resident. On
// PostgreSQL the wait is for a pooled connection, as long as the pool's own connect timeout.
const EMBEDDED_TX = { maxWait: 120_000, timeout: 20_000 };
const POOLED_TX = { maxWait: 10_000, timeout: 10_000 };

export async function openDatabase(opts: DbOptions): Promise<Database> {
  const { sql, adapter, kind, closeRaw, hot, embedded } = opts.databaseUrl
    ? await openPostgres(opts.databaseUrl, opts.poolMax ?? 10, opts.preparedStatements ?? true)
    : await openPglite(opts.pgliteDir ?? "./data/pglite", opts.pgliteDataDir);
  let migrations: MigrationReport;
  try {
    migrations = opts.migrations === "check" ? await checkMigrations(sql) : await applyMigrations(sql, opts.log);
  } catch (err) {
    await closeRaw();
    throw err;
  }
  const prisma = new PrismaClient({ adapter, transactionOptions: kind === "pglite" ? EMBEDDED_TX : POOLED_TX });
  await prisma.$connect();
  return {
    prisma,
    kind,
    migrations,
    sql,
    hot: hot ?? prismaHotSql(prisma),
    ...(embedded ? { embedded } : {}),
    async close() {
      await prisma.$disconnect();
      await closeRaw();
    },
  };
}

async function openPostgres(url: string, max: number, prepare: boolean) {
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
  return { sql, adapter: releaseOnFailedEnd(new PrismaPg(pool)), kind: "postgres" as const, closeRaw: () => pool.end(), hot: poolHotSql(pool, pg.types, { prepare }), embedded: undefined };
}

async function openPglite(dir: string, dataDir?: Blob) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const pglite = await openPgliteFolder(dir, dataDir);
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
  const adapter = new PrismaPGlite(utcTimestamps(pglite)) as unknown as import("@prisma/adapter-pg").PrismaPg;
  return { sql, adapter, kind: "pglite" as const, closeRaw: () => pglite.close(), hot: undefined, embedded: dir.startsWith("memory://") ? undefined : { pglite, dir } };
}

/**
 * Opens a PGlite folder as its one owner: the folder's lock first (core/db/data-lock.ts), released
 * when the database is closed; only a whole folder (or an empty one) is opened, and a clean close
 * records what the next open checks (core/db/open-failure.ts); any failure is one line saying what to do.
 */
export async function openPgliteFolder(dir: string, dataDir?: Blob): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  if (dir.startsWith("memory://")) return PGlite.create(dir, dataDir ? { loadDataDir: dataDir } : {});
  const lock = (() => {
    try {
      checkDataFolder(dir);
      return acquireDataLock(dir);
    } catch (err) {
      throw describeOpenFailure(err, dir);
    }
  })();
  let pglite: PGlite | undefined;
  try {
    pglite = new PGlite(dir, dataDir ? { loadDataDir: dataDir } : {});
    await pglite.waitReady;
    const query = async (q: string) => (await pglite!.query<Record<string, unknown>>(q)).rows;
    await checkOpenedFolder(dir, query);
    const close = pglite.close.bind(pglite);
    pglite.close = async () => {
      try {
        // A clean stop leaves the manifest the next start checks the folder against.
        const manifest = await manifestBeforeClose(query).catch(() => null);
        await close();
        manifest?.write(dir);
      } finally {
        lock.release();
      }
    };
    return pglite;
  } catch (err) {
    if (pglite && !pglite.closed) await pglite.close().catch(() => {});
    lock.release();
    throw describeOpenFailure(err, dir);
  }
}

// pglite-prisma-adapter 0.6 hands timestamps to Prisma without a zone, so `$queryRaw` read them as
// the process's local time (8 h early on a machine in Asia/Shanghai; model queries were right).
// Its client is wrapped so they carry "+00:00", as @prisma/adapter-pg gives them.
const TIMESTAMP_ARRAY = 1115;
const TIMESTAMPTZ = 1184;
const utcTz = (t: string) => t.replace(" ", "T").replace(/[+-]\d{2}(:\d{2})?$/, "+00:00");

type Parsers = Record<number, (value: string, typeId: number) => unknown>;
function withUtcParsers(opts: { parsers?: Parsers } | undefined): { parsers?: Parsers } | undefined {
  if (!opts?.parsers) return opts;
  const array = opts.parsers[TIMESTAMP_ARRAY];
  const parsers: Parsers = { ...opts.parsers, [PG_TIMESTAMP]: utcTimestampText, [TIMESTAMPTZ]: utcTz };
  if (array) parsers[TIMESTAMP_ARRAY] = (v, id) => (array(v, id) as (string | null)[]).map((x) => (x === null ? null : utcTimestampText(x)));
  return { ...opts, parsers };
}

export function utcTimestamps<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === "query") {
        const query = value as (sql: string, params?: unknown[], opts?: { parsers?: Parsers }) => Promise<unknown>;
        return (sql: string, params?: unknown[], opts?: { parsers?: Parsers }) => query.call(target, sql, params, withUtcParsers(opts));
      }
      if (prop === "transaction") {
        const transaction = value as (cb: (tx: object) => Promise<unknown>) => Promise<unknown>;
        return (cb: (tx: object) => Promise<unknown>) => transaction.call(target, (tx) => cb(utcTimestamps(tx)));
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
