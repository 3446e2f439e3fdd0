// The yearly evaluation: /dashboard/credit/evaluation[.pdf]?year=YYYY (the office's print page and
// its PDF; a street office's companies and managers only) and the public 公示 page /credit?year=YYYY
// (no login; the whole district; what rules.publish allows). Logic is core/credit/evaluation.ts.
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { CreditRules } from "../../../core/credit/credit-rules.ts";
import { localYear, yearlyEvaluation, type Evaluation } from "../../../core/credit/evaluation.ts";
import { evaluationPdf, type PdfBlock } from "../../../core/credit/evaluation-pdf.ts";
import { FontMissingError } from "../../../core/bulletin/pdf.ts";
import { onRedList } from "../../../core/credit/evaluation.ts";
import { scopeOf } from "../../auth.ts";
import { HttpError } from "../../http.ts";
import { companiesInScope, type OfficeAppDeps } from "../../office.ts";
import { renderFragment } from "../../views/render.tsx";
import { rulesOf } from "../../rest/credit/routes.ts";
import { page, view, type View } from "../layout.ts";
import { EvaluationBody, joinNames, managerLabel, periodText, ruleLines } from "./evaluation-views.tsx";

function yearOf(req: Request, vw: View, now: Date, fallback: number): number {
  const raw = req.query.year;
  if (raw === undefined || raw === "") return fallback;
  const y = Number(raw);
  if (typeof raw !== "string" || !/^\d{4}$/.test(raw) || y < 2000 || y > localYear(now, vw.timezone)) throw new HttpError(400, "bad_request", vw.t("ev_bad_year"));
  return y;
}

function YearForm(p: { vw: View; action: string; year: number }) {
  return (
    <form method="get" action={p.action} class="inline">
      <label>
        {p.vw.t("ev_year")} <input name="year" type="number" min="2000" value={String(p.year)} style="width:6em" />
      </label>{" "}
      <button type="submit">{p.vw.t("ev_show")}</button>
    </form>
  );
}

function pdfBlocks(vw: View, rules: CreditRules, ev: Evaluation): PdfBlock[] {
  const { t } = vw;
  const list = (s: Evaluation["companies"][number]["s"]) => (s.blacklisted ? t("ev_black_list") : onRedList(rules, s) ? t("ev_red_list") : "");
  const red = [...ev.companies.filter((c) => onRedList(rules, c.s)).map((c) => c.name), ...ev.managers.filter((m) => onRedList(rules, m.s)).map((m) => managerLabel(vw, rules, m, false))];
  const black = [...ev.companies.filter((c) => c.s.blacklisted).map((c) => c.name), ...ev.managers.filter((m) => m.s.blacklisted).map((m) => managerLabel(vw, rules, m, false))];
  return [
    { text: periodText(vw, ev) },
    { heading: t("ev_red_list") },
    { text: joinNames(vw, red) || t("ev_none") },
    { heading: t("ev_black_list") },
    { text: joinNames(vw, black) || t("ev_none") },
    { heading: t("ev_companies") },
    { table: { headers: [t("ev_rank"), t("company"), t("cr_score"), t("cr_grade"), t("cr_yellow"), t("cr_red"), t("ev_list")], widths: [5, 30, 10, 8, 8, 8, 12], rows: ev.companies.map((c, i) => [String(i + 1), c.name, String(c.s.score), c.s.grade, String(c.s.yellowCards), String(c.s.redCards), list(c.s)]) } },
    { heading: t("cr_managers") },
    { table: { headers: [t("ev_rank"), t("cr_manager"), t("cr_score"), t("cr_grade"), t("ev_list")], widths: [5, 40, 10, 8, 12], rows: ev.managers.map((m, i) => [String(i + 1), managerLabel(vw, rules, m, false), String(m.s.score), m.s.grade, list(m.s)]) } },
    { heading: t("ev_rules") },
    ...ruleLines(vw, rules).map((text) => ({ text })),
  ];
}

/** The office's evaluation page and PDF; mounted by creditPages before /credit/:code. */
export function evaluationRoutes(r: Router, db: Db, d: OfficeAppDeps, guard: express.RequestHandler, wrap: (fn: (req: Request, res: Response) => Promise<unknown>) => express.RequestHandler): void {
  const load = async (req: Request, res: Response) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const now = d.clock.now();
    const year = yearOf(req, vw, now, localYear(now, d.timezone));
    const scope = scopeOf(res);
    const companyIds = (await db.company.findMany({ where: companiesInScope(scope), select: { id: true } })).map((c) => c.id);
    const rules = rulesOf(d);
    return { vw, rules, ev: await yearlyEvaluation(db, rules, { year, now, timezone: d.timezone, companyIds, streetId: scope.streetId }) };
  };
  r.get("/credit/evaluation", guard, wrap(async (req, res) => {
    const { vw, rules, ev } = await load(req, res);
    const body = (
      <>
        <p class="note">
          <YearForm vw={vw} action="/dashboard/credit/evaluation" year={ev.year} /> · <a href={`/dashboard/credit/evaluation.pdf?year=${ev.year}`}>{vw.t("ev_pdf")}</a> · <a href={`/credit?year=${ev.year}`}>{vw.t("ev_public_link")}</a>
        </p>
        <EvaluationBody vw={vw} rules={rules} ev={ev} publicView={false} />
      </>
    );
    res.type("html").send(page(vw, `${vw.t("ev_title")} · ${ev.year}`, renderFragment(body), { res }));
  }));
  r.get("/credit/evaluation.pdf", guard, wrap(async (req, res) => {
    const { vw, rules, ev } = await load(req, res);
    const pdf = await evaluationPdf(`${vw.t("ev_title")} · ${ev.year}`, pdfBlocks(vw, rules, ev), { locale: vw.locale }).catch((e: unknown) => {
      throw e instanceof FontMissingError ? new HttpError(503, "unavailable", e.message) : e;
    });
    res.type("application/pdf").attachment(`credit-evaluation-${ev.year}.pdf`).send(pdf);
  }));
}

/** /credit: the public 公示 page, no login (the last full year unless ?year= says otherwise). */
export function publicCreditPage(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  r.get("/credit", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const now = d.clock.now();
    const year = yearOf(req, vw, now, localYear(now, d.timezone) - 1);
    const rules = rulesOf(d);
    const ev = await yearlyEvaluation(db, rules, { year, now, timezone: d.timezone });
    const body = (
      <>
        <p class="note">
          <YearForm vw={vw} action="/credit" year={ev.year} />
        </p>
        <EvaluationBody vw={vw} rules={rules} ev={ev} publicView={true} />
      </>
    );
    res.type("html").send(page(vw, `${vw.t("ev_public_title")} · ${ev.year}`, renderFragment(body), { nav: false }));
  });
  return r;
}
