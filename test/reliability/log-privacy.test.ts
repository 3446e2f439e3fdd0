// Personal data is masked in logs (issue 24 item 6): a whole run with the log captured at info — a web
// resident registering with phone and name and filing, the SMS notice (SMS_PROVIDER=log, the default),
// a Telegram resident filing, a liaison's message relayed to them — then the log is searched for every
// phone number, name and message text the run used. The SMS line must be there, with 139****4321.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../core/logger.ts";
import { Phone, withFrontDoor } from "../web/fixture.ts";
import { smsChatId } from "../../core/delivery/sms/sms-provider.ts";
import { fileCase } from "../helpers/residentSim.ts";
import * as u from "../helpers/updates.ts";
import { registerResidents, until } from "./service.ts";

const lines: string[] = [];
const log = createLogger("info", false, new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
const e = withFrontDoor({ PUBLIC_BASE_URL: "https://wuye.example.cn" }, { log });

const WEB = { name: "王秀英", phone: "13912344321", text: "五号楼二单元楼道天花板渗水已经三天" };
const TG = { name: "李建国", first: "建国", last: "李", phone: "13800009876", text: "地下车库入口的水管在漏水" };
const RELAY = "师傅明天上午九点上门查看";

describe("personal data is masked in logs", () => {
  it("a whole run logs no phone number, name or message text in clear", async () => {
    // A web resident registers with name and phone (SMS consent) and files.
    const phone = new Phone();
    const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true } } } });
    const link = await e.link("heping");
    await phone.get(link);
    await phone.postForm(link, { unitId: String(estate.buildings[0]!.units[0]!.id), name: WEB.name, invite: "HEPING01", phone: WEB.phone, sms: "1" });
    await phone.get(`${e.svc.base}/r/file`);
    const filed = await phone.postMultipart(`${e.svc.base}/r/file`, { description: WEB.text, category: "water", draft: "privacy-1" });
    const number = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
    const webCase = await e.db.prisma.case.findUniqueOrThrow({ where: { number } });
    expect((await e.db.prisma.resident.findUniqueOrThrow({ where: { id: webCase.residentId! } })).phone).toContain("13912344321".slice(-4));
    // The liaison accepts: the SMS notice goes through the log transport.
    await e.svc.s.cases.apply(webCase.id, "accept", { type: "liaison", id: webCase.liaisonId! }, { liaison: { id: webCase.liaisonId!, companyId: webCase.companyId! } });
    expect(await until(async () => (await e.db.prisma.outboxMessage.count({ where: { chatId: smsChatId(webCase.residentId!), status: "sent" } })) === 1, 15_000)).toBe(true);

    // A Telegram resident files in the bot.
    await registerResidents(e.db.prisma, [660_001], { estate: "heping" });
    await e.db.prisma.resident.updateMany({ where: { chatId: 660_001n }, data: { name: TG.name, phone: TG.phone } });
    const p = u.person(660_001, TG.first, TG.last);
    const post = async (update: Parameters<typeof e.svc.post>[0]) => void expect(await e.svc.post(update)).toBe(200);
    const tgNumber = await fileCase(e.api, post, p, { description: TG.text });
    const tgCase = await e.db.prisma.case.findUniqueOrThrow({ where: { number: tgNumber }, include: { liaison: true } });

    // Its liaison presses 💬 on the card and writes to the resident through the bot.
    const liaisonChat = Number(tgCase.liaison!.chatId);
    const cardOf = () => e.api.sent(liaisonChat).find((c) => String(c.payload.text ?? "").includes(tgNumber) && JSON.stringify(c.payload.reply_markup ?? {}).includes("联系住户"));
    expect(await until(() => cardOf() !== undefined, 15_000), JSON.stringify(e.api.texts(liaisonChat))).toBe(true);
    const card = cardOf()!;
    const button = (card.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat().find((b) => b.text.includes("联系住户"))!;
    const liaison = u.person(liaisonChat, "工", "李");
    await post(u.callback(liaison, button.callback_data, Number(card.payload.message_id ?? 1)));
    await until(() => e.api.sent(liaisonChat).length > 0 && String(e.api.sent(liaisonChat).at(-1)!.payload.text ?? "").length > 0, 10_000);
    await post(u.text(liaison, RELAY));
    expect(await until(() => e.api.texts(660_001).some((t) => t.includes(RELAY)), 15_000)).toBe(true);

    const all = lines.join("");
    // The run was logged, the SMS line among it, masked.
    expect(all).toContain("front door: case filed");
    expect(all).toMatch(/"to":"\+86139\*\*\*\*4321".*"msg":"sms \(SMS_PROVIDER=log: not sent\)"/);
    for (const secret of [WEB.phone, WEB.name, WEB.text, TG.phone, TG.name, TG.first, TG.text, RELAY, "1391234", "12344321"]) {
      expect(all.includes(secret), `the log holds ${secret}:\n${lines.filter((l) => l.includes(secret)).join("")}`).toBe(false);
    }
  }, 180_000);
});
