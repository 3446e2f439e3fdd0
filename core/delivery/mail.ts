// E-mail through the same outbox as every other message: rows with method "sendEmail" are handed
// to nodemailer (SMTP_URL), everything else to Telegram.
import nodemailer from "nodemailer";
import { DeliveryError, type DocumentLoader, type DocumentRef, type OutMethod, type Transport } from "./outbox.ts";

/** `smtp`: an SMTP URL, or nodemailer transport options (tests use { jsonTransport: true }). `documents` reads attachments the row names. */
export function mailTransport(smtp: string | Parameters<typeof nodemailer.createTransport>[0], from: string, documents?: DocumentLoader): Transport {
  const mailer = nodemailer.createTransport(smtp);
  return {
    async deliver(_chatId, _method, payload) {
      const { to, subject, text, attachments: refs } = payload as { to?: string; subject?: string; text?: string; attachments?: DocumentRef[] };
      if (!to || !subject || !text) throw new DeliveryError("rejected", "e-mail row without to/subject/text");
      const attachments = [];
      for (const ref of refs ?? []) {
        const file = documents ? await documents(ref) : null;
        if (!file) throw new DeliveryError("rejected", `e-mail attachment ${ref.filename} is gone (or no loader is set)`);
        attachments.push({ filename: file.filename, content: file.content, contentType: "application/pdf" });
      }
      try {
        await mailer.sendMail({ from, to, subject, text, attachments });
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

/** Sends e-mail rows by mail (when configured), SMS rows to the SMS provider, the rest by the chat transport. */
export function routeByMethod(chat: Transport, mail: Transport | null, sms?: Transport): Transport {
  return {
    deliver(chatId, method: OutMethod, payload) {
      if (method === "sendSms") return sms ? sms.deliver(chatId, method, payload) : Promise.reject(new DeliveryError("rejected", "no SMS transport is set up"));
      if (method !== "sendEmail") return chat.deliver(chatId, method, payload);
      if (!mail) return Promise.reject(new DeliveryError("rejected", "SMTP_URL is not set: e-mail cannot be sent"));
      return mail.deliver(chatId, method, payload);
    },
  };
}
