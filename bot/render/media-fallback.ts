// When Telegram will not take a photo or an album (a 5xx, a file id it no longer knows, a 4xx, or
// retries past their limit), the outbox sends this text in its place: the caption, then a signed,
// expiring link to each photo (/p/<token>, core/attachments/photo-links.ts) that opens for the
// resident or liaison who gets it, without a staff login. A photo not on file is said to be so.
import type { I18n } from "@grammyjs/i18n";
import type { Db } from "../../core/db/db.ts";
import type { Locale } from "../../core/cases/categories.ts";
import type { Clock } from "../../core/clock.ts";
import type { SenderOptions } from "../../core/delivery/outbox.ts";
import type { PhotoLinks } from "../../core/attachments/photo-links.ts";
import type { BotContext } from "../context.ts";
import { toLocale } from "../i18n.ts";

export interface MediaFallbackOptions {
  db: Db;
  i18n: I18n<BotContext>;
  defaultLocale: Locale;
  publicBaseUrl: string;
  links: PhotoLinks;
  /** PHOTO_LINK_DAYS: told in the text. */
  linkDays: number;
  clock: Clock;
}

export function mediaFallback(o: MediaFallbackOptions): NonNullable<SenderOptions["mediaFallback"]> {
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
    const found = caseId ? await o.db.attachment.findMany({ where: { caseId, fileId: { in: fileIds } }, select: { id: true }, orderBy: { id: "asc" } }) : [];
    const now = o.clock.now();
    const note = found.length
      ? `${o.i18n.t(locale, "media-fallback", { days: o.linkDays })}\n${found.map((a) => `${base}/p/${o.links.sign(a.id, now)}`).join("\n")}`
      : o.i18n.t(locale, "media-fallback-none");
    const text = [caption, note].filter(Boolean).join("\n\n");
    // The album's or photo's buttons (e.g. Reply) stay with the text.
    return { text: text.slice(0, 4096), ...(payload.reply_markup ? { reply_markup: payload.reply_markup } : {}) };
  };
}
