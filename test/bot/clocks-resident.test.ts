// The clocks as a liaison and a resident see them: reminders with the card's buttons, and the
// revisit (回访) — fixed → rating → closed; not fixed → reopened to the same liaison; no answer →
// one reminder → closed as "no answer"; forged and stale buttons refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import { harness, lastText, LIAISON_CHAT, type Harness } from "./harness.ts";
import { clocks, fileFor } from "./clocks-setup.ts";
import * as u from "../helpers/updates.ts";

const HOUR = 3_600_000;
let h: Harness;
let c: ReturnType<typeof clocks>;
const li = u.person(LIAISON_CHAT["huamei-li"], "李", "工");
const res = u.person(5101);
const other = u.person(5102, "王", "五");

beforeAll(async () => {
  h = await harness();
  c = clocks(h);
  await h.send(u.command(li, "liaison", "CO-HUAMEI"));
  await h.press(li, "李工");
  await h.register(res);
  await h.register(other, { building: "2号楼" });
});
afterAll(async () => {
  await h?.close();
});

const answer = (calls: ApiCall[]) => calls.find((x) => x.method === "answerCallbackQuery")?.payload;
const row = (id: number) => h.db.prisma.case.findUniqueOrThrow({ where: { id } });

/** A case accepted and resolved by the liaison (note given), at the clock's time. */
async function resolvedCase(description: string) {
  h.clock.set("2026-11-24T10:00:00+08:00");
  const k = await fileFor(h, res.chat.id, description);
  await h.cases.apply(k.id, "accept", { type: "liaison" });
  await h.cases.apply(k.id, "resolve", { type: "liaison" }, { note: "已更换水管" });
  await h.sender.drain();
  return k;
}

describe("reminders", () => {
  it("reaches the liaison before the response deadline with Accept, and before the resolution deadline with Resolve / Ask extension", async () => {
    h.clock.set("2026-11-24T10:00:00+08:00");
    const k = await fileFor(h, res.chat.id, "厨房水管漏水"); // stub router: respond by 12:00, resolve by Fri 27 10:00
    expect(await c.run((s) => s.reminders())).toBe(0);
    h.clock.set("2026-11-24T11:40:00+08:00");
    expect(await c.run((s) => s.reminders())).toBe(1);
    expect(await c.run((s) => s.reminders())).toBe(0);
    expect(lastText(h.api, li.chat.id)).toBe(`⏰ 提醒：工单 ${k.number} 的受理时限快到了\n类别：给排水/漏水 · 和平小区\n受理时限：2026-11-24 12:00（还剩 20 分钟）`);
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["✅ 受理"]);
    await h.press(li, "✅ 受理");
    expect((await row(k.id)).state).toBe("accepted");

    h.clock.set("2026-11-27T06:30:00+08:00"); // 3.5 h before the resolution deadline (lead 4 h)
    expect(await c.run((s) => s.reminders())).toBe(1);
    expect(lastText(h.api, li.chat.id)).toBe(`⏰ 提醒：工单 ${k.number} 的办结时限快到了\n类别：给排水/漏水 · 和平小区\n办结时限：2026-11-27 10:00（还剩 3 小时 30 分钟）`);
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["🛠 办结", "⏳ 申请延期"]);
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: k.id, type: "reminder" } })).toBe(2);
    await h.cases.apply(k.id, "resolve", { type: "liaison" });
    await h.cases.apply(k.id, "startRevisit", { type: "system" });
    await h.cases.apply(k.id, "closeNoAnswer", { type: "system" }); // out of the way of the revisit tests
  });
});

