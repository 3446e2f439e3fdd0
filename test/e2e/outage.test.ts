// A Telegram outage as the outbox sees it: 5xx for a while, then 429 with retry_after, then
// recovery. Every message must arrive once, in order per chat; a blocked user stops retries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bot } from "grammy";
import { ManualClock } from "../../core/clock.ts";
import { enqueue, OutboxSender } from "../../core/delivery/outbox.ts";
import { createTransport } from "../../bot/transport/transport.ts";
import { FakeBotApi, faults } from "../helpers/fakeBotApi.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

let db: TestDb;
let api: FakeBotApi;
beforeAll(async () => {
  db = await testDatabase();
  api = new FakeBotApi();
  await api.start();
});
afterAll(async () => {
  await api.stop();
  await db.drop();
});

describe("Telegram outage", () => {
  it("5xx, then 429 with retry_after, then OK: every message delivered once and in order per chat", async () => {
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot, fetch: globalThis.fetch } });
    const clock = new ManualClock(new Date());
    const sender = new OutboxSender({ db: db.prisma, transport: createTransport(bot.api), clock });
    api.faults.push(faults.status(502, 6, "Bad Gateway"), faults.status(429, 3, "Too Many Requests: retry after 5", { retry_after: 5 }));
    const chats = [111, 222, 333];
    await enqueue(
      db.prisma,
      chats.flatMap((chat) => Array.from({ length: 5 }, (_, i) => ({ chatId: chat, payload: { text: `${chat}-${i}` } }))),
    );
    let rounds = 0;
    while ((await db.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })) > 0 && rounds++ < 50) {
      await sender.drain();
      const next = await db.prisma.outboxMessage.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" } });
      if (next?.nextAttemptAt) clock.set(next.nextAttemptAt);
    }
    for (const chat of chats) expect(api.texts(chat)).toEqual([0, 1, 2, 3, 4].map((i) => `${chat}-${i}`));
    expect(api.sent()).toHaveLength(15);
    const rows = await db.prisma.outboxMessage.findMany();
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(15 + 6 + 3); // one attempt per failure, no more
    const retried = rows.find((r) => r.lastError === null && r.attempts > 1);
    expect(retried).toBeTruthy();
  });

  it("a user who blocked the bot is marked undeliverable after one try, with what else was queued for them; others still get theirs", async () => {
    await db.prisma.outboxMessage.deleteMany();
    api.reset();
    const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot, fetch: globalThis.fetch } });
    const sender = new OutboxSender({ db: db.prisma, transport: createTransport(bot.api), clock: new ManualClock(new Date()) });
    api.faults.push(faults.blocked(444));
    await enqueue(db.prisma, [{ chatId: 444, payload: { text: "a" } }, { chatId: 444, payload: { text: "b" } }, { chatId: 555, payload: { text: "c" } }]);
    await sender.drain();
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [Number(r.chatId), r.status, r.attempts])).toEqual([
      [444, "undeliverable", 1],
      [444, "undeliverable", 0], // not even tried: the chat is known to be blocked
      [555, "sent", 1],
    ]);
    expect(api.texts(555)).toEqual(["c"]);
  });
});
