// Issue 24 item 1: an embedded data folder is opened only when it is whole. A folder that lost
// PG_VERSION was re-initialised as an empty district; a table file truncated to half started
// silently with 528 of 1,382 timeline events gone. Each damaged folder here is refused with one line
// naming what is missing and how to restore, and (checked before PGlite touches it) nothing in it
// changes: the folder's hash is the same before and after.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../core/db/db.ts";
import { MANIFEST_FILE } from "../../core/db/open-failure.ts";
import { backupName, listBackups, pinNewestBackup, pruneBackups } from "../../core/db/backup.ts";
import { PGLITE_ONLY, skipBecause } from "../helpers/skip.ts";
import { testDbKind } from "../helpers/db.ts";
import { pgliteTemplate } from "../helpers/template.ts";

const EVENTS = 1382;
const RESTORE = "restore from backup: npm run restore -- FILE --force (FILE: the newest in data/backups; the folder is kept aside)";
let tmp: string;
let good: string;
let eventsFile: string; // the timeline table's file, relative to the folder

const copy = (name: string) => {
  const to = path.join(tmp, name);
  fs.cpSync(good, to, { recursive: true });
  return to;
};
const openError = (dir: string) => openDatabase({ pgliteDir: dir }).then(async (db) => (await db.close(), null), (err: Error) => err.message);

function folderHash(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      h.update(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
      else h.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

/** Opens `dir` expecting a refusal; the folder must be byte for byte what it was. */
async function refusedUnchanged(dir: string): Promise<string> {
  const before = folderHash(dir);
  const message = await openError(dir);
  expect(folderHash(dir)).toBe(before);
  expect(message).not.toBeNull();
  return message!;
}

describe.skipIf(skipBecause(testDbKind() !== "pglite", PGLITE_ONLY))("a damaged embedded data folder is refused, not re-initialised", () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "damaged-"));
    good = path.join(tmp, "good");
    const db = await openDatabase({ pgliteDir: good, pgliteDataDir: pgliteTemplate() });
    await db.sql.exec(`CREATE TABLE timeline_probe (id serial PRIMARY KEY, body text NOT NULL)`);
    await db.sql.exec(`INSERT INTO timeline_probe (body) SELECT repeat('事件', 100) || g FROM generate_series(1, ${EVENTS}) g`);
    await db.sql.exec(`ANALYZE timeline_probe`);
    eventsFile = String((await db.sql.query(`SELECT pg_relation_filepath('timeline_probe') AS f`))[0]!.f);
    await db.close(); // a clean stop: writes the manifest
  }, 240_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a clean stop leaves a manifest of every relation file and row count", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(good, MANIFEST_FILE), "utf8"));
    expect(manifest.counts.timeline_probe).toBe(EVENTS);
    expect(manifest.files[eventsFile]).toEqual([fs.statSync(path.join(good, eventsFile)).size, "timeline_probe"]);
  });

  it("refuses a folder without PG_VERSION instead of running initdb in it", async () => {
    const dir = copy("no-version");
    fs.rmSync(path.join(dir, "PG_VERSION"));
    expect(await refusedUnchanged(dir)).toBe(`The database folder ${dir} is not a complete database (missing PG_VERSION): nothing in it was changed; ${RESTORE}.`);
    expect(fs.existsSync(path.join(dir, "PG_VERSION"))).toBe(false);
  });

  it("refuses a folder whose base/ is empty", async () => {
    const dir = copy("empty-base");
    for (const d of fs.readdirSync(path.join(dir, "base"))) fs.rmSync(path.join(dir, "base", d), { recursive: true });
    expect(await refusedUnchanged(dir)).toBe(`The database folder ${dir} is not a complete database (missing the databases in base/ (it is empty)): nothing in it was changed; ${RESTORE}.`);
  });

  it("refuses a folder that lost a relation file", async () => {
    const dir = copy("missing-file");
    fs.rmSync(path.join(dir, eventsFile));
    expect(await refusedUnchanged(dir)).toBe(`The database folder ${dir} is damaged: ${eventsFile} (timeline_probe) is missing; nothing in it was changed; ${RESTORE}.`);
  });

  it("refuses a folder whose table file was truncated to half", async () => {
    const dir = copy("truncated");
    const file = path.join(dir, eventsFile);
    const size = fs.statSync(file).size;
    const half = Math.floor(size / 2 / 8192) * 8192;
    fs.truncateSync(file, half);
    expect(await refusedUnchanged(dir)).toBe(`The database folder ${dir} is damaged: ${eventsFile} (timeline_probe) is ${half} bytes, was ${size} at the clean stop; nothing in it was changed; ${RESTORE}.`);
  });

  it("after a crash (no manifest) compares the relation files with the catalog", async () => {
    const dir = copy("crashed-truncated");
    fs.rmSync(path.join(dir, MANIFEST_FILE));
    const file = path.join(dir, eventsFile);
    const pages = fs.statSync(file).size / 8192;
    const half = Math.floor(pages / 2);
    fs.truncateSync(file, half * 8192);
    expect(await openError(dir)).toBe(`The database folder ${dir} is damaged: ${eventsFile} (timeline_probe) has ${half} pages, the catalog counted ${pages}; ${RESTORE}.`);
    expect(fs.statSync(file).size).toBe(half * 8192);
  }, 120_000);

  it("opens a whole folder, checks its rows against the manifest, and starts a new one only in an empty folder", async () => {
    const dir = copy("whole");
    const db = await openDatabase({ pgliteDir: dir });
    expect(fs.existsSync(path.join(dir, MANIFEST_FILE))).toBe(false); // a crash from here on leaves none
    expect((await db.sql.query(`SELECT count(*)::int AS n FROM timeline_probe`))[0]!.n).toBe(EVENTS);
    await db.close();
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(empty);
    const fresh = await openDatabase({ pgliteDir: empty, pgliteDataDir: pgliteTemplate() });
    expect((await fresh.sql.query(`SELECT count(*)::int AS n FROM "Estate"`))[0]!.n).toBe(0);
    await fresh.close();
  }, 240_000);
});

describe("the last backup before a refused start", () => {
  it("is never rotated out by later backups", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinned-"));
    try {
      const write = (at: string) => {
        const file = path.join(dir, backupName(new Date(at)));
        fs.writeFileSync(file, "-- backup\n");
        fs.utimesSync(file, new Date(at), new Date(at));
        return path.basename(file);
      };
      write("2026-12-01T02:45:00Z");
      const lastGood = write("2026-12-02T02:45:00Z");
      expect(pinNewestBackup(dir, "The database folder data/pglite is damaged")).toBe(path.join(dir, lastGood));
      for (let day = 3; day <= 6; day++) {
        write(`2026-12-0${day}T02:45:00Z`);
        pruneBackups(dir, 2);
      }
      expect(listBackups(dir).map((b) => path.basename(b.file))).toEqual([backupName(new Date("2026-12-06T02:45:00Z")), backupName(new Date("2026-12-05T02:45:00Z")), lastGood]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
