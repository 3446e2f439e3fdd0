// The clocks' messages as people read them: core/clocks/sweeps.ts and core/clocks/digest.ts decide who and when,
// this turns their data into outbox rows (texts, buttons, dedupe keys derived from the given key).
// Each reader gets their language: a liaison theirs, an office group (and its e-mail) the office's.
import type { I18n } from "@grammyjs/i18n";
import type { CaseBrief, ClockRenderer, DigestData, OfficeRef } from "../../core/clocks/clock-notices.ts";
import type { Categories, Locale } from "../../core/cases/categories.ts";
import { EMAIL_CHAT_ID, type OutMessage } from "../../core/delivery/outbox.ts";
import type { BotContext } from "../context.ts";
import { toLocale, translator, type Translate } from "../i18n.ts";
import { escalationKeyboard, reminderKeyboard, revisitKeyboard } from "../keyboards.ts";
import { ellipsis, formatTime } from "./format.ts";

export interface ClockRendererDeps {
  i18n: I18n<BotContext>;
  categories: Categories;
  defaultLocale: Locale;
  timezone: string;
  /** Base of the office dashboard, without a trailing slash. */
  dashboardUrl: string;
}

/** Cases that get a message of their own (with buttons) in an office group; the rest are listed. */
export const ESCALATION_CARDS = 10;
// Telegram allows 4096 characters per message; leave room for the header and the link.
const CHUNK_CHARS = 3500;

/** "2 h 20 min", "1 d 3 h": the two largest units, so a long delay stays short to read. */
export function formatDuration(t: Translate, minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const parts: [string, number][] = [
    ["dur-days", Math.floor(m / 1440)],
    ["dur-hours", Math.floor((m % 1440) / 60)],
    ["dur-minutes", m % 60],
  ];
  const first = parts.findIndex(([, n]) => n > 0);
  // Overdue by seconds reads «不到 1 分钟», never «已超时 0 分钟».
  if (first === -1) return t("dur-under-minute");
  return parts
    .slice(first, first + 2)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => t(key, { n }))
    .join(" ");
}

/** Lines packed into messages under the limit; `head` starts the first, `cont` the others. */
function pack(head: string, cont: string, lines: string[], tail: string): string[] {
  const out: string[] = [];
  let cur = head;
  for (const line of lines) {
    if (cur.length + line.length + 1 > CHUNK_CHARS) {
      out.push(cur);
      cur = cont;
    }
    cur += `\n${line}`;
  }
  if (cur.length + tail.length + 1 > CHUNK_CHARS) {
    out.push(cur);
    cur = cont;
  }
  out.push(tail ? `${cur}\n${tail}` : cur);
  return out;
}

