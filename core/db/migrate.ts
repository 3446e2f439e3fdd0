// Applies prisma/migrations/*/migration.sql that are not yet applied, on PGlite and PostgreSQL alike,
// recording them in Prisma's own _prisma_migrations format so `prisma migrate status` agrees.
// (The CLI's `migrate deploy` fails on real PostgreSQL without native engines: prisma/orm#27403.)
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../logger.ts";

export interface SqlSession {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}
export interface SqlRunner extends SqlSession {
  /** Runs fn on one connection (session-level locks and transactions need that). */
  withClient<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma/migrations");
// Same key Prisma's migrate engine uses, so the CLI and the app never migrate at the same time.
const ADVISORY_LOCK_KEY = 72707369;

export class MigrationError extends Error {}

export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string; checksum: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

async function appliedRows(s: SqlSession): Promise<AppliedRow[]> {
  return (await s.query(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)) as AppliedRow[];
}

function refuseFailed(rows: AppliedRow[]): void {
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then mark it rolled back.`,
    );
  }
}

/**
 * Each migration runs in its own transaction holding a transaction-scoped advisory lock, and checks
 * again under the lock whether another process applied it meanwhile. A session-level lock would be
 * taken and released on different server connections behind PgBouncer in transaction mode, so it
 * would guard nothing there; the transaction-scoped one works behind any pooler and conflicts with
 * the Prisma CLI's session lock on the same key.
 */
export async function applyMigrations(runner: SqlRunner, log?: Logger, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const migrations = listMigrations(dir);
  return runner.withClient(async (s) => {
    const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
      await s.exec("BEGIN");
      try {
        await s.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY]);
        const out = await fn();
        await s.exec("COMMIT");
        return out;
      } catch (err) {
        await s.exec("ROLLBACK").catch(() => {});
        throw err;
      }
    };
    const rows = await locked(async () => {
      await s.exec(CREATE_TABLE);
      return appliedRows(s);
    });
    refuseFailed(rows);
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
    const applied: string[] = [];
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior !== undefined) {
        if (prior !== m.checksum) log?.warn({ migration: m.name }, "migration file changed after it was applied");
        continue;
      }
      const ran = await locked(async () => {
        const now = await s.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL`, [m.name]);
        if (now.length) return false; // another process applied it while this one waited for the lock
        try {
          await s.exec(m.sql);
        } catch (err) {
          throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        await s.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        return true;
      });
      if (!ran) continue;
      applied.push(m.name);
      log?.info({ migration: m.name }, "migration applied");
    }
    return { applied, alreadyApplied: done.size };
  });
}

/** MIGRATE_ON_START=false: the migrations are a separate step (a Job, a compose service); refuse to
 * run on a database that step has not brought up to date, naming what is missing. */
export async function checkMigrations(runner: SqlRunner, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const migrations = listMigrations(dir);
  const rows = await runner.withClient(async (s) => {
    const exists = await s.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
    return exists[0]?.present ? appliedRows(s) : [];
  });
  refuseFailed(rows);
  const done = new Set(rows.filter((r) => r.finished_at).map((r) => r.migration_name));
  const pending = migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
  if (pending.length) {
    throw new MigrationError(
      `${pending.length} migration(s) not applied yet (${pending.slice(0, 3).join(", ")}${pending.length > 3 ? " …" : ""}): run npm run migrate first (MIGRATE_ON_START=false)`,
    );
  }
  return { applied: [], alreadyApplied: done.size };
}
