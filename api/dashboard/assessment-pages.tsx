// Dashboard pages for the assessment figures that used to live only in the API: per-street figures
// and early warnings (current spikes and the stored history); the credit files are in
// api/dashboard/credit/. Preact components rendered to a fragment and placed in the existing page frame (layout.ts) until the shared shell lands.
import express, { type Request, type Response, type Router } from "express";
import type { JSX } from "preact";
import type { Db } from "../../core/db/db.ts";
import { figures, type FigureRow } from "../../core/assessment/figures.ts";
import { listWarnings, spikes, type WarningRow } from "../../core/assessment/early-warning.ts";
import { scopeOf } from "../auth.ts";
import type { OfficeAppDeps } from "../office.ts";
import type { Translate } from "../i18n/i18n.ts";
import { renderFragment } from "../views/render.tsx";
import { FigureTable } from "../views/figures.tsx";
import { figuresWindow } from "../rest/v1.ts";
import { page, view, type View } from "./layout.ts";


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
