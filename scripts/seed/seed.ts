// `npm run seed [-- --empty]`: applies migrations and, into an EMPTY district only, loads the demo
// district through the directory services, a demo login — an admin and a street user — whose
// passwords are printed once, when made, and ~90 days of history made through the case services
// (seed-history.ts), and a rectification campaign in its 整改 phase (seed-campaign.ts). On a district with data it writes nothing and says so in one line
// (seed-run.ts). `--empty` loads only the district. The demo's own routing rules are added to
// RULES_DIR/routing.json (kept in the rules history as saved by the seed); the shipped file routes any district.
import "dotenv/config";
import { parseArgs } from "node:util";
import { loadConfig } from "../../core/config.ts";
import { redactUrl } from "../../core/db/db.ts";
import { openForTool, runTool } from "../../core/db/open-for-tool.ts";
import { createLogger } from "../../core/logger.ts";
import { DEMO } from "../../core/directory/demo-district.ts";
import { runSeed } from "./seed-run.ts";

const { values: a } = parseArgs({ options: { empty: { type: "boolean" } } });
await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const db = await openForTool(config, log);
  const t0 = performance.now();
  const outcome = await runSeed(db.prisma, { empty: Boolean(a.empty), now: new Date(), timezone: config.TIMEZONE, rulesDir: config.RULES_DIR }).finally(() => db.close());
  const where = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : config.PGLITE_DIR;
  if (outcome.kind === "left") {
    const f = outcome.found;
    console.log(`seed: nothing changed — the district already has data (${f.streets} streets, ${f.estates} estates, ${f.companies} companies, ${f.cases} cases in ${where}); the demo goes only into an empty database`);
    return;
  }
  if (outcome.campaign) log.info(outcome.campaign, "demo rectification campaign in its 整改 phase");
  if (outcome.routingAdded) log.info({ rulesDir: config.RULES_DIR }, "demo routing rules added to routing.json");
  if (outcome.history) log.info({ ...outcome.history, seconds: Math.round(performance.now() - t0) / 1000 }, "demo history: 90 days of cases through the case services");
  log.info(
    { db: where, ...outcome.counts },
    `demo district loaded; residents register with an estate invite code (${DEMO.estates.map((e) => `${e.name} ${e.inviteCode}`).join(", ")}); liaisons join with a company code (${DEMO.companies.map((c) => c.inviteCode).join(", ")})`,
  );
  if (outcome.logins.length) console.log(`demo login at ${config.PUBLIC_BASE_URL}/login (after npm start), shown only now: ${outcome.logins.join(" · ")}`);
});
