// The clocks as the offices see them: escalation messages (level 1 street, level 2 district) with
// Acknowledge / Reassign for members of the responsible office only, the liaison told, the daily
// digest (with an e-mail row when the office has an address, one line on an empty day).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import type { CaseBrief } from "../../core/clocks/clock-notices.ts";
import { EMAIL_CHAT_ID } from "../../core/delivery/outbox.ts";
import { harness, lastText, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "./harness.ts";
import { clocks, DASHBOARD, fileFor } from "./clocks-setup.ts";
import * as u from "../helpers/updates.ts";

const DISTRICT_CHAT = -100999;
let h: Harness;
let c: ReturnType<typeof clocks>;
const li = u.person(LIAISON_CHAT["huamei-li"], "李", "工");
const wang = LIAISON_CHAT["anju-wang"];
const res = u.person(5201);
const member = u.person(7101, "主任", "周"); // 东城街道办事处
const xiyuanMember = u.person(7103, "吴", "科员");
const bystander = u.person(7102, "郑", "群友");

beforeAll(async () => {
  h = await harness();
  c = clocks(h);
  await h.db.prisma.office.updateMany({ where: { level: "district" }, data: { chatId: DISTRICT_CHAT } });
  await h.register(res);
  await h.send(u.command(member, "office", "OF-DONGCHENG"));
  await h.send(u.command(xiyuanMember, "office", "OF-XIYUAN"));
});
afterAll(async () => {
  await h?.close();
});

const answer = (calls: ApiCall[]) => calls.find((x) => x.method === "answerCallbackQuery")?.payload;
const buttonsOf = (call: ApiCall | undefined) =>
  ((call?.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat().map((b) => ({ text: b.text, data: b.callback_data }));
/** The last message sent to the group that mentions `needle` (and has buttons). */
const groupMessage = (chatId: number, needle: string) =>
  h.api
    .sent(chatId)
    .filter((x) => String(x.payload.text).includes(needle) && x.payload.reply_markup)
    .at(-1);

function groupPress(p: u.Person, chatId: number, call: ApiCall | undefined, label: string): Promise<ApiCall[]> {
  const b = buttonsOf(call).find((x) => x.text.includes(label));
  if (!b) throw new Error(`no "${label}" in ${JSON.stringify(buttonsOf(call))}`);
  const update = u.callback(p, b.data, 77);
  const cq = update.callback_query as NonNullable<Update["callback_query"]>;
  (cq as { message: unknown }).message = { ...cq.message, chat: u.group(chatId) };
  return h.send(update);
}
const lastWithButtons = (chatId: number) => h.api.sent(chatId).filter((x) => x.payload.reply_markup?.inline_keyboard?.length).at(-1);

describe("escalation", () => {
  it("level 1 to the street office with buttons; acknowledged by a member only; level 2 to the district office", async () => {
    h.clock.set("2026-11-24T10:00:00+08:00");
    const k = await fileFor(h, res.chat.id, "地下室水管爆裂"); // respond by 12:00
    h.clock.set("2026-11-24T12:01:00+08:00");
    expect(await c.run((s) => s.escalate())).toEqual({ level1: 1, level2: 0 });
    const msg = groupMessage(OFFICE_CHAT.dongcheng, k.number);
    expect(msg?.payload.text).toBe(`🚨 一级督办 · 街道办 · 工单 ${k.number}\n给排水/漏水 · 和平小区\n处理单位：华美物业（联络人：李工）\n受理时限 2026-11-24 12:00，已超时 1 分钟。`);
    expect(buttonsOf(msg).map((b) => b.text)).toEqual(["👁 已知悉", "🔀 改派"]);
    expect(lastText(h.api, li.chat.id)).toBe(`⚠️ 以下工单已超时，已上报街道办：\n· ${k.number} 和平小区 · 受理超时 1 分钟\n请尽快处理，发送 /cases 查看待办工单。`);

    for (const p of [bystander, xiyuanMember]) {
      expect(answer(await groupPress(p, OFFICE_CHAT.dongcheng, msg, "已知悉"))).toMatchObject({ text: expect.stringContaining("只有负责该街道的办公室成员"), show_alert: true });
    }
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: k.id, type: "escalation_ack" } })).toBe(0);

    const calls = await groupPress(member, OFFICE_CHAT.dongcheng, msg, "已知悉");
    const m = await h.db.prisma.officeMember.findUniqueOrThrow({ where: { telegramUserId: 7101n } });
    const ev = await h.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: k.id, type: "escalation_ack" } });
    expect(ev).toMatchObject({ actorType: "office", actorId: `member:${m.id}`, data: { level: 1, officeId: m.officeId, by: "周主任" } });
    expect(lastText(h.api, OFFICE_CHAT.dongcheng)).toBe(`👁 周主任 已确认知悉工单 ${k.number} 的督办。`);
    const edit = calls.find((x) => x.method === "editMessageReplyMarkup");
    expect(edit?.payload).toMatchObject({ chat_id: OFFICE_CHAT.dongcheng, message_id: 77 });
    expect(buttonsOf(edit).map((b) => b.text)).toEqual(["🔀 改派"]);
    expect(answer(await groupPress(member, OFFICE_CHAT.dongcheng, msg, "已知悉"))?.text).toBe(`工单 ${k.number} 的督办已由 周主任 确认知悉。`);
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: k.id, type: "escalation_ack" } })).toBe(1);

    // Still overdue one working day later (Wednesday 18:00): the district office.
    h.clock.set("2026-11-25T17:59:00+08:00");
    expect(await c.run((s) => s.escalate())).toEqual({ level1: 0, level2: 0 });
    h.clock.set("2026-11-25T18:00:00+08:00");
    expect(await c.run((s) => s.escalate())).toEqual({ level1: 0, level2: 1 });
    const d = groupMessage(DISTRICT_CHAT, k.number);
    expect(d?.payload.text).toBe(`🚨 二级督办 · 区物业办 · 工单 ${k.number}\n给排水/漏水 · 和平小区\n处理单位：华美物业（联络人：李工）\n受理时限 2026-11-24 12:00，已超时 1 天 6 小时。`);
    expect(buttonsOf(d).map((b) => b.text)).toEqual(["👁 已知悉", "🔀 改派"]);
    expect(lastText(h.api, li.chat.id)).toContain("已上报区物业办");
    expect(await h.db.prisma.caseEvent.count({ where: { caseId: k.id, type: "escalate" } })).toBe(2);
  });

  it("reassign: other company → its liaison; the new liaison gets the card, the old one is told, the case is theirs", async () => {
    h.clock.set("2026-11-26T09:00:00+08:00");
    const k = await fileFor(h, res.chat.id, "屋顶水箱溢水");
    h.clock.set("2026-11-26T11:30:00+08:00");
    await c.run((s) => s.escalate());
    const msg = groupMessage(OFFICE_CHAT.dongcheng, k.number);
    // 李工 is the company's only liaison (and the current one): only "other company" is offered.
    await groupPress(member, OFFICE_CHAT.dongcheng, msg, "改派");
    expect(lastText(h.api, OFFICE_CHAT.dongcheng)).toBe(`🔀 改派工单 ${k.number}（当前：华美物业 · 李工），请选择联络人：`);
    expect(buttonsOf(lastWithButtons(OFFICE_CHAT.dongcheng)).map((b) => b.text)).toEqual(["🏢 其他单位"]);
    await groupPress(member, OFFICE_CHAT.dongcheng, lastWithButtons(OFFICE_CHAT.dongcheng), "其他单位");
    expect(buttonsOf(lastWithButtons(OFFICE_CHAT.dongcheng)).map((b) => b.text)).toEqual(["华美物业", "安居物业", "绿苑物业"]);
    await groupPress(member, OFFICE_CHAT.dongcheng, lastWithButtons(OFFICE_CHAT.dongcheng), "安居物业");
    const pick = lastWithButtons(OFFICE_CHAT.dongcheng);
    expect(buttonsOf(pick).map((b) => b.text)).toEqual(["王经理", "赵师傅", "🏢 其他单位"]);

    // A member of another street's office cannot finish it.
    expect(answer(await groupPress(xiyuanMember, OFFICE_CHAT.dongcheng, pick, "王经理"))?.show_alert).toBe(true);
    expect((await h.db.prisma.case.findUniqueOrThrow({ where: { id: k.id } })).liaisonId).toBe(k.liaisonId);

    const wangBefore = h.api.sent(wang).length;
    await groupPress(member, OFFICE_CHAT.dongcheng, pick, "王经理");
    const wangRow = await h.db.prisma.liaison.findUniqueOrThrow({ where: { code: "anju-wang" } });
    expect(await h.db.prisma.case.findUniqueOrThrow({ where: { id: k.id } })).toMatchObject({ state: "routed", liaisonId: wangRow.id, companyId: wangRow.companyId });
    const ev = await h.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: k.id, type: "assign" } });
    expect(ev).toMatchObject({ actorType: "office", note: "周主任", data: expect.objectContaining({ liaison: "anju-wang", company: "anju" }) });
    const toWang = h.api.sent(wang).slice(wangBefore);
    expect(toWang).toHaveLength(1);
    expect(String(toWang[0]!.payload.text)).toContain(`📌 街道办已将此工单分派给您：\n🆕 新工单 ${k.number}`);
    expect(buttonsOf(toWang[0]).map((b) => b.text)).toContain("✅ 受理");
    expect(lastText(h.api, li.chat.id)).toBe(`↪️ 工单 ${k.number} 已由办公室改派给其他联络人，您无需再处理。`);
    expect(lastText(h.api, OFFICE_CHAT.dongcheng)).toBe(`🔀 工单 ${k.number} 已改派给 安居物业 · 王经理（周主任）。`);
  });

  it("more than ten cases: ten messages with buttons, the rest in one list with the dashboard link; long lists split under 4096", () => {
    const brief = (i: number): CaseBrief => ({
      id: i, number: `2026-${String(i).padStart(6, "0")}`, kind: "repair", category: "water", urgency: "normal", estate: "和平小区",
      company: "华美物业", liaison: "李工", dueAt: new Date("2026-11-24T04:00:00Z"), which: "resolution", minutes: 125,
    });
    const office = { id: 3, level: "street" as const, name: "东城街道办事处", chatId: -100111n, email: null };
    const msgs = c.renderer.escalationToOffice(office, 1, Array.from({ length: 13 }, (_, i) => brief(i + 1)), "esc:1:9:office:3");
    expect(msgs.map((m) => m.dedupeKey)).toEqual([...Array.from({ length: 10 }, (_, i) => `esc:1:9:office:3:case:${i + 1}`), "esc:1:9:office:3:0"]);
    expect(msgs[10]!.payload).toEqual({
      text: `🚨 一级督办 · 街道办 · 另有 3 件超时工单：\n· 2026-000011 和平小区 · 办结超时 2 小时 5 分钟\n· 2026-000012 和平小区 · 办结超时 2 小时 5 分钟\n· 2026-000013 和平小区 · 办结超时 2 小时 5 分钟\n工作台：${DASHBOARD}/cases?overdue=1`,
    });
    const many = c.renderer.escalationToOffice(office, 2, Array.from({ length: 400 }, (_, i) => brief(i + 1)), "k").slice(10);
    expect(many.length).toBeGreaterThan(1);
    const texts = many.map((m) => String(m.payload.text));
    for (const t of texts) expect(t.length).toBeLessThan(4096);
    expect(texts.join("\n").match(/2026-\d{6}/g)).toHaveLength(390);
    expect(texts.at(-1)).toMatch(/工作台：.*overdue=1$/);
  });
});

