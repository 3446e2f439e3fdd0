// PROCESS_ROLE=web and PROCESS_ROLE=worker on one PostgreSQL, each with its own connections as two
// processes would have: the web side only stores updates and enqueues messages, the worker handles
// and sends. Both workers poll only once a minute here, so every answer that arrives within the
// residents' 10 s patience came through a LISTEN/NOTIFY wake-up.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { Update, UserFromGetMe } from "grammy/types";
import { loadConfig, ConfigError } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { openDatabase, type Database } from "../../core/db/db.ts";
import { buildServices, type Services } from "../../app-context.ts";
import { listenForWakeups, type WakeListener } from "../../core/delivery/wakeups.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import { createApiToken } from "../../core/directory/staff.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { scratchPg, type ScratchPg } from "../helpers/scratchPg.ts";
import { skipBecause, POSTGRES_ONLY } from "../helpers/skip.ts";
import { fileCase, redelivering, registerResidents } from "../helpers/residentSim.ts";
import * as u from "../helpers/updates.ts";

const BASE = process.env.TEST_DATABASE_URL;
const SECRET = "split-secret-0123456789";
let scratch: ScratchPg;
let api: FakeBotApi;
let webDb: Database;
let workerDb: Database;
let web: Services;
let worker: Services;
let listener: WakeListener;
let server: http.Server;
let base: string;

const env = (role: string) => ({
  LOG_LEVEL: "silent",
  DATABASE_URL: scratch.url,
  PROCESS_ROLE: role,
  BOT_TOKEN: api.token,
  BOT_MODE: "webhook",
  WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: api.apiRoot,
  OUTBOX_POLL_MS: "60000",
  INBOX_POLL_MS: "60000",
});

const post = async (update: Update) => {
  const res = await fetch(`${base}${WEBHOOK_PATH}`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(update) });
  expect(res.status).toBe(200);
};

/** Whether `chat` got a text containing `part` (already, or within `ms`). */
async function told(chat: number, part: string, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (api.texts(chat).some((t) => t.includes(part))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const registered = async (id: number) => (await registerResidents(web.database.prisma, [id], { estate: "heping" }))[0]!;

describe("PROCESS_ROLE", () => {
  it("web or worker without DATABASE_URL is refused with a clear reason", () => {
    expect(() => loadConfig({ PROCESS_ROLE: "web" })).toThrow(ConfigError);
    expect(() => loadConfig({ PROCESS_ROLE: "worker" })).toThrow(/PROCESS_ROLE: "worker" needs DATABASE_URL/);
    expect(loadConfig({}).PROCESS_ROLE).toBe("all");
  });
});

describe.skipIf(skipBecause(!BASE, POSTGRES_ONLY))("web and worker processes on one PostgreSQL (PostgreSQL only)", () => {
  beforeAll(async () => {
    api = new FakeBotApi();
    await api.start();
    scratch = await scratchPg(BASE!, "split");
    webDb = await openDatabase({ databaseUrl: scratch.url, poolMax: 3 });
    await seedDemo(webDb.prisma);
    await webDb.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: 9101n, telegramUserId: 9101n } });
    workerDb = await openDatabase({ databaseUrl: scratch.url, poolMax: 3 });
    const botInfo = api.botInfo as unknown as UserFromGetMe;
    web = await buildServices(loadConfig(env("web")), silentLogger, { database: webDb, botInfo, throttle: false });
    worker = await buildServices(loadConfig(env("worker")), silentLogger, { database: workerDb, botInfo, throttle: false });
    // What main.ts starts per role: the web process serves HTTP, the worker handles and sends.
    worker.inbox!.start();
    worker.sender!.start();
    listener = listenForWakeups(scratch.url, { inbox_wake: () => worker.inbox!.wake(), outbox_wake: () => worker.sender!.wake() }, silentLogger, { retryMs: 100 });
    await listener.ready;
    server = web.app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await listener?.close();
    await worker?.inbox?.stop();
    await worker?.sender?.stop();
    for (const s of [web, worker]) {
      await s?.scheduler.stop();
      s?.router.close();
    }
    await webDb?.close();
    await workerDb?.close();
    await scratch?.drop();
    await api?.stop();
  });

  it("a resident files through the web process (every update delivered twice); the worker answers every step and stores one case", async () => {
    const p = await registered(810_001);
    const number = await fileCase(api, redelivering(post), p, { category: "water", description: "厨房水龙头漏水" });
    expect(await webDb.prisma.case.count({ where: { resident: { chatId: 810_001n } } })).toBe(1);
    const c = await webDb.prisma.case.findUniqueOrThrow({ where: { number }, include: { resident: true } });
    expect(c.resident?.chatId).toBe(810_001n);
    expect(c.state).toBe("routed");
    // Every stored update handled (by the worker: the web process runs no inbox). The last one is
    // marked done just after its reply went out, so give the worker a moment to finish it.
    const inbox = () => webDb.prisma.inboundUpdate.findMany({ where: { chatKey: "c:810001" } });
    const end = Date.now() + 10_000;
    while ((await inbox()).some((r) => r.status !== "done") && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const rows = await inbox();
    expect(rows.length).toBeGreaterThanOrEqual(6); // the guided filing: /new, kind, category, description, urgency, confirm
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => "done"));
    // The liaison's card went out too (the worker's sender, woken by its own enqueue).
    expect(await told(9101, number)).toBe(true);
  }, 60_000);

  it("a case filed through the web process's API reaches the liaison through a wake-up", async () => {
    const token = (await createApiToken(webDb.prisma, { name: "split", role: "district" })).token;
    const res = await fetch(`${base}/api/v1/cases`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": "split-api-0001" },
      body: JSON.stringify({ kind: "repair", category: "water", description: "API: 地下室漏水", estate: "heping" }),
    });
    expect(res.status).toBe(201);
    const { number } = (await res.json()) as { number: string };
    expect(await told(9101, number)).toBe(true);
    expect(await webDb.prisma.case.count({ where: { number, channel: "api" } })).toBe(1);
  }, 30_000);

  it("the listener comes back after its connection is cut", async () => {
    const killer = new pg.Client({ connectionString: scratch.url });
    await killer.connect();
    const r = await killer.query(`SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'wake-listener'`);
    await killer.end();
    expect(r.rows.filter((x) => x.t)).toHaveLength(1);
    // Sent straight after the cut: the wake-up may be lost, the reconnect's catch-up is not.
    const p = await registered(810_002);
    const reply = api.next((x) => x.method === "sendMessage" && String(x.payload.chat_id) === "810002", 10_000);
    await post(u.command(p, "help"));
    expect(String((await reply).payload.text).length).toBeGreaterThan(0);
    // And later wake-ups arrive on the new connection.
    const number = await fileCase(api, post, p, { category: "water", description: "再次报修" });
    expect(await webDb.prisma.case.count({ where: { number } })).toBe(1);
  }, 60_000);
});