describe("revisit", () => {
  it("a liaison whose language is English hears the outcome and the rating in English", async () => {
    await h.db.prisma.liaison.updateMany({ where: { telegramUserId: BigInt(li.user.id) }, data: { language: "en" } });
    try {
      const k = await resolvedCase("Balcony leak");
      await c.run((s) => s.revisits());
      await h.press(res, "已解决");
      expect(lastText(h.api, li.chat.id)).toBe(`✅ Revisit: the resident confirmed case ${k.number} is fixed; the case is closed.`);
      await h.press(res, "5");
      expect(lastText(h.api, li.chat.id)).toBe(`⭐ The resident rated the handling of case ${k.number}: 5 out of 5.`);
    } finally {
      await h.db.prisma.liaison.updateMany({ where: { telegramUserId: BigInt(li.user.id) }, data: { language: null } });
    }
  });

  it("fixed: the resident says yes, rates 4, the case is closed with the rating; stale and repeated presses change nothing", async () => {
    const k = await resolvedCase("卫生间漏水");
    expect((await c.run((s) => s.revisits())).revisitsAsked).toBe(1);
    expect(lastText(h.api, res.chat.id)).toBe(`📞 回访：您的工单 ${k.number} 的问题解决了吗？\n处理说明：已更换水管`);
    expect(h.lastButtons(res).map((b) => b.text)).toEqual(["✅ 已解决", "❌ 未解决"]);

    const calls = await h.press(res, "已解决");
    expect(calls.some((x) => x.method === "editMessageReplyMarkup")).toBe(true); // the question loses its buttons
    expect(await row(k.id)).toMatchObject({ state: "closed", closeReason: "confirmed", satisfaction: null });
    expect(h.api.texts(res.chat.id).slice(-2)).toEqual([`您的工单 ${k.number} 已结案。感谢您的反馈！`, `请为工单 ${k.number} 的处理打分：1 = 很不满意，5 = 很满意。`]);
    expect(h.lastButtons(res).map((b) => b.text)).toEqual(["1", "2", "3", "4", "5"]);
    // The liaison hears the outcome, then the rating.
    expect(lastText(h.api, li.chat.id)).toBe(`✅ 回访结果：住户确认工单 ${k.number} 的问题已解决，工单已关闭。`);
    await h.press(res, "4");
    expect(lastText(h.api, res.chat.id)).toBe("谢谢您的评价（4 分）！");
    expect(lastText(h.api, li.chat.id)).toBe(`⭐ 住户为工单 ${k.number} 的处理打了 4 分（满分 5 分）。`);
    const liaisonSeen = h.api.sent(li.chat.id).length;
    expect((await row(k.id)).satisfaction).toBe(4);
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: k.id, type: "satisfaction", actorType: "resident" } })).toBe(1);

    // The old buttons pressed again: a second rating, and "not fixed" on a closed case.
    expect(answer(await h.send(u.callback(res, `v1:rs:${k.id}:1`)))).toMatchObject({ text: `您已为工单 ${k.number} 打过分了。`, show_alert: true });
    expect(answer(await h.send(u.callback(res, `v1:rf:${k.id}:n`)))).toMatchObject({ text: `工单 ${k.number} 当前为“已结案”，无需再回答回访。`, show_alert: true });
    expect(await row(k.id)).toMatchObject({ state: "closed", satisfaction: 4, reopenCount: 0 });
    expect(h.api.sent(li.chat.id)).toHaveLength(liaisonSeen);
  });

  it("not fixed: refused for another resident; the owner's No reopens it to the same liaison, who gets the card again", async () => {
    const k = await resolvedCase("阳台漏水");
    await c.run((s) => s.revisits());
    // Another resident forging the button, and a rating before any answer.
    expect(answer(await h.send(u.callback(other, `v1:rf:${k.id}:n`)))).toMatchObject({ text: "未找到该工单。", show_alert: true });
    expect(answer(await h.send(u.callback(res, `v1:rs:${k.id}:5`)))).toMatchObject({ text: `工单 ${k.number} 目前没有需要打分的回访。` });
    expect(await row(k.id)).toMatchObject({ state: "revisit", reopenCount: 0, satisfaction: null });

    h.clock.set("2026-11-24T15:00:00+08:00");
    const liaisonBefore = h.api.sent(li.chat.id).length;
    await h.press(res, "未解决");
    const r = await row(k.id);
    expect(r).toMatchObject({ state: "reopened", reopenCount: 1, liaisonId: k.liaisonId, escalationLevel: 0, resolvedAt: null });
    expect(r.responseDueAt?.toISOString()).toBe("2026-11-24T09:00:00.000Z"); // 15:00 + 2 h, Beijing
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: k.id, type: "reopen", actorType: "resident" } })).toBe(1);

    const card = h.api.texts(li.chat.id).slice(liaisonBefore);
    expect(card).toHaveLength(1);
    expect(card[0]).toContain("🔁 住户反映问题未解决，工单已重新打开（重复投诉，第 1 次），请重新处理：");
    expect(card[0]).toContain(`🔁 重新打开的工单 ${k.number}`);
    expect(card[0]).not.toContain("新工单");
    expect(h.lastButtons(li).map((b) => b.text)).toContain("✅ 受理");

    expect(h.api.texts(res.chat.id).slice(-2)).toEqual([
      `您的工单 ${k.number} 已重新打开，我们会继续跟进。`,
      `已通知处理单位重新处理。也请为工单 ${k.number} 此前的处理打分：1 = 很不满意，5 = 很满意。`,
    ]);
    await h.press(res, "2");
    expect((await row(k.id)).satisfaction).toBe(2);
    expect(lastText(h.api, li.chat.id)).toBe(`⭐ 住户为工单 ${k.number} 此前的处理打了 2 分（满分 5 分），问题仍未解决，请重新处理。`);

    // The liaison can take it up again from the new card.
    await h.press(li, "✅ 受理");
    expect((await row(k.id)).state).toBe("accepted");
    await h.cases.apply(k.id, "resolve", { type: "liaison" });
    await h.cases.apply(k.id, "startRevisit", { type: "system" });
    await h.cases.apply(k.id, "confirmFixed", { type: "system" });
  });

  it("no answer: one reminder after a day, then closed as no answer after three days", async () => {
    const k = await resolvedCase("楼道水管滴水");
    await c.run((s) => s.revisits());
    // While the question waits, /mycases offers "not fixed" too.
    await h.send(u.callback(res, `v1:co:${k.id}`));
    expect(h.lastButtons(res).map((b) => b.text)).toContain("❌ 未解决，重新打开");

    h.clock.advance(24 * HOUR);
    expect((await c.run((s) => s.revisits())).revisitReminders).toBe(1);
    expect((await c.run((s) => s.revisits())).revisitReminders).toBe(0);
    expect(lastText(h.api, res.chat.id)).toBe(`🔔 提醒：您的工单 ${k.number} 的问题解决了吗？请点击下方按钮回答。`);
    expect(h.lastButtons(res).map((b) => b.text)).toEqual(["✅ 已解决", "❌ 未解决"]);

    h.clock.advance(2 * 24 * HOUR);
    expect((await c.run((s) => s.revisits())).closedNoAnswer).toBe(1);
    expect(await row(k.id)).toMatchObject({ state: "closed", closeReason: "no_answer", satisfaction: null });
    expect(lastText(h.api, res.chat.id)).toBe(`您的工单 ${k.number} 已结案。感谢您的反馈！`);
    // The reminder's button, pressed too late.
    expect(answer(await h.press(res, "已解决"))).toMatchObject({ text: `工单 ${k.number} 当前为“已结案”，无需再回答回访。` });
    expect((await row(k.id)).closeReason).toBe("no_answer");
  });
});
