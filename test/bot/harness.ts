// Test harness: a fresh DB with the demo district, the fake Bot API, the real bot, notifier,
// transport and outbox sender. `send` handles one update and drains the outbox, like production.
import type { Bot } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { BotContext } from "../../bot/context.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { FakeBotApi, type ApiCall } from "../helpers/fakeBotApi.ts";
import { stubRouter } from "../helpers/stubRouter.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { CaseService } from "../../core/cases/case-service.ts";
import { RevisitService } from "../../core/cases/revisit.ts";
import { loadCategories, type Categories } from "../../core/cases/categories.ts";
import { ManualClock, systemClock } from "../../core/clock.ts";
import { OutboxSender } from "../../core/delivery/outbox.ts";
import { silentLogger } from "../../core/logger.ts";
import type { Router } from "../../core/cases/routing-types.ts";
import type { Case } from "../../core/db/generated/prisma/client.ts";
import { createBot } from "../../bot/createBot.ts";
import { createI18n } from "../../bot/i18n.ts";
import type { I18n } from "@grammyjs/i18n";
import { BotNotifier } from "../../bot/render/notifier.ts";
import { createTransport } from "../../bot/transport/transport.ts";
import * as u from "../helpers/updates.ts";
import { keywordUnderstander } from "../helpers/keywordUnderstander.ts";
import type { Understander } from "../../core/cases/understanding-types.ts";

export const LIAISON_CHAT = { "huamei-li": 9001, "anju-wang": 9002, "lvyuan-chen": 9003 } as const;
export const OFFICE_CHAT = { dongcheng: -100111, xiyuan: -100222 } as const;

export interface Harness {
  db: TestDb;
  api: FakeBotApi;
  clock: ManualClock;
  cases: CaseService;
  router: Router;
  revisit: RevisitService;
  i18n: I18n<BotContext>;
  categories: Categories;
  readonly bot: Bot<BotContext>;
  sender: OutboxSender;
  send(update: Update): Promise<ApiCall[]>;
  /** A new Bot instance on the same database (a process restart). */
  restart(): void;
  /** Makes `bot` (an instance this harness made) handle what comes next: two workers taking turns. */
  use(bot: Bot<BotContext>): void;
  press(p: u.Person, label: string): Promise<ApiCall[]>;
  lastButtons(p: u.Person): { text: string; data: string }[];
  register(p: u.Person, opts?: { estate?: string; building?: string; unit?: string; lang?: string }): Promise<void>;
  /** A registered resident files through the guided buttons (no photo, no location, not urgent); returns the case. */
  file(p: u.Person, description: string, opts?: { kind?: string; category?: string }): Promise<Case>;
  close(): Promise<void>;
}

/** Telegram language_code for the language a test names (the app's language decides the bot's). */
const LANGUAGE_CODES: Record<string, string> = { 简体中文: "zh-hans", 繁體中文: "zh-hant", English: "en" };

