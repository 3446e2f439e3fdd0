// What the deployment files rely on at start: MIGRATE_ON_START=false refuses a database that the
// migration step has not brought up to date (naming what is missing) and starts on one it has; a
// rules folder in the data volume is seeded from the shipped rules once and never overwritten; the
// wake-up listener's connection follows PG_POOL_MODE and DATABASE_DIRECT_URL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.ts";
import { checkMigrations, listMigrations } from "../../core/db/migrate.ts";
import { wakeupConnection } from "../../core/delivery/wakeups.ts";
import { seedRulesFolder, SHIPPED_RULES_DIR } from "../../rules/seed-folder.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

describe("MIGRATE_ON_START=false", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase();
  }, 60_000);
  afterAll(async () => db?.drop());

  it("starts on an up-to-date database and refuses one with a migration missing, naming it", async () => {
    expect((await checkMigrations(db.sql)).alreadyApplied).toBe(listMigrations().length);
    const last = listMigrations().at(-1)!.name;
    await db.sql.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [last]);
    await expect(checkMigrations(db.sql)).rejects.toThrow(new RegExp(`1 migration\\(s\\) not applied yet \\(${last}\\): run npm run migrate first`));
  });

  it("is read from the environment (default: migrate at start)", () => {
    expect(loadConfig({}).MIGRATE_ON_START).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: "false" }).MIGRATE_ON_START).toBe(false);
  });
});

describe("a rules folder in the data volume", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rules-seed-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("is seeded with every shipped rule file (sub-folders too) when missing, and left alone after an edit", () => {
    const dir = path.join(tmp, "rules");
    const shipped = fs.readdirSync(SHIPPED_RULES_DIR).filter((f) => f.endsWith(".json"));
    expect(seedRulesFolder(dir).seeded).toBeGreaterThan(shipped.length); // surveys/ too
    for (const f of shipped) expect(fs.readFileSync(path.join(dir, f), "utf8")).toBe(fs.readFileSync(path.join(SHIPPED_RULES_DIR, f), "utf8"));
    expect(fs.existsSync(path.join(dir, "surveys/owner-satisfaction.json"))).toBe(true);
    expect(fs.readdirSync(dir).some((f) => f.endsWith(".ts"))).toBe(false); // the engine's code stays in the image
    fs.writeFileSync(path.join(dir, "clocks.json"), '{"edited": true}');
    expect(seedRulesFolder(dir).seeded).toBe(0);
    expect(fs.readFileSync(path.join(dir, "clocks.json"), "utf8")).toBe('{"edited": true}');
  });

  it("the shipped folder itself is never copied onto itself", () => {
    expect(seedRulesFolder(SHIPPED_RULES_DIR).seeded).toBe(0);
  });
});

describe("the wake-up listener's connection", () => {
  const url = "postgresql://u@db:5432/estate";
  const direct = "postgresql://u@db-direct:5432/estate";
  it("LISTENs on DATABASE_URL by default, on DATABASE_DIRECT_URL when given, and not through a transaction pooler", () => {
    expect(wakeupConnection(loadConfig({ DATABASE_URL: url })).url).toBe(url);
    expect(wakeupConnection(loadConfig({ DATABASE_URL: url, PG_POOL_MODE: "transaction" }))).toEqual({ url: null, why: expect.stringMatching(/workers poll/) });
    expect(wakeupConnection(loadConfig({ DATABASE_URL: url, PG_POOL_MODE: "transaction", DATABASE_DIRECT_URL: direct })).url).toBe(direct);
    expect(loadConfig({ DATABASE_URL: url, PG_POOL_MODE: "transaction" }).PG_PREPARED_STATEMENTS).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, PG_POOL_MODE: "transaction", PG_PREPARED_STATEMENTS: "true" }).PG_PREPARED_STATEMENTS).toBe(true);
    expect(loadConfig({ DATABASE_URL: url }).PG_PREPARED_STATEMENTS).toBe(true);
  });
});
