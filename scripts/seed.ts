// `npm run seed [-- --empty]`: applies migrations, loads the demo district through the directory
// services (idempotent: matched by code) and a demo login — an admin and a street user — whose
// passwords are printed, and ~90 days of history made through the case services (seed-history.ts).
// `--empty` loads only the district. The demo's own routing rules are added to RULES_DIR/routing.json
// (kept in the rules history as saved by the seed); the shipped file routes any district.
import "dotenv/config";
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { loadConfig } from "../core/config.ts";
import { redactUrl } from "../core/db/db.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";
import { seedDemo, DEMO, withDemoRules } from "../core/directory/demo-district.ts";
import { readRuleFile } from "../rules/editing/draft.ts";
import { saveRuleFile } from "../rules/editing/versions.ts";
import { createStaffUser, setPassword } from "../core/directory/staff.ts";
import { seedHistory, type HistoryResult } from "./seed-history.ts";

const { values: a } = parseArgs({ options: { empty: { type: "boolean" } } });
await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const db = await openForTool(config, log);
  const logins: string[] = [];
  let history: HistoryResult | null = null;
  const counts = await (async () => {
    const counts = await seedDemo(db.prisma);
    const routing = withDemoRules(readRuleFile(config.RULES_DIR, "routing") ?? JSON.stringify({ rules: [] }));
    if (routing) {
      await saveRuleFile(db.prisma, config.RULES_DIR, "routing", routing, { staffId: null, staffName: "npm run seed" }, "演示小区的派单规则 the demo district's routing rules", new Date());
      log.info({ rulesDir: config.RULES_DIR }, "demo routing rules added to routing.json");
    }
    if (!a.empty) {
      const t0 = performance.now();
      history = await seedHistory(db.prisma, { now: new Date(), timezone: config.TIMEZONE, rulesDir: config.RULES_DIR });
      if (history) log.info({ ...history, seconds: Math.round(performance.now() - t0) / 1000 }, "demo history: 90 days of cases through the case services");
      else log.info("demo history already there: left as it is");
      // A fresh password on every seed: the demo login is printed, never a default anyone can guess.
      for (const u of [
        { username: "demo-admin", role: "admin" as const, displayName: "演示管理员" },
        { username: "demo-dongcheng", role: "street" as const, street: "dongcheng", displayName: "东城街道(演示)" },
      ]) {
        const password = crypto.randomBytes(9).toString("base64url");
        if (await db.prisma.staffUser.findUnique({ where: { username: u.username } })) await setPassword(db.prisma, u.username, password);
        else await createStaffUser(db.prisma, { ...u, password });
        logins.push(`${u.username} / ${password}`);
      }
    }
    return counts;
  })().finally(() => db.close());
  log.info(
    { db: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : config.PGLITE_DIR, ...counts },
    `demo district loaded; residents register with an estate invite code (${DEMO.estates.map((e) => `${e.name} ${e.inviteCode}`).join(", ")}); liaisons join with a company code (${DEMO.companies.map((c) => c.inviteCode).join(", ")})`,
  );
  if (logins.length) console.log(`demo login at ${config.PUBLIC_BASE_URL}/login (after npm start): ${logins.join(" · ")}`);
});
