// Issue 14 item 4: every way an embedded data folder cannot be opened is one line that says what is
// wrong and what to do — locked (who holds it), damaged (restore from backup), newer (run the newer
// version), unreadable (fix permissions) — in-process and from a tool, never a minified stack. A lock
// left by a dead process is taken over.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../core/db/db.ts";
import { LOCK_FILE } from "../../core/db/data-lock.ts";
import { PGLITE_ONLY, skipBecause } from "../helpers/skip.ts";
import { testDbKind } from "../helpers/db.ts";

let tmp: string;
let good: string;
const copy = (name: string) => {
  const to = path.join(tmp, name);
  fs.cpSync(good, to, { recursive: true });
  return to;
};
const openError = (dir: string) => openDatabase({ pgliteDir: dir }).then(async (db) => (await db.close(), null), (err: Error) => err.message);

describe.skipIf(skipBecause(testDbKind() !== "pglite", PGLITE_ONLY))("opening an embedded data folder", () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "open-fail-"));
    good = path.join(tmp, "good");
    await (await openDatabase({ pgliteDir: good })).close();
  }, 240_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("names the live holder of the folder", async () => {
    const dir = copy("locked");
    const holder = { pid: process.ppid, startedAt: "2026-12-01T08:00:00.000Z", hostname: os.hostname(), command: "main.ts" };
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(holder));
    expect(await openError(dir)).toBe(
      `The database folder ${dir} is in use by PID ${process.ppid} (main.ts) since 2026-12-01T08:00:00.000Z: only one process may open it. Stop that process first; while the service runs, the npm tools reach the database through it.`,
    );
  });

  it("takes over a lock whose process is gone", async () => {
    const dir = copy("stale");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: dead, startedAt: "2026-12-01T08:00:00.000Z", hostname: os.hostname(), command: "main.ts" }));
    const db = await openDatabase({ pgliteDir: dir });
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    await db.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  }, 120_000);

  it("says a folder from a newer PostgreSQL needs the newer version or a backup", async () => {
    const dir = copy("newer");
    fs.writeFileSync(path.join(dir, "PG_VERSION"), "19\n");
    expect(await openError(dir)).toBe(
      `The database folder ${dir} was written by a newer PostgreSQL (19; this version reads 18): run the newer version of this app, or restore from backup: npm run restore -- FILE --force (FILE: the newest in data/backups; the folder is kept aside).`,
    );
  });

  it.skipIf(skipBecause(testDbKind() === "pglite" && process.getuid?.() === 0, "run as root, which reads any folder: run as another user to see this refusal"))("says an unreadable folder needs its permissions fixed", async () => {
    const dir = copy("unreadable");
    fs.chmodSync(dir, 0o000);
    expect(await openError(dir)).toMatch(new RegExp(`^The database folder ${dir} cannot be read or written by this user \\(EACCES\\): fix its owner or permissions`));
    fs.chmodSync(dir, 0o755);
  });

  it("says a damaged folder must be restored from backup, in one line from the admin tool too", async () => {
    const dir = copy("damaged");
    // What two writers did in issue 14: no valid checkpoint record left.
    for (const f of fs.readdirSync(path.join(dir, "pg_wal"))) if (/^[0-9A-F]{24}$/.test(f)) fs.writeFileSync(path.join(dir, "pg_wal", f), Buffer.alloc(0));
    expect(await openError(dir)).toMatch(new RegExp(`^The database folder ${dir} is damaged and cannot be opened \\(.*\\): restore from backup: npm run restore -- FILE --force`));
    const tool = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin.ts", "list"], { env: { PATH: process.env.PATH, HOME: process.env.HOME, PGLITE_DIR: dir }, stdio: ["ignore", "ignore", "pipe"] });
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      child.on("exit", (code) => resolve({ code, err }));
    });
    expect(tool.code).toBe(1);
    const lines = tool.err.trim().split("\n");
    expect(lines.at(-1)).toMatch(/is damaged and cannot be opened .*restore from backup: npm run restore -- FILE/);
    expect(tool.err).not.toMatch(/^\s+at /m);
  }, 120_000);
});
