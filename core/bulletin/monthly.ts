// The monthly bulletins: one for the district and one per street for the month before, each stored
// once (Bulletin, unique per month and scope) with a PDF in each receiving office's language, and sent
// once through the outbox to the office's chat (sendDocument) and e-mail (attachment), in its language.
// Made by the hourly job and at start (jobs/bulletins.ts), so a service that was down on the 1st, or a
// run that failed, catches up; each scope is claimed in the database first (JobRun), so two processes
// never draw the same bulletin twice, and the bulletin and its messages commit together.
import { LOCALES, type Categories, type Locale } from "../cases/categories.ts";
import type { Clock } from "../clock.ts";
import type { Db } from "../db/db.ts";
import { fromLocal, toLocal } from "../clocks/zoned-time.ts";
import { periodWindow } from "../assessment/assessment.ts";
import { EMAIL_CHAT_ID, enqueue, type DocumentRef, type OutMessage } from "../delivery/outbox.ts";
import { composeBulletin, previousMonth, type BulletinData } from "./compose.ts";
import { bulletinText, bulletinTitle } from "./labels.ts";
import { bulletinPdf } from "./pdf.ts";
import { chooseChannels } from "../delivery/channels/choose.ts";
import { robotBulletin } from "../delivery/robots/robot-messages.ts";

export interface BulletinDeps {
  db: Db;
  clock: Clock;
  timezone: string;
  categories: Categories;
  /** The dashboard's language: its PDF is always made, whatever the offices read. */
  defaultLocale: Locale;
  /** rules/assessment.json classification.minSample: rates under it read 数据不足 and do not rank. */
  minSample: () => number;
  /** e.g. https://host/dashboard: the link to the printable page. */
  dashboardUrl: string;
  /** SMTP configured: offices with an address get the PDF by e-mail too. */
  email: boolean;
  font?: string;
  /** Who claims a scope (process id); a claim older than CLAIM_MS is taken as its owner having died. */
  owner?: string;
}

/** A claim's lease: far longer than a bulletin takes (7 s at 30,000 cases, bench:bulletin). */
export const CLAIM_MS = 15 * 60_000;
/** The month's bulletins are due from 07:00 local on the 1st of the next month. */
export const DUE_HOUR = 7;

export const officeLocale = (language: string, fallback: Locale): Locale => ((LOCALES as readonly string[]).includes(language) ? (language as Locale) : fallback);

/** "全区" / "全區" / "District", or the street's name. */
export const scopeName = (streetName: string | null, locale: Locale) => streetName ?? bulletinText(locale, "bu_district");

export const bulletinFileName = (month: string, scope: string, locale: Locale) => `${bulletinText(locale, "bu_file")}-${month}-${scope}.pdf`;

/** The month whose bulletins should exist at `now`: the one before, from 07:00 on the 1st; else the one before that. */
export function dueMonth(now: Date, tz: string): string {
  const l = toLocal(now, tz);
  const firstAtSeven = fromLocal(l.year, l.month, 1, DUE_HOUR, 0, tz);
  return previousMonth(now < firstAtSeven ? new Date(fromLocal(l.year, l.month, 1, 0, 0, tz).getTime() - 1) : now, tz);
}

/**
 * The catch-up the job runs every hour and at start: the due month's bulletins that are missing.
 * Nothing for a month that ended before the first case was filed (a new installation has nothing to report).
 */
export async function catchUpBulletins(d: BulletinDeps): Promise<{ month: string; made: number; queued: number }> {
  const month = dueMonth(d.clock.now(), d.timezone);
  const before = await d.db.case.findFirst({ where: { createdAt: { lt: periodWindow(month, d.timezone).to } }, select: { id: true } });
  if (!before) return { month, made: 0, queued: 0 };
  return { month, ...(await makeMonthlyBulletins(d, month)) };
}

/** Makes and queues a month's missing bulletins (default: the month before now). Repeating it adds nothing. */
export async function makeMonthlyBulletins(d: BulletinDeps, month = previousMonth(d.clock.now(), d.timezone)): Promise<{ made: number; queued: number }> {
  const streets = await d.db.street.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true } });
  const scopes = [{ streetId: null as number | null, name: null as string | null }, ...streets.map((s) => ({ streetId: s.id as number | null, name: s.name as string | null }))];
  const existing = new Set((await d.db.bulletin.findMany({ where: { month }, select: { scopeKey: true } })).map((b) => b.scopeKey));
  let made = 0;
  let queued = 0;
  const failures: unknown[] = [];
  for (const s of scopes) {
    const scopeKey = s.streetId === null ? "district" : `street:${s.streetId}`;
    if (existing.has(scopeKey)) continue;
    const claim = `bulletin:${month}:${scopeKey}`;
    if (!(await claimScope(d, claim))) continue;
    try {
      // Made by another process between the look-up above and the claim.
      if (!(await d.db.bulletin.findUnique({ where: { month_scopeKey: { month, scopeKey } }, select: { id: true } }))) {
        queued += await makeOne(d, month, scopeKey, s);
        made++;
      }
      await d.db.jobRun.updateMany({ where: { key: claim, owner: owner(d) }, data: { finishedAt: d.clock.now() } });
    } catch (err) {
      // Let the next run (or another process) try again at once rather than after the lease.
      await d.db.jobRun.deleteMany({ where: { key: claim, owner: owner(d), finishedAt: null } }).catch(() => {});
      failures.push(err);
    }
  }
  // One street's failure does not keep the others from being made; the run still reports it.
  if (failures.length) throw failures[0];
  return { made, queued };
}

const owner = (d: BulletinDeps) => d.owner ?? `${process.pid}`;

