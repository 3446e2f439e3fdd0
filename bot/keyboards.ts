// Every keyboard the resident sees. Plain markup objects: they are stored in outbox rows as JSON.
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import type { Categories, Kind, Locale } from "../core/cases/categories.ts";
import { KINDS } from "../core/cases/categories.ts";
import { encode, type Callback } from "./callbacks.ts";
import { LOCALE_BUTTONS, type Translate } from "./i18n.ts";

const btn = (text: string, cb: Callback): InlineKeyboardButton => ({ text, callback_data: encode(cb) });
const inline = (rows: InlineKeyboardButton[][]): InlineKeyboardMarkup => ({ inline_keyboard: rows.filter((r) => r.length > 0) });
const chunk = <T>(list: T[], n: number): T[][] => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));

export const ESTATES_PER_PAGE = 8;
export const CASES_PER_PAGE = 5;

export function languageKeyboard(): InlineKeyboardMarkup {
  return inline([LOCALE_BUTTONS.map((l) => btn(l.label, { a: "lang", locale: l.locale }))]);
}

export function mainMenu(t: Translate): InlineKeyboardMarkup {
  return inline([
    [btn(t("btn-new"), { a: "menu", item: "new" })],
    [btn(t("btn-mycases"), { a: "menu", item: "mine" })],
    [btn(t("btn-language"), { a: "menu", item: "lang" }), btn(t("btn-help"), { a: "menu", item: "help" })],
  ]);
}

function pager(t: Translate, page: number, pages: number, make: (p: number) => Callback): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  if (page > 0) row.push(btn(t("btn-prev"), make(page - 1)));
  if (page < pages - 1) row.push(btn(t("btn-next"), make(page + 1)));
  return row;
}

export function estatesKeyboard(t: Translate, tok: string, estates: { id: number; name: string }[], page: number, pages: number): InlineKeyboardMarkup {
  return inline([
    ...chunk(estates.map((e) => btn(e.name, { a: "est", tok, id: e.id })), 2),
    pager(t, page, pages, (p) => ({ a: "estp", tok, page: p })),
  ]);
}

/** Estates found by a typed name or initials, and the way back to the full list. */
export function estateMatchesKeyboard(t: Translate, tok: string, estates: { id: number; name: string }[]): InlineKeyboardMarkup {
  return inline([...chunk(estates.map((e) => btn(e.name, { a: "est", tok, id: e.id })), 2), [btn(t("btn-all-estates"), { a: "ests", tok })]]);
}

export function buildingsKeyboard(tok: string, buildings: { id: number; name: string }[]): InlineKeyboardMarkup {
  return inline(chunk(buildings.map((b) => btn(b.name, { a: "bld", tok, id: b.id })), 3));
}

export function unitsKeyboard(tok: string, units: { id: number; name: string }[]): InlineKeyboardMarkup {
  return inline(chunk(units.map((u) => btn(u.name, { a: "unit", tok, id: u.id })), 3));
}

export function approvalKeyboard(t: Translate, tok: string): InlineKeyboardMarkup {
  return inline([[btn(t("btn-request-approval"), { a: "appr", tok })]]);
}

/** Telegram's contact-request button only exists on reply keyboards. */
export function phoneKeyboard(t: Translate): ReplyKeyboardMarkup {
  return {
    keyboard: [[{ text: t("btn-share-phone"), request_contact: true }], [{ text: t("btn-skip") }]],
    resize_keyboard: true,
    one_time_keyboard: true,
  };
}

export const removeKeyboard: ReplyKeyboardRemove = { remove_keyboard: true };

export function kindKeyboard(t: Translate, tok: string): InlineKeyboardMarkup {
  return inline([KINDS.map((k) => btn(t(`kind-${k}`), { a: "kind", tok, kind: k })), [btn(t("btn-cancel"), { a: "cncl", tok })]]);
}

export function categoryKeyboard(t: Translate, categories: Categories, locale: Locale, tok: string, kind: Kind): InlineKeyboardMarkup {
  const buttons = categories.forKind(kind).map((c) => btn(c.label[locale], { a: "cat", tok, code: c.code }));
  return inline([...chunk(buttons, 2), [btn(t("btn-cancel"), { a: "cncl", tok })]]);
}

