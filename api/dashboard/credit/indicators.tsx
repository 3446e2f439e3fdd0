// /dashboard/indicators: the district's indicators (业委会成立率, 物业化率, 持证率, 招投标率 of new
// estates, companies' qualification) against their targets, with the estates that miss each and why.
// A street office sees its street's estates. Logic is core/credit/indicators.ts.
import type { Request, Response, Router, RequestHandler } from "express";
import type { Db } from "../../../core/db/db.ts";
import { districtIndicators, type Indicator, type Miss } from "../../../core/credit/indicators.ts";
import { scopeOf } from "../../auth.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { renderFragment } from "../../views/render.tsx";
import { rulesOf } from "../../rest/credit/routes.ts";
import { page, view, type View } from "../layout.ts";

const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? "");
const pct = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toString()} %`);

function why(vw: View, m: Miss): string {
  return fill(vw.t(`in_why_${m.why}`), { who: m.who ?? "", date: m.date ? vw.fmt(m.date).slice(0, 10) : "" });
}

function Indicators(p: { vw: View; rows: Indicator[]; newSince: string }) {
  const { t } = p.vw;
  const state = (i: Indicator) => (i.reached === null ? (i.target === null ? t("in_no_target") : t("in_no_estates")) : i.reached ? t("in_reached") : t("in_missed"));
  return (
    <>
      <div class="scroll">
        <table id="indicators">
          <thead>
            <tr>
              <th>{t("in_indicator")}</th>
              <th class="num">{t("in_target")}</th>
              <th class="num">{t("in_rate")}</th>
              <th class="num">{t("in_estates")}</th>
              <th>{t("in_reached")}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((i) => (
              <tr data-indicator={i.key} data-reached={i.reached === null ? "" : String(i.reached)}>
                <td>
                  <a href={`#in-${i.key}`}>{t(`in_${i.key}`)}</a>
                </td>
                <td class="num">{i.target === null ? "—" : `≥ ${pct(i.target)}`}</td>
                <td class="num">{pct(i.rate)}</td>
                <td class="num">{`${i.met} / ${i.of}`}</td>
                <td class={i.reached === false ? "bad" : ""}>{state(i)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="note">
        {fill(t("in_new_since"), { date: p.newSince })}
        {p.vw.locale === "en" ? ". " : "。"}
        {t("in_how")}
      </p>
      {p.rows.map((i) => (
        <section id={`in-${i.key}`}>
          <h2>
            {t(`in_${i.key}`)} · {t("in_misses")}
          </h2>
          {i.misses.length === 0 ? (
            <p>{i.of ? t("in_all_met") : t("in_no_estates")}</p>
          ) : (
            <div class="scroll">
              <table data-misses={i.key}>
                <thead>
                  <tr>
                    <th>{t("estate")}</th>
                    <th>{t("in_street")}</th>
                    <th>{t("in_why")}</th>
                  </tr>
                </thead>
                <tbody>
                  {i.misses.map((m) => (
                    <tr data-estate={m.estate.code}>
                      <td>
                        <a href={`/dashboard/directory/estates/${m.estate.code}`}>{m.estate.name}</a>
                      </td>
                      <td>{m.estate.street}</td>
                      <td>{why(p.vw, m)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}

/** Mounted by creditPages (the router under /dashboard). */
export function indicatorRoutes(r: Router, db: Db, d: OfficeAppDeps, guard: RequestHandler, wrap: (fn: (req: Request, res: Response) => Promise<unknown>) => RequestHandler): void {
  r.get("/indicators", guard, wrap(async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const rules = rulesOf(d);
    const rows = await districtIndicators(db, rules, d.clock.now(), { streetId: scopeOf(res).streetId });
    res.type("html").send(page(vw, vw.t("in_title"), renderFragment(<Indicators vw={vw} rows={rows} newSince={rules.indicators.newSince} />), { res }));
  }));
}
