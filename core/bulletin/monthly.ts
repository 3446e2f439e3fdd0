// The monthly bulletins: on the 1st (jobs/bulletins.ts), one for the district and one per street for
// the month before, each stored once (Bulletin, unique per month and scope) with its PDF, and sent once
// through the outbox to the office's chat (sendDocument) and e-mail (attachment). A second run, another
// instance or a catch-up after downtime finds the rows and the outbox's dedupe keys and adds nothing.
import type { Categories } from "../cases/categories.ts";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/db.ts";
import { EMAIL_CHAT_ID, enqueue, type DocumentRef, type OutMessage } from "../delivery/outbox.ts";
import { composeBulletin, previousMonth } from "./compose.ts";
import { bulletinText, type BulletinLocale } from "./labels.ts";
import { bulletinPdf } from "./pdf.ts";

export interface BulletinDeps {
  db: Db;
  clock: Clock;
  timezone: string;
  categories: Categories;
  locale: BulletinLocale;
  /** e.g. https://host/dashboard: the link to the printable page. */
  dashboardUrl: string;
  /** SMTP configured: offices with an address get the PDF by e-mail too. */
  email: boolean;
  font?: string;
}

export const bulletinFileName = (month: string, scopeName: string) => `定期通报-${month}-${scopeName}.pdf`;

export async function makeMonthlyBulletins(d: BulletinDeps, month = previousMonth(d.clock.now(), d.timezone)): Promise<{ made: number; queued: number }> {
  const streets = await d.db.street.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true } });
  const scopes = [{ streetId: null as number | null, name: bulletinText(d.locale, "bu_district") }, ...streets.map((s) => ({ streetId: s.id as number | null, name: s.name }))];
  let made = 0;
  let queued = 0;
  for (const s of scopes) {
    const scopeKey = s.streetId === null ? "district" : `street:${s.streetId}`;
    let row = await d.db.bulletin.findUnique({ where: { month_scopeKey: { month, scopeKey } }, select: { id: true } });
    if (!row) {
      const now = d.clock.now();
      const data = await composeBulletin(d.db, { month, streetId: s.streetId, title: bulletinText(d.locale, "bu_title", { month }), now, timezone: d.timezone });
      const pdf = await bulletinPdf(data, { locale: d.locale, timezone: d.timezone, categories: d.categories, scopeName: s.name, font: d.font });
      // Another instance may have stored it meanwhile: the unique key decides, the loser reads the winner's row.
      row = await d.db.bulletin
        .create({ data: { month, scopeKey, streetId: s.streetId, data: data as object, pdf: pdf.toString("base64"), createdAt: now }, select: { id: true } })
        .then((r) => {
          made++;
          return r;
        })
        .catch(async (err) => {
          const again = await d.db.bulletin.findUnique({ where: { month_scopeKey: { month, scopeKey } }, select: { id: true } });
          if (!again) throw err;
          return again;
        });
    }
    queued += await deliver(d, row.id, month, s);
  }
  return { made, queued };
}

async function deliver(d: BulletinDeps, bulletinId: number, month: string, s: { streetId: number | null; name: string }): Promise<number> {
  const offices = await d.db.office.findMany({ where: s.streetId === null ? { level: "district", active: true } : { level: "street", streetId: s.streetId, active: true } });
  const title = bulletinText(d.locale, "bu_title", { month });
  const filename = bulletinFileName(month, s.name);
  const url = `${d.dashboardUrl}/bulletins/${bulletinId}`;
  const document: DocumentRef = { bulletinId, filename };
  const messages: OutMessage[] = [];
  for (const o of offices) {
    if (o.chatId) messages.push({ chatId: o.chatId, method: "sendDocument", payload: { document, caption: `${title} · ${s.name}\n${url}` }, dedupeKey: `bulletin:${bulletinId}:${o.id}:chat`, kind: "digest" });
    if (d.email && o.email)
      messages.push({
        chatId: EMAIL_CHAT_ID,
        method: "sendEmail",
        payload: { to: o.email, subject: `${title} · ${s.name}`, text: bulletinText(d.locale, "bu_mail_text", { title, scope: s.name, url }), attachments: [document] },
        dedupeKey: `bulletin:${bulletinId}:${o.id}:mail`,
        kind: "digest",
      });
  }
  return (await enqueue(d.db, messages)).length;
}

/** For the transports: the PDF bytes of a stored bulletin. */
export function bulletinDocuments(db: Db) {
  return async (ref: DocumentRef): Promise<{ filename: string; content: Buffer } | null> => {
    const b = await db.bulletin.findUnique({ where: { id: ref.bulletinId }, select: { pdf: true } });
    return b ? { filename: ref.filename, content: Buffer.from(b.pdf, "base64") } : null;
  };
}
