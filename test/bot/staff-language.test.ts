// Staff read their own language: a liaison their Liaison.language (reminders, escalations, cards, a
// resident's message), an office group its Office.language (escalation cards, replies to presses in
// the group, emergency cards, the digest). Here an English street office and an English liaison,
// next to the Chinese district office and resident, through the fake Bot API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import { harness, lastText, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "./harness.ts";
import { clocks, DASHBOARD, fileFor } from "./clocks-setup.ts";
import { saveOffice } from "../../core/directory/offices.ts";
import { OfficeInput } from "../../core/directory/fields.ts";
import { stubRouter } from "../helpers/stubRouter.ts";
import * as u from "../helpers/updates.ts";
import { wordRefusal } from "../../api/i18n/refusal-strings.ts";
import { issueRefusal } from "../../core/directory/fields.ts";

const DISTRICT_CHAT = -100998;
const CJK = /[\u4e00-\u9fff]/;
let h: Harness;
let c: ReturnType<typeof clocks>;
const li = u.person(LIAISON_CHAT["huamei-li"], "李", "工");
const res = u.person(5301);
const member = u.person(7201, "Zhou", "Director"); // 东城街道办事处

beforeAll(async () => {
  // Emergency categories go to the street office too, as the real rules decide (as in freetext.test.ts).
  h = await harness({
    router: (db) => {
      const stub = stubRouter(db.prisma);
      return {
        route: async (f) => ({ ...(await stub.route(f)), ...(h.categories.get(f.category)?.emergency ? { urgency: "emergency" as const, notifyOffice: true } : {}) }),
      };
    },
  });
  c = clocks(h);
  await h.db.prisma.office.updateMany({ where: { level: "district" }, data: { chatId: DISTRICT_CHAT } });
  await h.db.prisma.office.updateMany({ where: { chatId: OFFICE_CHAT.dongcheng }, data: { language: "en" } });
  await h.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { language: "en" } });
  await h.register(res);
  await h.send(u.command(member, "office", "OF-DONGCHENG"));
});
afterAll(async () => {
  await h?.close();
});

