// Dashboard pages for the assessment figures that used to live only in the API: per-street figures,
// each company's credit file (诚信档案: every deduction with its case and reason, the yearly score and
// grade) and early warnings (current spikes and the stored history). Preact components rendered to
// a fragment and placed in the existing page frame (layout.ts) until the shared shell lands.
import express, { type Request, type Response, type Router } from "express";
import type { JSX } from "preact";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { figures, type FigureRow } from "../../core/assessment/figures.ts";
import { deductions, evaluate, type Evaluation } from "../../core/assessment/credit.ts";
import { listWarnings, spikes, type WarningRow } from "../../core/assessment/early-warning.ts";
import { toLocal } from "../../core/clocks/zoned-time.ts";
import { scopeOf } from "../auth.ts";
import { HttpError, parse } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import type { Translate } from "../i18n/i18n.ts";
import { renderFragment } from "../views/render.tsx";
import { FigureTable } from "../views/figures.tsx";
import { figuresWindow } from "../rest/v1.ts";
import { page, view, type View } from "./layout.ts";

const YEAR = z.coerce.number().int().min(2000).max(2100);

export function assessmentPages(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const send = (res: Response, vw: View, title: string, body: JSX.Element) => res.type("html").send(page(vw, title, renderFragment(body), { res }));

  r.get("/streets", async (req, res) => {
    const vw = v(req, res);
    const scope = scopeOf(res);
    const now = d.clock.now();
    const base = { ...figuresWindow({}, now, d.timezone), now, streetId: scope.streetId, timezone: d.timezone };
    const [byStreet, byEstate, estates] = await Promise.all([
      figures(db, { ...base, by: "street" }),
      figures(db, { ...base, by: "estate" }),
      db.estate.findMany({ select: { code: true, street: { select: { code: true } } } }),
    ]);
    const streetOf = new Map(estates.map((e) => [e.code, e.street.code]));
    send(res, vw, vw.t("streets_page"), <Streets t={vw.t} byStreet={byStreet} byEstate={byEstate} streetOf={streetOf} minSample={d.assessmentSettings().classification.minSample} />);
  });

  r.get("/credit", async (req, res) => {
    const vw = v(req, res);
    const year = req.query.year ? parse(YEAR, req.query.year, "year") : toLocal(d.clock.now(), d.timezone).year;
    const scope = scopeOf(res);
    const mine = scope.streetId === null ? null : new Set((await db.estate.findMany({ where: { streetId: scope.streetId }, select: { companyId: true } })).map((e) => e.companyId));
    const rows = (await evaluate(db, { settings: d.assessmentSettings(), year, timezone: d.timezone })).filter((e) => !mine || mine.has(e.companyId));
    send(res, vw, vw.t("credit"), <CreditList t={vw.t} rows={rows} year={year} base={d.assessmentSettings().evaluation.base} />);
  });

  r.get("/credit/:code", async (req, res) => {
    const vw = v(req, res);
    const code = parse(z.string().regex(/^[\w-]{1,64}$/), req.params.code, "company");
    const year = req.query.year ? parse(YEAR, req.query.year, "year") : toLocal(d.clock.now(), d.timezone).year;
    const company = await db.company.findUnique({ where: { code }, include: { estates: { select: { streetId: true } } } });
    const scope = scopeOf(res);
    if (!company || (scope.streetId !== null && !company.estates.some((e) => e.streetId === scope.streetId))) throw new HttpError(404, "not_found", vw.t("not_found"));
    const settings = d.assessmentSettings();
    const [ev, rows] = await Promise.all([evaluate(db, { settings, year, timezone: d.timezone }), deductions(db, { companyId: company.id, year, timezone: d.timezone, limit: 1000 })]);
    const cases = await db.case.findMany({ where: { id: { in: rows.flatMap((x) => (x.caseId ? [x.caseId] : [])) } }, select: { id: true, number: true, estate: { select: { name: true } } } });
    const byId = new Map(cases.map((c) => [c.id, c]));
    const mineEv = ev.find((e) => e.companyId === company.id)!;
    send(
      res,
      vw,
      `${vw.t("credit")} · ${company.name}`,
      <CreditFile vw={vw} ev={mineEv} base={settings.evaluation.base} rows={rows.map((x) => ({ ...x, case: x.caseId ? byId.get(x.caseId) : undefined }))} />,
    );
  });

  r.get("/warnings", async (req, res) => {
    const vw = v(req, res);
    const scope = scopeOf(res);
    const now = d.clock.now();
    const settings = d.assessmentSettings();
    const [current, past, estates] = await Promise.all([
      spikes(db, { settings, now, streetId: scope.streetId }),
      listWarnings(db, { since: new Date(now.getTime() - 365 * 86_400_000), streetId: scope.streetId }),
      db.estate.findMany({ select: { id: true, name: true, street: { select: { name: true } } } }),
    ]);
    const names = new Map(estates.map((e) => [e.id, e]));
    const pastRows = past.map((w) => ({ day: w.day, estate: names.get(w.estateId)?.name ?? "", street: names.get(w.estateId)?.street.name ?? "", recent: w.recent, baseline: w.baseline }));
    send(res, vw, vw.t("warnings"), <Warnings t={vw.t} current={current} past={pastRows} factor={settings.earlyWarning.factor} minCount={settings.earlyWarning.minCount} />);
  });
  return r;
}

