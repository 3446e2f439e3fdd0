// Dashboard: overdue board, figures with trend charts, estate board (and its public copy).
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import { caseListInclude, lateness, overdueWhere } from "../../core/cases/case-query.ts";
import { figures, type FigureRow } from "../../core/assessment/figures.ts";
import { estateBoard } from "../../core/assessment/board.ts";
import { classifyEstates, classifyIfStale } from "../../core/assessment/classification.ts";
import { periodOf } from "../../core/assessment/assessment.ts";
import { monthsBetween } from "../views/figures.tsx";
import type { Auth } from "../auth.ts";
import { parse } from "../http.ts";
import { scopeOf } from "../auth.ts";
import { areaOf, can, caseWhereOf } from "../../core/access/permissions.ts";
import { FiguresQuery } from "../rest/schemas.ts";
import type { OfficeAppDeps } from "../office.ts";
import { figureColumns, sendExport, type ExportFormat } from "../exports.ts";
import { localStamp } from "../../core/delivery/table-export.ts";

const periodDay = (x: Date, tz: string) => localStamp(x, tz).slice(0, 10);
import { figuresWindow } from "../rest/v1.ts";
import { page, view } from "./layout.ts";
import { Board, BoardPage, Figures, OverdueList, type OverdueExtra } from "../views/report-pages.tsx";
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
      where: { AND: [overdueWhere(now), caseWhereOf(scope)] },
      include: caseListInclude,
      orderBy: [{ escalationLevel: "desc" }, { resolutionDueAt: "asc" }],
      take: OVERDUE_MAX,
    });
    // Emergencies first, then the higher escalation, then the longest overdue.
    const URGENT: Record<string, number> = { emergency: 0, urgent: 1, normal: 2 };
    const events = await db.caseEvent.findMany({ where: { caseId: { in: rows.map((c) => c.id) }, type: { in: ["escalate", "escalation_ack", "urge"] } }, orderBy: { id: "asc" }, select: { caseId: true, type: true, at: true, data: true } });
    const extra = new Map<number, OverdueExtra>();
    for (const c of rows) extra.set(c.id, { ack: null, urges: 0, category: d.categories.label(c.category, vw.locale) });
    for (const e of events) {
      const x = extra.get(e.caseId)!;
      if (e.type === "escalate") x.ack = null; // a new level wants a fresh acknowledgement
      else if (e.type === "escalation_ack") x.ack = { by: String((e.data as { by?: string } | null)?.by ?? "—"), at: e.at };
      else x.urges++;
    }
    const items = rows
      .map((c) => ({ c, late: lateness(c, now)!, x: extra.get(c.id) }))
      .filter((x) => x.late)
      .sort((a, b) => (URGENT[a.c.urgency] ?? 9) - (URGENT[b.c.urgency] ?? 9) || b.c.escalationLevel - a.c.escalationLevel || b.late.lateMs - a.late.lateMs);
    const body = OverdueList({ vw, items });
    res.type("html").send(page(vw, t("overdue"), body, { res }));
  });

  r.get("/figures", async (req, res) => {
    const vw = v(req, res);
    const { t } = vw;
    const q = parse(FiguresQuery, Object.fromEntries(Object.entries(req.query).filter(([k, x]) => x !== "" && k !== "lang")), "query");
    const scope = scopeOf(res);
    const now = d.clock.now();
    const w = figuresWindow(q, now, d.timezone);
    const base = { ...w, now, ...areaOf(scope), timezone: d.timezone };
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
    const day = (x: Date) => x.toISOString().slice(0, 10);
    const body = Figures({ vw, from: day(w.from), to: day(new Date(w.to.getTime() - 1)), byCompany, byEstate, minSample, months, charts, enoughMonths: dataMonths.size >= 2 });
    res.type("html").send(page(vw, t("figures"), body, { res, scripts: ["/assets/chart.umd.min.js", "/assets/figures.js"] }));
  });

  const exportFigures = (format: ExportFormat) => async (req: Request, res: Response) => {
    const { t } = v(req, res);
    const q = parse(FiguresQuery, Object.fromEntries(Object.entries(req.query).filter(([k, x]) => x !== "" && k !== "lang")), "query");
    const now = d.clock.now();
    const w = figuresWindow(q, now, d.timezone);
    const monthly = q.by !== "month" && !!q.monthly;
    const rows = await figures(db, { by: q.by, byMonth: monthly, ...w, now, ...areaOf(scopeOf(res)), timezone: d.timezone });
    const first = t(q.by === "month" ? "month" : q.by);
    const day = (x: Date) => periodDay(x, d.timezone);
    await sendExport(res, { format, columns: figureColumns(t, first, monthly), rows, name: [t("figures"), t(`by_${q.by}`), `${day(w.from)}~${day(new Date(w.to.getTime() - 1))}`], now, timezone: d.timezone, sheet: t("figures") });
  };
  r.get("/figures.csv", exportFigures("csv"));
  r.get("/figures.xlsx", exportFigures("xlsx"));

  r.get("/board", async (req, res) => {
    const vw = v(req, res);
    await classifyIfStale(db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    const rows = await estateBoard(db, areaOf(scopeOf(res)));
    const body = BoardPage({ vw, rows, c: d.assessmentSettings().classification, done: req.query.done === "recompute", canRecompute: can(scopeOf(res).role, "board.recompute") });
    res.type("html").send(page(vw, vw.t("board"), body, { res }));
  });

  r.post("/board/recompute", formBody({ extended: false, limit: "1kb" }), auth.requireCsrf, auth.requireRole("admin", "district"), async (_req, res) => {
    await classifyEstates(db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    res.redirect(303, "/dashboard/board?done=recompute");
  });
  return r;
}


/** /board: no login, read-only, no case details. */
export function publicBoard(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  r.get("/board", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    await classifyIfStale(db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone });
    const rows = await estateBoard(db, { streetId: null });
    res.type("html").send(page(vw, vw.t("board"), Board({ vw, rows, c: d.assessmentSettings().classification, detail: false }), { nav: false }));
  });
  return r;
}
