// core's Notifier for Telegram: turns case notices into outbox rows inside the case transaction.
// Dedupe keys name the case and the notice, so a retried transaction never doubles a message.
import type { I18n } from "@grammyjs/i18n";
import type { CaseNotice, CaseRow, Notifier, Tx } from "../core/cases.ts";
import type { Categories, Locale } from "../core/categories.ts";
import { enqueue, type OutMessage } from "../core/outbox.ts";
import type { BotContext } from "./context.ts";
import { toLocale, translator } from "./i18n.ts";
import { renderCaseCard, photoMessages } from "./render/caseCard.ts";
import { liaisonCaseKeyboard } from "./keyboards.ts";
import { formatTime } from "./render/format.ts";

export interface BotNotifierDeps {
  i18n: I18n<BotContext>;
  categories: Categories;
  /** Language of liaison and office chats (they have no language setting yet). */
  defaultLocale: Locale;
  timezone: string;
}

const CLOSING_ACTIONS = new Set(["confirmFixed", "closeNoAnswer", "officeClose"]);

export class BotNotifier implements Notifier {
  constructor(private readonly d: BotNotifierDeps) {}

  async notify(tx: Tx, notice: CaseNotice): Promise<void> {
    if (notice.type === "filed") await this.filed(tx, notice.case, notice.notifyOffice);
    else if (notice.type === "extension") await this.extension(tx, notice);
    else await this.transition(tx, notice.case, notice.action, notice.note, notice.data);
  }

  /** The liaison who asked hears the office's decision, whoever decided (group button, dashboard, API). */
  private async extension(tx: Tx, n: Extract<CaseNotice, { type: "extension" }>): Promise<void> {
    const id = Number(n.requestedBy);
    const liaison = Number.isInteger(id) ? await tx.liaison.findUnique({ where: { id } }) : null;
    if (!liaison?.chatId || !liaison.active) return;
    const st = translator(this.d.i18n, this.d.defaultLocale);
    const text = st(n.approved ? "lia-ext-approved" : "lia-ext-denied", { number: n.case.number, due: formatTime(n.requestedDueAt, this.d.timezone)! });
    await enqueue(tx, { chatId: liaison.chatId, caseId: n.case.id, dedupeKey: `case:${n.case.id}:ext:${n.requestedDueAt.getTime()}:${n.approved ? "yes" : "no"}`, payload: { text } });
  }