export async function harness(opts: { router?: (db: TestDb) => Router; understander?: Understander | null } = {}): Promise<Harness> {
  const api = new FakeBotApi();
  await api.start();
  const db = await testDatabase();
  await seedDemo(db.prisma);
  for (const [code, chatId] of Object.entries(LIAISON_CHAT)) await db.prisma.liaison.update({ where: { code }, data: { chatId } });
  for (const [code, chatId] of Object.entries(OFFICE_CHAT)) {
    const street = await db.prisma.street.findUniqueOrThrow({ where: { code } });
    await db.prisma.office.update({ where: { streetId: street.id }, data: { chatId } });
  }
  const clock = new ManualClock(new Date("2026-11-24T10:00:00+08:00"));
  const categories = loadCategories("rules");
  const i18n = createI18n("zh-Hans");
  const notifier = new BotNotifier({ i18n, categories, defaultLocale: "zh-Hans", timezone: "Asia/Shanghai" });
  const router = (opts.router ?? ((d) => stubRouter(d.prisma)))(db);
  const cases = new CaseService({ db: db.prisma, router, clock, notifier });
  const revisit = new RevisitService({ db: db.prisma, cases, clock });
  const make = () =>
    createBot({ token: api.token, apiRoot: api.apiRoot, botInfo: api.botInfo as unknown as UserFromGetMe, db: db.prisma, cases, revisit, categories, defaultLocale: "zh-Hans", log: silentLogger, clock, wakeOutbox: () => {}, i18n,
      understander: opts.understander === undefined ? keywordUnderstander : opts.understander });
  let bot = make();
  // The sender runs on real time: outbox rows are stamped by the database clock.
  const sender = new OutboxSender({ db: db.prisma, transport: createTransport(bot.api), clock: systemClock });

  const h: Harness = {
    db,
    api,
    clock,
    cases,
    router,
    revisit,
    i18n,
    categories,
    get bot() {
      return bot;
    },
    sender,
    async send(update) {
      const before = api.calls.length;
      await bot.handleUpdate(update);
      await sender.drain();
      return api.calls.slice(before);
    },
    restart() {
      bot = make();
    },
    use(b) {
      bot = b;
    },
    lastButtons(p) {
      const rows = api.sent(p.chat.id).filter((c) => c.payload.reply_markup?.inline_keyboard?.length);
      const last = rows[rows.length - 1];
      if (!last) return [];
      return (last.payload.reply_markup.inline_keyboard as { text: string; callback_data: string }[][])
        .flat()
        .map((b) => ({ text: b.text, data: b.callback_data }));
    },
    async press(p, label) {
      const buttons = h.lastButtons(p);
      const b = buttons.find((x) => x.text === label) ?? buttons.find((x) => x.text.includes(label));
      if (!b) throw new Error(`no button "${label}" in the last keyboard sent to ${p.chat.id}: ${buttons.map((x) => x.text).join(" | ")}`);
      return h.send(u.callback(p, b.data, await sentMessageId(db, p.chat.id, b.data)));
    },
    async file(p, description, o = {}) {
      await h.send(u.command(p, "new"));
      await h.press(p, o.kind ?? "报修");
      const label = o.category ?? "给排水/漏水";
      await h.press(p, label);
      await h.send(u.text(p, description));
      // Only what is not known is asked: where (shared areas), how urgent (not for emergencies).
      // press() takes part of a label too ("爆管").
      const category = categories.list.find((c) => c.label["zh-Hans"] === label) ?? categories.list.find((c) => c.label["zh-Hans"].includes(label))!;
      if (category.publicArea) await h.send(u.text(p, "跳过"));
      if (!category.emergency) await h.press(p, "不紧急");
      await h.press(p, "确认提交");
      return db.prisma.case.findFirstOrThrow({ where: { description }, orderBy: { id: "desc" } });
    },
    async register(p, o = {}) {
      if (o.lang) p.user.language_code = LANGUAGE_CODES[o.lang] ?? o.lang;
      await h.send(u.command(p, "start"));
      await h.press(p, o.estate ?? "和平小区");
      await h.press(p, o.building ?? "1号楼");
      await h.press(p, o.unit ?? "1单元");
      const estate = await db.prisma.estate.findFirstOrThrow({ where: { name: o.estate ?? "和平小区" } });
      await h.send(u.text(p, estate.inviteCode));
      await h.send(u.contact(p, "+8613800000000"));
    },
    async close() {
      await api.stop();
      await db.drop();
    },
  };
  return h;
}

/** The Telegram message id of the sent message carrying this button (callbacks quote it). */
async function sentMessageId(db: TestDb, chatId: number, data: string): Promise<number> {
  const rows = await db.prisma.outboxMessage.findMany({ where: { chatId: BigInt(chatId), status: "sent" }, orderBy: { id: "desc" } });
  const row = rows.find((r) => JSON.stringify(r.payload).includes(JSON.stringify(data)));
  return row?.sentMessageId ?? 1;
}

export const lastText = (api: FakeBotApi, chatId: number | bigint): string => {
  const t = api.texts(chatId);
  return t[t.length - 1] ?? "";
};
