// Builds the resident bot: per-chat ordering, error boundary, outbox helper, DB-backed session,
// i18n, then the feature composers. Starting it (polling or webhook) is the caller's business.
import { Bot, session, type BotError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { sequentialize } from "@grammyjs/runner";
import type { I18n } from "@grammyjs/i18n";
import type { Db } from "../core/db/db.ts";
import { makeWellFormed } from "../core/text.ts";
import { Prisma, type Liaison, type Resident } from "../core/db/generated/prisma/client.ts";
import type { CaseService } from "../core/cases/case-service.ts";
import type { RevisitService } from "../core/cases/revisit.ts";
import type { Categories, Locale } from "../core/cases/categories.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { enqueue } from "../core/delivery/outbox.ts";
import type { BotContext, BotDeps } from "./context.ts";
import { parse } from "./callbacks.ts";
import { createI18n, plain, toLocale } from "./i18n.ts";
import { Out, replyStore } from "./transport/out.ts";
import { chatSequenceKey } from "./transport/polling.ts";
import { initialSession, type SessionData } from "./session.ts";
import { SqlSessionStorage } from "./session-storage.ts";
import { aliasedColumnsOf, prismaHotSql, rowOf, sqlTemplate, type HotSql } from "../core/db/hot-sql.ts";
import { ack } from "./features/common.ts";
import { fallbackFeature } from "./features/fallback.ts";
import { filingFeature } from "./features/filing.ts";
import { generalFeature } from "./features/general.ts";
import { languageFeature } from "./features/language.ts";
import { linkFeature } from "./features/link.ts";
import { mycasesFeature } from "./features/mycases.ts";
import { registrationFeature } from "./features/registration.ts";
import { joinFeature } from "./features/join.ts";
import { liaisonFeature } from "./features/liaison.ts";
import { officeChatFeature } from "./features/office-chat.ts";
import { officeFeature } from "./features/office.ts";
import { revisitFeature } from "./features/revisit.ts";
import { surveyFeature } from "./features/survey.ts";
import type { SurveyService } from "../core/surveys/surveys.ts";
import { WorkCalendar } from "../core/clocks/work-calendar.ts";

/** What the bot is built from: its handlers' dependencies (BotDeps) plus how to reach Telegram. */
export interface CreateBotDeps extends Omit<BotDeps, "timezone" | "calendar" | "sql"> {
  token: string;
  apiRoot?: string;
  /** Skips getMe at start (tests, or a cached value). */
  botInfo?: UserFromGetMe;
  timezone?: string;
  /** Share one instance with the notifier; created here when absent. */
  i18n?: I18n<BotContext>;
  /** The rules' working-day calendar (extension buttons); chinese-days with Mon–Fri when absent. */
  calendar?: () => WorkCalendar | null;
  /** The per-update statements (Database.hot: session, who is writing, replies); Prisma when absent. */
  sql?: HotSql;
  /** Replaces grammY's HTTP client (tests under nock pass globalThis.fetch). */
  fetch?: typeof globalThis.fetch;
}

export function createBot(deps: CreateBotDeps): Bot<BotContext> {
  const bot = new Bot<BotContext>(deps.token, {
    botInfo: deps.botInfo,
    // grammY's own client on Node (node-fetch over a keep-alive agent): every reply, button edit
    // and answerCallbackQuery goes through it, and Node's built-in fetch costs ~0.37 ms more CPU
    // per call (scratch measurement: 0.51 vs 0.14 ms per call, client and server in one process).
    // `fetch` is for tests that intercept HTTP with nock, under which grammY's default hangs.
    client: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  });
  const i18n = deps.i18n ?? createI18n(deps.defaultLocale);
  const sql = deps.sql ?? prismaHotSql(deps.db);
  const botDeps: BotDeps = {
    db: deps.db,
    sql,
    cases: deps.cases,
    revisit: deps.revisit,
    categories: deps.categories,
    defaultLocale: deps.defaultLocale,
    log: deps.log,
    clock: deps.clock,
    wakeOutbox: deps.wakeOutbox,
    timezone: deps.timezone ?? "Asia/Shanghai",
    calendar: () => deps.calendar?.() ?? defaultCalendar,
    surveys: deps.surveys,
    understander: deps.understander ?? null,
  };
  const defaultCalendar = new WorkCalendar();
  const replies = replyStore(sql);

  // Must come first: it only orders what runs after it.
  bot.use(sequentialize(chatSequenceKey));
  // Lone surrogates in user text would make every jsonb write of this update fail (sessions, events).
  bot.use((ctx, next) => {
    makeWellFormed(ctx.update as unknown as Record<string, unknown>);
    return next();
  });
  bot.use(async (ctx, next) => {
    ctx.deps = botDeps;
    ctx.out = new Out(replies, ctx.chat?.id, ctx.update.update_id, deps.wakeOutbox);
    ctx.cb = ctx.callbackQuery ? parse(ctx.callbackQuery.data) : null;
    ctx.acked = false;
    ctx.resident = null;
    ctx.liaison = null;
    ctx.groupLanguage = null;
    ctx.locale = deps.defaultLocale;
    await next();
  });

  const handled = bot.errorBoundary((err) => apologize(err, botDeps));

  const localized = async (ctx: BotContext, next: () => Promise<void>) => {
    ctx.locale = toLocale(await ctx.i18n.getLocale(), deps.defaultLocale);
    const translate = ctx.t;
    ctx.t = ctx.translate = (key, vars) => translate(key, plain(vars));
    await next();
    // A callback no handler answered still gets its spinner stopped.
    if (ctx.callbackQuery && !ctx.acked) await ack(ctx);
  };

  // Group chats are office territory: only the office's buttons (extension decisions) act there;
  // everything else stays quiet, but never leaves a button spinning.
  const groups = handled.drop((ctx) => ctx.chat?.type === "private");
  groups.use(async (ctx, next) => {
    // Everyone in an office group reads the office's language, whoever pressed the button.
    if (ctx.chat) ctx.groupLanguage = (await deps.db.office.findFirst({ where: { chatId: BigInt(ctx.chat.id) }, select: { language: true } }))?.language ?? null;
    await next();
  });
  groups.use(i18n, localized);
  groups.filter((ctx) => ctx.chat?.type === "group" || ctx.chat?.type === "supergroup").use(officeChatFeature(), officeFeature());

  const priv = handled.filter((ctx) => ctx.chat?.type === "private");
  const sessions = new SqlSessionStorage<SessionData>(sql);
  const sessionKey = (ctx: Pick<BotContext, "chat">) => (ctx.chat?.type === "private" ? `tg:${ctx.chat.id}` : undefined);
  priv.use(async (ctx, next) => {
    // Who is writing, and their session, in one statement on every update: three reads were three
    // round trips (bench/intake). grammY's session middleware below takes the primed value.
    const key = sessionKey(ctx)!;
    const [row] = await sql.query<Record<string, unknown>>(WHO_IS_WRITING, key, ctx.from ? BigInt(ctx.from.id) : null);
    sessions.prime(key, (row!.session ?? undefined) as SessionData | undefined);
    ctx.resident = rowOf<Resident>(row!, Prisma.ResidentScalarFieldEnum, "r");
    ctx.liaison = rowOf<Liaison>(row!, Prisma.LiaisonScalarFieldEnum, "l");
    // Writing to us again means they unblocked the bot.
    if (ctx.resident?.blockedAt && !ctx.myChatMember) {
      ctx.resident = await deps.db.resident.update({ where: { id: ctx.resident.id }, data: { blockedAt: null } });
    }
    await next();
  });
  priv.use(session<SessionData, BotContext>({ initial: initialSession, storage: sessions, getSessionKey: sessionKey }));
  priv.use(i18n, localized);
  priv.on("my_chat_member", async (ctx) => {
    // The resident blocked (or unblocked) the bot: the notifier skips blocked residents.
    const blocked = ctx.myChatMember.new_chat_member.status === "kicked";
    await deps.db.resident.updateMany({ where: { telegramUserId: BigInt(ctx.from.id) }, data: { blockedAt: blocked ? deps.clock.now() : null } });
  });
  // Joining comes before the split: it decides who is a liaison (or refuses a resident).
  priv.use(joinFeature());
  // A person is either a liaison or a resident here: a liaison never reaches the resident menus.
  priv.filter((ctx) => ctx.liaison !== null).use(liaisonFeature());
  priv.use(languageFeature(), generalFeature(), linkFeature(), registrationFeature(), filingFeature(), mycasesFeature(), revisitFeature(), surveyFeature(), fallbackFeature());

  bot.catch((err) => apologize(err, botDeps));
  return bot;
}

// Whole rows with their columns spelled out, so the statement can be prepared (core/db/hot-sql.ts).
// Both telegramUserId columns are unique: one row, with nulls for what is not there.
const WHO_IS_WRITING = sqlTemplate(
  `SELECT s.value AS "session", ${aliasedColumnsOf(Prisma.ResidentScalarFieldEnum, "r")}, ${aliasedColumnsOf(Prisma.LiaisonScalarFieldEnum, "l")}
   FROM (SELECT `,
  `::text AS k, `,
  `::bigint AS u) w
   LEFT JOIN "BotSession" s ON s.key = w.k
   LEFT JOIN "Resident" r ON r."telegramUserId" = w.u
   LEFT JOIN "Liaison" l ON l."telegramUserId" = w.u AND l.active`,
);

/** Logs the error and tells the user politely (never a stack trace, never silence). */
async function apologize(err: BotError<BotContext>, deps: BotDeps): Promise<void> {
  const ctx = err.ctx;
  deps.log.error({ err: err.error, updateId: ctx.update.update_id }, "bot: update failed");
  const chatId = ctx.chat?.type === "private" ? ctx.chat.id : undefined;
  const locale = ctx.locale ?? deps.defaultLocale;
  let text: string;
  try {
    text = ctx.t("err-generic");
  } catch {
    text = FALLBACK_APOLOGY[locale] ?? FALLBACK_APOLOGY["zh-Hans"];
  }
  if (ctx.callbackQuery && !ctx.acked) {
    ctx.acked = true;
    await ctx.answerCallbackQuery({ text: text.slice(0, 190) }).catch(() => {});
  }
  if (chatId === undefined) return;
  try {
    await enqueue(deps.db, { chatId, payload: { text }, dedupeKey: `u:${chatId}:${ctx.update.update_id}:error` });
    deps.wakeOutbox();
  } catch (e) {
    // The outbox itself is unreachable (database down): the one place a message goes direct.
    deps.log.error({ err: e }, "bot: cannot enqueue apology; sending directly");
    await ctx.api.sendMessage(chatId, text).catch(() => {});
  }
}

const FALLBACK_APOLOGY: Record<Locale, string> = {
  "zh-Hans": "抱歉，处理您的请求时出了点问题，请稍后再试。",
  "zh-Hant": "抱歉，處理您的請求時出了點問題，請稍後再試。",
  en: "Sorry, something went wrong. Please try again in a moment.",
};

export type { BotContext };
