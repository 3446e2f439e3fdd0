// A liaison without Telegram hears of a new case, a case the office assigned them and a reopened
// case by SMS with the workspace link (/w/cases/<number>), in the case's transaction. The channel
// choice is core/delivery/liaison-channel.ts; a liaison on Telegram gets the bot's card as before
// (bot/render/notifier.ts), so this notifier adds nothing for them.
import type { CaseNotice, Notifier } from "../../core/cases/case-types.ts";
import type { Categories, Locale } from "../../core/cases/categories.ts";
import type { HotSql } from "../../core/db/hot-sql.ts";
import type { OutMessage } from "../../core/delivery/outbox.ts";
import { liaisonNotice, type LiaisonNoticeKind, type LiaisonReach } from "../../core/delivery/liaison-channel.ts";

function kindOf(n: CaseNotice): LiaisonNoticeKind | null {
  if (n.type === "filed") return n.case.state === "routed" ? "new" : null;
  if (n.type === "transition") return n.action === "assign" ? "assigned" : n.action === "reopen" ? "reopened" : null;
  return null;
}

export class LiaisonSmsNotifier implements Notifier {
  constructor(private readonly d: { publicBaseUrl: string; categories: Categories; defaultLocale: Locale }) {}

  async notify(sql: HotSql, notice: CaseNotice): Promise<OutMessage[]> {
    const kind = kindOf(notice);
    const c = notice.case;
    if (!kind || !c.liaisonId) return [];
    const [l] = await sql.query<LiaisonReach>`SELECT "chatId", phone, language, active FROM "Liaison" WHERE id = ${c.liaisonId}`;
    if (!l) return [];
    const locale = (l.language ?? this.d.defaultLocale) as Locale;
    const what = `${c.estate?.name ?? ""} ${this.d.categories.label(c.category, locale)}`.trim();
    return liaisonNotice(l, kind, c, what, `${this.d.publicBaseUrl}/w/cases/${c.number}`, `case:${c.id}:${kind}:${c.updatedAt.getTime()}`, this.d.defaultLocale);
  }
}
