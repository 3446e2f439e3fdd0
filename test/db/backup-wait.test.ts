// A backup holds the whole embedded database (core/db/backup.ts). A transaction that must wait for it
// waits; with Prisma's default 2 s it failed instead, and the resident got an apology (seen in CI:
// embedded-tools, a confirmation during a backup).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { openDatabase } from "../../core/db/db.ts";
import { pgliteTemplate } from "../helpers/template.ts";
import { PGLITE_ONLY, skipBecause } from "../helpers/skip.ts";
import { testDbKind } from "../helpers/db.ts";

interface Exclusive {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

it.skipIf(skipBecause(testDbKind() !== "pglite", PGLITE_ONLY))("a write waits out a backup's hold on the embedded database instead of failing", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-wait-"));
  const db = await openDatabase({ pgliteDir: path.join(dir, "db"), pgliteDataDir: pgliteTemplate() });
  try {
    const pglite = db.embedded!.pglite as unknown as Exclusive;
    // The same lock dumpPglite takes, held longer than Prisma's default wait.
    const held = pglite._runExclusiveTransaction(() => new Promise((r) => setTimeout(r, 3_500)));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const street = await db.prisma.$transaction((tx) => tx.street.create({ data: { code: "wait-st", name: "等候街道" } }));
    expect(Date.now() - started).toBeGreaterThan(3_000);
    await held;
    expect(await db.prisma.street.findUnique({ where: { id: street.id } })).toMatchObject({ name: "等候街道" });
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