export function createClockRenderer(d: ClockRendererDeps): ClockRenderer {
  // Each staff member reads their own language (Liaison.language, Office.language for a group).
  const inLocale = (lang: string | null | undefined) => {
    const locale = toLocale(lang, d.defaultLocale);
    const staff = translator(d.i18n, locale);
    const which = (c: CaseBrief) => staff(`deadline-${c.which}`);
    return {
      staff,
      when: (at: Date | null) => formatTime(at, d.timezone) ?? staff("case-no-due"),
      which,
      category: (c: CaseBrief) => d.categories.label(c.category, locale),
      caseLine: (c: CaseBrief) => staff("clk-esc-line", { number: c.number, estate: c.estate, which: which(c), over: formatDuration(staff, c.minutes) }),
    };
  };
  const overdueLink = `${d.dashboardUrl}/cases?overdue=1`;

  return {
    reminder(to, c, lang) {
      const { staff, when, which, category } = inLocale(lang);
      const text = staff("clk-reminder", { number: c.number, which: which(c), category: category(c), estate: c.estate, due: when(c.dueAt), left: formatDuration(staff, c.minutes) });
      return { chatId: to, caseId: c.id, payload: { text, reply_markup: reminderKeyboard(staff, c.id, c.which) } };
    },

    escalationToOffice(office: OfficeRef, level, cases, key) {
      if (!office.chatId) return [];
      const chatId = office.chatId;
      const { staff, when, which, category, caseLine } = inLocale(office.language);
      const levelName = staff(`clk-esc-level-${level}`);
      const cards: OutMessage[] = cases.slice(0, ESCALATION_CARDS).map((c) => ({
        chatId,
        caseId: c.id,
        dedupeKey: `${key}:case:${c.id}`,
        payload: {
          text: staff("clk-esc-case", {
            level: levelName,
            number: c.number,
            category: category(c),
            estate: c.estate,
            company: c.company ?? "—",
            liaison: c.liaison ?? "—",
            which: which(c),
            due: when(c.dueAt),
            over: formatDuration(staff, c.minutes),
          }),
          reply_markup: escalationKeyboard(staff, c.id),
        },
      }));
      const rest = cases.slice(ESCALATION_CARDS);
      if (rest.length === 0) return cards;
      const texts = pack(staff("clk-esc-summary", { level: levelName, n: rest.length }), staff("clk-esc-summary-cont"), rest.map(caseLine), staff("clk-dashboard", { url: overdueLink }));
      return [...cards, ...texts.map((text, i) => ({ chatId, dedupeKey: `${key}:${i}`, payload: { text } }))];
    },

    escalationToLiaison(to, level, cases, key, lang) {
      const { staff, caseLine } = inLocale(lang);
      const office = staff(level === 1 ? "clk-office-street" : "clk-office-district");
      const texts = pack(staff("clk-esc-liaison", { office }), staff("clk-esc-summary-cont"), cases.map(caseLine), staff("clk-esc-liaison-tail"));
      return texts.map((text, i) => ({ chatId: to, dedupeKey: `${key}:${i}`, payload: { text } }));
    },

    revisitQuestion(to, locale, c, reminder) {
      const t = translator(d.i18n, toLocale(locale, d.defaultLocale));
      const lines = [t(reminder ? "rv-question-reminder" : "rv-question", { number: c.number })];
      if (c.note?.trim()) lines.push(t("rv-note", { note: ellipsis(c.note.trim(), 1000) }));
      return { chatId: to, caseId: c.id, payload: { text: lines.join("\n"), reply_markup: revisitKeyboard(t, c.id) } };
    },

    digest(g: DigestData) {
      const o = g.office;
      const { staff } = inLocale(o.language);
      const until = formatTime(g.until, d.timezone)!;
      const empty = g.newEscalationCount === 0 && g.stillOverdue === 0 && g.undeliverable === 0 && g.awaitingApproval.residents === 0;
      const officeOf = (level: number) => staff(level >= 2 ? "clk-office-district" : "clk-office-street");
      let head: string;
      let lines: string[];
      if (empty) {
        head = staff("dg-empty", { office: o.name, until });
        lines = [];
      } else {
        head = staff("dg-title", { office: o.name, until });
        lines = [
          staff("dg-new", { n: g.newEscalationCount }),
          ...g.newEscalations.map((e) => staff("dg-new-line", { number: e.number, estate: e.estate, company: e.company ?? "—", office: officeOf(e.level) })),
          ...(g.newEscalationCount > g.newEscalations.length ? [staff("dg-new-more", { n: g.newEscalationCount - g.newEscalations.length })] : []),
          staff("dg-overdue", { n: g.stillOverdue }),
          ...(g.perCompany.length ? [staff("dg-companies"), ...g.perCompany.map((p) => staff("dg-company", p))] : []),
          ...(g.undeliverable ? [staff("dg-undeliverable", { n: g.undeliverable })] : []),
          ...(g.awaitingApproval.residents ? [staff("dg-pending", { ...g.awaitingApproval, url: `${g.dashboardUrl}/residents/pending` })] : []),
        ];
      }
      const link = staff("clk-dashboard", { url: `${g.dashboardUrl}/cases?overdue=1` });
      const out: OutMessage[] = [];
      // An empty day is one line; otherwise the link closes the (last) message.
      if (o.chatId) {
        const texts = empty ? [head] : pack(head, staff("clk-esc-summary-cont"), lines, link);
        out.push(...texts.map((text) => ({ chatId: o.chatId!, payload: { text } })));
      }
      if (o.email) {
        const day = new Intl.DateTimeFormat("en-CA", { timeZone: d.timezone }).format(g.until);
        const text = empty ? head : [head, ...lines, link].join("\n");
        out.push({ chatId: EMAIL_CHAT_ID, method: "sendEmail", payload: { to: o.email, subject: staff("dg-subject", { office: o.name, day }), text } });
      }
      return out;
    },
  };
}
