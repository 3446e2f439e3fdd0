// One place decides how a message reaches someone, from what the directory knows of them. Residents and
// liaisons get ONE channel (the first that works); an office hears on every channel it has set up.
//
//   resident: Telegram (not blocked) → SMS with a link to the web page (phone known) → nothing (web only)
//   liaison:  Telegram → SMS with a link to the web workspace (/w/) → e-mail → nothing
//   office:   its Telegram group (linked, bot not removed) + WeCom robot + DingTalk robot, and e-mail
//             for the daily digest and the monthly bulletin
//
// Each channel has its own sender, limits and dead letters (CHANNELS); the outbox rows carry the
// method named here. core/delivery/liaison-channel.ts can call chooseChannels({kind: "liaison", ...}).
import type { OutMethod } from "../outbox.ts";

export type RecipientKind = "resident" | "liaison" | "office";
export type Channel = "telegram" | "sms" | "wecom" | "dingtalk" | "email";
/** What is being sent: an office's e-mail gets only the digest and the bulletin. */
export type Purpose = "case" | "escalation" | "extension" | "warning" | "urge" | "digest" | "bulletin";

export interface Recipient {
  kind: RecipientKind;
  telegramChatId?: bigint | number | null;
  /** The resident blocked the bot, or the bot was removed from the office's group. */
  telegramGone?: boolean;
  phone?: string | null;
  email?: string | null;
  wecomWebhook?: string | null;
  dingtalkWebhook?: string | null;
}

export interface ChannelInfo {
  method: OutMethod;
  /** Who sends these rows (each with its own pacing and dead letters). */
  sender: string;
  /** Messages a minute per chat/robot the provider allows (null: no per-recipient limit we pace to). */
  perMinute: number | null;
  /** Bytes (or characters) one message may carry. */
  maxBytes: number | null;
}

export const CHANNELS: Record<Channel, ChannelInfo> = {
  telegram: { method: "sendMessage", sender: "outbox.ts → bot/transport (paced under the Bot API limit; 429 waits)", perMinute: 20, maxBytes: 4096 },
  sms: { method: "sendSms", sender: "outbox.ts → sms/ provider", perMinute: null, maxBytes: null },
  wecom: { method: "sendWecom", sender: "robots/robot-sender.ts", perMinute: 20, maxBytes: 4096 },
  dingtalk: { method: "sendDingtalk", sender: "robots/robot-sender.ts", perMinute: 20, maxBytes: 4096 },
  email: { method: "sendEmail", sender: "outbox.ts → mail.ts", perMinute: null, maxBytes: null },
};

const has = (s: string | null | undefined): s is string => typeof s === "string" && s.trim() !== "";

/** The channels a message for `r` goes on, in order; empty when the directory knows no way to reach them. */
export function chooseChannels(r: Recipient, purpose: Purpose = "case"): Channel[] {
  const telegram = r.telegramChatId != null && !r.telegramGone;
  if (r.kind === "office") {
    const out: Channel[] = [];
    if (telegram) out.push("telegram");
    if (has(r.wecomWebhook)) out.push("wecom");
    if (has(r.dingtalkWebhook)) out.push("dingtalk");
    if (has(r.email) && (purpose === "digest" || purpose === "bulletin")) out.push("email");
    return out;
  }
  if (telegram) return ["telegram"];
  if (has(r.phone)) return ["sms"];
  if (r.kind === "liaison" && has(r.email)) return ["email"];
  return [];
}
