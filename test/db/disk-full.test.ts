// Issue 24 item 8 on a real full disk, not a raised error code: the embedded database's folder on a
// small tmpfs, filled by another file. A resident's filing then fails the way every HTTP answer maps
// it (api/http.ts toHttp): 503 disk_full with the advice, never 500; the database keeps answering
// reads, and once space is freed the same filing goes through with the next case number — nothing
// half-written stays. Needs root (to mount a tmpfs); skipped elsewhere, saying why.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { CaseService } from "../../core/cases/case-service.ts";
import { ManualClock } from "../../core/clock.ts";
import { createRulesRouter } from "../../rules/router.ts";
import { toHttp } from "../../api/http.ts";
import { pgliteTemplate } from "../helpers/template.ts";
import { PGLITE_ONLY, skipBecause } from "../helpers/skip.ts";
import { testDbKind } from "../helpers/db.ts";
import { demoRulesDir } from "../helpers/demo-rules.ts";

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), "disk-full-"));
function mounted(): boolean {
  if (testDbKind() !== "pglite") return false;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=160m", "tmpfs", mountPoint], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const canMount = mounted();

describe.skipIf(skipBecause(testDbKind() !== "pglite", PGLITE_ONLY) || skipBecause(!canMount, "mounting a small tmpfs needs root: run as root to fill a real disk"))("the embedded database on a full disk", () => {
  let db: Database;
  let cases: CaseService;
  let estateId: number;
  const filler = path.join(mountPoint, "filler");
  const file = (key: string) => cases.file({ sourceKey: key, kind: "repair", category: "water", description: "3号楼水管漏水", estateId, actor: { type: "office", id: "test" } });

  beforeAll(async () => {
    db = await openDatabase({ pgliteDir: path.join(mountPoint, "db"), pgliteDataDir: pgliteTemplate() });
    await seedDemo(db.prisma);
    estateId = (await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } })).id;
    const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
    cases = new CaseService({ db: db.prisma, router: await createRulesRouter({ db: db.prisma, rulesDir: demoRulesDir(), clock }), clock, timezone: "Asia/Shanghai" });
    await file("before-full");
    // Some rows, so the next writes need new pages; then the rest of the disk taken by another file.
    await db.prisma.$executeRawUnsafe(`CREATE TABLE ballast (x text)`);
    await db.prisma.$executeRawUnsafe(`INSERT INTO ballast SELECT string_agg(md5(random()::text || s), '') FROM generate_series(1, 20000) s GROUP BY s % 200`);
    await db.prisma.$executeRawUnsafe("CHECKPOINT");
    const st = fs.statfsSync(mountPoint);
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, st.bavail * st.bsize - 64 * 1024)));
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    try {
      execFileSync("umount", ["-l", mountPoint], { stdio: "ignore" });
    } catch {}
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it("a write that needs space answers 503 disk_full, reads still answer, and after freeing space the write goes through", async () => {
    let err: unknown = null;
    for (let i = 0; i < 50 && !err; i++) {
      await db.prisma.$executeRawUnsafe(`INSERT INTO ballast SELECT string_agg(md5(random()::text || s), '') FROM generate_series(1, 5000) s GROUP BY s % 50`).catch((e: unknown) => (err = e));
    }
    expect(err).not.toBeNull();
    const answer = toHttp(err);
    expect([answer.status, answer.code, answer.message]).toEqual([503, "disk_full", "the database's disk is full; try again in a minute"]);
    // Filings until one needs a page the disk has no room for (the first ones fit in pages' free space).
    let refused: { key: string; status: number; code: string } | null = null;
    for (let i = 0; i < 2000 && !refused; i++) {
      await file(`while-full-${i}`).catch((e: unknown) => {
        const h = toHttp(e);
        refused = { key: `while-full-${i}`, status: h.status, code: h.code };
      });
    }
    expect(refused).toMatchObject({ status: 503, code: "disk_full" });
    const stored = await db.prisma.case.count();
    expect(await db.prisma.case.count({ where: { sourceKey: refused!.key } })).toBe(0); // the refused filing left nothing behind
    expect(await db.prisma.$queryRawUnsafe(`SELECT 1 AS one`)).toEqual([{ one: 1 }]); // reads still answer
    fs.rmSync(filler);
    const { case: c, created } = await file(refused!.key); // the resident's retry, same idempotency key
    expect(created).toBe(true);
    expect(c.number).toMatch(new RegExp(`-${String(stored + 1).padStart(6, "0")}$`)); // no gap in the numbers
    expect(await db.prisma.case.count()).toBe(stored + 1);
  });
});
