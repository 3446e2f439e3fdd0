// When Telegram will not take a photo or an album (a file id it no longer knows, a 4xx, or retries
// past their limit), the outbox sends this text in its place: the caption, then a link to each photo
// on the dashboard (served from the attachment store), or to the case when the photo is not on file.
import type { I18n } from "@grammyjs/i18n";
import type { Db } from "../../core/db/db.ts";
import type { Locale } from "../../core/cases/categories.ts";
import type { SenderOptions } from "../../core/delivery/outbox.ts";
import type { BotContext } from "../context.ts";
import { toLocale } from "../i18n.ts";

export function mediaFallback(o: { db: Db; i18n: I18n<BotContext>; defaultLocale: Locale; publicBaseUrl: string }): NonNullable<SenderOptions["mediaFallback"]> {
  const base = o.publicBaseUrl.replace(/\/+$/, "");
  return async ({ chatId, method, payload, caseId }) => {
    const fileIds =
      method === "sendPhoto" ? [String(payload.photo ?? "")] : ((payload.media as { media?: unknown }[] | undefined) ?? []).map((m) => String(m.media ?? ""));
    const captions = method === "sendPhoto" ? [payload.caption] : ((payload.media as { caption?: unknown }[] | undefined) ?? []).map((m) => m.caption);
    const caption = captions.filter((c): c is string => typeof c === "string" && c.trim() !== "").join("\n");
    const [resident, liaison] = await Promise.all([
      o.db.resident.findFirst({ where: { chatId }, select: { language: true } }),
      o.db.liaison.findFirst({ where: { chatId }, select: { id: true } }),
    ]);
    // Liaisons and offices read the default locale (bot/i18n.ts); residents their own.
    const locale = toLocale(liaison ? null : resident?.language, o.defaultLocale);
    let links: string[] = [];
    if (caseId) {
      const found = await o.db.attachment.findMany({ where: { caseId, fileId: { in: fileIds } }, select: { id: true, fileId: true }, orderBy: { id: "asc" } });
      links = found.map((a) => `${base}/dashboard/cases/${caseId}/photos/${a.id}`);
      if (links.length === 0) links = [`${base}/dashboard/cases/${caseId}`];
    } else links = [`${base}/dashboard`];
    const text = [caption, `${o.i18n.t(locale, "media-fallback")}\n${links.join("\n")}`].filter(Boolean).join("\n\n");
    // The album's or photo's buttons (e.g. Reply) stay with the text.
    return { text: text.slice(0, 4096), ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}) };
  };
}
