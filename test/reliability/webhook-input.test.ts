// Case 8: forged, oversized and malformed webhook calls are refused and store nothing; genuine
// calls around them still go through. Counts what was tried and what was stored.
import { beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_PATH, MAX_UPDATE_BYTES } from "../../api/webhook.ts";
import type { FakeBotApi } from "../helpers/fakeBotApi.ts";
import type { TestDb } from "../helpers/db.ts";
import { withService } from "./fixture.ts";
import * as u from "../helpers/updates.ts";
import { SECRET, quiet, report, until, type Running } from "./service.ts";

let db: TestDb;
let api: FakeBotApi;
let svc: Running;
const env = withService();
beforeAll(() => void ({ db, api, svc } = env));

async function raw(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${svc.base}${WEBHOOK_PATH}`, { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) });
  return { status: res.status, text: await res.text() };
}

describe("reliability: bad webhook input", () => {
  it("rejects every forged, oversized or malformed call, stores none of them, answers without a stack trace", async () => {
    const good = (id = 900_000_000 + Math.floor(Math.random() * 1e6)) => JSON.stringify({ ...u.command(u.person(620_001), "start"), update_id: id });
    const json = { "content-type": "application/json" };
    const ok = { ...json, "x-telegram-bot-api-secret-token": SECRET };
    const cases: { name: string; body: string | Buffer; headers: Record<string, string>; expect: number[] }[] = [
      { name: "no secret", body: good(), headers: json, expect: [401] },
      { name: "wrong secret", body: good(), headers: { ...json, "x-telegram-bot-api-secret-token": "wrong-secret-0123456789" }, expect: [401] },
      { name: "secret with different case", body: good(), headers: { ...json, "x-telegram-bot-api-secret-token": SECRET.toUpperCase() }, expect: [401] },
      { name: "empty secret", body: good(), headers: { ...json, "x-telegram-bot-api-secret-token": "" }, expect: [401] },
      { name: "secret prefix", body: good(), headers: { ...json, "x-telegram-bot-api-secret-token": SECRET.slice(0, -1) }, expect: [401] },
      { name: "oversized body, wrong secret", body: Buffer.alloc(MAX_UPDATE_BYTES * 2, 0x61), headers: json, expect: [401] },
      { name: "oversized JSON update", body: JSON.stringify({ update_id: 900_100_001, message: { text: "长".repeat(MAX_UPDATE_BYTES) } }), headers: ok, expect: [413] },
      { name: "truncated JSON", body: good().slice(0, 40), headers: ok, expect: [400] },
      { name: "not JSON", body: "update_id=5&text=hi", headers: ok, expect: [400] },
      { name: "JSON array", body: "[1,2,3]", headers: ok, expect: [400] },
      { name: "JSON null", body: "null", headers: ok, expect: [400] },
      { name: "no update_id", body: JSON.stringify({ message: { text: "hi" } }), headers: ok, expect: [400] },
      { name: "string update_id", body: JSON.stringify({ update_id: "12" }), headers: ok, expect: [400] },
      { name: "negative update_id", body: JSON.stringify({ update_id: -1 }), headers: ok, expect: [400] },
      { name: "fractional update_id", body: JSON.stringify({ update_id: 1.5 }), headers: ok, expect: [400] },
      { name: "invalid UTF-8", body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: ok, expect: [400] },
      { name: "empty body", body: "", headers: ok, expect: [400] },
    ];
    const before = await db.prisma.inboundUpdate.count();
    const answers: Record<string, number> = {};
    let accepted = 0;
    let leakedStack = 0;
    for (const c of cases) {
      const r = await raw(c.body, c.headers);
      answers[c.name] = r.status;
      if (r.status < 400) accepted++;
      if (/at .*\.(ts|js):\d+|node_modules/.test(r.text)) leakedStack++;
    }
    const storedBad = (await db.prisma.inboundUpdate.count()) - before;
    // A genuine call after all that is still stored and handled.
    const genuine = await raw(good(900_200_001), ok);
    await until(() => quiet(db.prisma), 10_000);
    const storedGood = await db.prisma.inboundUpdate.count({ where: { updateId: 900_200_001n, status: "done" } });
    report("webhook-input", { tried: cases.length, rejected: cases.length - accepted, stored: storedBad, lost: 1 - storedGood, duplicated: 0, leakedStack, answers });

    for (const c of cases) expect(c.expect, c.name).toContain(answers[c.name]);
    expect(storedBad).toBe(0);
    expect(leakedStack).toBe(0);
    expect(genuine.status).toBe(200);
    expect(storedGood).toBe(1);
  });
});
