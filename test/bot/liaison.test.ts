// The liaison's side of the chat: joining, the case card, accept, relaying messages both ways,
// resolving with a note and photo, /cases, and refusals of foreign or stale buttons.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encode } from "../../bot/callbacks.ts";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import { harness, lastText, LIAISON_CHAT, type Harness } from "./harness.ts";
import * as u from "../helpers/updates.ts";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

const li = u.person(LIAISON_CHAT["huamei-li"], "李", "工"); // 华美物业 (和平小区)
const wang = u.person(LIAISON_CHAT["anju-wang"], "王", "经理"); // 安居物业 (幸福花园)

const file = (p: u.Person, description: string, kind = "报修", category = "给排水/漏水") => h.file(p, description, { kind, category });

const answer = (calls: ApiCall[]) => calls.find((c) => c.method === "answerCallbackQuery")?.payload;
const caseRow = (id: number) => h.db.prisma.case.findUniqueOrThrow({ where: { id } });
const events = async (id: number) => (await h.db.prisma.caseEvent.findMany({ where: { caseId: id }, orderBy: { id: "asc" } })).map((e) => [e.type, e.actorType, (e.data as { direction?: string } | null)?.direction ?? null]);

async function join(p: u.Person, code: string, name: string) {
  await h.send(u.command(p, "liaison", code));
  await h.press(p, name);
}

describe("joining as a liaison", () => {
  it("a company invite code lists the company's unclaimed liaisons; picking one binds this account", async () => {
    await h.send(u.command(li, "liaison", "CO-NOPE"));
    expect(lastText(h.api, li.chat.id)).toContain("邀请码不正确");
    await h.send(u.command(li, "liaison", "co-huamei")); // case does not matter
    expect(lastText(h.api, li.chat.id)).toContain("华美物业：请选择您是哪位联络人");
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["李工", "➕ 我是新联络人"]);
    await h.press(li, "李工");
    const said = h.api.texts(li.chat.id);
    expect(said[said.length - 2]).toBe("登记完成：您是华美物业的联络人“李工”。新工单会以卡片形式发到这里。发送 /cases 查看待办工单。");
    // No phone in the directory: offered to share it (the web workspace signs in with it); only their own is taken.
    expect(lastText(h.api, li.chat.id)).toContain("分享您的手机号");
    await h.send(u.contact(li, "+8613900000099", 12345));
    expect(lastText(h.api, li.chat.id)).toContain("请分享您自己的手机号");
    await h.send(u.contact(li, "+86 139 0000 0001"));
    expect(lastText(h.api, li.chat.id)).toBe("手机号已保存：139****0001。也可以用它登录网页工作台 /w/。");
    expect((await h.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } })).phone).toBe("13900000001");
    const row = await h.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } });
    expect([row.telegramUserId, row.chatId]).toEqual([BigInt(li.user.id), BigInt(li.chat.id)]);
    // A liaison gets the liaison help, not the resident registration.
    await h.send(u.command(li, "start"));
    expect(lastText(h.api, li.chat.id)).toContain("您好，李工（华美物业联络人）");
  });

  it("the deep link join-<code> works, a taken name is no longer offered, and a new liaison registers by name", async () => {
    await h.send(u.command(wang, "start", "join-CO-ANJU"));
    expect(h.lastButtons(wang).map((b) => b.text)).toEqual(["王经理", "赵师傅", "➕ 我是新联络人"]);
    await h.press(wang, "王经理");
    const other = u.person(9100, "孙", "七");
    await h.send(u.command(other, "liaison", "CO-ANJU"));
    expect(h.lastButtons(other).map((b) => b.text)).toEqual(["赵师傅", "➕ 我是新联络人"]);
    await h.press(other, "我是新联络人");
    await h.send(u.text(other, "孙师傅"));
    expect(h.api.texts(other.chat.id).at(-2)).toContain("登记完成：您是安居物业的联络人“孙师傅”");
    const created = await h.db.prisma.liaison.findUniqueOrThrow({ where: { telegramUserId: 9100n }, include: { company: true } });
    expect([created.name, created.company.code, created.chatId]).toEqual(["孙师傅", "anju", 9100n]);
    expect(created.code).toMatch(/^anju-/);
  });

  it("a registered resident cannot also join as a liaison", async () => {
    const r = u.person(4900);
    await h.register(r);
    const before = await h.db.prisma.liaison.count({ where: { telegramUserId: { not: null } } });
    await h.send(u.command(r, "liaison", "CO-HUAMEI"));
    expect(lastText(h.api, r.chat.id)).toContain("这个账号已登记为住户，不能同时作为物业联络人");
    expect(await h.db.prisma.liaison.count({ where: { telegramUserId: { not: null } } })).toBe(before);
  });
});

