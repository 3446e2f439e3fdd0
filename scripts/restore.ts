// `npm run restore -- FILE [--target DIR] [--force]`: a backup into the embedded folder (PGLITE_DIR,
// or --target DIR) or, with DATABASE_URL set, into that PostgreSQL — the way to move an embedded
// database to PostgreSQL. Refused while the folder is in use; over existing data only with --force.
import "dotenv/config";
import { parseArgs } from "node:util";
import { loadConfig } from "../core/config.ts";
import { runTool } from "../core/db/open-for-tool.ts";
import { restoreBackup } from "../core/db/restore.ts";

const USAGE = "usage: npm run restore -- FILE [--target DIR] [--force]";

await runTool(async () => {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2).filter((a) => a !== "--"), allowPositionals: true, options: { target: { type: "string" }, force: { type: "boolean" } } });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length) throw new Error(USAGE);
  const config = loadConfig();
  const target = parsed.values.target ? { pgliteDir: parsed.values.target } : config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { pgliteDir: config.PGLITE_DIR };
  const r = await restoreBackup(file, target, { force: parsed.values.force });
  const rows = Object.values(r.counts).reduce((a, b) => a + b, 0);
  console.log(`restored ${file} into ${r.target} in ${(r.ms / 1000).toFixed(1)} s: ${Object.keys(r.counts).length} tables, ${rows} rows, ${r.migrations} migrations — check passed${r.keptAside ? `; the data it replaced is kept in ${r.keptAside}` : ""}`);
  for (const w of r.warnings) console.log(`warning: ${w}`);
});
