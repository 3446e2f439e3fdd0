// A fresh database per test file: in-memory PGlite by default, or a new database on the PostgreSQL
// server named by TEST_DATABASE_URL (created and dropped here), so both back-ends run the same suite.
import crypto from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../core/db.ts";

export interface TestDb extends Database {
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDb> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const db = await openDatabase({ pgliteDir: "memory://" });
    return Object.assign(db, { drop: () => db.close() });
  }
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolMax: 5 });
  return Object.assign(db, {
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  });
}

export const testDbKind = (): "postgres" | "pglite" => (process.env.TEST_DATABASE_URL ? "postgres" : "pglite");
