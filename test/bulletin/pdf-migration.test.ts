// The migration that gives bulletins a PDF per language keeps the PDFs made before it: each moves to
// BulletinPdf as zh-Hans (the default locale they were drawn in). Run in a scratch schema on the
// Bulletin table as the migration before it made it (the whole chain is test/core/migrate.test.ts).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../core/db/migrate.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

const MIGRATION = "20261202130716_bulletin_pdf_languages";
const CREATED = "20261202065426_rule_versions_bulletins";

describe("migration: bulletin PDFs per language", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase();
  }, 120_000);
  afterAll(async () => db?.drop());

  it("moves each stored PDF to BulletinPdf as zh-Hans and drops the old column", async () => {
    const created = fs.readFileSync(path.join(MIGRATIONS_DIR, CREATED, "migration.sql"), "utf8");
    const migration = fs.readFileSync(path.join(MIGRATIONS_DIR, MIGRATION, "migration.sql"), "utf8");
    const result = await db.sql.withClient(async (s) => {
      await s.exec(`CREATE SCHEMA before_pdfs; SET search_path TO before_pdfs`);
      try {
        await s.exec(/CREATE TABLE "Bulletin" \([\s\S]*?\);/.exec(created)![0]);
        await s.exec(`INSERT INTO "Bulletin" (month, "scopeKey", data, pdf) VALUES ('2026-10', 'district', '{}', 'JVBERi0xLjMK')`);
        await s.exec(migration);
        const rows = await s.query(`SELECT b.month, p.locale, p.pdf FROM "BulletinPdf" p JOIN "Bulletin" b ON b.id = p."bulletinId"`);
        const columns = await s.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'before_pdfs' AND table_name = 'Bulletin' AND column_name = 'pdf'`);
        return { rows, columns };
      } finally {
        await s.exec(`RESET search_path; DROP SCHEMA before_pdfs CASCADE`);
      }
    });
    expect(result.rows).toEqual([{ month: "2026-10", locale: "zh-Hans", pdf: "JVBERi0xLjMK" }]);
    expect(result.columns).toEqual([]);
  });
});