describe("the round trip resident → liaison → resident", () => {
  const res = u.person(4001, "三", "张");

  it("card with buttons, accept, messages both ways without accounts or phone, resolve with note and photo", async () => {
    await h.register(res);
    // This resident skipped the phone at registration.
    await h.db.prisma.resident.update({ where: { telegramUserId: 4001n }, data: { phone: null } });
    const c = await file(res, "厨房水管爆裂漏水");

    // The card reaches the liaison with the five buttons, without a phone line.
    const card = lastText(h.api, li.chat.id);
    expect(card).toContain(`🆕 新工单 ${c.number}`);
    expect(card).toContain("地址：和平小区 1号楼 1单元");
    expect(card).toContain("描述：厨房水管爆裂漏水");
    expect(card).not.toContain("住户电话");
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["✅ 受理", "💬 联系住户", "🛠 办结", "⏳ 申请延期", "↩️ 非我单位"]);

    // Accept: response time recorded, the resident told, the live buttons lose Accept.
    h.clock.advance(15 * 60_000);
    const calls = await h.press(li, "受理");
    expect(answer(calls)?.text).toBe("已受理");
    let row = await caseRow(c.id);
    expect(row.state).toBe("accepted");
    expect(row.acceptedAt?.toISOString()).toBe(h.clock.now().toISOString());
    expect(lastText(h.api, res.chat.id)).toBe(`您的工单 ${c.number} 已被受理，正在处理。`);
    expect(lastText(h.api, li.chat.id)).toBe(`✅ 已受理工单 ${c.number}，已通知住户。\n工单 ${c.number} · 处理中`);
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["💬 联系住户", "🛠 办结", "⏳ 申请延期", "↩️ 非我单位"]);
    // The card's own buttons were taken away (edited through the outbox).
    expect(h.api.calls.some((x) => x.method === "editMessageReplyMarkup" && String(x.payload.chat_id) === String(li.chat.id))).toBe(true);

    // Liaison → resident, through the bot, as the company.
    await h.press(li, "联系住户");
    expect(lastText(h.api, li.chat.id)).toContain(`请发送要转给工单 ${c.number} 住户的一条文字`);
    await h.send(u.text(li, "明天上午9点上门维修，请家里留人"));
    expect(lastText(h.api, li.chat.id)).toBe(`已转告工单 ${c.number} 的住户。`);
    expect(lastText(h.api, res.chat.id)).toBe(`工单 ${c.number} · 华美物业留言：\n明天上午9点上门维修，请家里留人`);
    expect(h.lastButtons(res).map((b) => b.text)).toEqual(["↩️ 回复"]);

    // Resident → liaison with the Reply button.
    await h.press(res, "回复");
    await h.send(u.text(res, "好的，我在家"));
    expect(lastText(h.api, li.chat.id)).toBe(`工单 ${c.number} 住户补充说明：\n好的，我在家`);
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["↩️ 回复住户"]);

    // Nobody's account leaks: only the bot's own messages, no forwards, no ids, names or phone.
    const toResident = JSON.stringify(h.api.sent(res.chat.id).map((x) => x.payload));
    for (const leak of ["李工", String(li.user.id)]) expect(toResident).not.toContain(leak);
    const toLiaison = JSON.stringify(h.api.sent(li.chat.id).map((x) => x.payload));
    const resName = (await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 4001n } })).name;
    expect(resName).toBe("张三");
    for (const leak of [resName, String(res.user.id), "+86", "138"]) expect(toLiaison).not.toContain(leak);
    expect(h.api.calls.some((x) => x.method === "forwardMessage" || x.method === "copyMessage")).toBe(false);

    // Resolve from /cases → card → Resolve: a note, a photo, Done.
    await h.send(u.command(li, "cases"));
    await h.press(li, c.number);
    expect(lastText(h.api, li.chat.id)).toContain("状态：处理中");
    await h.press(li, "办结");
    await h.send(u.text(li, "已更换老化水管，试水正常"));
    expect(h.lastButtons(li).map((b) => b.text)).toEqual(["跳过"]);
    await h.send(u.photo(li, "FIXED-1"));
    expect(lastText(h.api, li.chat.id)).toBe("已收到照片 1/6。");
    h.clock.advance(60 * 60_000);
    await h.press(li, "完成");

    row = await caseRow(c.id);
    expect(row.state).toBe("resolved");
    expect(row.resolvedAt?.toISOString()).toBe(h.clock.now().toISOString());
    const toRes = h.api.sent(res.chat.id);
    expect(toRes[toRes.length - 2]!.payload.text).toBe(`您的工单 ${c.number} 已处理完成。\n处理说明：已更换老化水管，试水正常`);
    expect(toRes[toRes.length - 1]!).toMatchObject({ method: "sendPhoto", payload: { photo: "FIXED-1" } });
    expect(lastText(h.api, li.chat.id)).toBe(`🛠 工单 ${c.number} 已办结，已将说明转告住户。\n工单 ${c.number} · 已处理`);
    const att = await h.db.prisma.attachment.findMany({ where: { caseId: c.id, addedBy: "liaison" } });
    expect(att.map((a) => a.fileId)).toEqual(["FIXED-1"]);

    expect(await events(c.id)).toEqual([
      ["filed", "resident", null],
      ["route", "system", null],
      ["accept", "liaison", null],
      ["message", "liaison", "to_resident"],
      ["message", "resident", "to_liaison"],
      ["resolve", "liaison", null],
    ]);
    const resolve = await h.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "resolve" } });
    expect([resolve.note, resolve.data]).toEqual(["已更换老化水管，试水正常", { photos: ["FIXED-1"] }]);
    // Everything the two of them received went through the outbox.
    const sends = h.api.calls.filter((x) => x.method !== "answerCallbackQuery" && [res.chat.id, li.chat.id].map(String).includes(String(x.payload.chat_id)));
    const rows = await h.db.prisma.outboxMessage.count({ where: { chatId: { in: [BigInt(res.chat.id), BigInt(li.chat.id)] }, status: { in: ["sent", "failed"] } } });
    expect(sends.length).toBe(rows);
  });

  it("a resident who shared the phone at registration has it on the card", async () => {
    const r = u.person(4002, "赵", "六");
    await h.register(r); // shares +8613800000000
    const c = await file(r, "楼道灯不亮", "报修", "电梯故障");
    const card = lastText(h.api, li.chat.id);
    expect(card).toContain(`新工单 ${c.number}`);
    expect(card).toContain("住户电话：+8613800000000（住户登记时提供）");
  });
});

