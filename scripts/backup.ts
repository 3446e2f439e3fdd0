// `npm run backup [-- FILE]`: a consistent backup of the database, while the service runs or not.
// Embedded: through the running service when there is one (core/db/open-for-tool.ts), else by
// opening the folder; PostgreSQL: the pg_dump on PATH. Default file: BACKUP_DIR/frontdoor-<time>.sql.
import "dotenv/config";
import path from "node:path";
import { loadConfig } from "../core/config.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { backupName } from "../core/db/backup.ts";
import { createLogger } from "../core/logger.ts";

await runTool(async () => {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args.length > 1 || args[0]?.startsWith("-")) throw new Error("usage: npm run backup [-- FILE]");
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const file = path.resolve(args[0] ?? path.join(config.BACKUP_DIR, backupName(new Date())));
  const db = await openForTool(config, log);
  try {
    const info = await db.backup(file);
    const rows = info.counts ? `, ${Object.values(info.counts).reduce((a, b) => a + b, 0)} rows` : "";
    console.log(`backup written: ${info.file} (${(info.bytes / 1e6).toFixed(1)} MB${rows}, ${(info.ms / 1000).toFixed(1)} s${db.via === "service" ? ", through the running service" : ""})`);
  } finally {
    await db.close();
  }
});
