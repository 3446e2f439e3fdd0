// Which channel reaches a liaison, in one place: Telegram when they joined the bot (their card with
// buttons goes as it always did, bot/render/notifier.ts and the clock renderer), otherwise an SMS
// with the link to the case in the web workspace (/w/cases/<number>) when the directory holds their
// phone, otherwise nothing (the office sees "不可达" on the directory page). The SMS rows go through
// the one outbox (method sendSms, one queue per number). The choice itself is chooseChannels'. Callers: api/workspace/notices.ts (new,
// assigned and reopened cases) and core/clocks/sweeps.ts (deadline reminders).
import type { OutMessage } from "./outbox.ts";
import { chooseChannels } from "./channels/choose.ts";
import { e164, SMS_METHOD, smsPhoneChatId } from "./sms/sms-provider.ts";

export interface LiaisonReach {
  chatId: bigint | null;
  phone: string | null;
  language: string | null;
  active: boolean;
}

export type LiaisonChannel = "telegram" | "sms" | "none";
export type LiaisonNoticeKind = "new" | "assigned" | "reopened" | "reminder" | "urge";

/** The liaison's one channel, as chooseChannels (core/delivery/channels/choose.ts) decides for every recipient. */
export function liaisonChannel(l: LiaisonReach): LiaisonChannel {
  if (!l.active) return "none";
  const [c] = chooseChannels({ kind: "liaison", telegramChatId: l.chatId, phone: l.phone });
  return c === "telegram" || c === "sms" ? c : "none";
}

const SAID: Record<LiaisonNoticeKind, [string, string, string]> = {
  new: ["新案件 {number}：{what}。请在时限内受理：{link}", "新案件 {number}：{what}。請在時限內受理：{link}", "New case {number}: {what}. Please accept it in time: {link}"],
  assigned: ["街道办将案件 {number} 交给您：{what}。{link}", "街道辦將案件 {number} 交給您：{what}。{link}", "The street office assigned case {number} to you: {what}. {link}"],
  reopened: ["案件 {number} 居民回访未解决，已重新打开：{what}。{link}", "案件 {number} 居民回訪未解決，已重新打開：{what}。{link}", "Case {number} was reopened at the revisit (not fixed): {what}. {link}"],
  reminder: ["提醒：案件 {number} 即将到期（{what}）。{link}", "提醒：案件 {number} 即將到期（{what}）。{link}", "Reminder: case {number} is due soon ({what}). {link}"],
  urge: ["催办：案件 {number}（{what}）请尽快处理并回复。{link}", "催辦：案件 {number}（{what}）請盡快處理並回覆。{link}", "The office urges you: please handle case {number} ({what}) and reply. {link}"],
};
const INDEX: Record<string, number> = { "zh-Hans": 0, "zh-Hant": 1, en: 2 };

/**
 * What a liaison is told of `kind`, on the channel that reaches them: for a liaison on Telegram, nothing
 * here (the caller's Telegram message goes as today); without Telegram, one SMS row with the link.
 * `what`: a few words (the category, or the deadline), in the liaison's language.
 */
export function liaisonNotice(l: LiaisonReach, kind: LiaisonNoticeKind, c: { id: number; number: string }, what: string, link: string, dedupeKey: string, defaultLocale = "zh-Hans"): OutMessage[] {
  if (liaisonChannel(l) !== "sms") return [];
  const locale = l.language && l.language in INDEX ? l.language : defaultLocale;
  const text = SAID[kind][INDEX[locale] ?? 0]!.replace("{number}", c.number).replace("{what}", what.slice(0, 40)).replace("{link}", link);
  return [{ chatId: smsPhoneChatId(l.phone!), method: SMS_METHOD, kind: "sms", caseId: c.id, dedupeKey: `sms:liaison:${dedupeKey}`, payload: { to: e164(l.phone!), text, params: [c.number, what.slice(0, 20), link], locale } }];
}