describe("refusals", () => {
  it("a liaison of another company pressing this case's buttons is refused and nothing changes", async () => {
    const r = u.person(4003);
    await h.register(r);
    const c = await file(r, "垃圾三天没清运", "投诉", "环境卫生");
    const before = { row: await caseRow(c.id), events: await events(c.id), out: await h.db.prisma.outboxMessage.count() };
    for (const a of ["la", "lm", "lr", "lx", "ln", "lo"] as const) {
      const calls = await h.send(u.callback(wang, encode({ a, id: c.id })));
      expect(answer(calls)).toMatchObject({ text: "此工单不属于贵公司，无法操作。", show_alert: true });
    }
    expect(await caseRow(c.id)).toEqual(before.row);
    expect(await events(c.id)).toEqual(before.events);
    expect(await h.db.prisma.outboxMessage.count()).toBe(before.out);
    // Nor does /cases show it to them.
    await h.send(u.command(wang, "cases"));
    expect(JSON.stringify(h.api.sent(wang.chat.id).slice(-1))).not.toContain(c.number);
  });

  it("a stale Accept (pressed twice) is refused the second time and changes nothing", async () => {
    const r = u.person(4004);
    await h.register(r);
    const c = await file(r, "水压很低");
    const accept = h.lastButtons(li).find((b) => b.text === "✅ 受理")!;
    await h.send(u.callback(li, accept.data));
    const after = { row: await caseRow(c.id), events: await events(c.id) };
    const residentTexts = h.api.texts(r.chat.id).length;
    const calls = await h.send(u.callback(li, accept.data));
    expect(answer(calls)).toMatchObject({ text: `工单 ${c.number} 当前为“处理中”，这个操作已不可用。`, show_alert: true });
    expect(await caseRow(c.id)).toEqual(after.row);
    expect(await events(c.id)).toEqual(after.events);
    expect(h.api.texts(r.chat.id)).toHaveLength(residentTexts);
  });
});

describe("/cases", () => {
  it("lists the liaison's open cases by nearest deadline (response until accepted, then resolution), overdue marked", async () => {
    const r = u.person(4005);
    await h.register(r, { estate: "幸福花园" });
    const start = h.clock.now().getTime();
    const at = (min: number) => h.clock.set(new Date(start + min * 60_000));
    at(0);
    const a = await file(r, "A 电梯异响", "报修", "电梯故障");
    at(30);
    const b = await file(r, "B 门禁坏了", "报修", "电梯故障");
    at(10);
    const c = await file(r, "C 路灯不亮", "报修", "电梯故障");
    await h.send(u.callback(wang, encode({ a: "la", id: a.id }))); // A's next deadline is now its resolution (days away)
    const done = await file(r, "D 已解决", "报修", "电梯故障");
    await h.cases.apply(done.id, "resolve", { type: "system" }); // not open: not listed
    at(10 + 125); // C's response deadline (filed +10 min, due +130) has passed; B's (+150) has not

    await h.send(u.command(wang, "cases"));
    expect(lastText(h.api, wang.chat.id)).toContain("待办工单 3 件（已超时 1 件）");
    const labels = h.lastButtons(wang).map((x) => x.text);
    expect(labels.map((l) => l.replace(/^⏰ /, "").split(" · ")[0])).toEqual([c.number, b.number, a.number]);
    expect(labels[0]).toMatch(/^⏰ /);
    expect(labels.slice(1).some((l) => l.startsWith("⏰"))).toBe(false);
    expect(labels[2]).toContain("处理中");

    await h.press(wang, b.number);
    expect(lastText(h.api, wang.chat.id)).toContain(`新工单 ${b.number}`);
    expect(h.lastButtons(wang).map((x) => x.text)).toEqual(["✅ 受理", "💬 联系住户", "🛠 办结", "⏳ 申请延期", "↩️ 非我单位"]);
  });
});
