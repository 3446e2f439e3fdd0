// The migration that gives bulletins a PDF per language keeps the PDFs made before it: each moves to
// BulletinPdf as zh-Hans (the default locale they were drawn in). Run on the Bulletin table as the
// migration before it made it (the whole chain on a fresh database is test/core/migrate.test.ts).
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../core/db/migrate.ts";

const MIGRATION = "20261202130716_bulletin_pdf_languages";
const CREATED = "20261202065426_rule_versions_bulletins";

describe("migration: bulletin PDFs per language", () => {
  const pglite = new PGlite("memory://");
  afterAll(async () => pglite.close());

  it("moves each stored PDF to BulletinPdf as zh-Hans and drops the old column", async () => {
    const created = fs.readFileSync(path.join(MIGRATIONS_DIR, CREATED, "migration.sql"), "utf8");
    await pglite.exec(/CREATE TABLE "Bulletin" \([\s\S]*?\);/.exec(created)![0]);
    await pglite.exec(`INSERT INTO "Bulletin" (month, "scopeKey", data, pdf) VALUES ('2026-10', 'district', '{}', 'JVBERi0xLjMK')`);
    await pglite.exec(fs.readFileSync(path.join(MIGRATIONS_DIR, MIGRATION, "migration.sql"), "utf8"));
    const rows = await pglite.query(`SELECT b.month, p.locale, p.pdf FROM "BulletinPdf" p JOIN "Bulletin" b ON b.id = p."bulletinId"`);
    expect(rows.rows).toEqual([{ month: "2026-10", locale: "zh-Hans", pdf: "JVBERi0xLjMK" }]);
    const columns = await pglite.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Bulletin' AND column_name = 'pdf'`);
    expect(columns.rows).toEqual([]);
  });
});
