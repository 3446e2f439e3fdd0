// Dashboard: overdue board, figures with trend charts, estate board (and its public copy).
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import { caseListInclude, lateness, overdueWhere } from "../../core/cases/case-query.ts";
import { figures, type FigureRow } from "../../core/assessment/figures.ts";
import { estateBoard, type BoardRow } from "../../core/assessment/board.ts";
import { classifyEstates, classifyIfStale } from "../../core/assessment/classification.ts";
import { periodOf } from "../../core/assessment/assessment.ts";
import { renderFragment } from "../views/render.tsx";
import { Face, FigureTable, monthsBetween } from "../views/figures.tsx";
import type { Auth } from "../auth.ts";
import { parse } from "../http.ts";
import { scopeOf } from "../auth.ts";
import { FiguresQuery } from "../rest/schemas.ts";
import type { OfficeAppDeps } from "../office.ts";
import { figureColumns, sendExport, type ExportFormat } from "../exports.ts";
import { localStamp } from "../../core/delivery/table-export.ts";

const periodDay = (x: Date, tz: string) => localStamp(x, tz).slice(0, 10);
import { figuresWindow } from "../rest/v1.ts";
import { csrfField, duration, esc, page, pct, view, type View } from "./layout.ts";
import { formBody } from "../input-guard.ts";

const OVERDUE_MAX = 500;

