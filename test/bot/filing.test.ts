import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, lastText, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "./harness.ts";
import { stubRouter } from "../helpers/stubRouter.ts";
import * as u from "../helpers/updates.ts";

let h: Harness;
beforeAll(async () => {
  // Emergency categories also go to the street office, as the real rules decide.
  h = await harness({
    router: (db) => {
      const stub = stubRouter(db.prisma);
      return { route: async (f) => ({ ...(await stub.route(f)), ...(f.category === "burst_pipe" ? { urgency: "emergency" as const, notifyOffice: true } : {}) }) };
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const session = async (chatId: number) => (await h.db.prisma.botSession.findUnique({ where: { key: `tg:${chatId}` } }))?.value as Record<string, any>;

/** From /new to the summary: repair · water (at home: no location asked), a description, the given photos, not urgent. */
async function fillDraft(p: u.Person, description: string, photos: string[]) {
  await h.send(u.command(p, "new"));
  await h.press(p, "报修");
  await h.press(p, "给排水/漏水");
  await h.send(u.text(p, description));
  for (const id of photos) await h.send(u.photo(p, id));
  await h.press(p, "不紧急");
}

describe("filing a case", () => {
  it("walks kind → category → description (photos at any time) → location for a shared area → urgency → confirm and files one case", async () => {
    const p = u.person(2001);
    await h.register(p);
    await h.send(u.command(p, "new"));
    expect(lastText(h.api, p.chat.id)).toBe("请选择类型：");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["投诉", "报修", "建议", "✖️ 取消"]);
    await h.press(p, "报修");
    // Only categories offered for repairs.
    const cats = h.lastButtons(p).map((b) => b.text);
    expect(cats).toContain("给排水/漏水");
    expect(cats).not.toContain("噪音");
    await h.press(p, "公共设施");
    expect(lastText(h.api, p.chat.id)).toBe("请用文字描述问题（最多 2000 字）。");
    await h.send(u.text(p, "单元门口的健身器材断了一根"));
    // A shared area: where, with Telegram's location button (a reply keyboard).
    expect(lastText(h.api, p.chat.id)).toContain("请点击下方“📍 发送位置”");
    const ask = h.api.sent(p.chat.id).at(-1)!;
    expect(ask.payload.reply_markup.keyboard).toEqual([[{ text: "📍 发送位置", request_location: true }], [{ text: "跳过" }]]);
    await h.send(u.photo(p, "PHOTO-A"));
    expect(lastText(h.api, p.chat.id)).toBe("已收到照片 1/6。");
    await h.send(u.photo(p, "PHOTO-B", "断的地方"));
    await h.send(u.location(p, 39.9087, 116.3975));
    const afterLocation = h.api.sent(p.chat.id).slice(-2);
    expect(afterLocation[0]!.payload).toMatchObject({ text: "📍 位置已收到。", reply_markup: { remove_keyboard: true } });
    expect(lastText(h.api, p.chat.id)).toContain("情况是否紧急");
    await h.press(p, "是，紧急");
    const summary = lastText(h.api, p.chat.id);
    expect(summary).toContain("类型：报修");
    expect(summary).toContain("类别：公共设施");
    expect(summary).toContain("地址：和平小区 1号楼 1单元");
    expect(summary).toContain("描述：单元门口的健身器材断了一根");
    expect(summary).toContain("照片：2 张");
    expect(summary).toContain("紧急：是");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["✅ 确认提交", "✏️ 修改描述", "✖️ 取消"]);
    expect(await h.db.prisma.case.count()).toBe(0);

    const calls = await h.press(p, "确认提交");
    expect(calls.find((c) => c.method === "answerCallbackQuery")).toBeTruthy();

    const c = await h.db.prisma.case.findFirstOrThrow({ include: { attachments: { orderBy: { id: "asc" } }, events: { orderBy: { id: "asc" } }, resident: true, estate: true, building: true, unit: true } });
    expect(c).toMatchObject({ number: "2026-000001", kind: "repair", category: "facilities", description: "单元门口的健身器材断了一根", urgencyHint: true, state: "routed", latitude: 39.9087, longitude: 116.3975, channel: "telegram" });
    expect(c.sourceKey).toMatch(/^tg:draft:[A-Za-z0-9_-]{8}$/);
    expect(c.resident?.telegramUserId).toBe(2001n);
    expect([c.estate.name, c.building?.name, c.unit?.name]).toEqual(["和平小区", "1号楼", "1单元"]);
    expect(c.attachments.map((a) => [a.fileId, a.fileUniqueId, a.addedBy])).toEqual([
      ["PHOTO-A", "PHOTO-A-u", "resident"],
      ["PHOTO-B", "PHOTO-B-u", "resident"],
    ]);
    expect(c.events.map((e) => [e.type, e.actorType, e.toState])).toEqual([
      ["filed", "resident", "received"],
      ["route", "system", "routed"],
    ]);

    // The resident learns the number at once.
    const told = lastText(h.api, p.chat.id);
    expect(told).toContain("已收到您的报修，工单编号：2026-000001");
    expect(told).toContain("已转交华美物业处理，受理时限：2026-11-24 12:00");

    // The liaison gets the card (Asia/Shanghai times), then the photos as one media group.
    const toLiaison = h.api.sent(LIAISON_CHAT["huamei-li"]);
    expect(toLiaison.map((x) => x.method)).toEqual(["sendMessage", "sendMediaGroup"]);
    const card = String(toLiaison[0]!.payload.text);
    for (const part of ["🆕 新工单 2026-000001", "类型：报修 · 公共设施", "地址：和平小区 1号楼 1单元", "描述：单元门口的健身器材断了一根", "受理时限：2026-11-24 12:00", "办结时限：2026-11-27 10:00", "住户标记为紧急", "附照片 2 张"]) {
      expect(card).toContain(part);
    }
    expect(toLiaison[1]!.payload.media).toEqual([
      { type: "photo", media: "PHOTO-A" },
      { type: "photo", media: "PHOTO-B" },
    ]);
    // Not an emergency category: the street office is not bothered.
    expect(h.api.sent(OFFICE_CHAT.dongcheng)).toHaveLength(0);
    expect((await session(p.chat.id)).draft).toBeUndefined();
  });

  it("a double-pressed Confirm and a re-delivered Confirm update give one case, and the resident hears its number", async () => {
    const p = u.person(2002);
    await h.register(p, { estate: "幸福花园" });
    await fillDraft(p, "楼道灯不亮", []);
    const confirm = h.lastButtons(p).find((b) => b.text === "✅ 确认提交")!;
    const before = await h.db.prisma.case.count();
    const update = u.callback(p, confirm.data, 77);
    await h.send(update);
    await h.send(update); // the same update again (webhook retry)
    await h.send(u.callback(p, confirm.data, 77)); // a second press of the same button
    expect(await h.db.prisma.case.count()).toBe(before + 1);
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 2002n } } });
    const texts = h.api.texts(p.chat.id);
    expect(texts.filter((t) => t.includes(`工单编号：${c.number}`))).toHaveLength(1);
    expect(lastText(h.api, p.chat.id)).toBe(`此工单已提交，编号 ${c.number}。发送 /mycases 查看进度。`);
    expect(h.api.sent(LIAISON_CHAT["anju-wang"]).filter((x) => String(x.payload.text).includes(c.number))).toHaveLength(1);
  });

  it("a draft survives a restart (new Bot instance on the same database) mid-flow", async () => {
    const p = u.person(2003);
    await h.register(p);
    await h.send(u.command(p, "new"));
    await h.press(p, "投诉");
    await h.press(p, "噪音");
    await h.send(u.text(p, "楼下商铺每晚放音乐到凌晨"));
    await h.send(u.photo(p, "NOISE-1"));
    h.restart();
    await h.send(u.photo(p, "NOISE-2"));
    expect(lastText(h.api, p.chat.id)).toBe("已收到照片 2/6。");
    await h.press(p, "不紧急");
    expect(lastText(h.api, p.chat.id)).toContain("描述：楼下商铺每晚放音乐到凌晨");
    await h.press(p, "确认提交");
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 2003n } }, include: { attachments: true } });
    expect(c).toMatchObject({ kind: "complaint", category: "noise", latitude: null });
    expect(c.attachments.map((a) => a.fileId).sort()).toEqual(["NOISE-1", "NOISE-2"]);
  });

  it("two Bot instances on one database (two workers) take turns on one draft: each sees the other's last step", async () => {
    const p = u.person(2013);
    await h.register(p);
    const a = h.bot;
    h.restart();
    const b = h.bot;
    const on = (x: typeof a) => (h.use(x), h);
    await on(a).send(u.command(p, "new"));
    await on(b).press(p, "投诉");
    await on(a).press(p, "噪音");
    await on(b).send(u.text(p, "隔壁装修周末早上七点开工"));
    await on(a).send(u.photo(p, "TURN-1"));
    await on(b).send(u.photo(p, "TURN-2"));
    expect(lastText(h.api, p.chat.id)).toBe("已收到照片 2/6。");
    await on(a).send(u.photo(p, "TURN-3"));
    expect(lastText(h.api, p.chat.id)).toBe("已收到照片 3/6。");
    await on(b).press(p, "不紧急");
    expect(lastText(h.api, p.chat.id)).toContain("描述：隔壁装修周末早上七点开工");
    await on(a).press(p, "确认提交");
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 2013n } }, include: { attachments: true } });
    expect(c).toMatchObject({ kind: "complaint", category: "noise", description: "隔壁装修周末早上七点开工" });
    expect(c.attachments.map((x) => x.fileId).sort()).toEqual(["TURN-1", "TURN-2", "TURN-3"]);
  });

  it("too long a description is refused with its length and the draft kept; a 6th photo is refused; edit and cancel work", async () => {
    const p = u.person(2004);
    await h.register(p);
    await h.send(u.command(p, "new"));
    await h.press(p, "报修");
    await h.press(p, "电梯故障");
    await h.send(u.text(p, "电".repeat(2500)));
    expect(lastText(h.api, p.chat.id)).toBe("内容太长了（2500/2000 字），请精简后重新发送。草稿已保留。");
    expect((await session(p.chat.id)).draft).toMatchObject({ step: "description", kind: "repair", category: "lift" });
    await h.send(u.text(p, "3号电梯按钮失灵"));
    // The intake's one limit on every channel: six photos (core/cases/intake.ts).
    for (let i = 1; i <= 6; i++) await h.send(u.photo(p, `LIFT-${i}`));
    await h.send(u.photo(p, "LIFT-7"));
    expect(lastText(h.api, p.chat.id)).toBe("最多只能添加 6 张照片，这张没有保存。");
    expect((await session(p.chat.id)).draft.photos).toHaveLength(6);
    await h.press(p, "不紧急");
    await h.press(p, "修改描述");
    await h.send(u.text(p, "3号楼电梯按钮失灵，无法到达10楼"));
    expect(lastText(h.api, p.chat.id)).toContain("描述：3号楼电梯按钮失灵，无法到达10楼");
    expect(lastText(h.api, p.chat.id)).toContain("照片：6 张");
    const staleConfirm = h.lastButtons(p).find((b) => b.text === "✅ 确认提交")!;
    await h.press(p, "取消");
    expect(lastText(h.api, p.chat.id)).toBe("已取消，草稿已删除。\n\n请选择要办理的事项：");
    expect((await session(p.chat.id)).draft).toBeUndefined();
    // The summary's Confirm button is now outdated: refused, nothing filed.
    const calls = await h.send(u.callback(p, staleConfirm.data, 5));
    expect(calls.find((c) => c.method === "answerCallbackQuery")?.payload).toMatchObject({ text: "这个按钮已过期，请使用最新的消息。" });
    expect(await h.db.prisma.case.count({ where: { resident: { telegramUserId: 2004n } } })).toBe(0);
  });

  it("a photo sent instead of the description is kept; its caption becomes the description", async () => {
    const p = u.person(2007);
    await h.register(p);
    await h.send(u.command(p, "new"));
    await h.press(p, "投诉");
    await h.press(p, "环境卫生/垃圾");
    await h.send(u.photo(p, "BIN-1"));
    expect(lastText(h.api, p.chat.id)).toBe("照片已保存（1/6）。请再用文字描述问题。");
    await h.send(u.photo(p, "BIN-2", "  垃圾桶三天没清运  "));
    // Rubbish is about a shared area: the next question is where.
    expect(lastText(h.api, p.chat.id)).toContain("请点击下方“📍 发送位置”");
    expect((await session(p.chat.id)).draft).toMatchObject({ step: "location", description: "垃圾桶三天没清运", photos: [{ fileId: "BIN-1" }, { fileId: "BIN-2" }] });
  });

  it("an emergency category also reaches the street office chat, with the photo", async () => {
    const p = u.person(2005);
    await h.register(p);
    await h.send(u.command(p, "new"));
    await h.press(p, "报修");
    await h.press(p, "爆管");
    await h.send(u.text(p, "地下室水管爆裂"));
    await h.send(u.photo(p, "BURST-1"));
    // An emergency category: urgency is not asked, the summary says it.
    expect(h.api.texts(p.chat.id).some((t) => t.includes("情况是否紧急"))).toBe(false);
    await h.send(u.command(p, "new"));
    expect(lastText(h.api, p.chat.id)).toContain("紧急：是");
    await h.press(p, "确认提交");
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 2005n } } });
    const office = h.api.sent(OFFICE_CHAT.dongcheng);
    expect(office.map((x) => x.method)).toEqual(["sendMessage", "sendPhoto"]);
    expect(office[0]!.payload.text).toContain("🚨 紧急工单，请街道办关注：");
    expect(office[0]!.payload.text).toContain(`🆕 新工单 ${c.number} 🚨 紧急`);
    expect(office[1]!.payload.photo).toBe("BURST-1");
  });

  it("an unroutable case goes to the street office queue and the resident is told so", async () => {
    const heping = await h.db.prisma.estate.findUniqueOrThrow({ where: { code: "chunhui" } });
    await h.db.prisma.estate.update({ where: { id: heping.id }, data: { companyId: null } });
    const p = u.person(2006);
    await h.register(p, { estate: "春晖苑" });
    await fillDraft(p, "小区门口路灯坏了", []);
    await h.press(p, "确认提交");
    expect(lastText(h.api, p.chat.id)).toContain("已转交街道办分派处理");
    const office = h.api.sent(OFFICE_CHAT.xiyuan);
    expect(office).toHaveLength(1);
    expect(office[0]!.payload.text).toContain("⚠️ 未能自动派单，请街道办分派：");
  });
});
