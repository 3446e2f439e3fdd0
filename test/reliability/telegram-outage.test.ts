// Case 3: the whole service with real filings while Telegram answers 5xx for a while, then 429 with
// retry_after, then recovers. Expect every outbox message delivered once, per-chat order kept,
// every filing a case and its number told.
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi, Fault } from "../helpers/fakeBotApi.ts";
import type { TestDb } from "../helpers/db.ts";
import { withService } from "./fixture.ts";
import { fileCase, type Post } from "../helpers/residentSim.ts";
import { OUT_METHODS, auditDelivery, quiet, registerResidents, report, sleep, until, type Running } from "./service.ts";

const RESIDENTS = 8;
const FILINGS_EACH = 2;

let db: TestDb;
let api: FakeBotApi;
let svc: Running;
const env = withService({
  chats: true,
  // fileCase waits 10 s per step; backoff after repeated 5xx can take longer: residents wait 40 s.
  tune: (a) => {
    const next = a.next.bind(a);
    a.next = (match) => next(match, 40_000);
  },
});
beforeAll(() => void ({ db, api, svc } = env));
// Telegram's side: every update is answered 200 (the webhook stores before answering).
const post200: Post = async (update) => {
  expect(await svc.post(update)).toBe(200);
};

describe("reliability: Telegram outage during filings", () => {
  it("5xx, then 429 retry_after, then recovery: every message once, in order per chat", async () => {
    const people = await registerResidents(db.prisma, Array.from({ length: RESIDENTS }, (_, i) => 630_000 + i));
    // Warm: the first filing goes through before the outage.
    await fileCase(api, post200, people[0]!, { description: "before outage" });
    let phase: "5xx" | "429" | "ok" = "5xx";
    const refused = { "5xx": 0, "429": 0 };
    const outage: Fault = (call) => {
      if (!OUT_METHODS.has(call.method) || phase === "ok") return undefined;
      refused[phase]++;
      return phase === "5xx"
        ? { status: 502, body: { ok: false, error_code: 502, description: "Bad Gateway" } }
        : { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } } };
    };
    api.faults.push(outage);
    const t0 = Date.now();
    const filings = Promise.all(
      people.map(async (p) => {
        const numbers: string[] = [];
        // Residents wait patiently: during the outage nothing comes back for a while.
        for (let k = 0; k < FILINGS_EACH; k++) numbers.push(await fileCaseWithPatience(p, `outage ${p.chat.id} #${k}`));
        return numbers;
      }),
    );
    await sleep(2500);
    phase = "429";
    await sleep(2000);
    phase = "ok";
    const told = (await filings).flat();
    expect(await until(() => quiet(db.prisma), 30_000)).toBe(true);
    const seconds = (Date.now() - t0) / 1000;

    const tried = RESIDENTS * FILINGS_EACH + 1;
    const cases = await db.prisma.case.findMany({ select: { number: true } });
    const lost = tried - 1 - told.filter((n) => cases.some((c) => c.number === n)).length;
    const audit = await auditDelivery(db.prisma, api.calls);
    const retried = await db.prisma.outboxMessage.count({ where: { attempts: { gt: 1 } } });
    report("telegram-outage", { tried, cases: cases.length, lost, duplicated: audit.duplicated + Math.max(0, cases.length - tried), refused, retriedRows: retried, seconds, delivery: audit });

    expect(refused["5xx"]).toBeGreaterThan(0);
    expect(refused["429"]).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(cases.length).toBe(tried);
    expect(audit).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, unexplained: 0 });
    expect(await db.prisma.outboxMessage.count({ where: { status: { in: ["failed", "undeliverable"] } } })).toBe(0);
  }, 120_000);
});

function fileCaseWithPatience(p: Parameters<typeof fileCase>[2], description: string): Promise<string> {
  return fileCase(api, post200, p, { description });
}
