// `npm start`: validate config, apply migrations, then run the API, the bot (polling or webhook),
// the outbox sender and the scheduled jobs — in one process, or split by PROCESS_ROLE into a web
// process and a worker process on one PostgreSQL. SIGHUP reloads the rule files.
import "dotenv/config";
import type { Server } from "node:http";
import { ConfigError, loadConfig } from "./core/config.ts";
import { createLogger } from "./core/logger.ts";
import { redactUrl } from "./core/db/db.ts";
import { buildServices } from "./app-context.ts";
import { seedRulesFolder } from "./rules/seed-folder.ts";
import { startPolling, type PollingHandle } from "./bot/transport/polling.ts";
import { WEBHOOK_PATH } from "./api/webhook.ts";
import { listen } from "./api/listen.ts";
import { listenForWakeups, wakeupConnection } from "./core/delivery/wakeups.ts";
import { setupTokenIfNeeded } from "./core/directory/setup.ts";
import { frontDoorState } from "./api/frontdoor/posters.ts";
import { serveLocalTools } from "./core/db/pglite-serve.ts";
import { DataFolderInUse } from "./core/db/data-lock.ts";
import { DataFolderError } from "./core/db/open-failure.ts";
import { pinNewestBackup } from "./core/db/backup.ts";

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const log = createLogger(config.LOG_LEVEL);
log.info({ db: config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `PGlite ${config.PGLITE_DIR}` }, "starting");

seedRulesFolder(config.RULES_DIR, log);
const s = await buildServices(config, log).catch((err: Error) => {
  // A locked, damaged or unreadable data folder: one plain line that says what to do.
  if (err instanceof DataFolderInUse || err instanceof DataFolderError) {
    // The newest backup predates whatever happened to the folder: no later rotation removes it.
    const kept = err instanceof DataFolderError && !config.DATABASE_URL ? pinNewestBackup(config.BACKUP_DIR, err.message) : null;
    console.error(kept ? `${err.message} The newest backup, ${kept}, is kept from rotation (${config.BACKUP_DIR}/pinned.json).` : err.message);
    process.exit(1);
  }
  log.fatal({ err: err.message }, "cannot start");
  process.exit(1);
});
log.info({ applied: s.database.migrations.applied, alreadyApplied: s.database.migrations.alreadyApplied }, "database ready");
// The owner of the embedded database serves it to the npm tools (admin, seed, backup…) on a socket.
const toolSocket = s.database.embedded ? await serveLocalTools(s.database.embedded.pglite, s.database.embedded.dir, log) : null;
const stopWatching = s.router.watch();
process.on("SIGHUP", () => void s.router.reload().then((r) => log.info({ ok: r.ok, errors: r.errors }, "rules reloaded (SIGHUP)")));

// PROCESS_ROLE: "all" runs everything here; "web" only HTTP (webhook, API, dashboard); "worker" the
// bot's handling, the outbox sender and the jobs. web and worker share one PostgreSQL.
const role = config.PROCESS_ROLE;
const serveWebhook = role !== "worker";
const doWork = role !== "web";

const server: Server = await listen(s.app, config.PORT, config.HOST);
if (role === "worker") log.info({ port: config.PORT, role }, "HTTP up (worker: /healthz, /readyz, /metrics and the status page only; the web process serves the webhook, API and dashboard)");
else {
  // PORT=0 (tests) listens on a free port: the links name the real one unless PUBLIC_BASE_URL is set.
  const actual = (server.address() as import("node:net").AddressInfo | null)?.port ?? config.PORT;
  const base = process.env.PUBLIC_BASE_URL ? config.PUBLIC_BASE_URL : `http://localhost:${actual}`;
  log.info({ url: base, port: actual, role }, `HTTP up: dashboard ${base}/dashboard · public page ${base}/ · status ${base}/status`);
  log.info(frontDoorState(config, Boolean(process.env.PUBLIC_BASE_URL)));
  const setup = await setupTokenIfNeeded(s.database.prisma);
  if (setup) log.warn(`No staff user yet: create the first admin at ${base}/setup?token=${setup} (one use; or: npm run admin -- create-user --role admin)`);
}

const wakeups = wakeupConnection(config);
if (role === "worker" && !wakeups.url) log.warn(`wake-ups by polling only: ${wakeups.why}`);
const listener = role === "worker" && wakeups.url ? listenForWakeups(wakeups.url, { inbox_wake: () => s.inbox?.wake(), outbox_wake: () => s.sender?.wake() }, log) : null;

let polling: PollingHandle | null = null;
if (doWork) s.robots.start(); // offices' WeCom / DingTalk robots
if (!s.bot) {
  // E-mail and SMS rows go without the bot (a sender limited to them); Telegram's wait.
  if (doWork) s.sender?.start();
  log.warn("Bot is OFF: BOT_TOKEN is not set. API and jobs run; outgoing messages wait in the outbox. To turn the bot on, put BOT_TOKEN=<token from @BotFather> in .env and restart.");
} else {
  const bot = s.bot;
  if (doWork) s.sender!.start();
  if (doWork) s.evidence?.start(); // received photos into the attachment store
  // Telegram may be unreachable at start; keep trying without blocking the rest of the service.
  const connect = async (attempt = 1): Promise<void> => {
    try {
      await bot.init();
      // The menu button opens the web front door as a Mini App (Telegram wants https for it).
      if (config.FRONTDOOR_SECRET && config.PUBLIC_BASE_URL.startsWith("https:") && doWork) {
        await bot.api
          .setChatMenuButton({ menu_button: { type: "web_app", text: "报修 · 投诉", web_app: { url: `${config.PUBLIC_BASE_URL}/r/app` } } })
          .catch((err: Error) => log.warn({ err: err.message }, "menu button not set; the Mini App opens from /r/app"));
      }
      if (doWork) s.inbox?.start(); // handling needs the bot's identity; updates wait in the inbox until then
      if (config.BOT_MODE === "webhook") {
        // The process that serves the webhook tells Telegram where it is.
        if (serveWebhook) {
          const url = `${config.PUBLIC_BASE_URL}${WEBHOOK_PATH}`;
          await bot.api.setWebhook(url, {
            secret_token: config.WEBHOOK_SECRET,
            allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"],
          });
          log.info({ bot: bot.botInfo.username, url, role }, "bot on (webhook)");
        } else log.info({ bot: bot.botInfo.username, role }, "bot on (webhook updates from the web process)");
      } else if (doWork) {
        await bot.api.deleteWebhook();
        polling = startPolling(bot);
        log.info({ bot: bot.botInfo.username, role }, "bot on (long polling)");
      } else log.info({ bot: bot.botInfo.username, role }, "bot on (long polling runs in the worker process)");
    } catch (err) {
      const wait = Math.min(60, 5 * attempt);
      log.error({ err: (err as Error).message, retryInS: wait }, "cannot reach Telegram yet");
      setTimeout(() => void connect(attempt + 1), wait * 1000).unref();
    }
  };
  void connect();
}
if (!doWork) log.info("PROCESS_ROLE=web: scheduled jobs and sending run in the worker process");
else if (config.JOBS_ENABLED) s.scheduler.start();
else log.info("JOBS_ENABLED=false: scheduled jobs run elsewhere");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  stopWatching();
  await polling?.stop();
  await listener?.close();
  await new Promise<void>((r) => server.close(() => r()));
  await s.inbox?.stop();
  await s.scheduler.stop();
  await s.sender?.stop();
  await s.robots.stop();
  await s.evidence?.stop();
  await toolSocket?.close();
  await s.database.close();
  log.info("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
