// `npm run bulletin [-- YYYY-MM]`: makes the monthly bulletins (定期通报) of a month now (default: the
// month before this one) and queues them to the offices, as the hourly job does for the due month. Safe
// to repeat: a month's bulletin is stored once and sent once. The running service sends the queued messages.
import "dotenv/config";
import { loadCategories } from "../core/cases/categories.ts";
import { systemClock } from "../core/clock.ts";
import { loadConfig } from "../core/config.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";
import { makeMonthlyBulletins } from "../core/bulletin/monthly.ts";
import { loadAssessmentSettings } from "../core/assessment/assessment-settings.ts";

await runTool(async () => {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args.length > 1 || (args[0] && !/^\d{4}-(0[1-9]|1[0-2])$/.test(args[0]))) throw new Error("usage: npm run bulletin [-- YYYY-MM]");
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const db = await openForTool(config, log);
  try {
    const minSample = loadAssessmentSettings(config.RULES_DIR).classification.minSample;
    const deps = {
      db: db.prisma,
      clock: systemClock,
      timezone: config.TIMEZONE,
      categories: loadCategories(config.RULES_DIR),
      defaultLocale: config.DEFAULT_LOCALE,
      minSample: () => minSample,
      dashboardUrl: `${config.PUBLIC_BASE_URL}/dashboard`,
      email: Boolean(config.SMTP_URL),
    };
    const r = args[0] ? await makeMonthlyBulletins(deps, args[0]) : await makeMonthlyBulletins(deps);
    console.log(`bulletins made: ${r.made}, messages queued: ${r.queued}`);
  } finally {
    await db.close();
  }
});
