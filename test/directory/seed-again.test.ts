// `npm run seed` on a district that already has data (scripts/seed-run.ts): it writes nothing — an
// office's edit to an estate and a changed demo password survive, no directory audit row is added —
// and says why; into an empty database it loads the district.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { runSeed } from "../../scripts/seed-run.ts";
import { createStaffUser, verifyPassword } from "../../core/directory/staff.ts";

const RULES = path.resolve(import.meta.dirname, "../../rules");
let db: TestDb;
beforeAll(async () => {
  db = await testDatabase();
}, 120_000);
afterAll(async () => db?.drop());

describe("seeding again", () => {
  it("loads the demo into an empty district, then leaves an edited district and its passwords alone", async () => {
    const o = { now: new Date("2026-11-30T12:00:00+08:00"), timezone: "Asia/Shanghai", rulesDir: RULES };
    const first = await runSeed(db.prisma, { ...o, empty: true });
    expect(first.kind).toBe("added");
    expect(await db.prisma.estate.count()).toBe(4);
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
  });
});