/** Telegram's location-request button only exists on reply keyboards; "skip" is typed by its button. */
export function locationKeyboard(t: Translate): ReplyKeyboardMarkup {
  return {
    keyboard: [[{ text: t("btn-send-location"), request_location: true }], [{ text: t("btn-skip") }]],
    resize_keyboard: true,
    one_time_keyboard: true,
  };
}

/** Under a proposal read from a plain message: one tap files it, another changes the category. */
export function proposalKeyboard(t: Translate, tok: string): InlineKeyboardMarkup {
  return inline([[btn(t("btn-confirm"), { a: "conf", tok })], [btn(t("btn-change-category"), { a: "chg", tok }), btn(t("btn-cancel"), { a: "cncl", tok })]]);
}

/** The likely categories as buttons, then "every category" (a question back, or "change"). */
export function likelyCategoriesKeyboard(t: Translate, categories: Categories, locale: Locale, tok: string, codes: string[]): InlineKeyboardMarkup {
  const buttons = codes.map((code) => btn(categories.label(code, locale), { a: "cat", tok, code }));
  return inline([...chunk(buttons, 2), [btn(t("btn-all-categories"), { a: "all", tok }), btn(t("btn-cancel"), { a: "cncl", tok })]]);
}

/** Every category, whatever the kind (the kind follows the category picked). */
export function allCategoriesKeyboard(t: Translate, categories: Categories, locale: Locale, tok: string): InlineKeyboardMarkup {
  const buttons = categories.list.map((c) => btn(c.label[locale], { a: "cat", tok, code: c.code }));
  return inline([...chunk(buttons, 2), [btn(t("btn-cancel"), { a: "cncl", tok })]]);
}

export function urgencyKeyboard(t: Translate, tok: string): InlineKeyboardMarkup {
  return inline([[btn(t("btn-yes-urgent"), { a: "urg", tok, urgent: true }), btn(t("btn-not-urgent"), { a: "urg", tok, urgent: false })]]);
}

export function confirmKeyboard(t: Translate, tok: string): InlineKeyboardMarkup {
  return inline([[btn(t("btn-confirm"), { a: "conf", tok })], [btn(t("btn-edit"), { a: "edit", tok }), btn(t("btn-cancel"), { a: "cncl", tok })]]);
}

export function casesKeyboard(t: Translate, items: { id: number; label: string }[], page: number, pages: number): InlineKeyboardMarkup {
  return inline([...items.map((i) => [btn(i.label, { a: "co", id: i.id })]), pager(t, page, pages, (p) => ({ a: "cl", page: p }))]);
}

export function caseKeyboard(t: Translate, caseId: number, canAdd: boolean, canReopen = false): InlineKeyboardMarkup {
  return inline([
    canAdd ? [btn(t("btn-add-message"), { a: "cm", id: caseId }), btn(t("btn-add-photo"), { a: "cp", id: caseId })] : [],
    canReopen ? [btn(t("btn-rv-reopen"), { a: "rf", id: caseId, fixed: false })] : [],
    [btn(t("btn-back"), { a: "cl", page: 0 })],
  ]);
}

// ---- liaison and office ----

/** Buttons of a liaison's case card for the case's current state (none once it left the company). */
export function liaisonCaseKeyboard(t: Translate, caseId: number, state: string): InlineKeyboardMarkup {
  const open = state === "routed" || state === "accepted" || state === "reopened";
  const rows: InlineKeyboardButton[][] = [];
  if (state === "routed" || state === "reopened") rows.push([btn(t("btn-l-accept"), { a: "la", id: caseId })]);
  if (open) {
    rows.push([btn(t("btn-l-message"), { a: "lm", id: caseId }), btn(t("btn-l-resolve"), { a: "lr", id: caseId })]);
    rows.push([btn(t("btn-l-extend"), { a: "lx", id: caseId }), btn(t("btn-l-transfer"), { a: "ln", id: caseId })]);
  } else if (state === "resolved" || state === "revisit") {
    rows.push([btn(t("btn-l-message"), { a: "lm", id: caseId })]);
  }
  return inline(rows);
}

/** Under a message relayed between resident and liaison: answer it through the bot. */
export function replyToResidentKeyboard(t: Translate, caseId: number): InlineKeyboardMarkup {
  return inline([[btn(t("btn-l-reply"), { a: "lm", id: caseId })]]);
}

