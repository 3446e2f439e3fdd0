// The delivery audit the reliability cases rest on: a wrong count here would pass a real duplicate
// or fail a run on a documented re-send.
import { describe, expect, it } from "vitest";
import { compareDelivery, type OutboxRowSeen } from "./service.ts";

const CHAT = 42;
const row = (id: number, text: string, status = "sent"): OutboxRowSeen => ({ id, chatId: BigInt(CHAT), method: "sendMessage", payload: { text }, status });
const call = (text: string) => ({ method: "sendMessage", payload: { chat_id: CHAT, text } });
const APOLOGY = "出了点问题，请再试一次";

describe("delivery audit", () => {
  it("each row once and in order is clean", () => {
    const a = compareDelivery([row(1, "a"), row(2, "b")], [call("a"), call("b")]);
    expect(a).toMatchObject({ due: 2, sent: 2, lost: 0, duplicated: 0, outOfOrder: 0, unexplained: 0, resent: 0 });
  });

  it("a row sent twice is a duplicate unless its re-send is allowed", () => {
    expect(compareDelivery([row(1, "a"), row(2, "b")], [call("a"), call("a"), call("b")]).duplicated).toBe(1);
    expect(compareDelivery([row(1, "a"), row(2, "b")], [call("a"), call("a"), call("b")], new Set([1]))).toMatchObject({ duplicated: 0, resent: 1 });
  });

  it("two identical rows with the first re-sent: a re-send, not a duplicate of the second", () => {
    // Row 1's "sent" mark was lost to a connection cut; its lease expired and it went again before row 2.
    const rows = [row(1, APOLOGY), row(2, APOLOGY), row(3, "next")];
    const calls = [call(APOLOGY), call(APOLOGY), call(APOLOGY), call("next")];
    expect(compareDelivery(rows, calls, new Set([1]))).toMatchObject({ duplicated: 0, resent: 1, lost: 0, outOfOrder: 0 });
    // The same calls with no row allowed to repeat: one duplicate.
    expect(compareDelivery(rows, calls).duplicated).toBe(1);
    // Three identical calls for two rows, both sent once each: nothing left over when none repeats.
    expect(compareDelivery(rows, [call(APOLOGY), call(APOLOGY), call("next")])).toMatchObject({ duplicated: 0, resent: 0 });
  });

  it("counts a row never sent as lost, an out-of-order call, a call with no row, a direct apology", () => {
    expect(compareDelivery([row(1, "a"), row(2, "b", "pending")], [call("a")]).lost).toBe(1);
    expect(compareDelivery([row(1, "a"), row(2, "b")], [call("b"), call("a")]).outOfOrder).toBe(1);
    expect(compareDelivery([row(1, "a")], [call("a"), call("zzz")]).unexplained).toBe(1);
    const d = compareDelivery([row(1, "a"), row(2, "b")], [call("a"), call(APOLOGY), call("b")], new Set(), (t) => t === APOLOGY);
    expect(d).toMatchObject({ direct: 1, duplicated: 0, unexplained: 0 });
  });

  it("apologies may bypass the outbox: counted apart, never shifting the chat's order", () => {
    const SHORT = "出了点问题";
    const isApology = (t: string) => t.startsWith(SHORT);
    // A direct apology arrives while an outbox apology of another wording still waits to go.
    const rows = [row(1, "a"), row(2, SHORT), row(3, "b"), row(4, APOLOGY), row(5, "c")];
    const calls = [call("a"), call(APOLOGY), call(SHORT), call("b"), call(APOLOGY), call("c")];
    expect(compareDelivery(rows, calls, new Set(), isApology)).toMatchObject({ direct: 1, duplicated: 0, outOfOrder: 0, unexplained: 0, lost: 0 });
    // An apology row marked sent that never arrived is lost; the other rows are still checked in order.
    expect(compareDelivery(rows, [call("a"), call(SHORT), call("b"), call("c")], new Set(), isApology)).toMatchObject({ lost: 1, direct: 0, outOfOrder: 0 });
    expect(compareDelivery(rows, [call("b"), call("a"), call(SHORT), call(APOLOGY), call("c")], new Set(), isApology)).toMatchObject({ outOfOrder: 1, direct: 0 });
  });

  it("refused rows are not due; e-mail rows are not Telegram's", () => {
    const a = compareDelivery([row(1, "a"), row(2, "b", "undeliverable"), { ...row(3, "mail", "sent"), method: "sendEmail" }], [call("a")]);
    expect(a).toMatchObject({ due: 1, sent: 1, lost: 0, unexplained: 0 });
  });
});
