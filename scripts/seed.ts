// `npm run seed`: applies migrations and loads the demo district (idempotent).
import "dotenv/config";
import { loadConfig } from "../core/config.ts";
import { redactUrl } from "../core/db/db.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";
import { seedDemo, DEMO } from "../core/directory/demo-district.ts";

await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const db = await openForTool(config, log);
  const counts = await seedDemo(db.prisma).finally(() => db.close());
  log.info(
    { db: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : config.PGLITE_DIR, ...counts },
    `demo district loaded; residents register with an estate invite code (${DEMO.estates.map((e) => `${e.name} ${e.inviteCode}`).join(", ")}); liaisons join with a company code (${DEMO.companies.map((c) => c.inviteCode).join(", ")})`,
  );
});
