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

export async function applyMigrations(runner: SqlRunner, log?: Logger, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  const migrations = listMigrations(dir);
  return runner.withClient(async (s) => {
    await s.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      await s.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const rows = (await s.query(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      )) as { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }[];
      const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
      if (failed) {
        throw new MigrationError(
          `Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then mark it rolled back.`,
        );
      }
      const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        const prior = done.get(m.name);
        if (prior !== undefined) {
          if (prior !== m.checksum) log?.warn({ migration: m.name }, "migration file changed after it was applied");
          continue;
        }
        const id = crypto.randomUUID();
        await s.exec("BEGIN");
        try {
          await s.exec(m.sql);
          await s.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES ($1, $2, now(), $3, now(), 1)`,
            [id, m.checksum, m.name],
          );
          await s.exec("COMMIT");
        } catch (err) {
          await s.exec("ROLLBACK");
          throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(m.name);
        log?.info({ migration: m.name }, "migration applied");
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await s.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
    }
  });
}