const buttonsOf = (call: ApiCall | undefined) =>
  ((call?.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat().map((b) => ({ text: b.text, data: b.callback_data }));
const groupCard = (chatId: number, needle: string) =>
  h.api
    .sent(chatId)
    .filter((x) => String(x.payload.text).includes(needle) && x.payload.reply_markup)
    .at(-1);

describe("an English office group and an English liaison", () => {
  it("the liaison's reminder and escalation notice are in English; the office's escalation card, its buttons and the reply to a press too; the district stays Chinese", async () => {
    h.clock.set("2026-11-24T10:00:00+08:00");
    const k = await fileFor(h, res.chat.id, "地下室水管爆裂"); // respond by 12:00
    // The resident filed in Chinese and is told in Chinese; the liaison's card is English.
    expect(lastText(h.api, res.chat.id)).toContain(`工单编号：${k.number}`);
    const card = h.api.sent(li.chat.id).find((x) => String(x.payload.text).includes(k.number))!;
    expect(String(card.payload.text)).not.toMatch(/工单|类别/);
    expect(buttonsOf(card).map((b) => b.text).join(" ")).not.toMatch(CJK);

    h.clock.set("2026-11-24T11:40:00+08:00");
    expect(await c.run((s) => s.reminders())).toBe(1);
    expect(lastText(h.api, li.chat.id)).toBe(
      `⏰ Reminder: the response deadline of case ${k.number} is near\nCategory: Water / leak · 和平小区\nresponse deadline: 2026-11-24 12:00 (20 min left)`,
    );

    h.clock.set("2026-11-24T12:01:00+08:00");
    expect(await c.run((s) => s.escalate())).toEqual({ level1: 1, level2: 0 });
    const msg = groupCard(OFFICE_CHAT.dongcheng, k.number);
    expect(msg?.payload.text).toBe(
      `🚨 Level 1 escalation · street office · case ${k.number}\nWater / leak · 和平小区\nCompany: 华美物业 (liaison: 李工)\nresponse deadline 2026-11-24 12:00, overdue by 1 min.`,
    );
    expect(buttonsOf(msg).map((b) => b.text)).toEqual(["👁 Acknowledge", "🔀 Reassign"]);
    expect(lastText(h.api, li.chat.id)).toBe(
      `⚠️ These cases are overdue and were escalated to the street office:\n· ${k.number} 和平小区 · response overdue by 1 min\nPlease handle them soon; /cases lists your open cases.`,
    );

    // A member whose own Telegram is Chinese presses in the group: the group's reply is the office's language.
    const b = buttonsOf(msg).find((x) => x.text === "👁 Acknowledge")!;
    expect(member.user.language_code).toBe("zh-hans");
    const update = u.callback(member, b.data, 77);
    const cq = update.callback_query as NonNullable<Update["callback_query"]>;
    (cq as { message: unknown }).message = { ...cq.message, chat: u.group(OFFICE_CHAT.dongcheng) };
    await h.send(update);
    expect(lastText(h.api, OFFICE_CHAT.dongcheng)).toBe(`👁 Zhou Director acknowledged the escalation of case ${k.number}.`);

    // Level 2 goes to the district office, which keeps the default language.
    h.clock.set("2026-11-26T12:01:00+08:00");
    expect((await c.run((s) => s.escalate())).level2).toBe(1);
    expect(String(groupCard(DISTRICT_CHAT, k.number)?.payload.text)).toContain(`二级督办`);
  });

  it("an emergency's card reaches the English office group in English", async () => {
    const before = h.api.sent(OFFICE_CHAT.dongcheng).length;
    await h.send(u.text(res, "3号楼电梯困人了，两个老人在里面"));
    const office = h.api.sent(OFFICE_CHAT.dongcheng).slice(before);
    expect(office).toHaveLength(1);
    expect(office[0]!.payload.text).toContain("🚨 Emergency case, for the street office's attention:");
    expect(office[0]!.payload.text).toContain("Kind: Repair · Trapped in lift");
    expect(h.api.texts(res.chat.id).at(-1)).toMatch(CJK); // the resident keeps Chinese
  });

  it("the daily digest is in the office's language; the district's in Chinese", async () => {
    h.clock.set("2026-11-27T08:30:00+08:00");
    await c.digests();
    const street = h.api.texts(OFFICE_CHAT.dongcheng).at(-1)!;
    expect(street.split("\n")[0]).toBe("📊 东城街道办事处 daily digest (until 2026-11-27 08:30)");
    expect(street).toContain(`${DASHBOARD}/cases?overdue=1`);
    expect(h.api.texts(DISTRICT_CHAT).at(-1)).toMatch(/^📊 区物业办 每日简报/);
  });

  it("Office.language is set through the directory and refuses an unknown language", async () => {
    const o = await h.db.prisma.office.findFirstOrThrow({ where: { chatId: OFFICE_CHAT.xiyuan } });
    const input = { code: o.code!, name: o.name, level: o.level, street: (await h.db.prisma.street.findUniqueOrThrow({ where: { id: o.streetId! } })).code };
    // core gives the reason as a code; the dashboard and API word it in the clerk's language.
    const issue = OfficeInput.safeParse({ ...input, language: "fr" }).error!.issues[0]!;
    expect(wordRefusal("zh-Hans", issueRefusal(issue))).toBe("语言：语言须为 zh-Hans、zh-Hant 或 en");
    await saveOffice(h.db.prisma, "test", OfficeInput.parse({ ...input, language: "zh-Hant" }));
    expect((await h.db.prisma.office.findUniqueOrThrow({ where: { id: o.id } })).language).toBe("zh-Hant");
  });
});
