// What a liaison (or, with none in a chat, the street office) is told when a resident adds
// information or photos to a case on the web front door: the same texts as a Telegram addition
// (bot/features/mycases.ts). Web photos are in the attachment store, not at Telegram, so the
// message says how many were added; the case page on the dashboard shows them.
import type { I18n } from "@grammyjs/i18n";
import type { Tx } from "../../core/cases/case-types.ts";
import type { Locale } from "../../core/cases/categories.ts";
import { enqueue } from "../../core/delivery/outbox.ts";
import type { BotContext } from "../context.ts";
import { toLocale, translator } from "../i18n.ts";
import { extensionDecisionKeyboard, replyToLiaisonKeyboard, replyToResidentKeyboard } from "../keyboards.ts";
import { formatTime } from "./format.ts";

export function webAdditionNotice(i18n: I18n<BotContext>, defaultLocale: Locale) {
  return async (tx: Tx, c: { id: number; number: string; liaisonId: number | null; streetId: number }, text: string | null, photos: number): Promise<void> => {
    const liaison = c.liaisonId ? await tx.liaison.findUnique({ where: { id: c.liaisonId } }) : null;
    const toLiaison = liaison?.active && liaison.chatId ? liaison.chatId : null;
    const chat = toLiaison ?? (await tx.office.findUnique({ where: { streetId: c.streetId } }))?.chatId ?? null;
    if (!chat) return;
    const t = translator(i18n, toLocale(liaison?.language ?? null, defaultLocale));
    const lines = [text ? t("liaison-message", { number: c.number, text }) : null, photos > 0 ? `${t("liaison-photo", { number: c.number })} ×${photos}` : null].filter(Boolean);
    const reply = toLiaison ? { reply_markup: replyToResidentKeyboard(t, c.id) } : {};
    await enqueue(tx, { chatId: chat, caseId: c.id, payload: { text: lines.join("\n\n"), ...reply } });
  };
}

/** A liaison's message from the web workspace (/w/) to a resident on Telegram: the bot's own text and Reply button (bot/features/liaison.ts). A web resident reads it on the case page. */
export function workspaceMessageNotice(i18n: I18n<BotContext>, defaultLocale: Locale) {
  return async (tx: Tx, c: { id: number; number: string; residentId: number | null; companyId: number | null }, text: string): Promise<boolean> => {
    const resident = c.residentId ? await tx.resident.findUnique({ where: { id: c.residentId } }) : null;
    if (!resident?.chatId || resident.blockedAt) return false;
    const company = c.companyId ? await tx.company.findUnique({ where: { id: c.companyId } }) : null;
    const t = translator(i18n, toLocale(resident.language, defaultLocale));
    await enqueue(tx, { chatId: resident.chatId, caseId: c.id, payload: { text: t("res-message-from-company", { number: c.number, company: company?.name ?? "—", text }), reply_markup: replyToLiaisonKeyboard(t, c.id) } });
    return true;
  };
}

/** A liaison's extension request from the web workspace: the street office's chat (else the district's) gets the bot's request with its approve/deny buttons, as from the card. */
export function workspaceExtensionNotice(i18n: I18n<BotContext>, defaultLocale: Locale, timezone: string) {
  return async (tx: Tx, c: { id: number; number: string; streetId: number; resolutionDueAt: Date | null }, r: { id: number; liaison: { name: string; companyId: number }; reason: string; due: Date }): Promise<boolean> => {
    const street = await tx.office.findUnique({ where: { streetId: c.streetId } });
    const office = street?.chatId ? street : await tx.office.findFirst({ where: { level: "district", chatId: { not: null } } });
    if (!office?.chatId) return false;
    const company = await tx.company.findUnique({ where: { id: r.liaison.companyId } });
    const t = translator(i18n, toLocale(office.language, defaultLocale));
    const text = t("office-ext-request", { number: c.number, company: company?.name ?? "—", liaison: r.liaison.name, from: formatTime(c.resolutionDueAt, timezone) ?? "—", to: formatTime(r.due, timezone)!, reason: r.reason });
    await enqueue(tx, { chatId: office.chatId, caseId: c.id, payload: { text, reply_markup: extensionDecisionKeyboard(t, r.id) } });
    return true;
  };
}
