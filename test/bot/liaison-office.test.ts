// The office side of a liaison's actions: extension requests decided in the street office's group
// chat by its members (approve and deny), and "Not ours" sending a case back to the office queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import { harness, lastText, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "./harness.ts";
import * as u from "../helpers/updates.ts";
import { decideExtension } from "../../core/cases/office-actions.ts";

let h: Harness;
beforeAll(async () => {
  h = await harness();
  await h.send(u.command(li, "liaison", "CO-HUAMEI"));
  await h.press(li, "李工");
  await h.register(res);
  await h.send(u.command(member, "office", "OF-DONGCHENG"));
  await h.send(u.command(xiyuanMember, "office", "of-xiyuan"));
});
afterAll(async () => {
  await h?.close();
});

const li = u.person(LIAISON_CHAT["huamei-li"], "李", "工"); // 华美物业, 和平小区 (东城街道)
const res = u.person(5001);
const member = u.person(7001, "主任", "周"); // 东城街道办事处
const xiyuanMember = u.person(7003, "吴", "科员"); // another street's office
const bystander = u.person(7002, "郑", "群友"); // in the group, not a member

const file = (description: string) => h.file(res, description);

const answer = (calls: ApiCall[]) => calls.find((c) => c.method === "answerCallbackQuery")?.payload;

/** The buttons of the last message with buttons in a (group) chat. */
function chatButtons(chatId: number): { text: string; data: string }[] {
  const rows = h.api.sent(chatId).filter((c) => c.payload.reply_markup?.inline_keyboard?.length);
  const last = rows[rows.length - 1];
  return ((last?.payload.reply_markup.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat().map((b) => ({ text: b.text, data: b.callback_data }));
}

/** A press of a button in the office group chat by this person. */
function groupPress(p: u.Person, chatId: number, label: string): Promise<ApiCall[]> {
  const b = chatButtons(chatId).find((x) => x.text.includes(label));
  if (!b) throw new Error(`no "${label}" in the group's last keyboard`);
  const update = u.callback(p, b.data, 1);
  const cq = update.callback_query as NonNullable<Update["callback_query"]>;
  (cq as { message: unknown }).message = { ...cq.message, chat: u.group(chatId) };
  return h.send(update);
}

describe("joining an office", () => {
  it("/office <code> makes the sender a member of that office", async () => {
    expect(lastText(h.api, member.chat.id)).toBe("您已加入“东城街道办事处”。在办公室工作群里可以审批延期申请。");
    const m = await h.db.prisma.officeMember.findUniqueOrThrow({ where: { telegramUserId: 7001n }, include: { office: { include: { street: true } } } });
    expect(m.office.street?.code).toBe("dongcheng");
    await h.send(u.command(bystander, "office", "OF-WRONG"));
    expect(lastText(h.api, bystander.chat.id)).toContain("邀请码不正确");
    expect(await h.db.prisma.officeMember.findUnique({ where: { telegramUserId: 7002n } })).toBeNull();
  });
});

describe("ask extension", () => {
  it("reason → +N working days from the current deadline → the office member approves → new deadline, liaison told", async () => {
    const c = await file("卫生间管道渗水，需要订购配件");
    expect(c.resolutionDueAt?.toISOString()).toBe("2026-11-27T02:00:00.000Z"); // Fri 27 Nov 10:00 Beijing
    await h.press(li, "申请延期");
    expect(lastText(h.api, li.chat.id)).toContain(`请发送工单 ${c.number} 申请延期的理由`);
    await h.send(u.text(li, "需要从厂家订购配件"));
    expect(lastText(h.api, li.chat.id)).toContain("当前办结时限：2026-11-27 10:00");
    // Working days after Friday: Mon 30 Nov, Tue 1 Dec, Wed 2 Dec, at the close of office hours.
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["+1 个工作日（2026-11-30 18:00）", "+2 个工作日（2026-12-01 18:00）", "+3 个工作日（2026-12-02 18:00）"]);
    await h.press(li, "+2 个工作日");
    expect(lastText(h.api, li.chat.id)).toBe(`⏳ 工单 ${c.number} 的延期申请（延至 2026-12-01 18:00）已提交街道办审批，结果会通知您。`);

    const req = await h.db.prisma.extensionRequest.findFirstOrThrow({ where: { caseId: c.id } });
    expect(req).toMatchObject({ status: "pending", reason: "需要从厂家订购配件", requestedBy: String((await h.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } })).id) });
    expect(req.requestedDueAt.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    const office = lastText(h.api, OFFICE_CHAT.dongcheng);
    for (const part of [`延期申请 · 工单 ${c.number}`, "单位：华美物业（联络人：李工）", "原办结时限：2026-11-27 10:00", "申请延至：2026-12-01 18:00", "理由：需要从厂家订购配件"]) expect(office).toContain(part);
    expect(chatButtons(OFFICE_CHAT.dongcheng).map((b) => b.text)).toEqual(["✅ 批准延期", "✖️ 不批准"]);

    // Someone in the group who is not a member, and a member of another street's office: refused.
    for (const p of [bystander, xiyuanMember]) {
      const calls = await groupPress(p, OFFICE_CHAT.dongcheng, "批准延期");
      expect(answer(calls)).toMatchObject({ text: expect.stringContaining("只有负责该街道的办公室成员"), show_alert: true });
    }
    expect((await h.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: req.id } })).status).toBe("pending");
    expect((await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).resolutionDueAt?.toISOString()).toBe("2026-11-27T02:00:00.000Z");

    await groupPress(member, OFFICE_CHAT.dongcheng, "批准延期");
    const decided = await h.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: req.id } });
    expect(decided.status).toBe("approved");
    expect((await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).resolutionDueAt?.toISOString()).toBe("2026-12-01T10:00:00.000Z");
    expect(lastText(h.api, li.chat.id)).toBe(`✅ 工单 ${c.number} 延期已批准，新办结时限：2026-12-01 18:00。`);
    expect(lastText(h.api, OFFICE_CHAT.dongcheng)).toBe(`✅ 工单 ${c.number} 延期已批准，新办结时限 2026-12-01 18:00（周主任）。`);
    const evs = await h.db.prisma.caseEvent.findMany({ where: { caseId: c.id, type: { startsWith: "extension" } }, orderBy: { id: "asc" } });
    expect(evs.map((e) => [e.type, e.actorType])).toEqual([
      ["extension_requested", "liaison"],
      ["extension_approved", "office"],
    ]);

    // Pressed again (a second member, or a double tap): already decided.
    const again = await groupPress(member, OFFICE_CHAT.dongcheng, "不批准");
    expect(answer(again)?.text).toBe(`工单 ${c.number} 的这项延期申请已处理过了。`);
    expect((await h.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: req.id } })).status).toBe("approved");
  });

  it("a typed date (checked) and a denial: the deadline stays, the liaison is told", async () => {
    const c = await file("外墙渗水");
    await h.press(li, "申请延期");
    await h.send(u.text(li, "需要搭脚手架"));
    await h.send(u.text(li, "下周一"));
    expect(lastText(h.api, li.chat.id)).toContain("时间格式不对");
    await h.send(u.text(li, "2026-02-30 10:00"));
    expect(lastText(h.api, li.chat.id)).toContain("时间格式不对");
    await h.send(u.text(li, "2026-11-26 10:00"));
    expect(lastText(h.api, li.chat.id)).toContain("新时限必须晚于当前办结时限（2026-11-27 10:00）");
    await h.send(u.text(li, "2026-12-04 12:00"));
    const req = await h.db.prisma.extensionRequest.findFirstOrThrow({ where: { caseId: c.id } });
    expect(req.requestedDueAt.toISOString()).toBe("2026-12-04T04:00:00.000Z");

    await groupPress(member, OFFICE_CHAT.dongcheng, "不批准");
    expect((await h.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: req.id } })).status).toBe("denied");
    expect((await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).resolutionDueAt?.toISOString()).toBe(c.resolutionDueAt?.toISOString());
    expect(lastText(h.api, li.chat.id)).toBe(`✖️ 工单 ${c.number} 的延期申请未获批准，原办结时限不变。`);
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: c.id, type: "extension_denied", actorType: "office" } })).toBe(1);
  });
});

