// Case 1: Telegram delivers every update 1–3 times (same update_id), residents of many chats act at
// once (so updates of different chats arrive interleaved), each chat in order as Telegram keeps it.
// Expect: one case per filing, every number told once, every reply once and in order per chat.
import { beforeAll, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import type { FakeBotApi } from "../helpers/fakeBotApi.ts";
import type { TestDb } from "../helpers/db.ts";
import { withService } from "./fixture.ts";
import { fileCase, type Post } from "../helpers/residentSim.ts";
import * as u from "../helpers/updates.ts";
import { auditDelivery, quiet, registerResidents, report, sleep, until, type Running } from "./service.ts";

const RESIDENTS = 10;
const FILINGS_EACH = 3;

let db: TestDb;
let api: FakeBotApi;
let svc: Running;

// Deterministic "randomness" so a failure replays the same way.
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

const env = withService({ chats: true });
beforeAll(() => void ({ db, api, svc } = env));

describe("reliability: Telegram re-delivers updates", () => {
  it("1–3 deliveries of every update, chats interleaved: one case per filing, each reply once, per-chat order", async () => {
    let deliveries = 0;
    let updates = 0;
    const nonOk: number[] = [];
    // Telegram re-sends an update it is unsure about; later copies may arrive after a pause.
    const post: Post = async (update: Update) => {
      updates++;
      const times = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < times; i++) {
        deliveries++;
        const status = await svc.post(update);
        if (status !== 200) nonOk.push(status);
        if (rand() < 0.3) await sleep(Math.floor(rand() * 20));
      }
    };
    const people = await registerResidents(db.prisma, Array.from({ length: RESIDENTS }, (_, i) => 610_000 + i));
    const told = new Map<number, string[]>();
    await Promise.all(
      people.map(async (p, i) => {
        await sleep(i * 7); // staggered starts: chats at different steps at any moment
        for (let k = 0; k < FILINGS_EACH; k++) {
          const n = await fileCase(api, post, p, { description: `redelivery ${p.chat.id} #${k}` });
          told.set(p.chat.id, [...(told.get(p.chat.id) ?? []), n]);
        }
      }),
    );
    // A burst per chat without waiting for answers, all chats at once: handled in order per chat.
    const bursts: Update[][] = people.map((p) => [u.command(p, "mycases"), u.command(p, "help"), u.text(p, "还在吗？"), u.command(p, "mycases")]);
    await Promise.all(bursts.map(async (list) => { for (const up of list) await post(up); }));
    expect(await until(() => quiet(db.prisma), 20_000)).toBe(true);

    const tried = RESIDENTS * FILINGS_EACH;
    const cases = await db.prisma.case.findMany({ include: { resident: true } });
    let lost = 0;
    for (const [chat, numbers] of told) {
      for (const n of numbers) if (!cases.some((c) => c.number === n && c.resident?.chatId === BigInt(chat))) lost++;
    }
    const toldCount = [...told.values()].flat().length;
    lost += tried - toldCount;
    const duplicatedCases = cases.length - new Set(cases.map((c) => c.sourceKey)).size + Math.max(0, cases.length - tried);
    // Per-chat handling order: within a chat, updates finished in update_id order.
    const inbound = await db.prisma.inboundUpdate.findMany({ orderBy: { updateId: "asc" } });
    const lastDone = new Map<string, number>();
    let handledOutOfOrder = 0;
    for (const r of inbound) {
      const t = r.processedAt!.getTime();
      if ((lastDone.get(r.chatKey) ?? -Infinity) > t) handledOutOfOrder++;
      lastDone.set(r.chatKey, t);
    }
    const audit = await auditDelivery(db.prisma, api.calls);
    report("redelivery", { tried, updates, deliveries, stored: inbound.length, cases: cases.length, lost, duplicated: duplicatedCases + audit.duplicated, handledOutOfOrder, delivery: audit });

    expect(nonOk).toEqual([]);
    expect(deliveries).toBeGreaterThan(updates); // the fault really happened
    expect(inbound.length).toBe(updates);
    expect(inbound.every((r) => r.status === "done")).toBe(true);
    expect(lost).toBe(0);
    expect(cases.length).toBe(tried);
    expect(duplicatedCases).toBe(0);
    expect(handledOutOfOrder).toBe(0);
    expect(audit).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, unexplained: 0 });
    expect(audit.sent).toBeGreaterThan(tried * 8);
  }, 120_000);
});
