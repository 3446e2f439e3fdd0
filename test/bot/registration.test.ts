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
  it("asks no language (the app's), then estate/building/unit, refuses a wrong invite code and accepts the right one", async () => {
    const p = u.person(1001);
    const first = await h.send(u.command(p, "start"));
    expect(first.map((c) => c.method)).toEqual(["sendMessage"]);
    expect(first[0]!.payload.text).toContain("欢迎使用");
    expect(first[0]!.payload.text).toContain("发送 /language 可切换语言");
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
    expect(r).toMatchObject({ status: "verified", language: "zh-Hans", name: "张三", chatId: 1001n });
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
    expect(lastText(h.api, p.chat.id)).toContain("第 1/2 页");
    expect(h.lastButtons(p)).toHaveLength(9); // 8 estates + next
    await h.press(p, "下一页");
    expect(lastText(h.api, p.chat.id)).toContain("第 2/2 页");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["测试小区5", "测试小区6", "测试小区7", "⬅️ 上一页"]);
    await h.press(p, "测试小区7");
    expect(lastText(h.api, p.chat.id)).toContain("测试小区7：请选择楼栋");
    await h.db.prisma.estate.deleteMany({ where: { code: { startsWith: "extra" } } });
  });

  it("an English Telegram app gives English throughout without asking, stored on the resident", async () => {
    const p = u.person(1004, "Anna", "Lee", "en-US");
    await h.send(u.command(p, "start"));
    expect(h.api.texts(p.chat.id)).toHaveLength(1);
    expect(lastText(h.api, p.chat.id)).toMatch(/^Welcome to the estate complaints[^]*Choose your estate \(page 1\/1\):/);
    await h.press(p, "和平小区");
    await h.press(p, "3号楼");
    await h.press(p, "2单元");
    await h.send(u.text(p, "HEPING01"));
    expect(h.api.texts(p.chat.id).some((t) => t === "Verified! You are registered as a resident of 和平小区 3号楼 2单元.")).toBe(true);
    await h.send(u.text(p, "Skip"));
    expect(lastText(h.api, p.chat.id)).toBe("What would you like to do?");
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 1004n } })).language).toBe("en");
  });

  it("language from Telegram's language_code: zh-tw and zh-hk → Traditional, unknown or absent → Simplified; /language changes it", async () => {
    const cases: [number, string | undefined, string, string][] = [
      [1011, "zh-tw", "zh-Hant", "歡迎使用"],
      [1012, "zh-HK", "zh-Hant", "歡迎使用"],
      [1013, "zh-hant", "zh-Hant", "歡迎使用"],
      [1014, "zh-cn", "zh-Hans", "欢迎使用"],
      [1015, "fr", "zh-Hans", "欢迎使用"],
      [1016, undefined, "zh-Hans", "欢迎使用"],
    ];
    for (const [id, code, locale, welcome] of cases) {
      const p = u.person(id);
      p.user.language_code = code;
      await h.send(u.command(p, "start"));
      expect(lastText(h.api, p.chat.id), code).toContain(welcome);
      expect(((await h.db.prisma.botSession.findUniqueOrThrow({ where: { key: `tg:${id}` } })).value as { lang?: string }).lang, code).toBe(locale);
    }
    // The app says Traditional; the resident switches to English mid-registration and stays there.
    const p = u.person(1011);
    p.user.language_code = "zh-tw";
    await h.send(u.command(p, "language"));
    await h.press(p, "English");
    expect(lastText(h.api, p.chat.id)).toContain("Choose your estate");
    await h.press(p, "和平小区");
    expect(lastText(h.api, p.chat.id)).toContain("和平小区: choose your building");
  });

  it("finds an estate by part of its name, by pinyin initials and by pinyin; a miss shows the list again", async () => {
    const p = u.person(1021);
    await h.send(u.command(p, "start"));
    await h.send(u.text(p, "和平"));
    expect(lastText(h.api, p.chat.id)).toBe("找到 1 个小区，请选择：");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["和平小区", "📋 全部小区"]);
    await h.send(u.text(p, "hpxq"));
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["和平小区", "📋 全部小区"]);
    await h.send(u.text(p, "JXJY"));
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["锦绣家园", "📋 全部小区"]);
    await h.send(u.text(p, "xingfu"));
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["幸福花园", "📋 全部小区"]);
    await h.send(u.text(p, "不存在的小区"));
    expect(lastText(h.api, p.chat.id)).toContain("没有找到“不存在的小区”");
    expect(lastText(h.api, p.chat.id)).toContain("请选择您所在的小区（第 1/1 页）");
    await h.send(u.text(p, "hp"));
    await h.press(p, "全部小区");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["和平小区", "幸福花园", "锦绣家园", "春晖苑"]);
    await h.send(u.text(p, "春晖"));
    await h.press(p, "春晖苑");
    expect(lastText(h.api, p.chat.id)).toContain("春晖苑：请选择楼栋");
    // Buildings can be typed too.
    const buildings = await h.db.prisma.building.findMany({ where: { estate: { name: "春晖苑" } } });
    await h.send(u.text(p, buildings[0]!.name.replace(/\D/g, "") || buildings[0]!.name));
    expect(lastText(h.api, p.chat.id)).toMatch(/^找到 \d+ 栋楼，请选择：$/);
    expect(h.lastButtons(p).map((b) => b.text)).toContain(buildings[0]!.name);
    await h.press(p, buildings[0]!.name);
    expect(lastText(h.api, p.chat.id)).toContain(`春晖苑 ${buildings[0]!.name}：请选择单元`);
  });
});