describe("digest", () => {
  it("a day with escalations: counts, numbers, per company; an e-mail row for an office with an address; an empty day in one line", async () => {
    await h.db.prisma.office.updateMany({ where: { level: "district" }, data: { email: "wuye@district.example.gov" } });
    h.clock.set("2026-11-27T08:30:00+08:00");
    const number2 = (await h.db.prisma.case.findFirstOrThrow({ where: { description: "屋顶水箱溢水" } })).number;
    const number1 = (await h.db.prisma.case.findFirstOrThrow({ where: { description: "地下室水管爆裂" } })).number;
    const before = h.api.calls.length;
    expect(await c.digests()).toBe(4); // district (chat + e-mail), 东城 (chat), 西苑 (chat)
    expect(await c.digests()).toBe(0); // once a day

    // Since Thursday 08:30 only the reassigned case escalated (Thursday 11:30); both are still overdue.
    const street = h.api.texts(OFFICE_CHAT.dongcheng).at(-1);
    expect(street).toBe(
      [
        "📊 东城街道办事处 每日简报（截至 2026-11-27 08:30）",
        "新增督办：1 件",
        `· ${number2} 和平小区 · 安居物业 · 街道办`,
        "仍超时：2 件",
        "各物业公司（在办 / 超时 / 已督办）：",
        "· 华美物业：1 / 1 / 1",
        // Reassigned on Thursday 11:30 with fresh deadlines and its escalation reset: overdue again for 安居, not escalated yet.
        "· 安居物业：1 / 1 / 0",
        `工作台：${DASHBOARD}/cases?overdue=1`,
      ].join("\n"),
    );
    expect(street).not.toContain(number1);
    expect(h.api.texts(OFFICE_CHAT.xiyuan).at(-1)).toBe("📊 西苑街道办事处 每日简报（截至 2026-11-27 08:30）：过去 24 小时无新增督办，无超时工单。");
    const district = h.api.texts(DISTRICT_CHAT).at(-1)!;
    expect(district).toContain(`新增督办：1 件\n· ${number2}`);
    const email = await h.db.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: BigInt(EMAIL_CHAT_ID) } });
    expect(email.method).toBe("sendEmail");
    expect(email.payload).toEqual({ to: "wuye@district.example.gov", subject: "区物业办 每日简报 2026-11-27", text: district });
    expect(h.api.calls.slice(before).filter((x) => x.method === "sendMessage")).toHaveLength(3);
  });

  it("tells the office how many messages could not be delivered because residents blocked the bot", async () => {
    h.clock.set("2026-11-27T15:00:00+08:00");
    // A resident of 和平小区 (东城街道) who blocked the bot; the digest counts it in that street only.
    const heping = await h.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    await h.db.prisma.resident.create({ data: { telegramUserId: 5999n, chatId: 5999n, name: "王五", status: "verified", estateId: heping.id } });
    await h.db.prisma.outboxMessage.create({ data: { chatId: 5999n, payload: { text: "x" }, status: "undeliverable", createdAt: h.clock.now() } });
    h.clock.set("2026-11-28T08:30:00+08:00");
    expect(await c.digests()).toBe(4);
    const street = h.api.texts(OFFICE_CHAT.dongcheng).at(-1)!;
    expect(street).toContain("新增督办：0 件\n仍超时：2 件");
    expect(street).toContain("⚠️ 1 条通知未能送达：住户已屏蔽机器人。");
    expect(await h.db.prisma.outboxMessage.count({ where: { chatId: BigInt(EMAIL_CHAT_ID), method: "sendEmail" } })).toBe(2);
  });

  it("tells the street office who waits for its approval, with the page to decide on; another street hears nothing of it", async () => {
    const heping = await h.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    await h.db.prisma.resident.create({ data: { telegramUserId: 6001n, chatId: 6001n, name: "待审甲", status: "pending", estateId: heping.id } });
    h.clock.set("2026-11-29T08:30:00+08:00");
    expect(await c.digests()).toBe(4);
    expect(h.api.texts(OFFICE_CHAT.dongcheng).at(-1)).toContain(`🕓 1 位住户待审核，0 件案件等待审核后派单：${DASHBOARD}/residents/pending`);
    expect(h.api.texts(DISTRICT_CHAT).at(-1)).toContain("🕓 1 位住户待审核");
    expect(h.api.texts(OFFICE_CHAT.xiyuan).at(-1)).not.toContain("待审核");
  });
});
