// The closing lines of `npm test` (test/run-all.sh): for each pass, how many tests were skipped and
// why, then one line over both passes, `N passed, N failed, N skipped` — the last line, which CI reads.
// Reasons come from test/helpers/skip.ts (each conditional skip writes its reason and file to the
// pass's skip log); a skip with no reason recorded is listed by name, so none goes unexplained.
// Usage: node test/run-summary.mjs <dir with pglite.json, postgres.json, *.skips.jsonl> [note …]
import fs from "node:fs";
import path from "node:path";

const [dir, ...notes] = process.argv.slice(2);
const passes = [
  ["pglite", "PGlite"],
  ["postgres", "PostgreSQL"],
];
const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined);
let passed = 0, failed = 0, skipped = 0;
/** pass → the test files it ran */
const ran = {};

for (const [key, name] of passes) {
  const text = read(path.join(dir, `${key}.json`));
  if (text === undefined) continue;
  const report = JSON.parse(text);
  ran[key] = new Set(report.testResults.map((r) => path.relative(process.cwd(), r.name)));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);

  const reasonsByFile = new Map();
  for (const line of (read(path.join(dir, `${key}.skips.jsonl`)) ?? "").split("\n").filter(Boolean)) {
    const { file, reason } = JSON.parse(line);
    if (!reasonsByFile.has(file)) reasonsByFile.set(file, new Set());
    reasonsByFile.get(file).add(reason);
  }
  // reason → { count, files }
  const groups = new Map();
  const add = (reason, file) => {
    const group = groups.get(reason) ?? { count: 0, files: new Set() };
    group.count++;
    group.files.add(file);
    groups.set(reason, group);
  };
  // Tests that never ran because their file or a hook failed: vitest reports them as skipped, but
  // they count as failed here, so a failed pass never closes with "0 failed".
  const broken = [];
  for (const result of report.testResults) {
    const file = path.relative(process.cwd(), result.name);
    const reasons = reasonsByFile.get(file);
    const fileFailed = result.status === "failed";
    let unrun = 0;
    for (const test of result.assertionResults) {
      if (test.status === "passed" || test.status === "failed") continue;
      if (test.status === "todo") add("todo (not written yet)", `${file} › ${test.fullName}`);
      else if (reasons) add([...reasons].join("; "), file);
      else if (fileFailed) unrun++;
      else add("no reason given (a plain .skip?)", `${file} › ${test.fullName}`);
    }
    const failedTests = result.assertionResults.filter((test) => test.status === "failed").length;
    if (fileFailed && (unrun > 0 || failedTests === 0)) {
      const count = Math.max(unrun, 1);
      broken.push(`  ${count} could not run: ${file}: ${(result.message || "a hook or the file itself failed (see above)").split("\n")[0]}`);
      failed += count;
      skipped -= unrun;
    }
  }
  const count = [...groups.values()].reduce((sum, g) => sum + g.count, 0);
  if (count === 0 && broken.length === 0) continue;
  console.log(`${name} pass: ${count} skipped`);
  for (const [reason, group] of groups) console.log(`  ${group.count} skipped: ${reason} — ${[...group.files].join(", ")}`);
  for (const line of broken) console.log(line);
}
// Files that ran only in the PostgreSQL pass (test/run-once.json), named so none goes missing unseen.
if (process.env.TEST_ONCE_IN === "postgres") {
  const once = [...(ran.postgres ?? [])].filter((file) => !ran.pglite?.has(file));
  if (once.length) console.log(`PGlite pass: ${once.length} files left to the PostgreSQL pass: ${JSON.parse(read("test/run-once.json")).reason} — test/run-once.json`);
}
for (const note of notes.filter(Boolean)) console.log(note);
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
