// Linking web and bot: "my cases" on the web shows a short one-time code; sent to the bot (/link
// CODE, or the code alone) it makes the Telegram account and the web resident one resident — the
// cases of both are listed in both places, and progress comes by the bot instead of SMS. Wrong,
// expired and used codes get a clear reply.
import { describe, expect, it } from "vitest";
import * as u from "../helpers/updates.ts";
import { Phone, withFrontDoor } from "./fixture.ts";
import { smsChatId } from "../../core/delivery/sms/sms-provider.ts";

const e = withFrontDoor();
const repliesTo = (p: u.Person) => e.api.texts(p.chat.id);
const lastReply = async (p: u.Person, count: number) => {
  await expect.poll(() => repliesTo(p).length, { timeout: 10_000 }).toBeGreaterThan(count);
  return repliesTo(p).slice(count).join("\n");
};

describe("linking a web resident and a Telegram account", () => {
  it("web code → bot: one resident, cases of both in both places, bot messages instead of SMS; wrong, expired and used codes refused", async () => {
    // The web resident, with a case filed on the web.
    const phone = new Phone();
    const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true } } } });
    const link = await e.link("heping");
    await phone.get(link);
    await phone.postForm(link, { unitId: String(estate.buildings[0]!.units[0]!.id), invite: "HEPING01", phone: "13600000001", sms: "1" });
    await phone.get(`${e.svc.base}/r/file`);
    const filed = await phone.postMultipart(`${e.svc.base}/r/file`, { description: "网页报的漏水", category: "water", draft: "link-web-case" });
    const webNumber = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
    const web = await e.db.prisma.resident.findFirstOrThrow({ where: { phone: "13600000001" } });

    // The same person registered in the bot earlier, with a case filed there.
    const tg = u.person(660001);
    const bot = await e.db.prisma.resident.create({ data: { telegramUserId: 660001n, chatId: 660001n, name: "王", language: "zh-Hans", status: "verified", estateId: estate.id } });
    const { case: botCase } = await e.svc.s.cases.file({ sourceKey: "link-bot-case", residentId: bot.id, kind: "repair", category: "water", description: "机器人报的漏水", estateId: estate.id, actor: { type: "resident", id: bot.id } });

    const mine = await phone.get(`${e.svc.base}/r/cases`);
    const code = /id="link-code">([^<]+)</.exec(mine.text)![1]!.trim();
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    expect(mine.text).toContain("把下面的绑定码发给本平台的机器人");
    expect(mine.text).not.toContain(botCase.number);
    // The same code while it is valid (a reload does not make a new one).
    expect((await phone.get(`${e.svc.base}/r/cases`)).text).toContain(code);

    // Wrong and expired codes: a clear reply, nothing linked.
    let n = repliesTo(tg).length;
    await e.svc.post(u.command(tg, "link", "ZZZZ22"));
    expect(await lastReply(tg, n)).toContain("绑定码不正确");
    await e.db.prisma.residentLinkCode.create({ data: { code: "PKD234", residentId: web.id, expiresAt: new Date(Date.now() - 60_000) } });
    n = repliesTo(tg).length;
    await e.svc.post(u.command(tg, "link", "pkd234"));
    expect(await lastReply(tg, n)).toContain("绑定码已过期");
    n = repliesTo(tg).length;
    await e.svc.post(u.command(tg, "link"));
    expect(await lastReply(tg, n)).toContain("/link");
    expect((await e.db.prisma.resident.findUniqueOrThrow({ where: { id: web.id } })).telegramUserId).toBeNull();

    // The code alone, as a plain message, links.
    n = repliesTo(tg).length;
    await e.svc.post(u.text(tg, code.toLowerCase()));
    expect(await lastReply(tg, n)).toContain("已绑定");
    expect(await e.db.prisma.resident.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({ telegramUserId: 660001n, chatId: 660001n });
    expect((await e.db.prisma.case.findUniqueOrThrow({ where: { id: botCase.id } })).residentId).toBe(web.id);

    // Both places list both cases.
    const after = await phone.get(`${e.svc.base}/r/cases`);
    expect(after.text).toContain(webNumber);
    expect(after.text).toContain(botCase.number);
    expect(after.text).toContain("已与 Telegram 绑定");
    expect(after.text).not.toContain('id="link-code"');
    n = e.api.sent(tg.chat.id).length;
    await e.svc.post(u.command(tg, "mycases"));
    await expect.poll(() => e.api.sent(tg.chat.id).length, { timeout: 10_000 }).toBeGreaterThan(n);
    const list = JSON.stringify(e.api.sent(tg.chat.id).slice(n).map((c) => c.payload));
    expect(list).toContain(webNumber);
    expect(list).toContain(botCase.number);

    // Used once.
    n = repliesTo(tg).length;
    await e.svc.post(u.command(tg, "link", code));
    expect(await lastReply(tg, n)).toMatch(/已经用过|已经和网页住户绑定/);
    const stranger = u.person(660002);
    await e.svc.post(u.command(stranger, "link", code));
    expect(await lastReply(stranger, 0)).toContain("已经用过");

    // Progress now comes by the bot, not by SMS.
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number: webNumber } });
    const sms = await e.db.prisma.outboxMessage.count({ where: { chatId: smsChatId(web.id) } });
    n = repliesTo(tg).length;
    await e.svc.s.cases.apply(c.id, "accept", { type: "liaison", id: c.liaisonId! });
    expect(await lastReply(tg, n)).toContain(webNumber);
    expect(await e.db.prisma.outboxMessage.count({ where: { chatId: smsChatId(web.id) } })).toBe(sms);
  });
});
