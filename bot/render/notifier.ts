// core's Notifier for Telegram: renders case notices as outbox rows; the case service stores them in
// the case's transaction.
// Dedupe keys name the case and the notice, so a retried transaction never doubles a message.
import type { I18n } from "@grammyjs/i18n";
import type { CaseNotice, CaseRow, Notifier, ResidentNotice } from "../../core/cases/case-service.ts";
import type { HotSql } from "../../core/db/hot-sql.ts";
import type { Categories, Locale } from "../../core/cases/categories.ts";
import type { OutMessage } from "../../core/delivery/outbox.ts";
import type { BotContext } from "../context.ts";
import { toLocale, translator } from "../i18n.ts";
import { renderCaseCard, photoMessages } from "./caseCard.ts";
import { liaisonCaseKeyboard, mainMenu } from "../keyboards.ts";
import { formatAddress, formatTime } from "./format.ts";

export interface BotNotifierDeps {
  i18n: I18n<BotContext>;
  categories: Categories;
  /** Language of office group chats, and of liaisons who have none stored. */
  defaultLocale: Locale;
  timezone: string;
}

/** The people and facts a case card names (BotNotifier.contacts). */
interface Contacts {
  companyName: string | null;
  /** Where to tell the resident: null when there is none or they blocked the bot (the notifier skips them). */
  residentChatId: bigint | null;
  residentLanguage: string | null;
  phone: string | null;
  liaisonChatId: bigint | null;
  liaisonLanguage: string | null;
  liaisonActive: boolean;
  officeChatId: bigint | null;
  officeLanguage: string | null;
  photos: { fileId: string }[];
}

const CLOSING_ACTIONS = new Set(["confirmFixed", "closeNoAnswer", "officeClose"]);

export class BotNotifier implements Notifier {
  constructor(private readonly d: BotNotifierDeps) {}

  async notify(sql: HotSql, notice: CaseNotice): Promise<OutMessage[]> {
    if (notice.type === "filed") return this.filed(sql, notice.case, notice.notifyOffice);
    if (notice.type === "extension") return this.extension(sql, notice);
    if (notice.type === "rated") return this.rated(sql, notice.case, notice.score);
    // The bot's own reminder is the clock renderer's question with its buttons (core/clocks/sweeps.ts).
    if (notice.type === "reminder") return [];
    return this.transition(sql, notice.case, notice.action, notice.note, notice.data);
  }

  /** The office's decision on a registration, in the resident's language; approved, with the menu to file at once. */
  async resident(sql: HotSql, n: ResidentNotice): Promise<OutMessage[]> {
    const [r] = await sql.query<{ chatId: bigint | null; language: string | null; estate: string | null; building: string | null; unit: string | null }>`
      SELECT CASE WHEN r."blockedAt" IS NULL THEN r."chatId" END AS "chatId", r.language, e.name AS estate, b.name AS building, u.name AS unit
      FROM "Resident" r LEFT JOIN "Estate" e ON e.id = r."estateId" LEFT JOIN "Building" b ON b.id = r."buildingId" LEFT JOIN "Unit" u ON u.id = r."unitId"
      WHERE r.id = ${n.residentId}`;
    if (!r?.chatId) return [];
    const t = translator(this.d.i18n, toLocale(r.language, this.d.defaultLocale));
    const address = formatAddress({ name: r.estate ?? "" }, { name: r.building ?? "" }, { name: r.unit ?? "" });
    // A resident may register again after a rejection: each decision is its own message.
    const dedupeKey = `resident:${n.residentId}:${n.type}:${Date.now()}`;
    if (n.type === "approved") return [{ chatId: r.chatId, dedupeKey, payload: { text: t("res-approved", { address }), reply_markup: mainMenu(t) } }];
    return [{ chatId: r.chatId, dedupeKey, payload: { text: t("res-rejected", { address, reason: n.reason?.trim() || "—" }) } }];
  }

  /** The liaison who asked hears the office's decision, whoever decided (group button, dashboard, API). */
  private async extension(sql: HotSql, n: Extract<CaseNotice, { type: "extension" }>): Promise<OutMessage[]> {
    const id = Number(n.requestedBy);
    const [liaison] = Number.isInteger(id)
      ? await sql.query<{ chatId: bigint | null; active: boolean; language: string | null }>`SELECT "chatId", active, language FROM "Liaison" WHERE id = ${id}`
      : [];
    if (!liaison?.chatId || !liaison.active) return [];
    const st = translator(this.d.i18n, toLocale(liaison.language, this.d.defaultLocale));
    const text = st(n.approved ? "lia-ext-approved" : "lia-ext-denied", { number: n.case.number, due: formatTime(n.requestedDueAt, this.d.timezone)! });
    return [{ chatId: liaison.chatId, caseId: n.case.id, dedupeKey: `case:${n.case.id}:ext:${n.requestedDueAt.getTime()}:${n.approved ? "yes" : "no"}`, payload: { text } }];
  }

