import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "../../core/db/migrate.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

describe("migrations applied by the app", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase({ fresh: true }); // not the run's template: this test watches the migrations apply
  });
  afterAll(async () => db.drop());

  it("records every migration in Prisma's _prisma_migrations format", async () => {
    const files = listMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(db.migrations.applied).toEqual(files.map((f) => f.name));
    const rows = await db.sql.query(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    for (const r of rows) {
      expect(r.finished_at).not.toBeNull();
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("applies nothing the second time and leaves data alone", async () => {
    await db.prisma.street.create({ data: { code: "s1", name: "S1" } });
    const again = await applyMigrations(db.sql);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(listMigrations().length);
    expect(await db.prisma.street.count()).toBe(1);
  });

  it("refuses to start over a migration that failed half-way", async () => {
    await db.sql.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('00000000-0000-0000-0000-000000000001', 'x', '29990101000000_broken', now())`,
    );
    await expect(applyMigrations(db.sql)).rejects.toThrow(/29990101000000_broken failed earlier/);
    await db.sql.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`);
  });
});
