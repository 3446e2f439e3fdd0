// E-mail through the same outbox as every other message: rows with method "sendEmail" are handed
// to nodemailer (SMTP_URL), everything else to Telegram.
import nodemailer from "nodemailer";
import { DeliveryError, type OutMethod, type Transport } from "./outbox.ts";

export function mailTransport(smtpUrl: string, from: string): Transport {
  const mailer = nodemailer.createTransport(smtpUrl);
  return {
    async deliver(_chatId, _method, payload) {
      const { to, subject, text } = payload as { to?: string; subject?: string; text?: string };
      if (!to || !subject || !text) throw new DeliveryError("rejected", "e-mail row without to/subject/text");
      try {
        await mailer.sendMail({ from, to, subject, text });
        return {};
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        // 5xx from the SMTP server: the address or the message is refused; retrying will not help.
        if (e.responseCode && e.responseCode >= 500) throw new DeliveryError("rejected", `SMTP ${e.responseCode}: ${e.message}`);
        throw new DeliveryError("transient", e.message ?? String(err));
      }
    },
  };
}

/** Sends e-mail rows by mail (when configured) and the rest by the chat transport. */
export function routeByMethod(chat: Transport, mail: Transport | null): Transport {
  return {
    deliver(chatId, method: OutMethod, payload) {
      if (method !== "sendEmail") return chat.deliver(chatId, method, payload);
      if (!mail) return Promise.reject(new DeliveryError("rejected", "SMTP_URL is not set: e-mail cannot be sent"));
      return mail.deliver(chatId, method, payload);
    },
  };
}
