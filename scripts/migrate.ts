// `npm run migrate`: applies pending migrations (npm start does this too) and prints what it did.
import "dotenv/config";
import { loadConfig } from "../core/config.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";

await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const db = await openForTool(config, log);
  log.info({ applied: db.migrations.applied, alreadyApplied: db.migrations.alreadyApplied, via: db.via }, "migrations up to date");
  await db.close();
});
