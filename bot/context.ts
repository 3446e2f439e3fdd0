// The bot's context type and its dependencies. Handlers reach everything through ctx.deps
// (no imported singletons) and send through ctx.out (the outbox), never ctx.reply.
import type { Context, SessionFlavor } from "grammy";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Db } from "../core/db/db.ts";
import type { HotSql } from "../core/db/hot-sql.ts";
import type { CaseService } from "../core/cases/case-service.ts";
import type { RevisitService } from "../core/cases/revisit.ts";
import type { Categories, Locale } from "../core/cases/categories.ts";
import type { Understander } from "../core/cases/understanding-types.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { Liaison, Resident } from "../core/db/generated/prisma/client.ts";
import type { WorkCalendar } from "../core/clocks/work-calendar.ts";
import type { SurveyService } from "../core/surveys/surveys.ts";
import type { SessionData } from "./session.ts";
import type { Out } from "./transport/out.ts";
import type { Callback } from "./callbacks.ts";

export interface BotDeps {
  db: Db;
  /** The per-update statements (Database.hot on PostgreSQL): lookups every step makes. */
  sql: HotSql;
  cases: CaseService;
  /** The resident's revisit answers (fixed? 1–5). */
  revisit: RevisitService;
  categories: Categories;
  defaultLocale: Locale;
  log: Logger;
  clock: Clock;
  wakeOutbox: () => void;
  timezone: string;
  /** Working days for the extension buttons (+1/+2/+3 working days). */
  calendar: () => WorkCalendar;
  /** Survey answers and /survey (absent: the survey buttons answer "not found"). */
  surveys?: SurveyService;
  /** Reads a resident's plain message as a proposed case (absent: plain messages get the menu). */
  understander?: Understander | null;
}

interface Extras {
  deps: BotDeps;
  /** The sender's Resident row, loaded once per update (null before registration). */
  resident: Resident | null;
  /** The sender's active Liaison row: a liaison never gets the resident menus. */
  liaison: Liaison | null;
  /** In a group chat: the language of the office linked to it (null: none linked, or private chat). */
  groupLanguage: string | null;
  locale: Locale;
  out: Out;
  /** Parsed callback data (null: none, or not ours/malformed). */
  cb: Callback | null;
  /** Set once the callback query was answered (the rest is answered generically). */
  acked: boolean;
}

export type BotContext = Context & SessionFlavor<SessionData> & I18nFlavor & Extras;
