// A fresh database per test file: in-memory PGlite by default, or a new database on the PostgreSQL
// server named by TEST_DATABASE_URL (created and dropped here), so both back-ends run the same suite.
// Each is a copy of the run's migrated template (test/helpers/template.ts, made by test/global-setup.ts):
// a test file that makes databases should make them here, not migrate its own.
import { openDatabase, type Database } from "../../core/db/db.ts";
import { scratchPg } from "./scratchPg.ts";
import { pgliteTemplate } from "./template.ts";

export interface TestDb extends Database {
  drop(): Promise<void>;
}

/** `fresh`: an empty database that the migrations are applied to, not a copy of the template. */
export async function testDatabase(opts: { fresh?: boolean } = {}): Promise<TestDb> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const db = await openDatabase({ pgliteDir: "memory://", pgliteDataDir: opts.fresh ? undefined : pgliteTemplate() });
    return Object.assign(db, { drop: () => db.close() });
  }
  const scratch = await scratchPg(base, "t", opts);
  const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 5 });
  return Object.assign(db, {
    async drop() {
      await db.close();
      await scratch.drop();
    },
  });
}

export const testDbKind = (): "postgres" | "pglite" => (process.env.TEST_DATABASE_URL ? "postgres" : "pglite");
