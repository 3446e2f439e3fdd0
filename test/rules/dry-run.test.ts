// scripts/dry-run.ts as an office clerk runs it: a child process against a seeded database and a
// temp rules folder; an invalid folder exits non-zero naming file, rule and reason.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { editRules, RULES_DIR, tempRules } from "./helpers.ts";
import { scratchPg } from "../helpers/scratchPg.ts";
import { pgliteTemplate } from "../helpers/template.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/dry-run.ts");

// The child opens the database like the app does: DATABASE_URL, else the PGlite dir.
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void> = async () => {};

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const scratch = await scratchPg(base);
    const db = await openDatabase({ databaseUrl: scratch.url, poolMax: 2 });
    await seedDemo(db.prisma);
    await db.close();
    env = { ...process.env, DATABASE_URL: scratch.url };
    cleanup = scratch.drop;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pglite-dryrun-"));
    const db = await openDatabase({ pgliteDir: dir, pgliteDataDir: pgliteTemplate() }); // the run's migrated template
    await seedDemo(db.prisma);
    await db.close();
    env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
afterAll(() => cleanup());

const dryRun = (args: string[]) =>
  run(process.execPath, ["--import", "tsx", SCRIPT, ...args], { cwd: ROOT, env, timeout: 60_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("npm run dry-run", () => {
  it("prints the fired rules, the route and both deadlines in local time", async () => {
    const dir = tempRules();
    // A rule that exists only in this folder: the CLI must be reading --rules-dir.
    editRules(dir, "routing.json", (j) =>
      j.rules.unshift({ id: "heping-water-to-lvyuan", priority: 99, when: { estates: "heping", categories: "water" }, then: { company: "lvyuan" } }),
    );
    const r = await dryRun(["--rules-dir", dir, "--category", "water", "--estate", "heping", "--kind", "repair", "--building", "1号楼", "--at", "2026-09-30T10:00+08:00"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ fired\s+heping-water-to-lvyuan \(priority 99\)/);
    expect(r.stdout).toMatch(/route:\s+lvyuan 绿苑物业 → liaison lvyuan-chen 陈主管\s+\[rule heping-water-to-lvyuan\]/);
    expect(r.stdout).toMatch(/respond:\s+by 2026-09-30 Wed 12:00/);
    expect(r.stdout).toMatch(/resolve:\s+by 2026-10-09 Fri 18:00/);
  }, 60_000);

  it("takes the case from --json and honours --urgent", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "case-")), "case.json");
    fs.writeFileSync(file, JSON.stringify({ kind: "repair", category: "water", estate: "xingfu", at: "2026-11-24T10:00+08:00" }));
    const r = await dryRun(["--rules-dir", RULES_DIR, "--json", file, "--urgent", "--output", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toMatchObject({ routed: true, urgency: "urgent", rule: "anju-repairs-technician" });
    expect(out.liaison).toEqual({ code: "anju-zhao", name: "赵师傅" });
    expect(out.responseDue).toBe("2026-11-24 Tue 10:30");
  }, 60_000);

  it("exits 1 for an invalid rules folder, naming the file, rule and reason", async () => {
    const dir = tempRules();
    editRules(dir, "routing.json", (j) => (j.rules.find((r: any) => r.id === "anju-complaints-manager").then.liaison = "huamei-li"));
    const r = await dryRun(["--rules-dir", dir, "--category", "noise", "--estate", "xingfu", "--kind", "complaint"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, "routing.json")}, rule "anju-complaints-manager" (rules[3].then.liaison): liaison "huamei-li" belongs to company "huamei", not "anju"`);
    // That rule alone is left out: the case is still shown routed by the others.
    expect(r.stdout).toMatch(/route:\s+anju 安居物业/);
    editRules(dir, "routing.json", (j) => (j.rules.find((r: any) => r.id === "anju-complaints-manager").when.categories = ["elevator"]));
    const broken = await dryRun(["--rules-dir", dir, "--category", "noise", "--estate", "xingfu", "--kind", "complaint"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`rule "anju-complaints-manager" (rules[3].when.categories): unknown category "elevator"`);
    expect(broken.stdout).toBe("");
  }, 60_000);

  it("exits 2 on a bad flag", async () => {
    const r = await dryRun(["--estate", "heping"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--category and --estate are required/);
  }, 60_000);
});
