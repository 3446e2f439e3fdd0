// Behind PgBouncer in transaction mode (the usual managed-PostgreSQL setup): every statement may run
// on another server connection, so session state (LISTEN, session advisory locks, named prepared
// statements on PgBouncer 1.18) does not hold. A local PgBouncer (Debian's package) in front of the
// test server: migrations from two processes at once apply each migration once; a web and a worker
// process, configured with PG_POOL_MODE=transaction, take a resident's filing through the bot and a
// case through the API to the liaison, woken by polling since no LISTEN goes through the pooler.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { Update, UserFromGetMe } from "grammy/types";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { openDatabase, type Database } from "../../core/db/db.ts";
import { listMigrations } from "../../core/db/migrate.ts";
import { wakeupConnection } from "../../core/delivery/wakeups.ts";
import { buildServices, type Services } from "../../app-context.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import { createApiToken } from "../../core/directory/staff.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { scratchPg, type ScratchPg } from "../helpers/scratchPg.ts";
import { skipBecause, POSTGRES_ONLY } from "../helpers/skip.ts";
import { fileCase, registerResidents } from "../helpers/residentSim.ts";

const BASE = process.env.TEST_DATABASE_URL;
const PGBOUNCER = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find((p) => fs.existsSync(p));
const SECRET = "bouncer-secret-0123456789";

