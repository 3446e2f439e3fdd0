// An office links its Telegram group with `/office <link code>` (the code on its dashboard page):
// the bot confirms in the group and Office.chatId is set; a wrong code or a sender who is not a
// registered member of that office is refused in words and nothing changes; an escalation then
// reaches the linked group; the bot removed from the group unlinks it and the district is told.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { harness, lastText, type Harness } from "./harness.ts";
import { clocks, fileFor } from "./clocks-setup.ts";
import * as u from "../helpers/updates.ts";

const NEW_GROUP = -100777;
const DISTRICT_CHAT = -100999;
let h: Harness;
let c: ReturnType<typeof clocks>;
const res = u.person(5301);
const member = u.person(7201, "主任", "周"); // joins 东城街道办事处
const xiyuanMember = u.person(7203, "吴", "科员"); // joins 西苑街道办事处
const stranger = u.person(7202, "郑", "群友"); // in the group, member of no office
const inGroup = (p: u.Person, args: string) => u.command(p, "office", args, { ...u.group(NEW_GROUP), title: "东城街道办工作群" });
const dongcheng = () => h.db.prisma.office.findUniqueOrThrow({ where: { code: "dongcheng" } });

beforeAll(async () => {
  h = await harness();
  c = clocks(h);
  // The street office starts unlinked (the harness links it to its test group).
  await h.db.prisma.office.update({ where: { code: "dongcheng" }, data: { chatId: null } });
  await h.db.prisma.office.update({ where: { code: "district" }, data: { chatId: DISTRICT_CHAT } });
  await h.register(res);
  await h.send(u.command(member, "office", "OF-DONGCHENG"));
  await h.send(u.command(xiyuanMember, "office", "OF-XIYUAN"));
});
afterAll(async () => {
  await h?.close();
});

describe("/office <code> in a group", () => {
  it("without a code: asks for the code shown on the office's page", async () => {
    await h.send(inGroup(member, ""));
    expect(lastText(h.api, NEW_GROUP)).toContain("请在命令后附上办公室页面上显示的群关联码");
    expect((await dongcheng()).chatId).toBeNull();
  });

  it("a wrong code is refused in words and links nothing", async () => {
    await h.send(inGroup(member, "WRONG234"));
    expect(lastText(h.api, NEW_GROUP)).toBe("关联码不正确。请到办公室的管理页面查看当前的群关联码。");
    expect(await h.db.prisma.office.count({ where: { chatId: BigInt(NEW_GROUP) } })).toBe(0);
  });

  it("the right code from someone who is not a member of that office is refused", async () => {
    const { chatLinkCode } = await dongcheng();
    for (const p of [stranger, xiyuanMember]) {
      await h.send(inGroup(p, chatLinkCode!));
      expect(lastText(h.api, NEW_GROUP)).toBe("只有“东城街道办事处”已登记的成员才能关联本群。请先私聊机器人发送 /office 办公室邀请码。");
    }
    expect((await dongcheng()).chatId).toBeNull();
    expect(await h.db.prisma.directoryAudit.count({ where: { entity: "office", action: "link_chat" } })).toBe(0);
  });

  it("a member with the right code (any letter case): the bot confirms in the group, the office is linked and audited", async () => {
    const { chatLinkCode } = await dongcheng();
    await h.send(inGroup(member, chatLinkCode!.toLowerCase()));
    expect(lastText(h.api, NEW_GROUP)).toBe("✅ 本群已关联为“东城街道办事处”的工作群（周主任）。今后的升级提醒、延期申请、预警和每日摘要将发到这里。");
    const o = await dongcheng();
    expect(o).toMatchObject({ chatId: BigInt(NEW_GROUP), chatTitle: "东城街道办工作群", chatRemovedAt: null });
    expect(o.chatLinkedAt?.toISOString()).toBe(h.clock.now().toISOString());
    const m = await h.db.prisma.officeMember.findUniqueOrThrow({ where: { telegramUserId: 7201n } });
    expect(await h.db.prisma.directoryAudit.findFirstOrThrow({ where: { entity: "office", key: "dongcheng", action: "link_chat" } })).toMatchObject({
      actor: `member:${m.id}`,
      after: { chatId: String(NEW_GROUP), chatTitle: "东城街道办工作群" },
    });
  });

  it("an escalation of an overdue case then reaches the linked group", async () => {
    h.clock.set("2026-11-24T10:00:00+08:00");
    const k = await fileFor(h, res.chat.id, "楼道水管漏水不止");
    h.clock.set("2026-11-24T12:01:00+08:00");
    expect(await c.run((s) => s.escalate())).toEqual({ level1: 1, level2: 0 });
    const msg = h.api.sent(NEW_GROUP).find((x) => String(x.payload.text).includes(k.number));
    expect(msg?.payload.text).toContain(`🚨 一级督办 · 街道办 · 工单 ${k.number}`);
    expect(msg?.payload.text).toContain("和平小区");
  });

  it("bot removed from the group: the office is unlinked (the page shows when) and the district office's group is told", async () => {
    h.clock.set("2026-11-25T09:00:00+08:00");
    const removed: Update = {
      update_id: 900_000_001,
      my_chat_member: {
        chat: u.group(NEW_GROUP),
        from: stranger.user,
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: "member", user: u.botUser },
        new_chat_member: { status: "kicked", user: u.botUser, until_date: 0 },
      },
    };
    await h.send(removed);
    const o = await dongcheng();
    expect(o.chatId).toBeNull();
    expect(o.chatRemovedAt?.toISOString()).toBe(h.clock.now().toISOString());
    expect(lastText(h.api, DISTRICT_CHAT)).toBe("⚠️ 机器人已被移出以下办公室的群：东城街道办事处。升级和摘要暂时无法送达，请重新把机器人加入群并发送 /office 关联码。");
    // Nothing more is sent to the group the bot left.
    const before = h.api.sent(NEW_GROUP).length;
    h.clock.set("2026-11-25T10:00:00+08:00");
    await fileFor(h, res.chat.id, "电梯间顶棚渗水");
    h.clock.set("2026-11-25T12:30:00+08:00");
    await c.run((s) => s.escalate());
    expect(h.api.sent(NEW_GROUP).length).toBe(before);
  });
});
