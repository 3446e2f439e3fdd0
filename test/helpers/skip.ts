// A conditional skip that says why. Use it inside skipIf: `describe.skipIf(skipBecause(cond, why))`.
// When test/run-all.sh runs the suite it sets TEST_SKIP_LOG, and each reason is written there with
// its test file, so the suite's closing lines can name every skip and its cause instead of a bare count.
import fs from "node:fs";
import path from "node:path";

/** The file vitest is collecting, read from its worker state: importing "vitest" here would throw
 *  outside a test run, and bench:web shares test/helpers/chromium.ts, which uses this file. */
const testFile = () => (globalThis as { __vitest_worker__?: { filepath?: string } }).__vitest_worker__?.filepath ?? "unknown";

export function skipBecause(condition: boolean, reason: string): boolean {
  const log = process.env.TEST_SKIP_LOG;
  if (condition && log) {
    // The file being collected (vitest sets it before the file runs).
    const file = path.relative(process.cwd(), testFile());
    fs.appendFileSync(log, JSON.stringify({ file, reason }) + "\n");
  }
  return condition;
}

/** The reason the one-database tests give: they need what only the other back-end has. */
export const POSTGRES_ONLY = "PostgreSQL only (runs in the PostgreSQL pass)";
export const PGLITE_ONLY = "PGlite only (runs in the PGlite pass)";