/** Starts PgBouncer in transaction mode in front of `target` (host:port); resolves with its port. */
async function startPgBouncer(target: URL): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pgbouncer-"));
  fs.chmodSync(dir, 0o777); // PgBouncer refuses to run as root: it drops to postgres, which must read and write here
  const port = 21000 + Math.floor(Math.random() * 20000);
  const user = decodeURIComponent(target.username || "postgres");
  fs.writeFileSync(path.join(dir, "users.txt"), `"${user}" ""\n`);
  fs.writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${target.hostname} port=${target.port || 5432}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "auth_type = trust",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "default_pool_size = 4",
      "max_client_conn = 200",
      "ignore_startup_parameters = extra_float_digits,options",
      `unix_socket_dir = ${dir}`,
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      "",
    ].join("\n"),
  );
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o666);
  const args = process.getuid?.() === 0 ? ["-u", "postgres", path.join(dir, "pgbouncer.ini")] : [path.join(dir, "pgbouncer.ini")];
  const child: ChildProcess = spawn(PGBOUNCER!, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const end = Date.now() + 15_000;
  for (;;) {
    const c = new pg.Client({ host: "127.0.0.1", port, user, database: "postgres" });
    try {
      await c.connect();
      await c.query("SELECT 1");
      await c.end();
      break;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > end || child.exitCode !== null) throw new Error(`PgBouncer did not start: ${out}\n${fs.existsSync(path.join(dir, "pgbouncer.log")) ? fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8") : ""}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    port,
    async stop() {
      const exit = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exit;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const through = (url: string, port: number) => {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  return u.toString();
};

describe.skipIf(skipBecause(!BASE, POSTGRES_ONLY) || skipBecause(!PGBOUNCER, "needs PgBouncer (apt-get install pgbouncer; .ci/run installs it)"))(
  "behind PgBouncer in transaction mode (PostgreSQL only)",
  () => {
    let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
    let scratch: ScratchPg;
    let url: string;

    beforeAll(async () => {
      bouncer = await startPgBouncer(new URL(BASE!));
      scratch = await scratchPg(BASE!, "bouncer", { fresh: true });
      url = through(scratch.url, bouncer.port);
    }, 60_000);
    afterAll(async () => {
      await scratch?.drop();
      await bouncer?.stop();
    });

    it("two processes migrating at once through the pooler apply each migration exactly once", async () => {
      const [a, b] = await Promise.all([openDatabase({ databaseUrl: url, poolMax: 3, preparedStatements: false }), openDatabase({ databaseUrl: url, poolMax: 3, preparedStatements: false })]);
      try {
        expect(a.migrations.applied.length + b.migrations.applied.length).toBe(listMigrations().length);
        const rows = await a.prisma.$queryRaw<{ migration_name: string; n: bigint }[]>`SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY 1`;
        expect(rows).toHaveLength(listMigrations().length);
        expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
        // Starting with MIGRATE_ON_START=false checks through the pooler too.
        const c = await openDatabase({ databaseUrl: url, poolMax: 2, preparedStatements: false, migrations: "check" });
        expect(c.migrations.alreadyApplied).toBe(listMigrations().length);
        await c.close();
      } finally {
        await a.close();
        await b.close();
      }
    }, 120_000);

    describe("a web and a worker process with PG_POOL_MODE=transaction", () => {
      let api: FakeBotApi;
      let webDb: Database;
      let workerDb: Database;
      let web: Services;
      let worker: Services;
      let server: http.Server;
      let base: string;
      const env = (role: string) => ({
        LOG_LEVEL: "silent",
        DATABASE_URL: url,
        PG_POOL_MODE: "transaction",
        PROCESS_ROLE: role,
        BOT_TOKEN: api.token,
        BOT_MODE: "webhook",
        WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_ROOT: api.apiRoot,
        OUTBOX_POLL_MS: "200",
        INBOX_POLL_MS: "200",
      });
      const post = async (update: Update) => {
        const res = await fetch(`${base}${WEBHOOK_PATH}`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(update) });
        expect(res.status).toBe(200);
      };
      const told = async (chat: number, part: string, ms = 15_000) => {
        const end = Date.now() + ms;
        while (Date.now() < end) {
          if (api.texts(chat).some((t) => t.includes(part))) return true;
          await new Promise((r) => setTimeout(r, 50));
        }
        return false;
      };

      beforeAll(async () => {
        api = new FakeBotApi();
        await api.start();
        const config = loadConfig(env("worker"));
        expect(config.PG_PREPARED_STATEMENTS).toBe(false); // the pooler's mode turns prepared statements off by default
        expect(wakeupConnection(config).url).toBeNull(); // and no LISTEN through it
        expect(wakeupConnection({ ...config, DATABASE_DIRECT_URL: scratch.url }).url).toBe(scratch.url);
        webDb = await openDatabase({ databaseUrl: url, poolMax: 3, preparedStatements: false });
        await seedDemo(webDb.prisma);
        await webDb.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: 9201n, telegramUserId: 9201n } });
        workerDb = await openDatabase({ databaseUrl: url, poolMax: 3, preparedStatements: false });
        const botInfo = api.botInfo as unknown as UserFromGetMe;
        web = await buildServices(loadConfig(env("web")), silentLogger, { database: webDb, botInfo, throttle: false });
        worker = await buildServices(config, silentLogger, { database: workerDb, botInfo, throttle: false });
        worker.inbox!.start();
        worker.sender!.start();
        server = web.app.listen(0, "127.0.0.1");
        await new Promise((r) => server.once("listening", r));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      }, 120_000);
      afterAll(async () => {
        server?.closeAllConnections();
        await new Promise((r) => server?.close(r));
        await worker?.inbox?.stop();
        await worker?.sender?.stop();
        for (const s of [web, worker]) {
          await s?.scheduler.stop();
          s?.router.close();
        }
        await webDb?.close();
        await workerDb?.close();
        await api?.stop();
      });

      it("a resident files in the bot: every step answered, one case stored, the liaison's card sent", async () => {
        const p = (await registerResidents(webDb.prisma, [830_001], { estate: "heping" }))[0]!;
        const number = await fileCase(api, post, p, { category: "water", description: "PgBouncer: 厨房水管漏水" });
        expect(await webDb.prisma.case.count({ where: { resident: { chatId: 830_001n } } })).toBe(1);
        expect((await webDb.prisma.case.findUniqueOrThrow({ where: { number } })).state).toBe("routed");
        expect(await told(9201, number)).toBe(true);
      }, 90_000);

      it("a case filed through the API reaches the liaison once", async () => {
        const token = (await createApiToken(webDb.prisma, { name: "bouncer", role: "district" })).token;
        const send = () =>
          fetch(`${base}/api/v1/cases`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": "bouncer-api-0001" },
            body: JSON.stringify({ kind: "repair", category: "water", description: "API 经 PgBouncer: 地下室漏水", estate: "heping" }),
          });
        const first = await send();
        expect(first.status).toBe(201);
        const { number } = (await first.json()) as { number: string };
        expect((await send()).status).toBeLessThan(300); // the idempotent retry
        expect(await told(9201, number)).toBe(true);
        expect(await webDb.prisma.case.count({ where: { number } })).toBe(1);
        await new Promise((r) => setTimeout(r, 1000));
        expect(api.texts(9201).filter((t) => t.includes(number))).toHaveLength(1);
      }, 60_000);
    });
  },
);

