// The ledger (台账): a campaign's problems in the columns a ledger has, for the page, the REST API and
// the xlsx export (exceljs through core/delivery/table-export.ts), within the caller's estates.
import type { Db } from "../../db/db.ts";
import type { Prisma } from "../../db/generated/prisma/client.ts";
import type { Locale } from "../../cases/categories.ts";
import type { Scope } from "../../directory/staff.ts";
import { exportXlsx, localStamp, type Column } from "../../delivery/table-export.ts";
import { OPEN_STATES, type ProblemState } from "../lifecycle.ts";
import { categoryName, type CampaignSettings } from "../settings.ts";
import { ledgerText } from "./labels.ts";
import { estateFilter } from "../scope.ts";

export interface LedgerFilter {
  estate?: string;
  state?: ProblemState;
  category?: string;
  street?: string;
  overdue?: boolean;
}

export function ledgerWhere(scope: Scope, campaignId: number, f: LedgerFilter, now: Date): Prisma.CampaignProblemWhereInput {
  return {
    campaignId,
    estate: { AND: [estateFilter(scope), f.estate ? { code: f.estate } : {}, f.street ? { street: { code: f.street } } : {}] },
    ...(f.state ? { state: f.state } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.overdue ? { state: { in: [...OPEN_STATES] }, deadline: { lt: now } } : {}),
  };
}

const include = { estate: { select: { code: true, name: true, street: { select: { code: true, name: true } } } } } as const;

export async function listLedger(db: Db, scope: Scope, campaignId: number, f: LedgerFilter, now: Date, page: { limit: number; after?: number }) {
  const rows = await db.campaignProblem.findMany({
    where: { ...ledgerWhere(scope, campaignId, f, now), ...(page.after ? { seq: { gt: page.after } } : {}) },
    include,
    orderBy: { seq: "asc" },
    take: page.limit + 1,
  });
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return { items, nextAfter: more ? items[items.length - 1]!.seq : null };
}

export type LedgerRow = Awaited<ReturnType<typeof listLedger>>["items"][number];

export async function wholeLedger(db: Db, scope: Scope, campaignId: number, f: LedgerFilter, now: Date): Promise<LedgerRow[]> {
  return db.campaignProblem.findMany({ where: ledgerWhere(scope, campaignId, f, now), include, orderBy: { seq: "asc" } });
}

export function isOverdue(p: { state: ProblemState; deadline: Date | null }, now: Date): boolean {
  return OPEN_STATES.includes(p.state) && !!p.deadline && p.deadline < now;
}

/** The ledger's 17 columns in the reader's language. */
export function ledgerColumns(locale: Locale, settings: CampaignSettings, timezone: string, now: Date): Column<LedgerRow>[] {
  const t = ledgerText(locale);
  const day = (d: Date | null) => (d ? localStamp(d, timezone).slice(0, 10) : "");
  return [
    { header: t("col_seq"), kind: "number", value: (r) => r.seq, width: 6 },
    { header: t("col_estate"), value: (r) => r.estate.name, width: 14 },
    { header: t("col_category"), value: (r) => categoryName(settings, r.category, locale), width: 12 },
    { header: t("col_description"), value: (r) => [r.building, r.place, r.description].filter(Boolean).join(" · "), width: 40 },
    { header: t("col_source"), value: (r) => [t(`src_${r.source}`), r.sourceRef].filter(Boolean).join(" "), width: 14 },
    { header: t("col_found"), value: (r) => day(r.foundOn), width: 12 },
    { header: t("col_unit"), value: (r) => r.responsibleName, width: 16 },
    { header: t("col_person"), value: (r) => r.responsiblePerson ?? "", width: 10 },
    { header: t("col_measure"), value: (r) => r.measure ?? "", width: 30 },
    { header: t("col_deadline"), value: (r) => day(r.deadline), width: 12 },
    { header: t("col_progress"), value: (r) => `${t(`st_${r.state}`)}${isOverdue(r, now) ? `（${t("overdue")}）` : ""}${r.repeatCount ? ` · ${t("repeat")} ${r.repeatCount}` : ""}`, width: 16 },
    { header: t("col_rounds"), kind: "number", value: (r) => r.rounds, width: 8 },
    { header: t("col_verdict"), value: (r) => (r.lastVerdict ? t(`verdict_${r.lastVerdict}`) : ""), width: 10 },
    { header: t("col_closed"), value: (r) => day(r.closedAt), width: 12 },
    { header: t("col_revisit"), value: (r) => (r.revisitResult ? t(`rv_${r.revisitResult}`) : ""), width: 10 },
    { header: t("col_recheck_due"), value: (r) => day(r.recheckDue), width: 12 },
    { header: t("col_recheck"), value: (r) => (r.recheckResult ? t(`rc_${r.recheckResult}`) : ""), width: 14 },
  ];
}

export async function ledgerXlsx(rows: LedgerRow[], o: { locale: Locale; settings: CampaignSettings; timezone: string; now: Date }): Promise<Buffer> {
  return exportXlsx(ledgerColumns(o.locale, o.settings, o.timezone, o.now), rows, { sheet: ledgerText(o.locale)("ledger"), timezone: o.timezone });
}

export async function ledgerRow(db: Db, problemId: number): Promise<LedgerRow> {
  return db.campaignProblem.findUniqueOrThrow({ where: { id: problemId }, include });
}
