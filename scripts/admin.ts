// `npm run admin -- <command>`: dashboard users and API tokens.
//   create-user  --username alice --role admin|district|street|community|owners [--street dongcheng]
//                [--estates heping,xingfu (community, owners)] [--name 张三] [--locale zh-Hans]
//                (password from ADMIN_PASSWORD, or asked for twice on the terminal, not echoed)
// While `npm start` runs on the embedded database, this goes through the service (core/db/open-for-tool.ts).
//   set-password --username alice            (same password sources)
//   create-token --name crm --role district|street|admin [--street dongcheng]   (prints the token once)
//   revoke-token --id 3
//   unlock       --username alice            (lifts the pauses failed logins put on that name, from every address)
//   list         users and tokens
import "dotenv/config";
import { parseArgs } from "node:util";
import { loadConfig } from "../core/config.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";
import { askPasswordTwice } from "./password-prompt.ts";
import { liftPauses } from "../core/access/login-throttle.ts";
import { createApiToken, createStaffUser, revokeApiToken, setPassword, StaffError, STAFF_ROLES } from "../core/directory/staff.ts";

const [command, ...rest] = process.argv.slice(2);
const { values: a } = parseArgs({
  args: rest,
  options: { username: { type: "string" }, role: { type: "string" }, street: { type: "string" }, estates: { type: "string" }, name: { type: "string" }, locale: { type: "string" }, id: { type: "string" } },
});

async function password(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new StaffError("set ADMIN_PASSWORD or run on a terminal");
  return askPasswordTwice(process.stdin, process.stdout);
}
const role = () => {
  if (!a.role || !(STAFF_ROLES as readonly string[]).includes(a.role)) throw new StaffError(`--role ${STAFF_ROLES.join("|")}`);
  return a.role as (typeof STAFF_ROLES)[number];
};

await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  const database = await openForTool(config, log);
  const db = database.prisma;
  let code = 0;
  try {
    switch (command) {
      case "create-user": {
        if (!a.username) throw new StaffError("--username is required");
        const u = await createStaffUser(db, { username: a.username, password: await password(), role: role(), street: a.street, estates: a.estates?.split(",").filter(Boolean), displayName: a.name, locale: a.locale });
        console.log(`user ${u.username} (${u.role}${a.street ? ` ${a.street}` : ""}) created; log in at ${config.PUBLIC_BASE_URL}/login`);
        break;
      }
      case "set-password": {
        if (!a.username) throw new StaffError("--username is required");
        await setPassword(db, a.username, await password());
        await liftPauses(db, a.username);
        console.log(`password of ${a.username} changed; login pauses lifted`);
        break;
      }
      case "create-token": {
        const { token, row } = await createApiToken(db, { name: a.name ?? "api", role: role(), street: a.street, estates: a.estates?.split(",").filter(Boolean), createdBy: "cli" });
        console.log(`token ${row.id} (${row.role}${a.street ? ` ${a.street}` : ""}) — shown once, store it now:\n${token}`);
        break;
      }
      case "revoke-token": {
        const ok = await revokeApiToken(db, Number(a.id), new Date());
        console.log(ok ? `token ${a.id} revoked` : `no active token ${a.id}`);
        code = ok ? 0 : 1;
        break;
      }
      case "unlock": {
        if (!a.username) throw new StaffError("--username is required");
        const n = await liftPauses(db, a.username);
        console.log(n ? `login pauses of ${a.username} lifted (${n} address${n === 1 ? "" : "es"})` : `${a.username} has no login pause`);
        break;
      }
      case "list": {
        for (const u of await db.staffUser.findMany({ orderBy: { id: "asc" } })) console.log(`user  ${u.username}\t${u.role}\tstreet=${u.streetId ?? "-"}\tlast login ${u.lastLoginAt?.toISOString() ?? "never"}`);
        for (const t of await db.apiToken.findMany({ orderBy: { id: "asc" } })) console.log(`token ${t.id}\t${t.name}\t${t.role}\tstreet=${t.streetId ?? "-"}\t${t.revokedAt ? "revoked" : "active"}`);
        break;
      }
      default:
        console.error("usage: npm run admin -- create-user|set-password|create-token|revoke-token|unlock|list [options] (see scripts/admin.ts)");
        code = 2;
    }
  } catch (err) {
    if (!(err instanceof StaffError)) throw err;
    console.error(err.message);
    code = 1;
  } finally {
    await database.close();
  }
  return code;
});
