// A message never holds its chat (issue 24 item 7): a failing message keeps the chat's later messages
// waiting only for its kind's holdChatSeconds; kinds whose order does not matter neither wait nor hold;
// a photo answered 5xx goes as a text at once; a 429 keeps the order and starts no hold; the first
// failure of a chat's head is a warning and a count. On a manual clock, so every bound is exact.
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { DeliveryError, enqueue, OutboxSender, type OutMethod, type Transport } from "../../core/delivery/outbox.ts";
import { mergeLimits } from "../../core/delivery/delivery-settings.ts";
import { ManualClock } from "../../core/clock.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

class ScriptedTransport implements Transport {
  delivered: { chatId: bigint; text: string; method: OutMethod }[] = [];
  fail: (chatId: bigint, text: string, method: OutMethod) => DeliveryError | undefined = () => undefined;
  async deliver(chatId: bigint, method: OutMethod, payload: Record<string, unknown>) {
    const text = String(payload.text ?? payload.caption);
    const e = this.fail(chatId, text, method);
    if (e) throw e;
    this.delivered.push({ chatId, text, method });
    return { messageId: this.delivered.length };
  }
  texts(chatId: number) {
    return this.delivered.filter((d) => d.chatId === BigInt(chatId)).map((d) => d.text);
  }
}

const http500 = (method = "sendMessage") => new DeliveryError("transient", `${method}: HTTP 500 · Internal Server Error`, undefined, { status: 500, description: "Internal Server Error" });

let db: TestDb;
let clock: ManualClock;
let transport: ScriptedTransport;
let lines: Record<string, unknown>[];
let headRetries: string[];
const START = new Date("2026-05-06T10:00:00Z");

const sender = () =>
  new OutboxSender({
    db: db.prisma,
    transport,
    clock,
    log: pino({ level: "info" }, new Writable({ write: (chunk, _e, cb) => (lines.push(JSON.parse(String(chunk))), cb()) })),
    limits: () => mergeLimits({ reply: { holdChatSeconds: 20 } }),
    onHeadRetry: (kind) => void headRetries.push(kind),
    mediaFallback: async ({ payload }) => ({ text: `${String(payload.caption)}\n照片无法通过 Telegram 发送，请在此查看：\nhttps://estate.example.cn/p/TOKEN` }),
  });
/** Moves the clock to `seconds` after START, draining at every second on the way (as time would pass). */
const runTo = async (s: OutboxSender, seconds: number) => {
  for (let t = Math.round((clock.now().getTime() - START.getTime()) / 1000); t <= seconds; t++) {
    clock.set(new Date(START.getTime() + t * 1000));
    await s.drain();
  }
};

beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => db.drop());
beforeEach(async () => {
  await db.prisma.outboxMessage.deleteMany();
  clock = new ManualClock(START);
  transport = new ScriptedTransport();
  lines = [];
  headRetries = [];
});

