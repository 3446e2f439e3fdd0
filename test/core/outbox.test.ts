import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError, enqueue, OutboxSender, type OutMethod, type Transport } from "../../core/delivery/outbox.ts";
import { ManualClock } from "../../core/clock.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

class ScriptedTransport implements Transport {
  delivered: { chatId: bigint; text: string }[] = [];
  script: ((chatId: bigint, text: string) => DeliveryError | undefined)[] = [];
  async deliver(chatId: bigint, _m: OutMethod, payload: Record<string, unknown>) {
    const text = String(payload.text);
    for (const s of this.script) {
      const e = s(chatId, text);
      if (e) throw e;
    }
    this.delivered.push({ chatId, text });
    return { messageId: this.delivered.length };
  }
}

describe("outbox", () => {
  let db: TestDb;
  let clock: ManualClock;
  let transport: ScriptedTransport;
  let sender: OutboxSender;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.prisma.outboxMessage.deleteMany();
    clock = new ManualClock(new Date("2026-05-06T10:00:00Z"));
    transport = new ScriptedTransport();
    sender = new OutboxSender({ db: db.prisma, transport, clock });
  });

  it("delivers each message once and in order per chat", async () => {
    await enqueue(db.prisma, [1, 2, 3].flatMap((i) => [{ chatId: 100, payload: { text: `a${i}` } }, { chatId: 200, payload: { text: `b${i}` } }]));
    await sender.drain();
    expect(transport.delivered.filter((d) => d.chatId === 100n).map((d) => d.text)).toEqual(["a1", "a2", "a3"]);
    expect(transport.delivered.filter((d) => d.chatId === 200n).map((d) => d.text)).toEqual(["b1", "b2", "b3"]);
    expect(await sender.drain()).toBe(0);
    const rows = await db.prisma.outboxMessage.findMany();
    expect(rows.every((r) => r.status === "sent" && r.sentAt && r.sentMessageId)).toBe(true);
  });

  it("stores a deduplicated message once", async () => {
    await enqueue(db.prisma, { chatId: 1, payload: { text: "x" }, dedupeKey: "k1" });
    await enqueue(db.prisma, { chatId: 1, payload: { text: "x" }, dedupeKey: "k1" });
    await sender.drain();
    expect(transport.delivered).toHaveLength(1);
  });

  it("waits retry_after on 429, backs off on 5xx, keeps the chat's order, loses nothing", async () => {
    let fails = 3;
    transport.script.push((_c, text) =>
      text === "m1" && fails-- > 0 ? (fails === 0 ? new DeliveryError("retry_after", "429", 7) : new DeliveryError("transient", "502")) : undefined,
    );
    await enqueue(db.prisma, ["m1", "m2"].map((t) => ({ chatId: 5, payload: { text: t } })));
    await sender.drain();
    expect(transport.delivered).toEqual([]); // m1 waits its backoff; m2 may not overtake it
    for (let i = 0; i < 3; i++) {
      const row = await db.prisma.outboxMessage.findFirstOrThrow({ where: { payload: { path: ["text"], equals: "m1" } } });
      clock.set(row.nextAttemptAt!);
      await sender.drain();
    }
    expect(transport.delivered.map((d) => d.text)).toEqual(["m1", "m2"]);
    const m1 = await db.prisma.outboxMessage.findFirstOrThrow({ where: { payload: { path: ["text"], equals: "m1" } } });
    expect(m1.attempts).toBe(4);
  });

  it("honours retry_after (capped) exactly", async () => {
    transport.script.push(() => new DeliveryError("retry_after", "429", 7));
    await enqueue(db.prisma, { chatId: 9, payload: { text: "x" } });
    await sender.drain();
    const row = await db.prisma.outboxMessage.findFirstOrThrow();
    expect(row.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(7000);
  });

  it("marks a blocked user undeliverable, stops retrying, and reports the chat", async () => {
    const reported: bigint[] = [];
    sender = new OutboxSender({ db: db.prisma, transport, clock, onUndeliverable: async (c) => void reported.push(c) });
    transport.script.push((c) => (c === 7n ? new DeliveryError("undeliverable", "403 blocked") : undefined));
    await enqueue(db.prisma, [{ chatId: 7, payload: { text: "x" } }, { chatId: 8, payload: { text: "y" } }]);
    await sender.drain();
    clock.advance(3600_000);
    await sender.drain();
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["undeliverable", "sent"]);
    expect(rows[0]!.attempts).toBe(1);
    expect(reported).toEqual([7n]);
  });

  it("re-sends a message whose sender crashed mid-delivery once its lease expires", async () => {
    await enqueue(db.prisma, { chatId: 3, payload: { text: "z" } });
    // A sender that claims and dies: simulate by claiming with a transport that never returns.
    const hung = new OutboxSender({ db: db.prisma, clock, leaseMs: 30_000, transport: { deliver: () => new Promise(() => {}) } });
    void hung.drainOnce();
    await new Promise((r) => setTimeout(r, 200));
    expect((await db.prisma.outboxMessage.findFirstOrThrow()).status).toBe("sending");
    await sender.drain();
    expect(transport.delivered).toHaveLength(0); // lease still valid
    clock.advance(31_000);
    await sender.drain();
    expect(transport.delivered.map((d) => d.text)).toEqual(["z"]);
  });

  it("two senders on one database deliver each message once", async () => {
    await enqueue(db.prisma, Array.from({ length: 40 }, (_, i) => ({ chatId: 1000 + (i % 10), payload: { text: `t${i}` } })));
    const other = new OutboxSender({ db: db.prisma, transport, clock, batchSize: 3 });
    await Promise.all([sender.drain(), other.drain(), sender.drain()]);
    expect(transport.delivered).toHaveLength(40);
    expect(new Set(transport.delivered.map((d) => d.text)).size).toBe(40);
  });
});

describe("outbox sender under load", () => {
  it("keeps serving the event loop when woken while every slot is busy", async () => {
    const db = await testDatabase();
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const delivered: string[] = [];
      const slow: Transport = {
        async deliver(_c, _m, p) {
          await gate;
          delivered.push(String(p.text));
          return { messageId: delivered.length };
        },
      };
      const sender = new OutboxSender({ db: db.prisma, transport: slow, batchSize: 2, pollMs: 50 });
      await enqueue(db.prisma, [1, 2, 3].map((i) => ({ chatId: i, payload: { text: `m${i}` } })));
      sender.start();
      await new Promise((r) => setTimeout(r, 200)); // two in flight, both slots busy
      sender.wake();
      // A spinning loop would starve this timer.
      const ticked = await Promise.race([new Promise((r) => setTimeout(() => r(true), 100)), new Promise((r) => setTimeout(() => r(false), 2000))]);
      expect(ticked).toBe(true);
      release();
      await new Promise((r) => setTimeout(r, 300));
      await sender.stop();
      expect(delivered.sort()).toEqual(["m1", "m2", "m3"]);
    } finally {
      await db.drop();
    }
  });
});
