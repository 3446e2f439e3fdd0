// The kill test's stall, reduced to one update. The process dies after an update's reply reached the
// outbox (its own transaction, committed at once) and before grammY saved the session (after the
// handler returns): the reply goes out, the session never learns of it. After the restart the inbox
// handles the same update again (same update_id). The reply's dedupe key (u:<chat>:<update>:<n>)
// already exists, so the second reply is dropped — the resident only ever sees the first one. That is
// right only if handling the update again puts the session where the first handling would have: the
// buttons in the first reply must still work. (Dying a moment later — session saved, update not yet
// marked done — replays a press the session has already moved past: an "expired" alert, nothing else.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as u from "../helpers/updates.ts";
import { harness, type Harness } from "../bot/harness.ts";

let h: Harness;
const p = u.person(690_001);
beforeAll(async () => {
  h = await harness();
  await h.register(p);
});
afterAll(async () => h?.close());

const buttons = (c: { payload: Record<string, any> } | undefined): string[] =>
  ((c?.payload.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][]).flat().map((b) => b.callback_data ?? "");

/** Handles `update` as the dead process did (reply sent, session not saved), then again after the restart. */
async function crashAfterReply(update: ReturnType<typeof u.command>) {
  const key = `tg:${p.chat.id}`;
  const before = await h.db.prisma.botSession.findUnique({ where: { key } });
  const first = await h.send(update);
  // The session write never happened: put back what the database held before the update.
  if (before) await h.db.prisma.botSession.update({ where: { key }, data: { value: before.value as object } });
  else await h.db.prisma.botSession.deleteMany({ where: { key } });
  h.restart();
  const again = await h.send(update);
  return { first, again };
}

describe("reliability: an update handled again after a crash between its reply and its session write", () => {
  it("a repeated step (the urgency question) leaves the first reply's buttons working", async () => {
    // Control: a step without a fresh flow id replays cleanly.
    await h.send(u.command(p, "new"));
    await h.press(p, "报修");
    await h.press(p, "给排水/漏水");
    await h.send(u.text(p, "replay control"));
    const urgent = h.lastButtons(p).find((b) => b.data.startsWith("v1:urg:"))!.data;
    const { first, again } = await crashAfterReply(u.callback(p, urgent));
    expect(again.filter((c) => c.method === "sendMessage")).toEqual([]); // deduplicated
    const confirm = first.flatMap((c) => buttons(c)).find((d) => d.startsWith("v1:conf:"))!;
    expect(confirm).toBeDefined();
    const cases = await h.db.prisma.case.count();
    await h.send(u.callback(p, confirm));
    expect(await h.db.prisma.case.count()).toBe(cases + 1);
  });

  it("a press handled again after its session was saved (died before the inbox's done mark) changes nothing", async () => {
    await h.send(u.command(p, "cancel"));
    await h.send(u.command(p, "new"));
    await h.press(p, "报修");
    const cat = h.lastButtons(p).find((b) => b.data.endsWith(":water"))!.data;
    const update = u.callback(p, cat);
    await h.send(update);
    const key = `tg:${p.chat.id}`;
    const session = (await h.db.prisma.botSession.findUniqueOrThrow({ where: { key } })).value;
    const rows = await h.db.prisma.outboxMessage.count();
    h.restart();
    const again = await h.send(update);
    // The replay finds the draft already past this step: an "expired" alert on the press, no message.
    expect(again.filter((c) => c.method !== "answerCallbackQuery")).toEqual([]);
    expect(again.find((c) => c.method === "answerCallbackQuery")?.payload.show_alert).toBe(true);
    expect(await h.db.prisma.outboxMessage.count()).toBe(rows);
    expect((await h.db.prisma.botSession.findUniqueOrThrow({ where: { key } })).value).toEqual(session);
    await h.send(u.command(p, "cancel"));
  });

  // Was a defect: /new handled again drew a second, random draft id; its prompt was dropped as a
  // duplicate, so every press on the buttons the resident held answered "this button has expired".
  // Flow ids now come from the update (bot/features/common.ts flowId).
  it("/new: the kind buttons the resident got still work after the replay", async () => {
    await h.send(u.command(p, "cancel"));
    const { first, again } = await crashAfterReply(u.command(p, "new"));
    expect(again.filter((c) => c.method === "sendMessage")).toEqual([]); // the second prompt was dropped
    const kind = buttons(first.find((c) => c.method === "sendMessage")).find((d) => d.startsWith("v1:kind:") && d.endsWith(":repair"))!;
    const pressed = await h.send(u.callback(p, kind));
    const session = await h.db.prisma.botSession.findUniqueOrThrow({ where: { key: `tg:${p.chat.id}` } });
    const draftId = (session.value as { draft?: { id: string } }).draft?.id;
    expect(draftId, "the session's draft is the one whose buttons were sent").toBe(kind.split(":")[2]);
    expect(pressed.some((c) => buttons(c).some((d) => d.startsWith("v1:cat:")))).toBe(true);
  });
});
