// The overdue board, the figures page and the estate board (dashboard and public copy) as Preact
// parts; api/dashboard/reports.ts routes them. On a phone the estate board is one column of cards,
// each with its inline SVG face (api/views/figures.tsx) and the rates in words.
import type { CaseListRow } from "../../core/cases/case-query.ts";
import type { BoardRow } from "../../core/assessment/board.ts";
import type { FigureRow } from "../../core/assessment/figures.ts";
import type { View } from "../dashboard/layout.ts";
import { EstateCard, FigureTable } from "./figures.tsx";
import { durationText, pct, periodText } from "./format.ts";
import { Csrf } from "./shell.tsx";

/** Per overdue case: whether the current escalation was acknowledged (who, when) and how often the liaison was urged. */
export interface OverdueExtra {
  ack: { by: string; at: Date } | null;
  urges: number;
  category: string;
}

export function OverdueList(p: { vw: View; items: { c: CaseListRow; late: { missed: "response" | "resolution"; lateMs: number }; x?: OverdueExtra }[] }) {
  const { vw } = p;
  const { t } = vw;
  return (
    <>
      <div class="scroll">
        <table id="overdue" class="cards">
          <thead>
            <tr>
              <th>{t("number")}</th>
              <th>{t("urgency")}</th>
              <th>{t("category")}</th>
              <th>{t("estate")}</th>
              <th>{t("company")}</th>
              <th>{t("liaison")}</th>
              <th>{t("state")}</th>
              <th>{t("missed")}</th>
              <th>{t("late_by")}</th>
              <th>{t("escalation")}</th>
              <th>{t("ack_state")}</th>
              <th>{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.length === 0 ? (
              <tr>
                <td colSpan={12}>{t("none")}</td>
              </tr>
            ) : (
              p.items.map(({ c, late, x }) => (
                <tr class={c.urgency === "emergency" ? "late emergency" : "late"} data-urgency={c.urgency}>
                  <td data-label={t("number")}>
                    <a href={`/dashboard/cases/${c.id}`}>{c.number}</a>
                  </td>
                  <td data-label={t("urgency")}>{c.urgency === "emergency" ? <b class="badge late">{`⚠ ${t(`urgency_${c.urgency}`)}`}</b> : t(`urgency_${c.urgency}`)}</td>
                  <td data-label={t("category")}>{x?.category ?? c.category}</td>
                  <td data-label={t("estate")}>{c.estate.name}</td>
                  <td data-label={t("company")}>{c.company?.name ?? "—"}</td>
                  <td data-label={t("liaison")}>{c.liaison?.name ?? "—"}</td>
                  <td data-label={t("state")}>{t(`state_${c.state}`)}</td>
                  <td data-label={t("missed")}>{t(`missed_${late.missed}`)}</td>
                  <td data-label={t("late_by")} class="num">
                    {durationText(late.lateMs, vw.locale)}
                  </td>
                  <td data-label={t("escalation")} data-level={c.escalationLevel}>
                    {t(`escalation_${c.escalationLevel}`)}
                  </td>
                  <td data-label={t("ack_state")} class="ack">
                    {c.escalationLevel === 0 ? "—" : x?.ack ? `✓ ${x.ack.by} · ${vw.fmt(x.ack.at)}` : t("not_acked")}
                    {x?.urges ? ` · ${t("urges")} ${x.urges}` : ""}
                  </td>
                  <td data-label={t("actions")}>
                    {c.escalationLevel > 0 && !x?.ack ? (
                      <form method="post" action={`/dashboard/cases/${c.id}/acknowledge`} class="inline">
                        <Csrf v={vw} />
                        <input type="hidden" name="back" value="overdue" />
                        <button>{t("acknowledge")}</button>
                      </form>
                    ) : null}
                    {c.liaison ? (
                      <form method="post" action={`/dashboard/cases/${c.id}/urge`} class="inline">
                        <Csrf v={vw} />
                        <input type="hidden" name="back" value="overdue" />
                        <button>{t("urge")}</button>
                      </form>
                    ) : null}{" "}
                    <a href={`/dashboard/cases/${c.id}#reassign`}>{t("reassign")}</a>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <p>
        <a href="/dashboard/cases.xlsx?overdue=true" id="xlsx">
          {t("export_xlsx")}
        </a>
        {" · "}
        <a href="/dashboard/cases.csv?overdue=true" id="csv">
          {t("export_csv")}
        </a>
      </p>
    </>
  );
}

export interface FiguresProps {
  vw: View;
  from: string;
  to: string;
  byCompany: FigureRow[];
  byEstate: FigureRow[];
  minSample: number;
  months: string[];
  charts: { id: string; title: string; series: { label: string; values: (number | null)[] }[] }[];
  enoughMonths: boolean;
}

export function Figures(p: FiguresProps) {
  const { t } = p.vw;
  const range = `from=${p.from}&to=${p.to}`;
  const exports = (by: string, id?: string) => (
    <p>
      <a href={`/dashboard/figures.xlsx?by=${by}&${range}`} id={id}>
        {t("export_xlsx")}
      </a>
      {" · "}
      <a href={`/dashboard/figures.csv?by=${by}&${range}`}>{t("export_csv")}</a>
    </p>
  );
  return (
    <>
      <form class="filters" method="get">
        <label>
          {t("from")}
          <input type="date" name="from" value={p.from} />
        </label>
        <label>
          {t("to")}
          <input type="date" name="to" value={p.to} />
        </label>
        <button>{t("filter")}</button>
      </form>
      <h2>{t("by_company")}</h2>
      <FigureTable rows={p.byCompany} id="fig-company" t={t} minSample={p.minSample} />
      {exports("company", "xlsx-company")}
      <h2>{t("by_estate")}</h2>
      <FigureTable rows={p.byEstate} id="fig-estate" t={t} minSample={p.minSample} />
      {exports("estate")}
      <p class="note">{`${t("too_few_note")}: ${p.minSample}`}</p>
      <h2>{t("trend")}</h2>
      {!p.enoughMonths ? (
        <p id="trend-short" class="note">
          {t("trend_too_short")}
        </p>
      ) : (
        <>
          <p class="note">{t("trend_gap_note")}</p>
          <div class="grid">
            {p.charts.map((c) => (
              <div class="chart">
                <canvas id={c.id}></canvas>
              </div>
            ))}
          </div>
          {/* JSON for the chart script: in a data block, so nothing in it runs; "<" is escaped as \u003c. */}
          <script type="application/json" id="trend-data" dangerouslySetInnerHTML={{ __html: JSON.stringify({ months: p.months, charts: p.charts }).replace(/</g, "\\u003c") }} />
        </>
      )}
    </>
  );
}

export interface BoardSettings {
  compliant: { satisfaction: number; timeliness: number };
  model: { satisfaction: number; timeliness: number; maxRepeatRate: number };
  minSample: number;
}

/** The estate board: a summary line, the rule in words and one card per estate. */
export function Board(p: { vw: View; rows: BoardRow[]; c: BoardSettings; detail: boolean }) {
  const { vw, rows, c } = p;
  const { t } = vw;
  const periods = [...new Set(rows.map((r) => r.period).filter((x): x is string => !!x))].map((x) => periodText(x, vw.locale)).join("、");
  const last = rows.reduce<Date | null>((a, r) => (r.computedAt && (!a || r.computedAt > a) ? r.computedAt : a), null);
  const count = (k: BoardRow["class"]) => rows.filter((r) => r.class === k).length;
  const rule = `${t("board_rule")}: ${t("class_compliant")}: ${t("satisfaction_rate")} ≥ ${pct(c.compliant.satisfaction)} · ${t("timeliness")} ≥ ${pct(c.compliant.timeliness)}; ${t("class_model")}: ≥ ${pct(c.model.satisfaction)} / ${pct(c.model.timeliness)} · ${t("repeat_rate")} ≤ ${pct(c.model.maxRepeatRate)}; ${t("board_min_sample")} ${c.minSample}`;
  return (
    <>
      <p id="board-summary" class="board-summary">
        {`${t("board_period")} ${periods || "—"} · ${t("board_computed")} ${vw.fmt(last)}`}
        <span class="counts">
          <span class="badge model">{`${t("class_model")} ${count("model")}`}</span>
          <span class="badge compliant">{`${t("class_compliant")} ${count("compliant")}`}</span>
          <span class="badge rectify">{`${t("class_rectify")} ${count("rectify")}`}</span>
          <span class="badge unrated">{`${t("class_unrated")} ${count("unrated")}`}</span>
          {count(null) ? <span class="badge">{`${t("class_none")} ${count(null)}`}</span> : null}
        </span>
      </p>
      <p class="note">{t("board_auto")}</p>
      <p class="note">
        {rule}
        {p.detail ? (
          <>
            {" · "}
            <a href="/board">{t("public_board")}</a>
          </>
        ) : null}
      </p>
      <div class="board" id="board">
        {rows.map((r) => (
          <EstateCard r={r} t={t}>
            {p.detail ? (
              <>
                <div>{`${t("satisfaction_rate")} ${r.satisfaction === null ? t("too_few") : pct(r.satisfaction)} (${r.answers}) · ${t("timeliness")} ${r.timeliness === null ? t("too_few") : pct(r.timeliness)} (${r.due})`}</div>
                <div>{`${t("case_count")} ${r.cases} · ${t("board_answers")} ${r.answers} · ${t("repeat_rate")} ${pct(r.repeatRate)}`}</div>
              </>
            ) : null}
          </EstateCard>
        ))}
      </div>
    </>
  );
}

/** The dashboard's board: done line, the board and (admin, district) the re-rate button. */
export function BoardPage(p: { vw: View; rows: BoardRow[]; c: BoardSettings; done: boolean; canRecompute: boolean }) {
  const { t } = p.vw;
  return (
    <>
      {p.done ? <p class="ok">{t("board_recomputed")}</p> : null}
      <Board vw={p.vw} rows={p.rows} c={p.c} detail={true} />
      {p.canRecompute ? (
        <form method="post" action="/dashboard/board/recompute" class="inline">
          <Csrf v={p.vw} />
          <button id="recompute">{t("board_recompute")}</button>
        </form>
      ) : null}
    </>
  );
}
