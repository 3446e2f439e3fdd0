import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Api } from "grammy";
import { FakeBotApi, faults } from "../helpers/fakeBotApi.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { DeliveryError, enqueue, OutboxSender } from "../../core/delivery/outbox.ts";
import { createTransport, markResidentBlocked } from "../../bot/transport/transport.ts";
import { systemClock } from "../../core/clock.ts";

let api: FakeBotApi;
let db: TestDb;
const transport = () => createTransport(new Api(api.token, { apiRoot: api.apiRoot, fetch: globalThis.fetch }));
const failure = async (p: Promise<unknown>) => p.then(() => { throw new Error("expected a DeliveryError"); }, (e: unknown) => e as DeliveryError);

beforeAll(async () => {
  api = new FakeBotApi();
  await api.start();
  db = await testDatabase();
});
afterAll(async () => {
  await api?.stop();
  await db?.drop();
});
beforeEach(() => api.reset());

describe("outbox transport over grammY", () => {
  it("delivers with the chat id added and returns the message id (first of a media group)", async () => {
    const t = transport();
    const one = await t.deliver(5001n, "sendMessage", { text: "你好" });
    expect(api.calls[0]).toMatchObject({ method: "sendMessage", payload: { chat_id: 5001, text: "你好" } });
    const group = await t.deliver(5001n, "sendMediaGroup", { media: [{ type: "photo", media: "A" }, { type: "photo", media: "B" }] });
    expect(typeof one.messageId).toBe("number");
    expect(group.messageId).toBe(one.messageId! + 1);
  });

  it("maps Telegram errors: 429 → retry_after, 403 → undeliverable, other 4xx → rejected, 5xx → transient", async () => {
    const t = transport();
    api.faults.push(faults.status(429, 1, "Too Many Requests: retry after 7", { retry_after: 7 }));
    let e = await failure(t.deliver(1n, "sendMessage", { text: "x" }));
    expect([e.kind, e.retryAfterSeconds]).toEqual(["retry_after", 7]);

    api.faults.push(faults.blocked(2));
    e = await failure(t.deliver(2n, "sendMessage", { text: "x" }));
    expect(e.kind).toBe("undeliverable");

    api.faults.length = 0;
    api.faults.push(faults.status(403, 1, "Forbidden: user is deactivated"));
    expect((await failure(t.deliver(3n, "sendMessage", { text: "x" }))).kind).toBe("undeliverable");
    api.faults.push(faults.status(400, 1, "Bad Request: chat not found"));
    expect((await failure(t.deliver(3n, "sendMessage", { text: "x" }))).kind).toBe("rejected");
    api.faults.push(faults.status(502, 1, "Bad Gateway"));
    expect((await failure(t.deliver(3n, "sendMessage", { text: "x" }))).kind).toBe("transient");
  });

  it("a network failure is transient", async () => {
    const dead = new FakeBotApi();
    await dead.start();
    const root = dead.apiRoot;
    await dead.stop();
    const t = createTransport(new Api(api.token, { apiRoot: root, fetch: globalThis.fetch }));
    const e = await failure(t.deliver(1n, "sendMessage", { text: "x" }));
    expect(e).toBeInstanceOf(DeliveryError);
    expect(e.kind).toBe("transient");
  });

  it("drives the outbox sender: a 429 is retried later, a blocked chat is marked undeliverable", async () => {
    await db.prisma.resident.create({ data: { telegramUserId: 7002n, chatId: 7002n, name: "王五", status: "verified" } });
    const blocked: bigint[] = [];
    const mark = markResidentBlocked(db.prisma, systemClock);
    const sender = new OutboxSender({ db: db.prisma, transport: transport(), onUndeliverable: async (c) => void (blocked.push(c), await mark(c)) });
    await enqueue(db.prisma, [
      { chatId: 7001, payload: { text: "a" }, dedupeKey: "t:a" },
      { chatId: 7002, payload: { text: "b" }, dedupeKey: "t:b" },
    ]);
    api.faults.push(faults.blocked(7002), faults.status(429, 1, "Too Many Requests: retry after 30", { retry_after: 30 }));
    await sender.drain();
    const rows = await db.prisma.outboxMessage.findMany({ where: { dedupeKey: { in: ["t:a", "t:b"] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["pending", "undeliverable"]);
    const retryAt = rows[0]?.nextAttemptAt;
    expect(retryAt && retryAt.getTime() - Date.now()).toBeGreaterThan(25_000);
    expect(blocked).toEqual([7002n]);
    expect((await db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 7002n } })).blockedAt).toBeInstanceOf(Date);
  });
});
