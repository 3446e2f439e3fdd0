// SMS through the same outbox as every other message: rows with method "sendSms" (payload
// { to, text, params, locale }) go to the configured provider — a log line by default (SMS_PROVIDER=log,
// nothing leaves the machine), or Tencent Cloud SMS (tencent-sms.ts). Each resident's SMS rows use
// their own outbox "chat" (smsChatId), so one refused number never holds up another resident's.
import { maskPhone, type Logger } from "../../logger.ts";
import { DeliveryError, type Transport } from "../outbox.ts";

export const SMS_METHOD = "sendSms";

/** One text message. Providers in mainland China send approved templates only: `params` fill the template, `text` is the whole message (log transport, dead-letter page). */
export interface SmsMessage {
  to: string;
  text: string;
  params: string[];
  locale: string;
  /** A one-time code the text carries (sign-in by SMS): the log transport masks it unless SMS_LOG_CODES=1. */
  code?: string;
}

export interface SmsProvider {
  readonly name: string;
  /** Resolves when the provider accepted the message; throws DeliveryError (transient: retried; rejected: dead letter). */
  send(m: SmsMessage): Promise<void>;
}

/** Below every Telegram chat id (groups go down to about -1e13): one outbox queue per resident's SMS. */
const SMS_CHAT_BASE = -(2n ** 62n);
export const smsChatId = (residentId: number): bigint => SMS_CHAT_BASE - BigInt(residentId);
/** One outbox queue per mainland number (sign-in codes, a liaison's SMS notices), below the residents' queues. */
export const smsPhoneChatId = (phone: string): bigint => SMS_CHAT_BASE - 10n ** 12n - BigInt(phone.replace(/\D/g, "").slice(-11) || "0");
export const isSmsChat = (chatId: bigint): boolean => chatId <= SMS_CHAT_BASE;

/** Mainland numbers as residents type them (13912345678) in the E.164 form providers want. */
export function e164(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, "");
  if (digits.startsWith("+")) return digits;
  if (/^1\d{10}$/.test(digits)) return `+86${digits}`;
  return `+${digits}`;
}

/** The default: writes each message to the log instead of sending it — the number masked (139****4321),
 *  a one-time code masked unless `showCodes` (SMS_LOG_CODES=1, a trial without an SMS account). The text
 *  is the notifier's own template (case number, step, link), nothing a resident wrote. */
export function logSmsProvider(log: Logger, o: { showCodes?: boolean } = {}): SmsProvider {
  return {
    name: "log",
    async send(m) {
      const sms = m.code && !o.showCodes ? m.text.split(m.code).join("*".repeat(m.code.length)) : m.text;
      log.info({ to: maskPhone(m.to), sms, locale: m.locale }, "sms (SMS_PROVIDER=log: not sent)");
    },
  };
}

/** The outbox side: checks the row and hands it to the provider. */
export function smsTransport(provider: SmsProvider): Transport {
  return {
    async deliver(_chatId, _method, payload) {
      const { to, text, params, locale, code } = payload as Partial<SmsMessage>;
      if (typeof to !== "string" || !/^\+\d{8,15}$/.test(to) || typeof text !== "string" || !text) throw new DeliveryError("rejected", `SMS row without a valid to/text (to: ${maskPhone(String(to))})`);
      await provider.send({ to, text, params: Array.isArray(params) ? params.map(String) : [], locale: typeof locale === "string" ? locale : "zh-Hans", ...(typeof code === "string" && code ? { code } : {}) });
      return {};
    },
  };
}

