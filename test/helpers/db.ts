// A fresh database per test file: in-memory PGlite by default, or a new database on the PostgreSQL
// server named by TEST_DATABASE_URL (created and dropped here), so both back-ends run the same suite.
import { openDatabase, type Database } from "../../core/db/db.ts";
import { scratchPg } from "./scratchPg.ts";

export interface TestDb extends Database {
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDb> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const db = await openDatabase({ pgliteDir: "memory://" });
    return Object.assign(db, { drop: () => db.close() });
  }
  const scratch = await scratchPg(base);
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 5 });
  return Object.assign(db, {
    async drop() {
      await db.close();
      await scratch.drop();
    },
  });
}

export const testDbKind = (): "postgres" | "pglite" => (process.env.TEST_DATABASE_URL ? "postgres" : "pglite");
