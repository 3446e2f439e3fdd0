// The columns of the case-list, overdue-list and figures exports, in the reader's language (names,
// not codes; a rate with its numerator/denominator beside it), and the one helper that sends an
// export as .xlsx or CSV with the filter and date in the file name. The dashboard and the REST API
// both use it; the spreadsheet work itself is core/delivery/table-export.ts.
import type { Response } from "express";
import type { Categories, Locale } from "../core/cases/categories.ts";
import { lateness, type CaseListRow } from "../core/cases/case-query.ts";
import type { FigureRow } from "../core/assessment/figures.ts";
import { exportCsv, exportFileName, exportXlsx, type Column } from "../core/delivery/table-export.ts";
import type { Translate } from "./i18n/i18n.ts";
import { deadlineText } from "./views/format.ts";
import { resolutionState, responseState } from "../core/clocks/deadline-state.ts";

export type ExportFormat = "csv" | "xlsx";

export function caseColumns(t: Translate, categories: Categories, locale: Locale, now: Date): Column<CaseListRow>[] {
  return [
    { header: t("number"), value: (c) => c.number, width: 14 },
    { header: t("state"), value: (c) => t(`state_${c.state}`) },
    { header: t("kind"), value: (c) => t(`kind_${c.kind}`) },
    { header: t("category"), value: (c) => categories.label(c.category, locale), width: 16 },
    { header: t("urgency"), value: (c) => t(`urgency_${c.urgency}`) },
    { header: t("street"), value: (c) => c.street.name, width: 12 },
    { header: t("estate"), value: (c) => c.estate.name, width: 14 },
    { header: t("company"), value: (c) => c.company?.name ?? "", width: 14 },
    { header: t("liaison"), value: (c) => c.liaison?.name ?? "" },
    { header: t("filed"), kind: "datetime", value: (c) => c.createdAt },
    { header: t("response_due"), kind: "datetime", value: (c) => c.responseDueAt },
    { header: t("response_standing"), value: (c) => deadlineText(responseState(c, now), t, locale), width: 18 },
    { header: t("resolution_due"), kind: "datetime", value: (c) => c.resolutionDueAt },
    { header: t("resolution_standing"), value: (c) => deadlineText(resolutionState(c, now), t, locale), width: 18 },
    { header: t("accepted_at"), kind: "datetime", value: (c) => c.acceptedAt },
    { header: t("resolved_at"), kind: "datetime", value: (c) => c.resolvedAt },
    { header: t("closed_at"), kind: "datetime", value: (c) => c.closedAt },
    { header: t("overdue"), value: (c) => (lateness(c, now) ? t("yes") : "") },
    { header: t("escalation"), value: (c) => t(`escalation_${Math.min(c.escalationLevel, 2)}`) },
    { header: t("reopen_count"), kind: "number", value: (c) => c.reopenCount },
    { header: t("satisfaction"), kind: "number", value: (c) => c.satisfaction },
    { header: t("description"), value: (c) => c.description, width: 40 },
  ];
}

const n = (ok: number, base: number) => `${ok}/${base}`;

export function figureColumns(t: Translate, first: string, monthly: boolean): Column<FigureRow>[] {
  return [
    { header: first, value: (x) => (x.label === "-" ? t("unassigned") : x.label), width: 14 },
    ...(monthly ? [{ header: t("month"), value: (x: FigureRow) => x.month }] : []),
    { header: t("case_count"), kind: "number", value: (x) => x.cases },
    { header: t("response_rate"), kind: "percent", value: (x) => x.responseRate },
    { header: `${t("response_rate")} n`, value: (x) => n(x.counts.responseOk, x.counts.responseDue) },
    { header: t("resolution_rate"), kind: "percent", value: (x) => x.resolutionRate },
    { header: `${t("resolution_rate")} n`, value: (x) => n(x.counts.resolutionOk, x.counts.resolutionDue) },
    { header: t("satisfaction_rate"), kind: "percent", value: (x) => x.satisfactionRate },
    { header: `${t("satisfaction_rate")} n`, value: (x) => n(x.counts.satisfied, x.counts.answers) },
    { header: t("repeat_rate"), kind: "percent", value: (x) => x.repeatRate },
    { header: `${t("repeat_rate")} n`, value: (x) => n(x.counts.repeats, x.cases) },
    { header: t("overdue_count"), kind: "number", value: (x) => x.overdue },
  ];
}

/** Sends rows as an attachment; Express writes filename* (RFC 5987) for the Chinese name. */
export async function sendExport<R>(res: Response, o: { format: ExportFormat; columns: Column<R>[]; rows: R[]; name: (string | undefined | null | false)[]; now: Date; timezone: string; sheet: string }) {
  const file = exportFileName(o.name, o.now, o.timezone, o.format);
  if (o.format === "csv") {
    res.type("text/csv; charset=utf-8").attachment(file).send(exportCsv(o.columns, o.rows, o.timezone));
    return;
  }
  const body = await exportXlsx(o.columns, o.rows, { sheet: o.sheet, timezone: o.timezone });
  res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").attachment(file).send(body);
}

