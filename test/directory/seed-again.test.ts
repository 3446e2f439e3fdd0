// `npm run seed` on a district that already has data (scripts/seed/seed-run.ts): it writes nothing — an
// office's edit to an estate and a changed demo password survive, no directory audit row is added —
// and says why; into an empty database it loads the district.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { runSeed } from "../../scripts/seed/seed-run.ts";
import { createStaffUser, verifyPassword } from "../../core/directory/staff.ts";

const SHIPPED = path.resolve(import.meta.dirname, "../../rules");
// The seed writes the demo's routing rules into its rules folder: a copy, never the shipped one.
const RULES = fs.mkdtempSync(path.join(os.tmpdir(), "seed-rules-"));
fs.cpSync(SHIPPED, RULES, { recursive: true, filter: (src) => !src.endsWith(".ts") && !src.endsWith(".md") });
let db: TestDb;
beforeAll(async () => {
  db = await testDatabase();
}, 120_000);
afterAll(async () => {
  await db?.drop();
  fs.rmSync(RULES, { recursive: true, force: true });
});

describe("seeding again", () => {
  it("loads the demo into an empty district, then leaves an edited district and its passwords alone", async () => {
    const o = { now: new Date("2026-11-30T12:00:00+08:00"), timezone: "Asia/Shanghai", rulesDir: RULES };
    const first = await runSeed(db.prisma, { ...o, empty: true });
    expect(first.kind).toBe("added");
    expect(await db.prisma.estate.count()).toBe(4);
    // The demo's own routing rules were added to the folder's routing.json (the shipped file has none of them).
    const ids = (f: string) => (JSON.parse(fs.readFileSync(path.join(f, "routing.json"), "utf8")) as { rules: { id: string }[] }).rules.map((r) => r.id);
    expect(ids(RULES).length).toBeGreaterThan(ids(SHIPPED).length);
    const routingAfterFirst = fs.readFileSync(path.join(RULES, "routing.json"), "utf8");
    // The office's work: an imported change of households and a password of its own.
    await db.prisma.estate.update({ where: { code: "heping" }, data: { households: 500 } });
    await createStaffUser(db.prisma, { username: "demo-admin", role: "admin", password: "the-office-own-password" });
    const audits = await db.prisma.directoryAudit.count();
    const second = await runSeed(db.prisma, { ...o, empty: false });
    expect(second).toEqual({ kind: "left", found: { streets: 2, estates: 4, companies: 3, cases: 0 } });
    expect((await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } })).households).toBe(500);
    const admin = await db.prisma.staffUser.findUniqueOrThrow({ where: { username: "demo-admin" } });
    expect(await verifyPassword(admin.passwordHash, "the-office-own-password")).toBe(true);
    expect(await db.prisma.directoryAudit.count()).toBe(audits);
    expect(await db.prisma.case.count()).toBe(0);
    expect(fs.readFileSync(path.join(RULES, "routing.json"), "utf8")).toBe(routingAfterFirst);
  });
});