export function reportPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);

  r.get("/overdue", async (req, res) => {
    const vw = v(req, res);
    const { t } = vw;
    const scope = scopeOf(res);
    const now = d.clock.now();
    const rows = await db.case.findMany({
      where: { AND: [overdueWhere(now), scope.streetId !== null ? { streetId: scope.streetId } : {}] },
      include: caseListInclude,
      orderBy: [{ escalationLevel: "desc" }, { resolutionDueAt: "asc" }],
      take: OVERDUE_MAX,
    });
    const items = rows
      .map((c) => ({ c, late: lateness(c, now)! }))
      .filter((x) => x.late)
      .sort((a, b) => b.c.escalationLevel - a.c.escalationLevel || b.late.lateMs - a.late.lateMs);
    const body = `<table id="overdue"><thead><tr><th>${t("number")}</th><th>${t("estate")}</th><th>${t("company")}</th><th>${t("state")}</th><th>${t("missed")}</th><th>${t("late_by")}</th><th>${t("escalation")}</th></tr></thead><tbody>${
      items
        .map(
          ({ c, late }) =>
            `<tr class="late"><td><a href="/dashboard/cases/${c.id}">${esc(c.number)}</a></td><td>${esc(c.estate.name)}</td><td>${esc(c.company?.name ?? "—")}</td><td>${esc(t(`state_${c.state}`))}</td><td>${esc(t(`missed_${late.missed}`))}</td><td class="num">${esc(duration(late.lateMs, t))}</td><td class="num">${c.escalationLevel}</td></tr>`,
        )
        .join("") || `<tr><td colspan="7">${t("none")}</td></tr>`
    }</tbody></table><p><a href="/dashboard/cases.xlsx?overdue=true" id="xlsx">${t("export_xlsx")}</a> · <a href="/dashboard/cases.csv?overdue=true" id="csv">${t("export_csv")}</a></p>`;
    res.type("html").send(page(vw, t("overdue"), body, { res }));
  });

  r.get("/figures", async (req, res) => {
    const vw = v(req, res);
    const { t } = vw;
    const q = parse(FiguresQuery, Object.fromEntries(Object.entries(req.query).filter(([k, x]) => x !== "" && k !== "lang")), "query");
    const scope = scopeOf(res);
    const now = d.clock.now();
    const w = figuresWindow(q, now);
    const base = { ...w, now, streetId: scope.streetId, timezone: d.timezone };
    const [byCompany, byEstate, trendCompany] = await Promise.all([
      figures(db, { ...base, by: "company" }),
      figures(db, { ...base, by: "estate" }),
      figures(db, { ...base, by: "company", byMonth: true }),
    ]);
    // A real time axis: every month of the window, months without data as gaps (null).
    const dataMonths = new Set(trendCompany.map((x) => x.month!));
    const months = monthsBetween(periodOf(w.from, "month", d.timezone), periodOf(new Date(Math.min(w.to.getTime(), now.getTime()) - 1), "month", d.timezone));
    const series = (metric: keyof Pick<FigureRow, "responseRate" | "resolutionRate" | "satisfactionRate" | "repeatRate">) =>
      [...new Set(trendCompany.map((x) => x.key))].map((key) => ({
        label: trendCompany.find((x) => x.key === key)!.label,
        values: months.map((m) => {
          const v = trendCompany.find((x) => x.key === key && x.month === m)?.[metric];
          return v === null || v === undefined ? null : Math.round(v * 1000) / 10;
        }),
      }));
    const charts = (["responseRate", "resolutionRate", "satisfactionRate", "repeatRate"] as const).map((m, i) => ({
      id: `chart-${i}`,
      title: `${t(m.replace("Rate", "_rate"))} · ${t("by_company")}`,
      series: series(m),
    }));
    const minSample = d.assessmentSettings().classification.minSample;
    const table = (rows: FigureRow[], id: string) => renderFragment(FigureTable({ rows, id, t, minSample }));
    const trend =
      dataMonths.size < 2
        ? `<p id="trend-short" class="note">${t("trend_too_short")}</p>`
        : `<p class="note">${t("trend_gap_note")}</p><div class="grid">${charts.map((c) => `<div class="chart"><canvas id="${c.id}"></canvas></div>`).join("")}</div>
<script type="application/json" id="trend-data">${JSON.stringify({ months, charts }).replace(/</g, "\\u003c")}</script>`;
    const day = (x: Date) => x.toISOString().slice(0, 10);
    const body = `<form class="filters" method="get"><label>${t("from")}<input type="date" name="from" value="${day(w.from)}"></label><label>${t("to")}<input type="date" name="to" value="${day(w.to)}"></label><button>${t("filter")}</button></form>
<h2>${t("by_company")}</h2>${table(byCompany, "fig-company")}<p><a href="/dashboard/figures.xlsx?by=company&from=${day(w.from)}&to=${day(w.to)}" id="xlsx-company">${t("export_xlsx")}</a> · <a href="/dashboard/figures.csv?by=company&from=${day(w.from)}&to=${day(w.to)}">${t("export_csv")}</a></p>
<h2>${t("by_estate")}</h2>${table(byEstate, "fig-estate")}<p><a href="/dashboard/figures.xlsx?by=estate&from=${day(w.from)}&to=${day(w.to)}">${t("export_xlsx")}</a> · <a href="/dashboard/figures.csv?by=estate&from=${day(w.from)}&to=${day(w.to)}">${t("export_csv")}</a></p>
<p class="note">${t("too_few_note")} = ${minSample}</p>
<h2>${t("trend")}</h2>${trend}`;
    res.type("html").send(page(vw, t("figures"), body, { res, scripts: ["/assets/chart.umd.min.js", "/assets/figures.js"] }));
  });

  const exportFigures = (format: ExportFormat) => async (req: Request, res: Response) => {
    const { t } = v(req, res);
    const q = parse(FiguresQuery, Object.fromEntries(Object.entries(req.query).filter(([k, x]) => x !== "" && k !== "lang")), "query");
    const now = d.clock.now();
    const w = figuresWindow(q, now);
    const monthly = q.by !== "month" && !!q.monthly;
    const rows = await figures(db, { by: q.by, byMonth: monthly, ...w, now, streetId: scopeOf(res).streetId, timezone: d.timezone });
    const first = t(q.by === "month" ? "month" : q.by);
    const day = (x: Date) => periodDay(x, d.timezone);
    await sendExport(res, { format, columns: figureColumns(t, first, monthly), rows, name: [t("figures"), t(`by_${q.by}`), `${day(w.from)}~${day(new Date(w.to.getTime() - 1))}`], now, timezone: d.timezone, sheet: t("figures") });
  };
  r.get("/figures.csv", exportFigures("csv"));
  r.get("/figures.xlsx", exportFigures("xlsx"));

  r.get("/board", async (req, res) => {
    const vw = v(req, res);
    await classifyIfStale(db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    const rows = await estateBoard(db, { streetId: scopeOf(res).streetId });
    const role = scopeOf(res).role;
    const recompute =
      role === "admin" || role === "district"
        ? `<form method="post" action="/dashboard/board/recompute" class="inline">${csrfField(vw)}<button id="recompute">${vw.t("board_recompute")}</button></form>`
        : "";
    const done = req.query.done === "recompute" ? `<p class="ok">${vw.t("board_recomputed")}</p>` : "";
    res.type("html").send(page(vw, vw.t("board"), done + boardBody(vw, rows, d, true) + recompute, { res }));
  });

  r.post("/board/recompute", formBody({ extended: false, limit: "1kb" }), auth.requireCsrf, auth.requireRole("admin", "district"), async (_req, res) => {
    await classifyEstates(db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    res.redirect(303, "/dashboard/board?done=recompute");
  });
  return r;
}


export function boardBody(vw: View, rows: BoardRow[], d: OfficeAppDeps, detail: boolean): string {
  const { t } = vw;
  const c = d.assessmentSettings().classification;
  const periods = [...new Set(rows.map((r) => r.period).filter(Boolean))].join(", ");
  const last = rows.reduce<Date | null>((a, r) => (r.computedAt && (!a || r.computedAt > a) ? r.computedAt : a), null);
  const count = (k: BoardRow["class"]) => rows.filter((r) => r.class === k).length;
  const rule = `${t("board_rule")}: ${t("class_compliant")}: ${t("satisfaction_rate")} ≥ ${pct(c.compliant.satisfaction)} · ${t("timeliness")} ≥ ${pct(c.compliant.timeliness)}; ${t("class_model")}: ≥ ${pct(c.model.satisfaction)} / ${pct(c.model.timeliness)} · ${t("repeat_rate")} ≤ ${pct(c.model.maxRepeatRate)}; ${t("board_min_sample")} ${c.minSample}`;
  const summary = `<p id="board-summary">${t("board_period")} ${esc(periods || "—")} · ${t("board_computed")} ${esc(vw.fmt(last))} · ${t("class_model")} ${count("model")} · ${t("class_compliant")} ${count("compliant")} · ${t("class_rectify")} ${count("rectify")} · ${t("class_unrated")} ${count("unrated")}${count(null) ? ` · ${t("class_none")} ${count(null)}` : ""}</p>`;
  return `${summary}<p class="note">${t("board_auto")}</p><p>${rule}${detail ? ` · <a href="/board">${t("public_board")}</a>` : ""}</p><div class="board" id="board">${rows
    .map((r) => {
      const face = renderFragment(Face({ smiling: r.smiling, t }));
      return `<div class="estate ${r.class ?? "none"}" data-estate="${esc(r.estate)}" data-class="${r.class ?? "none"}"><div class="face">${face}</div>
<div><b>${esc(r.name)}</b></div><div>${esc(r.streetName)}</div><div>${esc(t(r.class ? `class_${r.class}` : "class_none"))}</div>${
        detail
          ? `<div>${t("satisfaction_rate")} ${r.satisfaction === null ? t("too_few") : pct(r.satisfaction)} (${r.answers}) · ${t("timeliness")} ${r.timeliness === null ? t("too_few") : pct(r.timeliness)} (${r.due})</div><div>${t("case_count")} ${r.cases} · ${t("board_answers")} ${r.answers} · ${t("repeat_rate")} ${pct(r.repeatRate)}</div>`
          : ""
      }</div>`;
    })
    .join("")}</div>`;
}

/** /board: no login, read-only, no case details. */
export function publicBoard(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  r.get("/board", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    await classifyIfStale(db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    const rows = await estateBoard(db, { streetId: null });
    res.type("html").send(page(vw, vw.t("board"), boardBody(vw, rows, d, false), { nav: false }));
  });
  return r;
}
