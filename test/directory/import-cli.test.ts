// `npm run import` as a clerk runs it: a file with bad rows is listed row by row in the clerk's
// language (DEFAULT_LOCALE, or --lang), says nothing was written, and exits 1; a good file imports.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { scratchPg } from "../helpers/scratchPg.ts";
import { pgliteTemplate } from "../helpers/template.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/import.ts");
let env: NodeJS.ProcessEnv;
let url: string | undefined;
let pgliteDir: string | undefined;
let cleanup: () => Promise<void> = async () => {};
const files = fs.mkdtempSync(path.join(os.tmpdir(), "import-cli-"));

beforeAll(async () => {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const scratch = await scratchPg(base);
    url = scratch.url;
    env = { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: "warn" };
    cleanup = scratch.drop;
  } else {
    pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), "pglite-import-cli-"));
    env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: pgliteDir, LOG_LEVEL: "warn" };
    const dir = pgliteDir;
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const db = await openDatabase(url ? { databaseUrl: url, poolMax: 2 } : { pgliteDir, pgliteDataDir: pgliteTemplate() });
  await seedDemo(db.prisma);
  await db.close();
}, 120_000);
afterAll(async () => {
  await cleanup();
  fs.rmSync(files, { recursive: true, force: true });
});

const importCli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ["--import", "tsx", SCRIPT, ...args], { cwd: ROOT, env: { ...env, ...extra }, timeout: 240_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe("npm run import", () => {
  it("lists each bad row with its reason in zh-Hans by default, in English with --lang en, and writes nothing", async () => {
    const bad = path.join(files, "小区.csv");
    fs.writeFileSync(bad, "编码,名称,街道,户数\ncli-one,新小区,dongcheng,很多\ncli-two,二号,nowhere,10\n");
    const zh = await importCli([bad]);
    expect(zh.code).toBe(1);
    expect(zh.stdout).toContain("小区 第 2 行 户数：须为整数");
    expect(zh.stdout).toContain("小区 第 3 行 街道：找不到街道“nowhere”");
    expect(zh.stdout).toContain("共 2 处问题：未写入任何内容");
    const en = await importCli([bad, "--lang", "en"]);
    expect(en.stdout).toContain("小区 row 2 column 户数: a whole number");
    expect(en.stdout).toContain('小区 row 3 column 街道: no street "nowhere"');
    expect(en.stdout).toContain("2 problem(s): nothing was written");
    const hant = await importCli([bad], { DEFAULT_LOCALE: "zh-Hant" });
    expect(hant.stdout).toContain("小区 第 3 行 街道：找不到街道「nowhere」");

    const good = path.join(files, "estates.csv");
    fs.writeFileSync(good, "code,name,street,households\ncli-one,新小区,dongcheng,120\n");
    const ok = await importCli([good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("imported: streets +0");
    const db = await openDatabase(url ? { databaseUrl: url, poolMax: 2 } : { pgliteDir });
    try {
      expect(await db.prisma.estate.findUniqueOrThrow({ where: { code: "cli-one" } })).toMatchObject({ name: "新小区", households: 120 });
      expect(await db.prisma.estate.count({ where: { code: "cli-two" } })).toBe(0);
    } finally {
      await db.close();
    }
  }, 600_000); // five runs of the CLI, each opening the database: minutes on a busy machine
});