  /**
   * Who hears of this case and what the card shows, in one statement: it runs inside every filing,
   * where six Prisma lookups cost more CPU than the rest of the transaction.
   */
  private async contacts(sql: HotSql, c: CaseRow, withOffice: boolean): Promise<Contacts> {
    const [row] = await sql.query<Contacts>`
      SELECT co.name AS "companyName", CASE WHEN r."blockedAt" IS NULL THEN r."chatId" END AS "residentChatId",
        r.language AS "residentLanguage", r.phone, l."chatId" AS "liaisonChatId", l.language AS "liaisonLanguage",
        COALESCE(l.active, false) AS "liaisonActive", o."chatId" AS "officeChatId", o.language AS "officeLanguage",
        COALESCE((SELECT json_agg(json_build_object('fileId', a."fileId") ORDER BY a.id) FROM "Attachment" a WHERE a."caseId" = ${c.id}), '[]'::json) AS photos
      FROM (SELECT 1) AS one
        LEFT JOIN "Company" co ON co.id = ${c.companyId}::int
        LEFT JOIN "Resident" r ON r.id = ${c.residentId}::int
        LEFT JOIN "Liaison" l ON l.id = ${c.liaisonId}::int
        LEFT JOIN "Office" o ON ${withOffice} AND o."streetId" = ${c.streetId}::int`;
    return row!;
  }

  /** The liaison's card: with action buttons, and the phone only if the resident shared it. */
  private liaisonCard(c: CaseRow, who: Contacts, keyPrefix: string, header?: string): OutMessage[] {
    if (!who.liaisonChatId || !who.liaisonActive) return [];
    const locale = toLocale(who.liaisonLanguage, this.d.defaultLocale);
    const st = translator(this.d.i18n, locale);
    const text = renderCaseCard(st, this.d.categories, locale, this.d.timezone, { c, companyName: who.companyName ?? undefined, photos: who.photos, header, phone: who.phone });
    return [
      { chatId: who.liaisonChatId, caseId: c.id, dedupeKey: keyPrefix, payload: { text, reply_markup: liaisonCaseKeyboard(st, c.id, c.state) } },
      ...photoMessages(who.liaisonChatId, who.photos, c.id, `${keyPrefix}:photos`),
    ];
  }

  private async filed(sql: HotSql, c: CaseRow, notifyOffice: boolean): Promise<OutMessage[]> {
    const { categories, timezone } = this.d;
    const unroutable = c.state === "unroutable";
    const who = await this.contacts(sql, c, notifyOffice || unroutable);
    const company = who.companyName;
    const rows: OutMessage[] = [];

    if (who.residentChatId !== null) {
      const locale = toLocale(who.residentLanguage, this.d.defaultLocale);
      const t = translator(this.d.i18n, locale);
      const due = formatTime(c.responseDueAt, timezone);
      const routing =
        c.state === "unroutable" || !company
          ? t("filed-unroutable")
          : due
            ? t("filed-routed", { company, due })
            : t("filed-routed-nodue", { company });
      rows.push({
        chatId: who.residentChatId,
        caseId: c.id,
        dedupeKey: `case:${c.id}:filed:resident`,
        payload: { text: t("filed-resident", { kind: t(`kind-lc-${c.kind}`), number: c.number, category: categories.label(c.category, locale), routing }) },
      });
    }

    rows.push(...this.liaisonCard(c, who, `case:${c.id}:filed:liaison`));

    if (who.officeChatId !== null) {
      const staffLocale = toLocale(who.officeLanguage, this.d.defaultLocale);
      const st = translator(this.d.i18n, staffLocale);
      const header = st(unroutable ? "card-office-unroutable" : "card-office-emergency");
      const text = renderCaseCard(st, categories, staffLocale, timezone, { c, companyName: company ?? undefined, photos: who.photos, header });
      rows.push({ chatId: who.officeChatId, caseId: c.id, dedupeKey: `case:${c.id}:filed:office`, payload: { text } });
      rows.push(...photoMessages(who.officeChatId, who.photos, c.id, `case:${c.id}:filed:office:photos`));
    }
    return rows;
  }