describe("an extension decided on the dashboard or through the API", () => {
  it("tells the liaison just as a decision in the office group does", async () => {
    const c = await file("楼顶防水层老化");
    await h.press(li, "申请延期");
    await h.send(u.text(li, "等雨季过后施工"));
    await h.press(li, "+3 个工作日");
    const req = await h.db.prisma.extensionRequest.findFirstOrThrow({ where: { caseId: c.id } });
    await decideExtension({ db: h.db.prisma, cases: h.cases, clock: h.clock }, c.id, req.id, true, { type: "office", id: "staff:1" }, "同意");
    await h.sender.drain();
    expect(lastText(h.api, li.chat.id)).toBe(`✅ 工单 ${c.number} 延期已批准，新办结时限：2026-12-02 18:00。`);
    expect((await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).resolutionDueAt?.toISOString()).toBe("2026-12-02T10:00:00.000Z");
    // The group's buttons for that request now find it decided.
    const calls = await groupPress(member, OFFICE_CHAT.dongcheng, "批准延期");
    expect(answer(calls)?.text).toBe(`工单 ${c.number} 的这项延期申请已处理过了。`);
  });
});

describe("not ours", () => {
  it("asks for the reason, puts the case in the office queue without company or liaison, and tells the office", async () => {
    const c = await file("小区外的市政管道漏水");
    await h.press(li, "非我单位");
    await h.send(u.text(li, "漏水点在小区围墙外，属于市政管网"));
    const row = await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect([row.state, row.companyId, row.liaisonId]).toEqual(["unroutable", null, null]);
    const ev = await h.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "transfer" } });
    expect([ev.actorType, ev.note, ev.toState]).toEqual(["liaison", "漏水点在小区围墙外，属于市政管网", "unroutable"]);
    const office = lastText(h.api, OFFICE_CHAT.dongcheng);
    expect(office).toContain("↩️ 华美物业 退回此工单，请街道办重新分派。理由：漏水点在小区围墙外，属于市政管网");
    expect(office).toContain(`新工单 ${c.number}`);
    expect(lastText(h.api, li.chat.id)).toBe(`↩️ 工单 ${c.number} 已退回街道办，理由已转告。`);
    expect(lastText(h.api, res.chat.id)).toBe(`您的工单 ${c.number} 已转交街道办重新分派，我们会继续跟进。`);

    // The card's old Accept button now belongs to a case the company no longer has.
    const calls = await h.send(u.callback(li, `v1:la:${c.id}`));
    expect(answer(calls)?.text).toBe("此工单不属于贵公司，无法操作。");
    expect((await h.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("unroutable");
  });
});
