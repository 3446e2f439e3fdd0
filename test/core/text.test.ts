import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWellFormed, wellFormed } from "../../core/text.ts";
import { enqueue } from "../../core/delivery/outbox.ts";
import { InboxWorker } from "../../core/delivery/inbox.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

describe("lone surrogates", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => db.drop());

  it("are replaced, pairs (emoji) kept", () => {
    expect(wellFormed("a\ud800b")).toBe("a\ufffdb");
    expect(wellFormed("\udc00")).toBe("\ufffd");
    expect(wellFormed("a\u0000b")).toBe("a\ufffdb");
    expect(wellFormed("漏水 😊")).toBe("漏水 😊");
    const u = { message: { text: "x\ud83d", entities: [{ type: "bold" }] } };
    makeWellFormed(u);
    expect(u.message.text).toBe("x\ufffd");
  });

  it("no longer break the jsonb writes of an update and its reply", async () => {
    const inbox = new InboxWorker({ db: db.prisma, handle: async () => {} });
    expect(await inbox.accept({ update_id: 1, message: { chat: { id: 1 }, text: "\ud800" } })).toBe(true);
    expect(await inbox.accept({ update_id: 2, message: { chat: { id: 1 }, text: "nul\u0000" } })).toBe(true);
    await enqueue(db.prisma, { chatId: 1, payload: { text: "收到：\ud800" } });
    const row = await db.prisma.outboxMessage.findFirstOrThrow();
    expect((row.payload as { text: string }).text).toBe("收到：\ufffd");
    const stored = await db.prisma.inboundUpdate.findUniqueOrThrow({ where: { updateId: 1n } });
    expect((stored.payload as { message: { text: string } }).message.text).toBe("\ufffd");
  });
});