export function replyToLiaisonKeyboard(t: Translate, caseId: number): InlineKeyboardMarkup {
  return inline([[btn(t("btn-reply"), { a: "cm", id: caseId })]]);
}

export function liaisonPickKeyboard(t: Translate, tok: string, liaisons: { id: number; name: string }[]): InlineKeyboardMarkup {
  return inline([...chunk(liaisons.map((l) => btn(l.name, { a: "lj", tok, id: l.id })), 2), [btn(t("btn-l-new"), { a: "lj", tok, id: 0 })]]);
}

export function liaisonCasesKeyboard(items: { id: number; label: string }[]): InlineKeyboardMarkup {
  return inline(items.map((i) => [btn(i.label, { a: "lo", id: i.id })]));
}

export function resolvePhotoKeyboard(t: Translate, tok: string, count: number): InlineKeyboardMarkup {
  return inline([[btn(t(count > 0 ? "btn-done" : "btn-skip"), { a: "lrd", tok })]]);
}

export function extensionDaysKeyboard(options: { n: number; label: string }[], tok: string): InlineKeyboardMarkup {
  return inline(options.map((o) => [btn(o.label, { a: "lxd", tok, n: o.n })]));
}

export function extensionDecisionKeyboard(t: Translate, requestId: number): InlineKeyboardMarkup {
  return inline([[btn(t("btn-x-approve"), { a: "xa", id: requestId }), btn(t("btn-x-deny"), { a: "xd", id: requestId })]]);
}

// ---- clocks: reminders, escalation, revisit ----

/** Under a reminder: the card's buttons for the deadline at hand. */
export function reminderKeyboard(t: Translate, caseId: number, which: "response" | "resolution"): InlineKeyboardMarkup {
  return inline(
    which === "response"
      ? [[btn(t("btn-l-accept"), { a: "la", id: caseId })]]
      : [[btn(t("btn-l-resolve"), { a: "lr", id: caseId }), btn(t("btn-l-extend"), { a: "lx", id: caseId })]],
  );
}

/** Under one escalated case in the office group; once acknowledged only Reassign stays. */
export function escalationKeyboard(t: Translate, caseId: number, acknowledged = false): InlineKeyboardMarkup {
  return inline([[...(acknowledged ? [] : [btn(t("btn-e-ack"), { a: "ea", id: caseId })]), btn(t("btn-e-reassign"), { a: "er", id: caseId })]]);
}

export function reassignLiaisonsKeyboard(t: Translate, caseId: number, liaisons: { id: number; name: string }[], otherCompany: boolean): InlineKeyboardMarkup {
  return inline([...chunk(liaisons.map((l) => btn(l.name, { a: "erl", id: caseId, l: l.id })), 2), otherCompany ? [btn(t("btn-e-other-company"), { a: "erx", id: caseId })] : []]);
}

export function reassignCompaniesKeyboard(caseId: number, companies: { id: number; name: string }[]): InlineKeyboardMarkup {
  return inline(chunk(companies.map((c) => btn(c.name, { a: "erc", id: caseId, co: c.id })), 2));
}

export function revisitKeyboard(t: Translate, caseId: number): InlineKeyboardMarkup {
  return inline([[btn(t("btn-rv-yes"), { a: "rf", id: caseId, fixed: true }), btn(t("btn-rv-no"), { a: "rf", id: caseId, fixed: false })]]);
}

export function ratingKeyboard(caseId: number): InlineKeyboardMarkup {
  return inline([[1, 2, 3, 4, 5].map((n) => btn(String(n), { a: "rs", id: caseId, n }))]);
}

/** A survey question's answer buttons: 1–5 for a scale (with the two ends named), else the options. */
export function surveyKeyboard(t: Translate, recipientId: number, index: number, options: string[] | null): InlineKeyboardMarkup {
  if (!options) {
    return inline([
      [1, 2, 3, 4, 5].map((v) => btn(v === 1 ? `1 ${t("sv-scale-low")}` : v === 5 ? `5 ${t("sv-scale-high")}` : String(v), { a: "sva", id: recipientId, q: index, v })),
    ]);
  }
  return inline(chunk(options.map((label, v) => btn(label, { a: "sva", id: recipientId, q: index, v })), 2));
}
