import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode } from "../../bot/callbacks.ts";
import { harness, lastText, LIAISON_CHAT, type Harness } from "./harness.ts";
import * as u from "../helpers/updates.ts";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

const file = (p: u.Person, kind: string, category: string, description: string) => h.file(p, description, { kind, category });

describe("/mycases", () => {
  const alice = u.person(3001);
  const bob = u.person(3002, "李", "四");

  it("lists own cases newest first with localized status, pages them, and opens one with deadlines and events", async () => {
    await h.register(alice);
    await h.register(bob, { estate: "幸福花园" });
    for (let i = 1; i <= 6; i++) {
      await file(alice, "投诉", "噪音", `噪音问题第${i}次`);
      h.clock.advance(60_000);
    }
    await file(bob, "报修", "电梯故障", "电梯停了");
    const all = await h.db.prisma.case.findMany({ where: { resident: { telegramUserId: 3001n } }, orderBy: { id: "asc" } });
    await h.cases.apply(all[5]!.id, "accept", { type: "liaison", id: 1 });
    await h.send(u.command(alice, "mycases")); // (a transition message went out through the outbox meanwhile)

    expect(lastText(h.api, alice.chat.id)).toBe("您的工单（第 1/2 页），点击查看详情：");
    const labels = h.lastButtons(alice).map((b) => b.text);
    expect(labels[0]).toBe(`${all[5]!.number} · 噪音 · 处理中`);
    expect(labels[1]).toBe(`${all[4]!.number} · 噪音 · 已派单`);
    expect(labels).toHaveLength(6); // 5 cases + next page
    expect(labels.join(" ")).not.toContain("电梯");
    await h.press(alice, "下一页");
    expect(h.lastButtons(alice).map((b) => b.text)).toEqual([`${all[0]!.number} · 噪音 · 已派单`, "⬅️ 上一页"]);

    await h.press(alice, all[0]!.number);
    const detail = lastText(h.api, alice.chat.id);
    expect(detail).toContain(`工单 ${all[0]!.number}`);
    expect(detail).toContain("状态：已派单");
    expect(detail).toContain("受理时限：2026-11-24 12:00");
    expect(detail).toContain("办结时限：2026-11-27 10:00");
    expect(detail).toContain("描述：噪音问题第1次");
    expect(detail).toMatch(/最近进展：\n· 2026-11-24 10:00 提交\n· 2026-11-24 10:00 派单/);
    expect(h.lastButtons(alice).map((b) => b.text)).toEqual(["💬 补充说明", "📷 补充照片", "⬅️ 返回列表"]);
  });

  it("the resident was told when the case was accepted", () => {
    expect(h.api.texts(alice.chat.id).some((t) => /^您的工单 2026-\d{6} 已被受理，正在处理。$/.test(t))).toBe(true);
  });

  it("adds a message and a photo: CaseEvent and Attachment stored, both forwarded to the liaison", async () => {
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 3001n } }, orderBy: { id: "asc" } });
    await h.send(u.command(alice, "mycases"));
    await h.press(alice, "下一页");
    await h.press(alice, c.number);
    await h.press(alice, "补充说明");
    expect(lastText(h.api, alice.chat.id)).toBe(`请发送要补充给工单 ${c.number} 的文字（最多 2000 字）。发送 /cancel 取消。`);
    const liaisonBefore = h.api.sent(LIAISON_CHAT["huamei-li"]).length;
    await h.send(u.text(alice, "晚上十点以后更吵"));
    expect(lastText(h.api, alice.chat.id)).toBe(`已补充到工单 ${c.number}，并已转告处理人员。`);
    const toLiaison = h.api.sent(LIAISON_CHAT["huamei-li"]).slice(liaisonBefore);
    expect(toLiaison.map((x) => x.payload.text)).toEqual([`工单 ${c.number} 住户补充说明：\n晚上十点以后更吵`]);
    const ev = await h.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "message" } });
    expect(ev).toMatchObject({ actorType: "resident", note: "晚上十点以后更吵", fromState: null, toState: null });

    await h.press(alice, "补充照片");
    await h.send(u.text(alice, "文字不是照片"));
    expect(lastText(h.api, alice.chat.id)).toContain("请以“照片”形式发送一张图片。");
    await h.send(u.photo(alice, "EXTRA-PHOTO", "音箱位置"));
    const att = await h.db.prisma.attachment.findFirstOrThrow({ where: { caseId: c.id } });
    expect(att).toMatchObject({ fileId: "EXTRA-PHOTO", caption: "音箱位置", addedBy: "resident" });
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: c.id, type: "photo" } })).toBe(1);
    const photoCall = h.api.sent(LIAISON_CHAT["huamei-li"]).at(-1)!;
    expect(photoCall.method).toBe("sendPhoto");
    expect(photoCall.payload).toMatchObject({ photo: "EXTRA-PHOTO", caption: `工单 ${c.number} 住户补充照片\n音箱位置` });
    // The flow is over: a further text is not added to the case.
    await h.send(u.text(alice, "再补充一句"));
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: c.id, type: "message" } })).toBe(1);
  });

  it("refuses a forged callback for another resident's case, and writes nothing", async () => {
    const bobs = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 3002n } } });
    const eventsBefore = await h.db.prisma.caseEvent.count({ where: { caseId: bobs.id } });
    const sentBefore = h.api.sent(alice.chat.id).length;
    for (const data of [encode({ a: "co", id: bobs.id }), encode({ a: "cm", id: bobs.id }), encode({ a: "cp", id: bobs.id })]) {
      const calls = await h.send(u.callback(alice, data, 9));
      expect(calls.find((x) => x.method === "answerCallbackQuery")?.payload).toMatchObject({ text: "未找到该工单。", show_alert: true });
    }
    expect(h.api.sent(alice.chat.id).length).toBe(sentBefore); // nothing about Bob's case was sent
    await h.send(u.text(alice, "试图写入别人的工单"));
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: bobs.id } })).toBe(eventsBefore);
  });

  it("the resident hears resolve (with the note), reopen and close; a closed case cannot be added to", async () => {
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 3002n } } });
    await h.cases.apply(c.id, "resolve", { type: "liaison", id: 1 }, { note: "已更换电梯按钮" });
    await h.cases.apply(c.id, "reopen", { type: "resident", id: c.residentId! });
    await h.cases.apply(c.id, "officeClose", { type: "office" });
    await h.send(u.callback(bob, encode({ a: "cm", id: c.id }), 3));
    expect(h.api.texts(bob.chat.id).slice(-4)).toEqual([
      `您的工单 ${c.number} 已处理完成。\n处理说明：已更换电梯按钮`,
      `您的工单 ${c.number} 已重新打开，我们会继续跟进。`,
      `您的工单 ${c.number} 已结案。感谢您的反馈！`,
      `工单 ${c.number} 已结案，无法补充。如问题仍存在，请提交新工单。`,
    ]);
  });

  it("an English resident gets English everywhere, including the case number notice", async () => {
    const p = u.person(3003, "Tom", "Brown", "en");
    await h.register(p, { lang: "English" });
    await h.send(u.command(p, "new"));
    await h.press(p, "Repair");
    await h.press(p, "Water / leak");
    await h.send(u.text(p, "Water dripping from the ceiling"));
    await h.press(p, "Not urgent");
    expect(lastText(h.api, p.chat.id)).toContain("Category: Water / leak");
    await h.press(p, "Confirm");
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 3003n } } });
    expect(lastText(h.api, p.chat.id)).toContain(`Your repair request was received. Case number: ${c.number}`);
    // The liaison's card is in the liaison's language (none stored here: the default).
    expect(h.api.texts(LIAISON_CHAT["huamei-li"]).at(-1)).toContain(`🆕 新工单 ${c.number}`);
    await h.send(u.command(p, "mycases"));
    expect(h.lastButtons(p)[0]!.text).toBe(`${c.number} · Water / leak · assigned`);
    // Switching language later changes the stored language and the buttons.
    await h.send(u.command(p, "language"));
    await h.press(p, "繁體中文");
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 3003n } })).language).toBe("zh-Hant");
    expect(lastText(h.api, p.chat.id)).toBe("語言已設定為繁體中文。\n\n請選擇要辦理的事項：");
    expect(h.lastButtons(p).map((b) => b.text)).toContain("📋 我的工單");
  });
});
