// `npm run import -- FILE.xlsx|FILE.csv [--dry-run]`: imports the directory of a district (one sheet
// per kind; see core/directory/import/sheets.ts). Bad rows are listed with sheet, row, column and
// reason, and then nothing is written. `npm run import -- --example > district.xlsx` writes the demo
// district as a filled example.
import "dotenv/config";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../core/config.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";
import { readDistrictFile } from "../core/directory/import/read.ts";
import { importDistrict } from "../core/directory/import/apply.ts";
import { exampleWorkbook } from "../core/directory/import/example.ts";

const { values: a, positionals } = parseArgs({ allowPositionals: true, options: { "dry-run": { type: "boolean" }, example: { type: "boolean" } } });

if (a.example) {
  if (process.stdout.isTTY) {
    console.error("the example is a binary .xlsx: redirect it, e.g. npm run import -- --example > district.xlsx");
    process.exit(2);
  }
  process.stdout.write(await exampleWorkbook());
  process.exit(0);
}
const file = positionals[0];
if (!file) {
  console.error("usage: npm run import -- FILE.xlsx|FILE.csv [--dry-run]   ·   npm run import -- --example > district.xlsx");
  process.exit(2);
}
let bytes: Buffer;
try {
  bytes = fs.readFileSync(file);
} catch (err) {
  console.error(`cannot read ${file}: ${(err as Error).message}`);
  process.exit(2);
}

await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  // Through the running service on the embedded database, or the folder itself when it is stopped.
  const database = await openForTool(config, log);
  try {
    const read = await readDistrictFile(bytes, file);
    const result = await importDistrict(database.prisma, `cli import:${file.replace(/^.*[\\/]/, "")}`, read, { dryRun: a["dry-run"], now: new Date() });
    for (const p of result.problems) console.log(`${p.sheet}${p.row ? ` row ${p.row}` : ""}${p.column ? ` column ${p.column}` : ""}: ${p.reason}`);
    const counts = Object.entries(result.counts)
      .map(([k, c]) => `${k} +${c.created} ~${c.updated} =${c.unchanged}`)
      .join(" · ");
    if (!result.ok) {
      console.log(`${result.problems.length} problem(s): nothing was written`);
      return 1;
    }
    console.log(`${result.dryRun ? "dry run, nothing written" : "imported"}: ${counts}  (+ created, ~ updated, = unchanged)`);
  } finally {
    await database.close();
  }
});