  private async transition(sql: HotSql, c: CaseRow, action: string, note?: string, data?: Record<string, unknown>): Promise<OutMessage[]> {
    // updatedAt changes with every transition: a second reopen/accept cycle is a new message.
    const stamp = `case:${c.id}:${action}:${c.updatedAt.getTime()}`;
    const rows: OutMessage[] = [];
    // (Re)assigned by the office: the new liaison gets the card with its buttons. Not fixed at the
    // revisit: the same liaison gets the card again, marked as a repeat complaint.
    const cardHeader = action === "assign" ? "card-assigned" : action === "reopen" ? "card-reopened" : null;
    const key =
      action === "accept" ? "tr-accepted" : action === "resolve" ? "tr-resolved" : action === "reopen" ? "tr-reopened" : action === "transfer" ? "tr-transferred" : action === "reject" ? "tr-rejected" : CLOSING_ACTIONS.has(action) ? "tr-closed" : null;
    // Liaison and resident, read once for both messages.
    const who = cardHeader !== null || key ? await this.contacts(sql, c, false) : null;
    if (who && cardHeader !== null) {
      const st = translator(this.d.i18n, toLocale(who.liaisonLanguage, this.d.defaultLocale));
      rows.push(...this.liaisonCard(c, who, `${stamp}:liaison`, st(cardHeader, { n: c.reopenCount })));
    }
    // The resident confirmed the fix at the revisit: the liaison hears the outcome.
    if (who && action === "confirmFixed") rows.push(...this.toLiaison(who, c, `${stamp}:liaison`, "lia-outcome-fixed", {}));
    if (action === "transfer") rows.push(...(await this.officeTransfer(sql, c, note, stamp, data)));

    if (key && who && who.residentChatId !== null) {
      const t = translator(this.d.i18n, toLocale(who.residentLanguage, this.d.defaultLocale));
      rows.push({ chatId: who.residentChatId, caseId: c.id, dedupeKey: `${stamp}:resident`, payload: { text: t(key, { number: c.number, note: note?.trim().slice(0, 3000) || "—" }) } });
      // The liaison's resolution photos (file ids in the event data) follow the note.
      const photos = action === "resolve" && Array.isArray(data?.photos) ? (data.photos as unknown[]).filter((p): p is string => typeof p === "string") : [];
      rows.push(...photoMessages(who.residentChatId, photos.map((fileId) => ({ fileId })), c.id, `${stamp}:resident:photos`));
    }
    return rows;
  }

  /** A short message to the case's liaison, in their language (outcomes of the revisit). */
  private toLiaison(who: Contacts, c: CaseRow, dedupeKey: string, key: string, vars: Record<string, string | number>): OutMessage[] {
    if (!who.liaisonChatId || !who.liaisonActive) return [];
    const st = translator(this.d.i18n, toLocale(who.liaisonLanguage, this.d.defaultLocale));
    return [{ chatId: who.liaisonChatId, caseId: c.id, dedupeKey, payload: { text: st(key, { number: c.number, ...vars }) } }];
  }

  /** The resident's rating: once per revisit answer (closed, or the n-th reopening). */
  private async rated(sql: HotSql, c: CaseRow, score: number): Promise<OutMessage[]> {
    const who = await this.contacts(sql, c, false);
    return this.toLiaison(who, c, `case:${c.id}:rated:${c.state}:${c.reopenCount}`, c.state === "reopened" ? "lia-outcome-rated-reopened" : "lia-outcome-rated", { n: score });
  }

  /** "Not ours": the street office's chat gets the card with the company's reason. */
  private async officeTransfer(sql: HotSql, c: CaseRow, reason: string | undefined, stamp: string, data?: Record<string, unknown>): Promise<OutMessage[]> {
    const [office] = await sql.query<{ chatId: bigint | null; language: string }>`SELECT "chatId", language FROM "Office" WHERE "streetId" = ${c.streetId}`;
    if (!office?.chatId) return [];
    const locale = toLocale(office.language, this.d.defaultLocale);
    const st = translator(this.d.i18n, locale);
    // The case no longer names the company (it left it): the event data does.
    const companyId = typeof data?.companyId === "number" ? data.companyId : null;
    const [company] = companyId ? await sql.query<{ name: string }>`SELECT name FROM "Company" WHERE id = ${companyId}` : [];
    // A directory change (an estate's new company, a deactivated liaison) gives its reason as data.
    const why =
      data?.reason === "estate_moved"
        ? st("transfer-reason-estate-moved", { company: String(data.companyName ?? data.company) })
        : data?.reason === "liaison_deactivated"
          ? st("transfer-reason-liaison-off", { liaison: String(data.fromName ?? data.from) })
          : reason?.trim().slice(0, 1000);
    const header = st("card-office-transferred", { company: company?.name ?? "—", reason: why || "—" });
    const text = renderCaseCard(st, this.d.categories, locale, this.d.timezone, { c, photos: [], header });
    return [{ chatId: office.chatId, caseId: c.id, dedupeKey: `${stamp}:office`, payload: { text } }];
  }
}
