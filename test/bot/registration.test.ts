import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, lastText, type Harness } from "./harness.ts";
import * as u from "../helpers/updates.ts";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

describe("registration", () => {
  it("asks for a language, then estate/building/unit, refuses a wrong invite code and accepts the right one", async () => {
    const p = u.person(1001);
    const first = await h.send(u.command(p, "start"));
    expect(first.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(first[0]!.payload.text).toContain("请选择语言");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["简体中文", "繁體中文", "English"]);

    await h.press(p, "简体中文");
    expect(lastText(h.api, p.chat.id)).toContain("请选择您所在的小区（第 1/1 页）");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["和平小区", "幸福花园", "锦绣家园", "春晖苑"]);

    await h.press(p, "幸福花园");
    expect(lastText(h.api, p.chat.id)).toContain("幸福花园：请选择楼栋");
    await h.press(p, "2号楼");
    await h.press(p, "1单元");
    expect(lastText(h.api, p.chat.id)).toContain("您的住址：幸福花园 2号楼 1单元");

    await h.send(u.text(p, "WRONG-CODE"));
    expect(lastText(h.api, p.chat.id)).toContain("邀请码不正确");
    expect(await h.db.prisma.resident.count({ where: { telegramUserId: 1001n } })).toBe(0);

    await h.send(u.text(p, " xingfu01 "));
    expect(h.api.texts(p.chat.id).some((t) => t.includes("验证成功！您已登记为 幸福花园 2号楼 1单元 的住户"))).toBe(true);
    const r = await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 1001n }, include: { estate: true, building: true, unit: true } });
    expect(r).toMatchObject({ status: "verified", language: "zh-Hans", name: "张 三", chatId: 1001n });
    expect([r.estate?.code, r.building?.name, r.unit?.name]).toEqual(["xingfu", "2号楼", "1单元"]);

    // Phone: the contact-request keyboard; someone else's contact is refused, the own one stored.
    const phoneAsk = h.api.sent(p.chat.id).at(-1)!;
    expect(phoneAsk.payload.reply_markup.keyboard[0][0]).toMatchObject({ request_contact: true });
    await h.send(u.contact(p, "+8613911112222", 777));
    expect(lastText(h.api, p.chat.id)).toContain("只能分享您本人的手机号");
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 1001n } })).phone).toBeNull();
    const done = await h.send(u.contact(p, "+8613911113333"));
    expect(done.map((c) => c.payload.text)).toEqual(["手机号已保存。", "请选择要办理的事项："]);
    expect(done[0]!.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 1001n } })).phone).toBe("+8613911113333");

    // A registered resident sending /start sees the main menu.
    await h.send(u.command(p, "start"));
    expect(lastText(h.api, p.chat.id)).toBe("请选择要办理的事项：");
    expect(h.lastButtons(p).map((b) => b.text)).toContain("📝 投诉 / 报修 / 建议");
  });

  it("locks the invite code after five wrong tries but still offers approval; a pending resident cannot file", async () => {
    const p = u.person(1002);
    await h.send(u.command(p, "start"));
    await h.press(p, "简体中文");
    await h.press(p, "和平小区");
    await h.press(p, "1号楼");
    await h.press(p, "2单元");
    for (let i = 0; i < 5; i++) await h.send(u.text(p, `BAD${i}`));
    expect(lastText(h.api, p.chat.id)).toContain("邀请码错误次数过多");
    await h.send(u.text(p, "HEPING01")); // right code, but locked now
    expect(lastText(h.api, p.chat.id)).toContain("邀请码错误次数过多");
    expect(await h.db.prisma.resident.count({ where: { telegramUserId: 1002n } })).toBe(0);

    await h.press(p, "申请审核");
    expect(h.api.texts(p.chat.id).some((t) => t.startsWith("已提交审核申请（和平小区 1号楼 2单元）"))).toBe(true);
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 1002n } })).status).toBe("pending");
    await h.send(u.text(p, "跳过"));
    expect(h.api.texts(p.chat.id).slice(-2)).toEqual(["好的，不保存手机号。", "您的住户身份还在审核中，审核通过后即可提交投诉或报修。\n\n请选择要办理的事项："]);

    await h.send(u.command(p, "new"));
    expect(lastText(h.api, p.chat.id)).toBe("您的住户身份还在审核中，审核通过后即可提交投诉或报修。");
    expect(await h.db.prisma.botSession.findUnique({ where: { key: "tg:1002" } }).then((s) => (s?.value as { draft?: unknown }).draft)).toBeUndefined();
  });

  it("pages a long estate list", async () => {
    const street = await h.db.prisma.street.findFirstOrThrow();
    for (let i = 1; i <= 7; i++) await h.db.prisma.estate.create({ data: { code: `extra${i}`, name: `测试小区${i}`, streetId: street.id, inviteCode: `EXTRA${i}` } });
    const p = u.person(1003);
    await h.send(u.command(p, "start"));
    await h.press(p, "简体中文");
    expect(lastText(h.api, p.chat.id)).toContain("第 1/2 页");
    expect(h.lastButtons(p)).toHaveLength(9); // 8 estates + next
    await h.press(p, "下一页");
    expect(lastText(h.api, p.chat.id)).toContain("第 2/2 页");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["测试小区5", "测试小区6", "测试小区7", "⬅️ 上一页"]);
    await h.press(p, "测试小区7");
    expect(lastText(h.api, p.chat.id)).toContain("测试小区7：请选择楼栋");
    await h.db.prisma.estate.deleteMany({ where: { code: { startsWith: "extra" } } });
  });

  it("an English choice at /start gives English throughout and is stored on the resident", async () => {
    const p = u.person(1004, "Anna", "Lee", "en");
    await h.send(u.command(p, "start"));
    await h.press(p, "English");
    expect(h.api.texts(p.chat.id).slice(-2)).toEqual(["Language set to English.", "Choose your estate (page 1/1):"]);
    await h.press(p, "和平小区");
    await h.press(p, "3号楼");
    await h.press(p, "2单元");
    await h.send(u.text(p, "HEPING01"));
    expect(h.api.texts(p.chat.id).some((t) => t === "Verified! You are registered as a resident of 和平小区 3号楼 2单元.")).toBe(true);
    await h.send(u.text(p, "Skip"));
    expect(lastText(h.api, p.chat.id)).toBe("What would you like to do?");
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 1004n } })).language).toBe("en");
  });
});
