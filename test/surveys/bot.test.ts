// The resident answers a survey through the real bot: buttons per question, stop and /survey,
// stale buttons refused, thank-you at the end, texts in the resident's language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { ManualClock, systemClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { OutboxSender } from "../../core/delivery/outbox.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadCategories } from "../../core/cases/categories.ts";
import { CaseService, noNotifier } from "../../core/cases/case-service.ts";
import { RevisitService } from "../../core/cases/revisit.ts";
import { silentLogger } from "../../core/logger.ts";
import { loadQuestionnaire } from "../../core/surveys/survey-settings.ts";
import { createBot, type BotContext } from "../../bot/createBot.ts";
import { createI18n } from "../../bot/i18n.ts";
import { createTransport } from "../../bot/transport/transport.ts";
import { createSurveyRenderer } from "../../bot/render/survey-renderer.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { stubRouter } from "../helpers/stubRouter.ts";
import * as u from "../helpers/updates.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { settingsWith } from "./fixtures.ts";

describe("survey in the bot", () => {
  let db: TestDb;
  let api: FakeBotApi;
  let bot: Bot<BotContext>;
  let sender: OutboxSender;
  let surveys: SurveyService;
  const clock = new ManualClock(new Date("2026-11-24T02:00:00Z"));
  const zh = u.person(31001);
  const en = u.person(31002, "Ann", "Lee", "en");

  const send = async (update: Parameters<Bot<BotContext>["handleUpdate"]>[0]) => {
    const before = api.calls.length;
    await bot.handleUpdate(update);
    await sender.drain();
    return api.calls.slice(before);
  };
  const lastKeyboard = (p: u.Person) => {
    const m = api.sent(p.chat.id).filter((c) => c.payload.reply_markup?.inline_keyboard?.length).at(-1)!;
    return (m.payload.reply_markup.inline_keyboard as { text: string; callback_data: string }[][]).flat();
  };
  const press = (p: u.Person, label: string) => send(u.callback(p, lastKeyboard(p).find((b) => b.text.startsWith(label))!.callback_data));
  const alertOf = (calls: { method: string; payload: Record<string, any> }[]) => calls.find((c) => c.method === "answerCallbackQuery")?.payload.text;

  beforeAll(async () => {
    api = new FakeBotApi();
    await api.start();
    db = await testDatabase();
    await seedDemo(db.prisma);
    const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    for (const [p, language] of [[zh, "zh-Hans"], [en, "en"]] as const) {
      await db.prisma.resident.create({ data: { telegramUserId: BigInt(p.user.id), chatId: BigInt(p.chat.id), name: "x", language, status: "verified", estateId: estate.id } });
    }
    const i18n = createI18n("zh-Hans");
    surveys = new SurveyService({ db: db.prisma, clock, renderer: createSurveyRenderer({ i18n, defaultLocale: "zh-Hans", timezone: "Asia/Shanghai" }), settings: settingsWith(100), rulesDir: "rules", timezone: "Asia/Shanghai", sleep: async () => {} });
    const router = stubRouter(db.prisma);
    const cases = new CaseService({ db: db.prisma, router, clock, notifier: noNotifier });
    bot = createBot({
      token: api.token, apiRoot: api.apiRoot, botInfo: api.botInfo as unknown as UserFromGetMe, db: db.prisma, cases, revisit: new RevisitService({ db: db.prisma, cases, clock }),
      categories: loadCategories("rules"), defaultLocale: "zh-Hans", log: silentLogger, clock, wakeOutbox: () => {}, i18n, surveys,
    });
    sender = new OutboxSender({ db: db.prisma, transport: createTransport(bot.api), clock: systemClock });
    const s = await surveys.create(loadQuestionnaire("rules", "owner-satisfaction"), { closesAt: new Date("2026-12-10T02:00:00Z") });
    await surveys.push({ survey: s.id, scope: "estate", scopeId: estate.id });
    await surveys.step();
    await sender.drain();
  });
  afterAll(async () => {
    await api.stop();
    await db.drop();
  });

  it("asks one question at a time, resumes with /survey, refuses stale buttons, thanks at the end", async () => {
    const first = api.texts(zh.chat.id)[0]!;
    expect(first).toContain("物业服务满意度调查");
    expect(first).toContain("第 1/5 题：您对物业服务的总体满意度？");
    expect(lastKeyboard(zh).map((b) => b.text)).toEqual(["1 很不满意", "2", "3", "4", "5 很满意"]);
    const q1 = lastKeyboard(zh)[4]!.callback_data;

    await press(zh, "5");
    expect(api.texts(zh.chat.id).at(-1)).toBe("第 2/5 题：报修处理是否及时？");
    expect(api.calls.some((c) => c.method === "editMessageReplyMarkup" && c.payload.chat_id === zh.chat.id)).toBe(true);
    // The first question's button again: refused, nothing stored.
    expect(alertOf(await send(u.callback(zh, q1)))).toBe("这道题已经回答过了，请回答最新的一题。");
    expect(await db.prisma.surveyAnswer.count()).toBe(1);

    // Stop here; later /survey brings back question 2.
    await send(u.command(zh, "survey"));
    expect(api.texts(zh.chat.id).at(-1)).toContain("从上次停下的地方继续");
    expect(api.texts(zh.chat.id).at(-1)).toContain("第 2/5 题");
    for (const v of ["4", "3", "2"]) await press(zh, v);
    expect(lastKeyboard(zh).map((b) => b.text)).toEqual(["维修", "保洁", "安保", "停车"]);
    await press(zh, "停车");
    expect(api.texts(zh.chat.id).at(-1)).toBe("谢谢您填写“物业服务满意度调查”！您的意见将用于物业服务考核。");
    const stored = await db.prisma.surveyAnswer.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((a) => a.score ?? a.choice)).toEqual([5, 4, 3, 2, "parking"]);
    await send(u.command(zh, "survey"));
    expect(api.texts(zh.chat.id).at(-1)).toBe("您目前没有需要填写的问卷。");
  });

  it("speaks the resident's language and reminds once before closing", async () => {
    expect(api.texts(en.chat.id)[0]).toContain("Question 1/5: Overall, how satisfied are you with the property service?");
    await press(en, "4");
    clock.set("2026-12-08T02:00:00Z"); // 2 days before closing (remindBeforeDays 3)
    await surveys.step();
    await sender.drain();
    expect(api.texts(en.chat.id).at(-1)).toContain("Reminder: Property service satisfaction survey closes on 2026-12-10");
    expect(api.texts(en.chat.id).at(-1)).toContain("Question 2/5");
    await surveys.step();
    await sender.drain();
    expect(api.texts(en.chat.id).filter((t) => t.includes("Reminder"))).toHaveLength(1);
    expect(api.texts(zh.chat.id).some((t) => t.includes("提醒"))).toBe(false); // finished: no reminder
  });
});
