// The whole service as main builds it, in webhook mode: HTTP → inbox → bot → case → outbox →
// (fake) Telegram. Residents act like people: they wait for the bot's answer before pressing on.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update, UserFromGetMe } from "grammy/types";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { buildServices, type Services } from "../../app-context.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import { createApiToken } from "../../core/directory/staff.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { fileCase, redelivering, registerResidents } from "../helpers/residentSim.ts";
import * as u from "../helpers/updates.ts";

const SECRET = "e2e-secret-0123456789";
let db: TestDb;
let api: FakeBotApi;
let s: Services;
let server: http.Server;
let base: string;

async function post(update: Update, secret = SECRET): Promise<number> {
  const res = await fetch(`${base}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
    body: JSON.stringify(update),
  });
  return res.status;
}
const post200 = async (update: Update) => {
  expect(await post(update)).toBe(200);
};

const registered = async (id: number) => (await registerResidents(db.prisma, [id], { estate: "heping" }))[0]!;

beforeAll(async () => {
  api = new FakeBotApi();
  await api.start();
  db = await testDatabase();
  await seedDemo(db.prisma);
  await db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: 9101n, telegramUserId: 9101n } });
  const config = loadConfig({ LOG_LEVEL: "silent", BOT_TOKEN: api.token, BOT_MODE: "webhook", WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.apiRoot, OUTBOX_POLL_MS: "50", INBOX_POLL_MS: "50" });
  s = await buildServices(config, silentLogger, { database: db, botInfo: api.botInfo as unknown as UserFromGetMe, throttle: false });
  s.sender!.start();
  s.inbox!.start();
  server = s.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await s?.inbox?.stop();
  await s?.sender?.stop();
  s?.router.close();
  await db?.drop();
  await api?.stop();
});

describe("webhook end to end", () => {
  it("a resident files a case through the webhook and is told its number; the liaison gets the card", async () => {
    const p = await registered(5001);
    const number = await fileCase(api, post200, p, { description: "3楼楼道灯不亮" });
    const c = await db.prisma.case.findUniqueOrThrow({ where: { number }, include: { resident: true } });
    expect(c).toMatchObject({ kind: "repair", category: "water", description: "3楼楼道灯不亮", state: "routed" });
    expect(c.resident?.telegramUserId).toBe(5001n);
    // The routing rules sent it to the estate's company liaison, whose card arrives by the outbox.
    await api.next((call) => Number(call.payload.chat_id) === 9101 && String(call.payload.text).includes(number)).catch(() => undefined);
    expect(api.texts(9101).some((t) => t.includes(number) && t.includes("3楼楼道灯不亮"))).toBe(true);
  });

  it("every update delivered twice (same update_id) still makes one case and one of each reply", async () => {
    const p = await registered(5002);
    const before = await db.prisma.case.count();
    const number = await fileCase(api, redelivering(post200, 2), p, { description: "电梯按钮失灵" });
    // Let the inbox finish anything still queued before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(await db.prisma.case.count()).toBe(before + 1);
    const told = api.texts(5002).filter((t) => t.includes(number));
    expect(told).toHaveLength(1);
    const dupes = await db.prisma.inboundUpdate.groupBy({ by: ["updateId"], _count: { _all: true }, having: { updateId: { _count: { gt: 1 } } } });
    expect(dupes).toEqual([]);
  });

  it("serves the office API, surveys included, from the same process", async () => {
    const { token } = await createApiToken(db.prisma, { name: "e2e", role: "district" });
    const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const cases = await get("/api/v1/cases?limit=5");
    expect(cases.status).toBe(200);
    expect((await cases.json()).items.length).toBeGreaterThan(0);
    const surveys = await get("/api/v1/surveys");
    expect(surveys.status).toBe(200);
    expect(Array.isArray((await surveys.json()).surveys)).toBe(true);
    expect((await fetch(`${base}/api/v1/surveys`)).status).toBe(401);
  });

  it("refuses a forged webhook call and stores nothing", async () => {
    const before = await db.prisma.inboundUpdate.count();
    expect(await post(u.command(u.person(5003), "start"), "not-the-secret-000000")).toBe(401);
    expect(await db.prisma.inboundUpdate.count()).toBe(before);
  });
});