/**
 * Claims a scope's bulletin with one statement: a new JobRun row, or a finished one (the bulletin is
 * looked for again after the claim), or one whose owner started over CLAIM_MS ago and never finished.
 * Of two processes at once, one inserts or updates the row and the other changes nothing.
 */
async function claimScope(d: BulletinDeps, key: string): Promise<boolean> {
  const now = d.clock.now();
  const stale = new Date(now.getTime() - CLAIM_MS);
  const n = await d.db.$executeRaw`
    INSERT INTO "JobRun" (key, owner, "startedAt") VALUES (${key}, ${owner(d)}, ${now})
    ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, "startedAt" = EXCLUDED."startedAt", "finishedAt" = NULL
    WHERE "JobRun"."finishedAt" IS NOT NULL OR "JobRun"."startedAt" < ${stale}`;
  return n === 1;
}

async function makeOne(d: BulletinDeps, month: string, scopeKey: string, s: { streetId: number | null; name: string | null }): Promise<number> {
  const now = d.clock.now();
  const offices = await receivers(d.db, s.streetId);
  const locales = [...new Set([d.defaultLocale, ...offices.map((o) => officeLocale(o.language, d.defaultLocale))])];
  const data = await composeBulletin(d.db, { month, streetId: s.streetId, now, timezone: d.timezone, minSample: d.minSample() });
  const pdfs = await Promise.all(locales.map(async (locale) => ({ locale, pdf: (await renderPdf(d, data, s.name, locale)).toString("base64") })));
  // The bulletin, its PDFs and its messages commit together: a crash leaves none of them, and the claim's lease lets the next run redo it.
  return d.db.$transaction(async (tx) => {
    const b = await tx.bulletin.create({ data: { month, scopeKey, streetId: s.streetId, data: data as object, createdAt: now, pdfs: { create: pdfs } }, select: { id: true } });
    return (await enqueue(tx, messagesFor(d, offices, b.id, month, s.name))).length;
  });
}

export function renderPdf(d: Pick<BulletinDeps, "timezone" | "categories" | "font">, data: BulletinData, streetName: string | null, locale: Locale): Promise<Buffer> {
  return bulletinPdf(data, { locale, timezone: d.timezone, categories: d.categories, scopeName: scopeName(streetName, locale), font: d.font });
}

const receivers = (db: Db, streetId: number | null) =>
  db.office.findMany({ where: streetId === null ? { level: "district", active: true } : { level: "street", streetId, active: true }, orderBy: { id: "asc" } });

/** Each office's copy in its language: chat caption, e-mail subject and text, the PDF's name and language. */
function messagesFor(d: BulletinDeps, offices: Awaited<ReturnType<typeof receivers>>, bulletinId: number, month: string, streetName: string | null): OutMessage[] {
  const url = `${d.dashboardUrl}/bulletins/${bulletinId}`;
  const messages: OutMessage[] = [];
  for (const o of offices) {
    const locale = officeLocale(o.language, d.defaultLocale);
    const title = bulletinTitle(month, locale);
    const scope = scopeName(streetName, locale);
    const document: DocumentRef = { bulletinId, filename: bulletinFileName(month, scope, locale), locale };
    if (o.chatId) messages.push({ chatId: o.chatId, method: "sendDocument", payload: { document, caption: `${title} · ${scope}\n${url}` }, dedupeKey: `bulletin:${bulletinId}:${o.id}:chat`, kind: "digest" });
    for (const p of chooseChannels({ kind: "office", wecomWebhook: o.wecomWebhook, dingtalkWebhook: o.dingtalkWebhook }, "bulletin"))
      if (p === "wecom" || p === "dingtalk") messages.push(robotBulletin(o, p, `${title} · ${scope}`, `${url}/pdf`, url, `bulletin:${bulletinId}:${o.id}:${p}`));
    if (d.email && o.email)
      messages.push({
        chatId: EMAIL_CHAT_ID,
        method: "sendEmail",
        payload: { to: o.email, subject: `${title} · ${scope}`, text: bulletinText(locale, "bu_mail_text", { title, scope, url }), attachments: [document] },
        dedupeKey: `bulletin:${bulletinId}:${o.id}:mail`,
        kind: "digest",
      });
  }
  return messages;
}

/** For the transports: a stored bulletin's PDF in the row's language (rows from before languages: the first stored). */
export function bulletinDocuments(db: Db) {
  return async (ref: DocumentRef): Promise<{ filename: string; content: Buffer } | null> => {
    const p = await db.bulletinPdf.findFirst({ where: { bulletinId: ref.bulletinId, ...(ref.locale ? { locale: ref.locale } : {}) }, orderBy: { id: "asc" }, select: { pdf: true } });
    return p ? { filename: ref.filename, content: Buffer.from(p.pdf, "base64") } : null;
  };
}

/** A bulletin's PDF in a viewer's language: stored, or drawn from its data now and kept. */
export async function bulletinPdfIn(d: Pick<BulletinDeps, "db" | "timezone" | "categories" | "font">, b: { id: number; streetId: number | null; data: unknown }, locale: Locale): Promise<Buffer> {
  const stored = await d.db.bulletinPdf.findUnique({ where: { bulletinId_locale: { bulletinId: b.id, locale } }, select: { pdf: true } });
  if (stored) return Buffer.from(stored.pdf, "base64");
  const street = b.streetId === null ? null : ((await d.db.street.findUnique({ where: { id: b.streetId }, select: { name: true } }))?.name ?? "—");
  const pdf = await renderPdf(d, b.data as BulletinData, street, locale);
  // Two viewers at once: the unique key keeps one; both get the same document.
  await d.db.bulletinPdf.create({ data: { bulletinId: b.id, locale, pdf: pdf.toString("base64") } }).catch(() => {});
  return pdf;
}
