// Writes test/durations.json (seconds per test file, per back-end) from a run's JSON reports, for
// test/sequencer.ts. test/run-all.sh calls it when TEST_RECORD_DURATIONS=1.
// Usage: node test/record-durations.mjs <dir with pglite.json, postgres.json>
import fs from "node:fs";
import path from "node:path";

const [dir] = process.argv.slice(2);
const target = "test/durations.json";
const old = fs.existsSync(target) ? JSON.parse(fs.readFileSync(target, "utf8")) : {};
const out = { pglite: old.pglite ?? {}, postgres: old.postgres ?? {} };
for (const key of Object.keys(out)) {
  const file = path.join(dir, `${key}.json`);
  if (!fs.existsSync(file)) continue;
  const seconds = {};
  for (const r of JSON.parse(fs.readFileSync(file, "utf8")).testResults) {
    // A file skipped whole in this pass says nothing about its length.
    if (r.assertionResults.every((t) => t.status !== "passed" && t.status !== "failed")) continue;
    seconds[path.relative(process.cwd(), r.name)] = Math.round((r.endTime - r.startTime) / 100) / 10;
  }
  // Longest first, so the file reads as the list of where the time goes.
  out[key] = { ...Object.fromEntries(Object.entries(out[key]).filter(([f]) => fs.existsSync(f))), ...seconds };
  out[key] = Object.fromEntries(Object.entries(out[key]).sort((a, b) => b[1] - a[1]));
}
fs.writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
console.log(`${target}: ${Object.keys(out.pglite).length} files on PGlite, ${Object.keys(out.postgres).length} on PostgreSQL`);
