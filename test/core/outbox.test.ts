import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError, enqueue, OutboxSender, type DeadReason, type OutMethod, type SenderOptions, type Transport } from "../../core/delivery/outbox.ts";
import { mergeLimits, kindOf } from "../../core/delivery/delivery-settings.ts";
import { listDeadLetters, retryDeadLetter } from "../../core/delivery/dead-letters.ts";
import { ManualClock } from "../../core/clock.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

class ScriptedTransport implements Transport {
  delivered: { chatId: bigint; text: string; method?: OutMethod }[] = [];
  script: ((chatId: bigint, text: string, method: OutMethod) => DeliveryError | undefined)[] = [];
  async deliver(chatId: bigint, method: OutMethod, payload: Record<string, unknown>) {
    const text = String(payload.text ?? payload.caption);
    for (const s of this.script) {
      const e = s(chatId, text, method);
      if (e) throw e;
    }
    this.delivered.push({ chatId, text, ...(method !== "sendMessage" ? { method } : {}) });
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

describe("outbox dead letters: a message that keeps failing does not wedge its chat", () => {
  let db: TestDb;
  let clock: ManualClock;
  let transport: ScriptedTransport;
  const dead: [string, DeadReason][] = [];
  const sender = (o: Partial<SenderOptions> = {}) =>
    new OutboxSender({ db: db.prisma, transport, clock, limits: () => mergeLimits({ reply: { maxAttempts: 3, maxAgeHours: 1 }, case: { maxAttempts: 5, maxAgeHours: 48 } }), onDeadLetter: (k, r) => void dead.push([k, r]), ...o });
  const byText = (text: string) => db.prisma.outboxMessage.findFirstOrThrow({ where: { payload: { path: ["text"], equals: text } } });
  /** Rounds until nothing is due, moving the clock to each retry (as time would pass). */
  const runOut = async (s: OutboxSender) => {
    for (let i = 0; i < 50; i++) {
      await s.drain();
      const next = await db.prisma.outboxMessage.findFirst({ where: { status: "pending" }, orderBy: { nextAttemptAt: "asc" } });
      if (!next) return;
      if (next.nextAttemptAt) clock.set(next.nextAttemptAt);
    }
  };
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.prisma.outboxMessage.deleteMany();
    clock = new ManualClock(new Date("2026-05-06T10:00:00Z"));
    transport = new ScriptedTransport();
    dead.length = 0;
  });

  it("dead-letters a 5xx-forever message after its attempt limit, with its error, and delivers the chat's next messages", async () => {
    transport.script.push((_c, text) => (text === "poison" ? new DeliveryError("transient", "sendMessage: HTTP 502 · Bad Gateway", undefined, { status: 502, body: "<html>502 Bad Gateway</html>" }) : undefined));
    await enqueue(db.prisma, ["poison", "after 1", "after 2"].map((text, i) => ({ chatId: 77, payload: { text }, dedupeKey: `u:77:1:${i}` })));
    const s = sender();
    await runOut(s);
    expect(transport.delivered.map((d) => d.text)).toEqual(["after 1", "after 2"]);
    const poison = await byText("poison");
    expect(poison).toMatchObject({ status: "failed", attempts: 3, kind: "reply" });
    expect(poison.deadAt).not.toBeNull();
    expect(poison.lastError).toBe("sendMessage: HTTP 502 · Bad Gateway\nbody: <html>502 Bad Gateway</html>");
    expect(dead).toEqual([["reply", "attempts"]]);
  });

  it("dead-letters by age: a case message still failing after its hours goes, even before its attempts run out", async () => {
    transport.script.push((_c, text) => (text === "card" ? new DeliveryError("transient", "sendMessage: HTTP 500 · Internal Server Error") : undefined));
    await enqueue(db.prisma, [{ chatId: 9, payload: { text: "card" }, caseId: 1, dedupeKey: "case:1:filed:liaison" }, { chatId: 9, payload: { text: "next" }, dedupeKey: "case:1:x" }]);
    const s = sender({ limits: () => mergeLimits({ case: { maxAttempts: 1000, maxAgeHours: 48 } }) });
    await s.drain();
    const card = await byText("card");
    clock.set(new Date(card.queuedAt.getTime() + 48 * 3_600_000));
    await s.drain();
    await s.drain();
    expect(await byText("card")).toMatchObject({ status: "failed", attempts: 2 });
    expect(transport.delivered.map((d) => d.text)).toEqual(["next"]);
    expect(dead).toEqual([["case", "age"]]);
  });

  it("429 waits do not count against the attempt limit", async () => {
    let left = 6;
    transport.script.push(() => (left-- > 0 ? new DeliveryError("retry_after", "sendMessage: HTTP 429 · Too Many Requests", 1) : undefined));
    await enqueue(db.prisma, { chatId: 5, payload: { text: "busy" }, dedupeKey: "u:5:1:0" });
    await runOut(sender());
    expect(transport.delivered.map((d) => d.text)).toEqual(["busy"]);
    expect(dead).toEqual([]);
  });

  it("refuses a permanent 4xx at once: one attempt, dead letter, next message goes", async () => {
    transport.script.push((_c, text) => (text.length > 10 ? new DeliveryError("rejected", "sendMessage: HTTP 400 · Bad Request: message is too long") : undefined));
    await enqueue(db.prisma, [{ chatId: 6, payload: { text: "x".repeat(20) } }, { chatId: 6, payload: { text: "short" } }]);
    await sender().drain();
    await sender().drain();
    const long = await byText("x".repeat(20));
    expect(long).toMatchObject({ status: "failed", attempts: 1, lastError: "sendMessage: HTTP 400 · Bad Request: message is too long" });
    expect(transport.delivered.map((d) => d.text)).toEqual(["short"]);
    expect(dead).toEqual([["other", "rejected"]]);
  });

  it("sends a photo Telegram refuses as a text with a link, in the photo's place in the chat's order", async () => {
    transport.script.push((_c, _t, method) => (method === "sendPhoto" ? new DeliveryError("rejected", "sendPhoto: HTTP 400 · Bad Request: wrong file identifier/HTTP URL specified") : undefined));
    const s = sender({ mediaFallback: async ({ payload, caseId }) => ({ text: `${String(payload.caption)}\nhttp://x/dashboard/cases/${caseId}` }) });
    await enqueue(db.prisma, [
      { chatId: 8, method: "sendPhoto", payload: { photo: "AgAC-gone", caption: "漏水照片" }, caseId: 3, dedupeKey: "case:3:photos" },
      { chatId: 8, payload: { text: "then this" }, caseId: 3, dedupeKey: "case:3:card" },
    ]);
    await s.drain();
    await s.drain();
    await s.drain();
    expect(transport.delivered.map((d) => d.text)).toEqual(["漏水照片\nhttp://x/dashboard/cases/3", "then this"]);
    const row = await db.prisma.outboxMessage.findFirstOrThrow({ where: { dedupeKey: "case:3:photos" } });
    expect(row).toMatchObject({ status: "sent", method: "sendMessage", fallbackFrom: { method: "sendPhoto", payload: { photo: "AgAC-gone" } } });
    expect(dead).toEqual([]);
  });

  it("a dead letter retried from the list is sent, with fresh limits", async () => {
    let broken = true;
    transport.script.push((_c, text) => (broken && text === "again" ? new DeliveryError("rejected", "sendMessage: HTTP 400 · Bad Request: chat not found") : undefined));
    await enqueue(db.prisma, { chatId: 4, payload: { text: "again" } });
    await sender().drain();
    const { rows, total } = await listDeadLetters(db.prisma);
    expect(total).toBe(1);
    expect(rows[0]).toMatchObject({ chatId: 4n, lastError: "sendMessage: HTTP 400 · Bad Request: chat not found", attempts: 1 });
    broken = false;
    clock.advance(3 * 24 * 3_600_000); // days later: its age starts again at the retry
    expect(await retryDeadLetter(db.prisma, rows[0]!.id, clock.now())).toBe(true);
    expect(await retryDeadLetter(db.prisma, rows[0]!.id, clock.now())).toBe(false);
    await sender().drain();
    expect(transport.delivered.map((d) => d.text)).toEqual(["again"]);
    expect((await listDeadLetters(db.prisma)).total).toBe(0);
  });

  it("names the kind of a message from its dedupe key", () => {
    expect(["case:1:filed:liaison", "case:1:remind:response:1", "case:2:revisit:ask:3", "esc:1:5:office:2", "survey:9:q0", "digest:1:2026-05-06:0", "warn:3:d", "u:1:2:0", null].map((k) => kindOf(k))).toEqual([
      "case", "reminder", "revisit", "escalation", "survey", "digest", "warning", "reply", "other",
    ]);
    expect(kindOf("u:1:2:0", 7)).toBe("case");
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
