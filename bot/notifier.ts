// core's Notifier for Telegram: turns case notices into outbox rows inside the case transaction.
// Dedupe keys name the case and the notice, so a retried transaction never doubles a message.
import type { I18n } from "@grammyjs/i18n";
import type { CaseNotice, CaseRow, Notifier, Tx } from "../core/cases.ts";
import type { Categories, Locale } from "../core/categories.ts";
import { enqueue, type OutMessage } from "../core/outbox.ts";
import type { BotContext } from "./context.ts";
import { toLocale, translator } from "./i18n.ts";
import { renderCaseCard, photoMessages } from "./render/caseCard.ts";
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
    else await this.transition(tx, notice.case, notice.action, notice.note);
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

    const liaison = c.liaisonId ? await tx.liaison.findUnique({ where: { id: c.liaisonId } }) : null;
    if (liaison?.chatId && liaison.active) {
      rows.push({ chatId: liaison.chatId, caseId: c.id, dedupeKey: `case:${c.id}:filed:liaison`, payload: { text: card() } });
      rows.push(...photoMessages(liaison.chatId, photos, c.id, `case:${c.id}:filed:liaison:photos`));
    }

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

  private async transition(tx: Tx, c: CaseRow, action: string, note?: string): Promise<void> {
    const key = action === "accept" ? "tr-accepted" : action === "resolve" ? "tr-resolved" : action === "reopen" ? "tr-reopened" : CLOSING_ACTIONS.has(action) ? "tr-closed" : null;
    if (!key) return;
    const resident = await this.residentOf(tx, c);
    if (!resident) return;
    const t = translator(this.d.i18n, toLocale(resident.language, this.d.defaultLocale));
    await enqueue(tx, {
      chatId: resident.chatId,
      caseId: c.id,
      // updatedAt changes with every transition: a second reopen/accept cycle is a new message.
      dedupeKey: `case:${c.id}:${action}:${c.updatedAt.getTime()}:resident`,
      payload: { text: t(key, { number: c.number, note: note?.trim().slice(0, 3000) || "—" }) },
    });
  }
}