  /** The liaison's card: with action buttons, and the phone only if the resident shared it. */
  private async liaisonCard(tx: Tx, c: CaseRow, keyPrefix: string, header?: string): Promise<OutMessage[]> {
    const liaison = c.liaisonId ? await tx.liaison.findUnique({ where: { id: c.liaisonId } }) : null;
    if (!liaison?.chatId || !liaison.active) return [];
    const locale = this.d.defaultLocale;
    const st = translator(this.d.i18n, locale);
    const company = c.companyId ? await tx.company.findUnique({ where: { id: c.companyId } }) : null;
    const photos = await tx.attachment.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } });
    const phone = c.residentId ? (await tx.resident.findUnique({ where: { id: c.residentId } }))?.phone : null;
    const text = renderCaseCard(st, this.d.categories, locale, this.d.timezone, { c, companyName: company?.name, photos, header, phone });
    return [
      { chatId: liaison.chatId, caseId: c.id, dedupeKey: keyPrefix, payload: { text, reply_markup: liaisonCaseKeyboard(st, c.id, c.state) } },
      ...photoMessages(liaison.chatId, photos, c.id, `${keyPrefix}:photos`),
    ];
  }

  private async residentOf(tx: Tx, c: CaseRow) {
    if (!c.residentId) return null;
    const r = await tx.resident.findUnique({ where: { id: c.residentId } });
    return r && !r.blockedAt ? r : null;
  }

  private async filed(tx: Tx, c: CaseRow, notifyOffice: boolean): Promise<void> {
    const { categories, timezone } = this.d;
    const company = c.companyId ? await tx.company.findUnique({ where: { id: c.companyId } }) : null;
    const photos = await tx.attachment.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } });
    const rows: OutMessage[] = [];

    const resident = await this.residentOf(tx, c);
    if (resident) {
      const locale = toLocale(resident.language, this.d.defaultLocale);
      const t = translator(this.d.i18n, locale);
      const due = formatTime(c.responseDueAt, timezone);
      const routing =
        c.state === "unroutable" || !company
          ? t("filed-unroutable")
          : due
            ? t("filed-routed", { company: company.name, due })
            : t("filed-routed-nodue", { company: company.name });
      rows.push({
        chatId: resident.chatId,
        caseId: c.id,
        dedupeKey: `case:${c.id}:filed:resident`,
        payload: { text: t("filed-resident", { kind: t(`kind-lc-${c.kind}`), number: c.number, category: categories.label(c.category, locale), routing }) },
      });
    }

    const staffLocale = this.d.defaultLocale;
    const st = translator(this.d.i18n, staffLocale);
    const card = (header?: string) => renderCaseCard(st, categories, staffLocale, timezone, { c, companyName: company?.name, photos, header });

    rows.push(...(await this.liaisonCard(tx, c, `case:${c.id}:filed:liaison`)));

    const unroutable = c.state === "unroutable";
    if (notifyOffice || unroutable) {
      const office = await tx.office.findUnique({ where: { streetId: c.streetId } });
      if (office?.chatId) {
        const header = st(unroutable ? "card-office-unroutable" : "card-office-emergency");
        rows.push({ chatId: office.chatId, caseId: c.id, dedupeKey: `case:${c.id}:filed:office`, payload: { text: card(header) } });
        rows.push(...photoMessages(office.chatId, photos, c.id, `case:${c.id}:filed:office:photos`));
      }
    }
    await enqueue(tx, rows);
  }

  private async transition(tx: Tx, c: CaseRow, action: string, note?: string, data?: Record<string, unknown>): Promise<void> {
    // updatedAt changes with every transition: a second reopen/accept cycle is a new message.
    const stamp = `case:${c.id}:${action}:${c.updatedAt.getTime()}`;
    const rows: OutMessage[] = [];
    // (Re)assigned by the office: the new liaison gets the card with its buttons.
    if (action === "assign") rows.push(...(await this.liaisonCard(tx, c, `${stamp}:liaison`, translator(this.d.i18n, this.d.defaultLocale)("card-assigned"))));
    // Not fixed at the revisit: the same liaison gets the card again, marked as a repeat complaint.
    if (action === "reopen") rows.push(...(await this.liaisonCard(tx, c, `${stamp}:liaison`, translator(this.d.i18n, this.d.defaultLocale)("card-reopened", { n: c.reopenCount }))));
    if (action === "transfer") rows.push(...(await this.officeTransfer(tx, c, note, stamp, data)));

    const key =
      action === "accept" ? "tr-accepted" : action === "resolve" ? "tr-resolved" : action === "reopen" ? "tr-reopened" : action === "transfer" ? "tr-transferred" : CLOSING_ACTIONS.has(action) ? "tr-closed" : null;
    const resident = key ? await this.residentOf(tx, c) : null;
    if (key && resident) {
      const t = translator(this.d.i18n, toLocale(resident.language, this.d.defaultLocale));
      rows.push({ chatId: resident.chatId, caseId: c.id, dedupeKey: `${stamp}:resident`, payload: { text: t(key, { number: c.number, note: note?.trim().slice(0, 3000) || "—" }) } });
      // The liaison's resolution photos (file ids in the event data) follow the note.
      const photos = action === "resolve" && Array.isArray(data?.photos) ? (data.photos as unknown[]).filter((p): p is string => typeof p === "string") : [];
      rows.push(...photoMessages(resident.chatId, photos.map((fileId) => ({ fileId })), c.id, `${stamp}:resident:photos`));
    }
    await enqueue(tx, rows);
  }

  /** "Not ours": the street office's chat gets the card with the company's reason. */
  private async officeTransfer(tx: Tx, c: CaseRow, reason: string | undefined, stamp: string, data?: Record<string, unknown>): Promise<OutMessage[]> {
    const office = await tx.office.findUnique({ where: { streetId: c.streetId } });
    if (!office?.chatId) return [];
    const locale = this.d.defaultLocale;
    const st = translator(this.d.i18n, locale);
    // The case no longer names the company (it left it): the event data does.
    const companyId = typeof data?.companyId === "number" ? data.companyId : null;
    const company = companyId ? await tx.company.findUnique({ where: { id: companyId } }) : null;
    const header = st("card-office-transferred", { company: company?.name ?? "—", reason: reason?.trim().slice(0, 1000) || "—" });
    const text = renderCaseCard(st, this.d.categories, locale, this.d.timezone, { c, photos: [], header });
    return [{ chatId: office.chatId, caseId: c.id, dedupeKey: `${stamp}:office`, payload: { text } }];
  }
}
