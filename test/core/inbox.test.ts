import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chatKeyOf, InboxWorker, type Update } from "../../core/delivery/inbox.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

const msg = (id: number, chat: number, text = "hi"): Update => ({
  update_id: id,
  message: { message_id: id, date: 1, chat: { id: chat, type: "private" }, from: { id: chat, is_bot: false, first_name: "R" }, text },
});

describe("inbox", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.prisma.inboundUpdate.deleteMany();
  });

  it("stores an update_id once however often Telegram re-delivers it", async () => {
    const handled: number[] = [];
    const inbox = new InboxWorker({ db: db.prisma, handle: async (u) => void handled.push(u.update_id) });
    expect(await inbox.accept(msg(1, 10))).toBe(true);
    expect(await inbox.accept(msg(1, 10))).toBe(false);
    await inbox.drain();
    expect(await inbox.accept(msg(1, 10))).toBe(false);
    await inbox.drain();
    expect(handled).toEqual([1]);
  });

  it("handles each chat in update order, chats in parallel", async () => {
    const seen: string[] = [];
    let inFlightSameChat = 0;
    let maxSameChat = 0;
    const inbox = new InboxWorker({
      db: db.prisma,
      handle: async (u) => {
        const chat = chatKeyOf(u);
        if (chat === "c:20") maxSameChat = Math.max(maxSameChat, ++inFlightSameChat);
        await new Promise((r) => setTimeout(r, 2));
        if (chat === "c:20") inFlightSameChat--;
        seen.push(`${chat}#${u.update_id}`);
      },
    });
    // Out of order across chats, in order within each.
    for (const [id, chat] of [[5, 20], [1, 30], [6, 20], [2, 30], [7, 20], [3, 30]] as const) await inbox.accept(msg(id, chat));
    await inbox.drain();
    expect(seen.filter((s) => s.startsWith("c:20"))).toEqual(["c:20#5", "c:20#6", "c:20#7"]);
    expect(seen.filter((s) => s.startsWith("c:30"))).toEqual(["c:30#1", "c:30#2", "c:30#3"]);
    expect(maxSameChat).toBe(1);
  });

  it("retries a failing update, then gives up with an apology and moves on", async () => {
    let calls = 0;
    const apologies: number[] = [];
    const handled: number[] = [];
    const inbox = new InboxWorker({
      db: db.prisma,
      maxAttempts: 3,
      handle: async (u) => {
        if (u.update_id === 1) {
          calls++;
          throw new Error("boom");
        }
        handled.push(u.update_id);
      },
      onGiveUp: async (u) => void apologies.push(u.update_id),
    });
    await inbox.accept(msg(1, 40));
    await inbox.accept(msg(2, 40));
    await inbox.drain();
    expect(calls).toBe(3);
    expect(apologies).toEqual([1]);
    expect(handled).toEqual([2]);
    const row = await db.prisma.inboundUpdate.findUniqueOrThrow({ where: { updateId: 1n } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe("boom");
  });

  it("keys callback queries by the chat of their message", () => {
    expect(chatKeyOf({ update_id: 1, callback_query: { from: { id: 5 }, message: { chat: { id: 6 } } } })).toBe("c:6");
    expect(chatKeyOf({ update_id: 1, callback_query: { from: { id: 5 } } })).toBe("u:5");
    expect(chatKeyOf({ update_id: 9 })).toBe("x:9");
  });
});
