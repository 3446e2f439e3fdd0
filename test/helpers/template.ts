// One migrated database per `vitest run`, copied for every test database instead of migrating each
// (test/README.md gives the figures). vitest's globalSetup makes it before the workers start and hands
// it to them, and to the processes they spawn, through the environment:
// - PostgreSQL: a database named in TEST_PG_TEMPLATE; scratchPg() creates others with `TEMPLATE` it.
// - PGlite: a dumpDataDir() tarball whose path is in TEST_PGLITE_TEMPLATE; testDatabase() opens
//   every in-memory database from it instead of running initdb and the migrations.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { openDatabase } from "../../core/db/db.ts";
import { applyMigrations, type SqlRunner } from "../../core/db/migrate.ts";

export const PG_TEMPLATE_ENV = "TEST_PG_TEMPLATE";
export const PGLITE_TEMPLATE_ENV = "TEST_PGLITE_TEMPLATE";

/** One statement on the server as its admin (CREATE / DROP DATABASE). */
export async function adminSql(base: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Creates and migrates the template on the server; returns how to drop it. */
export async function makePgTemplate(base: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `tmpl_${crypto.randomBytes(6).toString("hex")}`;
  await adminSql(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  // Closed before any copy: PostgreSQL refuses to copy a database someone is connected to.
  const db = await openDatabase({ databaseUrl: url.toString(), poolMax: 1 });
  await db.close();
  return { name, drop: () => adminSql(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Migrates an in-memory PGlite and writes its data dir to a tarball; returns its path and how to remove it. */
export async function makePgliteTemplate(): Promise<{ file: string; drop(): Promise<void> }> {
  const pglite = new PGlite("memory://");
  try {
    const sql: SqlRunner = {
      exec: async (text) => void (await pglite.exec(text)),
      query: async (text, params = []) => (await pglite.query(text, params as unknown[])).rows as Record<string, unknown>[],
      withClient(fn) {
        return fn(this);
      },
    };
    await applyMigrations(sql);
    const dump = await pglite.dumpDataDir("none");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pglite-template-"));
    const file = path.join(dir, "migrated.tar");
    fs.writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
    return { file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  } finally {
    await pglite.close();
  }
}

let pgliteDump: Blob | undefined;
/** The migrated PGlite data dir, read once per process; undefined outside a vitest run. */
export function pgliteTemplate(): Blob | undefined {
  const file = process.env[PGLITE_TEMPLATE_ENV];
  if (!file) return undefined;
  pgliteDump ??= new Blob([fs.readFileSync(file)]);
  return pgliteDump;
}

/** The template database's name on the TEST_DATABASE_URL server; undefined outside a vitest run. */
export const pgTemplate = (): string | undefined => process.env[PG_TEMPLATE_ENV] || undefined;
