// Progress of a web resident's case by SMS: the same notices the bot sends a Telegram resident
// (approved and routed, accepted, resolved → the revisit question on the case page, reopened, passed
// back, closed, rejected), as outbox rows of method sendSms in the case's transaction. Only for a
// resident with no Telegram chat (a linked resident keeps getting the bot's messages) who gave a
// number and ticked consent. Short, in the resident's language, with the case page's link.
import type { CaseNotice, CaseRow, Notifier } from "../../../core/cases/case-types.ts";
import type { HotSql } from "../../../core/db/hot-sql.ts";
import type { OutMessage } from "../../../core/delivery/outbox.ts";
import { e164, smsChatId, SMS_METHOD } from "../../../core/delivery/sms/sms-provider.ts";
import { LOCALES, type Locale } from "../../../core/cases/categories.ts";
import { sayer } from "../strings.ts";

/** What the resident is told, per lifecycle action (the same moments as bot/render/notifier.ts). */
const SAID: Record<string, string> = {
  accept: "sms_accepted",
  resolve: "sms_resolved",
  reopen: "sms_reopened",
  transfer: "sms_transferred",
  confirmFixed: "sms_closed",
  closeNoAnswer: "sms_closed",
  officeClose: "sms_closed",
  reject: "sms_rejected",
};

/** Which text a notice gets (`key`) and what it is called in the dedupe key (`what`); null: no SMS. */
function saidOf(n: CaseNotice): { key: string; what: string } | null {
  if (n.type === "filed") return n.released ? { key: "sms_released", what: "released" } : null;
  if (n.type === "transition") return SAID[n.action] ? { key: SAID[n.action]!, what: n.action } : null;
  if (n.type === "reminder") return { key: "sms_revisit_reminder", what: "revisit-reminder" };
  return null;
}

interface SmsResident {
  chatId: bigint | null;
  phone: string | null;
  smsConsent: boolean;
  language: string;
}

export class SmsNotifier implements Notifier {
  /** `publicBaseUrl`: where the case page link points (PUBLIC_BASE_URL). */
  constructor(private readonly d: { publicBaseUrl: string; defaultLocale: Locale }) {}

  async notify(sql: HotSql, notice: CaseNotice): Promise<OutMessage[]> {
    const said = saidOf(notice);
    if (!said || !notice.case.residentId) return [];
    const [r] = await sql.query<SmsResident>`SELECT "chatId", phone, "smsConsent", language FROM "Resident" WHERE id = ${notice.case.residentId}`;
    if (!r || r.chatId !== null || !r.phone || !r.smsConsent) return [];
    return [this.message(notice.case, r, said.key, said.what)];
  }

  private message(c: CaseRow, r: SmsResident, key: string, what: string): OutMessage {
    const locale = (LOCALES as readonly string[]).includes(r.language) ? (r.language as Locale) : this.d.defaultLocale;
    const say = sayer(locale);
    const link = `${this.d.publicBaseUrl}/r/cases/${c.number}`;
    const status = say(key);
    return {
      chatId: smsChatId(c.residentId!),
      method: SMS_METHOD,
      kind: "sms",
      caseId: c.id,
      // updatedAt changes with every transition: a second reopen is a new message, a retried transaction is not.
      dedupeKey: `sms:${c.id}:${what}:${c.updatedAt.getTime()}`,
      payload: { to: e164(r.phone!), text: say("sms_text", { number: c.number, status, link }), params: [c.number, status, link], locale },
    };
  }
}