function Streets(p: { t: Translate; byStreet: FigureRow[]; byEstate: FigureRow[]; streetOf: Map<string, string>; minSample: number }) {
  const { t } = p;
  return (
    <>
      <h2>{t("by_street")}</h2>
      <FigureTable rows={p.byStreet} id="fig-street" t={t} minSample={p.minSample} first={t("street")} />
      {p.byStreet.map((s) => (
        <section data-street={s.key}>
          <h2>{s.label}</h2>
          <FigureTable rows={p.byEstate.filter((e) => p.streetOf.get(e.key) === s.key)} id={`fig-street-${s.key}`} t={t} minSample={p.minSample} first={t("estate")} />
        </section>
      ))}
      <p class="note">{t("too_few_note")}: {p.minSample}</p>
    </>
  );
}

const points = (x: number) => (Math.round(x * 10) / 10).toString();

function CreditList(p: { t: Translate; rows: Evaluation[]; year: number; base: number }) {
  const { t } = p;
  return (
    <>
      <YearPicker t={t} year={p.year} />
      <div class="scroll">
        <table id="credit">
          <thead>
            <tr>
              <th>{t("company")}</th>
              <th class="num">{t("credit_base")}</th>
              <th class="num">{t("credit_deducted")}</th>
              <th class="num">{t("score")}</th>
              <th>{t("credit_grade")}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((e) => (
              <tr data-company={e.code}>
                <td>
                  <a href={`/dashboard/credit/${e.code}?year=${p.year}`}>{e.name}</a>
                </td>
                <td class="num">{p.base}</td>
                <td class="num">{points(e.deducted)}</td>
                <td class="num">{points(e.score)}</td>
                <td>{t(`grade_${e.grade}`) === `grade_${e.grade}` ? e.label : t(`grade_${e.grade}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function YearPicker(p: { t: Translate; year: number }) {
  return (
    <form class="filters" method="get">
      <label>
        {p.t("credit_year")}
        <input type="number" name="year" value={String(p.year)} min="2000" max="2100" />
      </label>
      <button>{p.t("filter")}</button>
    </form>
  );
}

type DeductionRow = { id: number; reason: string; points: number; at: Date; note: string | null; case?: { id: number; number: string; estate: { name: string } } };

function CreditFile(p: { vw: View; ev: Evaluation; base: number; rows: DeductionRow[] }) {
  const { t } = p.vw;
  const grade = t(`grade_${p.ev.grade}`) === `grade_${p.ev.grade}` ? p.ev.label : t(`grade_${p.ev.grade}`);
  return (
    <>
      <YearPicker t={t} year={p.ev.year} />
      <p id="credit-summary" class="card">
        {t("credit_year")} {p.ev.year} · {t("credit_base")} {p.base} · {t("credit_deducted")} {points(p.ev.deducted)} · {t("score")} <b>{points(p.ev.score)}</b> · {t("credit_grade")} <b>{grade}</b>
      </p>
      <h2>{t("credit_deductions")}</h2>
      <div class="scroll">
        <table id="deductions">
          <thead>
            <tr>
              <th>{t("credit_at")}</th>
              <th>{t("number")}</th>
              <th>{t("estate")}</th>
              <th>{t("reason")}</th>
              <th class="num">{t("credit_points")}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.length === 0 ? (
              <tr>
                <td colSpan={5}>{t("credit_none")}</td>
              </tr>
            ) : (
              p.rows.map((x) => (
                <tr>
                  <td>{p.vw.fmt(x.at)}</td>
                  <td>{x.case ? <a href={`/dashboard/cases/${x.case.id}`}>{x.case.number}</a> : (x.note ?? "—")}</td>
                  <td>{x.case?.estate.name ?? "—"}</td>
                  <td>{t(`reason_${x.reason}`)}</td>
                  <td class="num">−{points(x.points)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <p>
        <a href={`/dashboard/credit?year=${p.ev.year}`}>← {t("back")}</a>
      </p>
    </>
  );
}

type PastWarning = { day: string; estate: string; street: string; recent: number; baseline: number };

function Warnings(p: { t: Translate; current: WarningRow[]; past: PastWarning[]; factor: number; minCount: number }) {
  const { t } = p;
  const table = (id: string, rows: (PastWarning | (WarningRow & { day?: string }))[], withDay: boolean) => (
    <div class="scroll">
      <table id={id}>
        <thead>
          <tr>
            {withDay ? <th>{t("warning_day")}</th> : null}
            <th>{t("estate")}</th>
            <th>{t("street")}</th>
            <th class="num">{t("warning_recent")}</th>
            <th class="num">{t("warning_baseline")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={withDay ? 5 : 4}>{t("none")}</td>
            </tr>
          ) : (
            rows.map((w) => (
              <tr>
                {withDay ? <td>{w.day}</td> : null}
                <td>{w.estate}</td>
                <td>{w.street}</td>
                <td class="num">{w.recent}</td>
                <td class="num">{(Math.round(w.baseline * 10) / 10).toFixed(1)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
  return (
    <>
      <p class="note">
        {t("warning_rule")}: {t("warning_rule_text")} ({t("warning_factor")} {p.factor} · {t("warning_min")} {p.minCount})
      </p>
      <h2>{t("warnings_current")}</h2>
      {table("warnings-current", p.current, false)}
      <h2>{t("warnings_past")}</h2>
      {table("warnings-past", p.past, true)}
    </>
  );
}