describe("a message never holds its chat", () => {
  it("a reply answered 500 forever holds its chat 20 s, then the chat's next messages go and it retries on its own; other chats never wait", async () => {
    transport.fail = (_c, text) => (text === "poison" ? http500() : undefined);
    const s = sender();
    // Telegram is up (another resident's message got through): the poison fails alone.
    await enqueue(db.prisma, { chatId: 32, payload: { text: "别的住户" }, dedupeKey: "u:32:1:0" });
    await s.drain();
    await enqueue(db.prisma, ["poison", "您的案件：", "谢谢"].map((text, i) => ({ chatId: 31, payload: { text }, dedupeKey: `u:31:1:${i}` })));
    await runTo(s, 19);
    expect(transport.texts(32)).toEqual(["别的住户"]);
    expect(transport.texts(31)).toEqual([]); // within the bound the order holds
    await runTo(s, 20);
    expect(transport.texts(31)).toEqual(["您的案件：", "谢谢"]);
    const poison = await db.prisma.outboxMessage.findFirstOrThrow({ where: { dedupeKey: "u:31:1:0" } });
    expect(poison).toMatchObject({ status: "pending", kind: "reply" });
    expect(poison.holdsChatUntil).toEqual(new Date(START.getTime() + 20_000));
    // One warning and one count for the chat's head; later tries are info lines.
    const warned = lines.filter((l) => l.level === 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ chatId: "31", kind: "reply", holdChatSeconds: 20, err: "sendMessage: HTTP 500 · Internal Server Error" });
    expect(String(warned[0]!.msg)).toContain("outbox: a chat's next message failed");
    expect(lines.filter((l) => l.msg === "outbox: will retry").length).toBeGreaterThanOrEqual(3);
    expect(headRetries).toEqual(["reply"]);
    // The cause is fixed: it goes too, once.
    transport.fail = () => undefined;
    await runTo(s, 60);
    expect(transport.texts(31)).toEqual(["您的案件：", "谢谢", "poison"]);
  });

  it("a case card holds its chat for the case's 60 s, not for its 40 attempts", async () => {
    transport.fail = (_c, text) => (text === "新案件卡片" ? http500() : undefined);
    const s = sender();
    await enqueue(db.prisma, { chatId: 42, payload: { text: "别的联络人" }, dedupeKey: "u:42:1:0" });
    await s.drain();
    await enqueue(db.prisma, [
      { chatId: 41, payload: { text: "新案件卡片" }, caseId: 7, dedupeKey: "case:7:filed:liaison" },
      { chatId: 41, payload: { text: "住户留言" }, caseId: 7, dedupeKey: "case:7:msg:1" },
    ]);
    await runTo(s, 59);
    expect(transport.texts(41)).toEqual([]);
    await runTo(s, 60);
    expect(transport.texts(41)).toEqual(["住户留言"]);
    expect(headRetries).toEqual(["case"]);
  });

  it("while nothing gets through at all (a Telegram outage) the hold is renewed: after 2 minutes down the chat still arrives in order", async () => {
    transport.fail = () => (clock.now().getTime() - START.getTime() < 120_000 ? http500() : undefined);
    await enqueue(db.prisma, ["一", "二", "三"].map((text, i) => ({ chatId: 81, payload: { text }, dedupeKey: `u:81:1:${i}` })));
    const s = sender();
    await runTo(s, 119);
    expect(transport.texts(81)).toEqual([]);
    await runTo(s, 300);
    expect(transport.texts(81)).toEqual(["一", "二", "三"]);
  });

  it("a photo answered 500 goes as a text with its link at once, in its place; the next message follows within the second", async () => {
    transport.fail = (_c, _t, method) => (method === "sendPhoto" ? http500("sendPhoto") : undefined);
    await enqueue(db.prisma, [
      { chatId: 51, method: "sendPhoto", payload: { photo: "AgAC-1", caption: "联络员：已修好" }, caseId: 8, dedupeKey: "case:8:resolve:photo" },
      { chatId: 51, payload: { text: "请问修好了吗？" }, caseId: 8, dedupeKey: "case:8:revisit:1" },
    ]);
    const s = sender();
    await runTo(s, 1);
    expect(transport.texts(51)).toEqual(["联络员：已修好\n照片无法通过 Telegram 发送，请在此查看：\nhttps://estate.example.cn/p/TOKEN", "请问修好了吗？"]);
    const row = await db.prisma.outboxMessage.findFirstOrThrow({ where: { dedupeKey: "case:8:resolve:photo" } });
    expect(row).toMatchObject({ status: "sent", method: "sendMessage", fallbackFrom: { method: "sendPhoto", error: expect.stringContaining("HTTP 500") } });
  });

  it("a 429 is waiting our turn: no hold, no fallback, the order holds past any bound", async () => {
    let left = 3;
    transport.fail = (_c, _t, method) => (method === "sendPhoto" && left-- > 0 ? new DeliveryError("retry_after", "sendPhoto: HTTP 429 · Too Many Requests", 30, { status: 429 }) : undefined);
    await enqueue(db.prisma, [
      { chatId: 61, method: "sendPhoto", payload: { photo: "AgAC-2", caption: "现场照片" }, dedupeKey: "u:61:1:0" },
      { chatId: 61, payload: { text: "后一条" }, dedupeKey: "u:61:1:1" },
    ]);
    const s = sender();
    await runTo(s, 100);
    expect(transport.delivered.filter((d) => d.chatId === 61n).map((d) => [d.method, d.text])).toEqual([
      ["sendPhoto", "现场照片"],
      ["sendMessage", "后一条"],
    ]);
    expect(headRetries).toEqual([]);
  });

  it("a digest's order does not matter: it neither waits behind a failing reply nor holds what follows it", async () => {
    transport.fail = (_c, text) => (text === "poison" || text === "日报" ? http500() : undefined);
    await enqueue(db.prisma, [
      { chatId: 71, payload: { text: "poison" }, dedupeKey: "u:71:1:0" },
      { chatId: 71, payload: { text: "日报" }, dedupeKey: "digest:71:2026-05-06" },
      { chatId: 71, payload: { text: "预警" }, dedupeKey: "warn:71:1" },
    ]);
    const s = sender();
    await runTo(s, 0);
    expect(transport.texts(71)).toEqual(["预警"]);
    expect((await db.prisma.outboxMessage.findFirstOrThrow({ where: { dedupeKey: "digest:71:2026-05-06" } })).status).toBe("pending");
  });
});
