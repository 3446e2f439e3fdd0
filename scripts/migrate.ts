// `npm run migrate`: applies pending migrations (npm start does this too) and prints what it did.
import "dotenv/config";
import { loadConfig } from "../core/config.ts";
import { openDatabase } from "../core/db/db.ts";
import { createLogger } from "../core/logger.ts";

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, log });
log.info({ applied: db.migrations.applied, alreadyApplied: db.migrations.alreadyApplied }, "migrations up to date");
await db.close();
