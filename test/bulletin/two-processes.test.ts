// Two processes make the same month's bulletins at once (`npm run bulletin -- 2026-11` twice against
// one PostgreSQL, as two instances' catch-ups would): each scope is claimed in the database, so each
// bulletin is stored once and each office's copy queued once. PostgreSQL only: the embedded database
// has one owner process, and every other process reaches it through that owner.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { CJK_FONT_CANDIDATES } from "../../core/bulletin/pdf.ts";
import { scratchPg, type ScratchPg } from "../helpers/scratchPg.ts";
import { POSTGRES_ONLY, skipBecause } from "../helpers/skip.ts";

const BASE = process.env.TEST_DATABASE_URL;
const fontPresent = CJK_FONT_CANDIDATES.some((f) => fs.existsSync(f));

function runTool(url: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/bulletin.ts", "2026-11"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url, LOG_LEVEL: "warn" },
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

describe.skipIf(skipBecause(!BASE, POSTGRES_ONLY) || !fontPresent)("bulletins made by two processes at once", () => {
  let scratch: ScratchPg;
  let db: Database;
  beforeAll(async () => {
    scratch = await scratchPg(BASE!);
    db = await openDatabase({ databaseUrl: scratch.url, poolMax: 2 });
    await seedDemo(db.prisma);
    await db.prisma.office.updateMany({ where: { level: "district" }, data: { chatId: -3001 } });
    await db.prisma.office.updateMany({ where: { level: "street" }, data: { chatId: -3002, language: "en" } });
    await db.sql.exec(`
      INSERT INTO "Case" (number, kind, category, description, urgency, state, "streetId", "estateId", "companyId", "responseDueAt", "resolutionDueAt", "acceptedAt", "createdAt", "updatedAt")
      SELECT '2026-1' || lpad(g::text, 5, '0'), 'repair', 'water', 'two processes', 'normal', 'accepted', e."streetId", e.id, e."companyId",
        ts + interval '2 hours', ts + interval '3 days', ts + interval '20 minutes', ts, ts
      FROM generate_series(1, 40) g
      CROSS JOIN LATERAL (SELECT timestamp '2026-11-02 02:00' + g * interval '12 hours' AS ts) t
      JOIN "Estate" e ON e.id = (SELECT id FROM "Estate" ORDER BY id OFFSET g % 4 LIMIT 1)`);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it("stores each bulletin once and queues each office's copy once", async () => {
    const [a, b] = await Promise.all([runTool(scratch.url), runTool(scratch.url)]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const scopes = (await db.prisma.street.count()) + 1;
    const made = [a, b].map((r) => Number(/bulletins made: (\d+)/.exec(r.out)?.[1]));
    expect(made[0]! + made[1]!).toBe(scopes);
    expect(await db.prisma.bulletin.count({ where: { month: "2026-11" } })).toBe(scopes);
    const rows = await db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "bulletin:" } }, select: { chatId: true, dedupeKey: true } });
    // The district office, and each street's office (both streets' offices have the chat -3002 here).
    expect(rows.filter((r) => r.chatId === -3001n)).toHaveLength(1);
    expect(rows.filter((r) => r.chatId === -3002n)).toHaveLength(scopes - 1);
    expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(rows.length);
    // The English-reading street offices' bulletins were drawn in English as well as the default zh-Hans.
    expect(await db.prisma.bulletinPdf.count({ where: { locale: "en" } })).toBe(scopes - 1);
    expect(await db.prisma.bulletinPdf.count({ where: { locale: "zh-Hans" } })).toBe(scopes);
  }, 240_000);
});
