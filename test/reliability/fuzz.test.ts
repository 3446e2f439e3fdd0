// Case 6: random update sequences (every message type, odd and huge Unicode, commands, real,
// mutated, random and forged callback data, group chats, edits) → no unhandled error, no apology
// (an error caught inside the bot), every reply well-formed, state machine invariants hold. A third of
// the sequences first walk a case down the real lifecycle (see fuzz.ts), so the random updates meet
// cases in every state; `reached` counts them. bench:reliability runs 10,000 sequences on a random
// seed (RELIABILITY_FUZZ_RUNS).
import { describe, expect, it } from "vitest";
import { report } from "./service.ts";
import { malformed, runFuzz } from "./fuzz.ts";

describe("reliability: fuzzed updates", () => {
  it("the reply checks do catch what Telegram would refuse", () => {
    const call = (payload: Record<string, unknown>, method = "sendMessage") => ({ method, payload, at: 0 });
    expect(malformed(call({ text: "好的" }))).toBeNull();
    expect(malformed(call({ text: "" }))).not.toBeNull();
    expect(malformed(call({ text: "长".repeat(4097) }))).not.toBeNull();
    expect(malformed(call({ text: "x", reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "v1:" + "x".repeat(62) }]] } }))).not.toBeNull();
    expect(malformed(call({ text: "x", reply_markup: { inline_keyboard: [[{ text: "", callback_data: "v1:a" }]] } }))).not.toBeNull();
    expect(malformed(call({ text: "x", reply_markup: { inline_keyboard: [{ text: "a" }] } }))).not.toBeNull();
    expect(malformed(call({ text: "at foo (/app/core/cases.ts:12:3)" }))).not.toBeNull();
  });

  it("replies well-formed, no error, lifecycle invariants hold", async () => {
    // A fixed seed keeps the suite reproducible; the bench (and FUZZ_SEED) explore new ones.
    const f = await runFuzz({ sequences: Number(process.env.RELIABILITY_FUZZ ?? 150), seed: Number(process.env.FUZZ_SEED ?? 20261124) });
    report("fuzz", { tried: f.sequences, lost: 0, duplicated: 0, ...f });
    expect(f.firstProblem).toBeUndefined();
    expect(f.thrown + f.malformed + f.apologies + f.invariantViolations).toBe(0);
    expect(f.cases).toBeGreaterThanOrEqual(3);
    expect(f.updates).toBeGreaterThan(f.sequences);
    // Beyond filing: the walks put cases in every state the bot can reach, and the random presses meet them there.
    expect(f.flows).toBeGreaterThan(0);
    expect(Object.keys(f.reached).sort()).toEqual(expect.arrayContaining(["accepted", "closed", "reopened", "resolved", "revisit", "routed", "unroutable"]));
  }, 600_000);
});
