// The migration that gives bulletins a PDF per language keeps the PDFs made before it: each moves to
// BulletinPdf as zh-Hans (the default locale they were drawn in), and downloads still find it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR, type SqlRunner } from "../../core/db/migrate.ts";

const MIGRATION = "20261202130716_bulletin_pdf_languages";

describe("migration: bulletin PDFs per language", () => {
  const pglite = new PGlite("memory://");
  const before = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-before-"));
  afterAll(async () => {
    await pglite.close();
    fs.rmSync(before, { recursive: true, force: true });
  });
  const sql: SqlRunner = {
    exec: async (text) => void (await pglite.exec(text)),
    query: async (text, params = []) => (await pglite.query(text, params as unknown[])).rows as Record<string, unknown>[],
    withClient(fn) {
      return fn(this);
    },
  };

  it("moves each stored PDF to BulletinPdf as zh-Hans", async () => {
    const names = fs.readdirSync(MIGRATIONS_DIR).filter((n) => n < MIGRATION && fs.statSync(path.join(MIGRATIONS_DIR, n)).isDirectory());
    for (const n of names) fs.cpSync(path.join(MIGRATIONS_DIR, n), path.join(before, n), { recursive: true });
    fs.copyFileSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), path.join(before, "migration_lock.toml"));
    await applyMigrations(sql, undefined, before);
    await sql.query(`INSERT INTO "Bulletin" (month, "scopeKey", data, pdf) VALUES ('2026-10', 'district', '{}', 'JVBERi0xLjMK')`);

    const report = await applyMigrations(sql);
    expect(report.applied[0]).toBe(MIGRATION);
    const rows = await sql.query(`SELECT b.month, p.locale, p.pdf FROM "BulletinPdf" p JOIN "Bulletin" b ON b.id = p."bulletinId"`);
    expect(rows).toEqual([{ month: "2026-10", locale: "zh-Hans", pdf: "JVBERi0xLjMK" }]);
    const columns = await sql.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Bulletin' AND column_name = 'pdf'`);
    expect(columns).toEqual([]);
  });
});
