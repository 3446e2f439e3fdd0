// `npm run seed`: applies migrations and loads the demo district (idempotent).
import "dotenv/config";
import { loadConfig } from "../core/config.ts";
import { openDatabase, redactUrl } from "../core/db/db.ts";
import { createLogger } from "../core/logger.ts";
import { seedDemo, DEMO } from "../core/directory/demo-district.ts";

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, log });
const counts = await seedDemo(db.prisma);
await db.close();
log.info(
  { db: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : config.PGLITE_DIR, ...counts },
  `demo district loaded; residents register with an estate invite code (${DEMO.estates.map((e) => `${e.name} ${e.inviteCode}`).join(", ")}); liaisons join with a company code (${DEMO.companies.map((c) => c.inviteCode).join(", ")})`,
);
