// Every bench script starts and finishes on a tiny BENCH_N, ending with its one line of JSON — so a
// bench that cannot run at all (bench:routing once lacked understanding.json in its rules copy) is
// found, not left for the next person who measures. Figures are not checked here. All benches take
// well over 20 minutes on the shared 2-core machine even at BENCH_N=2, so this runs only with
// BENCH_SMOKE=1 (e.g. BENCH_SMOKE=1 npx vitest run test/bench/starts.test.ts), not in every suite run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
const benches = Object.entries(scripts).filter(([name]) => name.startsWith("bench:"));

describe.skipIf(!process.env.BENCH_SMOKE)("every npm run bench:* starts", () => {
  it("there are benches to start", () => expect(benches.length).toBeGreaterThan(5));
  for (const [name, command] of benches) {
    it(`${name} runs on BENCH_N=2 and ends with one line of JSON`, () => {
      const file = command.replace(/^tsx\s+/, "");
      const env: NodeJS.ProcessEnv = { ...process.env, BENCH_N: "2", LOG_LEVEL: "silent" };
      delete env.DATABASE_URL; // embedded PGlite, a scratch folder of the bench's own
      const r = spawnSync(process.execPath, ["--import", "tsx", file], { cwd: ROOT, env, encoding: "utf8", timeout: 280_000 });
      expect(r.status, `${name}:\n${r.stderr.slice(-2000)}`).toBe(0);
      const last = r.stdout.trim().split("\n").at(-1) ?? "";
      expect(() => JSON.parse(last), `${name} last line: ${last}`).not.toThrow();
    }, 300_000);
  }
});
