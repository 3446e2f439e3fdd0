// The campaign pages as Preact views: the campaign list with its creation form, the ledger with the
// live figures, one problem with its history and the forms of the actions its state allows, the
// phone form an inspector registers a problem with (390 px, camera photos), the public progress page.
import type { CampaignRow } from "../../../core/campaigns/campaigns.ts";
import { phaseAt } from "../../../core/campaigns/campaigns.ts";
import type { CampaignFigures, FigureRow } from "../../../core/campaigns/figures.ts";
import type { LedgerRow } from "../../../core/campaigns/ledger/ledger.ts";
import { isOverdue } from "../../../core/campaigns/ledger/ledger.ts";
import { ledgerText } from "../../../core/campaigns/ledger/labels.ts";
import { categoryName, type CampaignSettings } from "../../../core/campaigns/settings.ts";
import type { ImportProblem, ProblemImportResult } from "../../../core/campaigns/import.ts";
import { pct, type View } from "../layout.ts";

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ""));
const day = (vw: View, d: Date | null) => (d ? vw.fmt(d).slice(0, 10) : "—");
/** "83.3% · 5/6", as every rate in the dashboard. */
export const rateText = (n: number, of: number) => `${pct(of ? n / of : null)} · ${n}/${of}`;

export function CampaignList({ vw, rows, canWrite, settings, now }: { vw: View; rows: CampaignRow[]; canWrite: boolean; settings: CampaignSettings; now: Date }) {
  const { t } = vw;
  return (
    <>
      <p>{t("cp_intro")}</p>
      {rows.length === 0 ? <p id="none">{t("cp_none")}</p> : null}
      <ul class="cards" id="campaigns">
        {rows.map((c) => (
          <li class="card">
            <a href={`/dashboard/campaigns/${c.id}`}>{c.name}</a> · {t(`cp_phase_${phaseAt(c, now)}`)} · {day(vw, c.inspectFrom)} – {day(vw, c.acceptTo)}
          </li>
        ))}
      </ul>
      {canWrite ? (
        <form method="post" action="/dashboard/campaigns" class="card" id="new-campaign">
          <h2>{t("cp_new")}</h2>
          <input type="hidden" name="_csrf" value={vw.csrf} />
          <label>
            {t("cp_name")} <input name="name" required maxLength={200} />
          </label>
          {(["inspect_from", "inspect_to", "rectify_from", "rectify_to", "accept_from", "accept_to"] as const).map((k) => (
            <label>
              {t(`cp_${k}`)} <input type="date" name={k} required />
            </label>
          ))}
          <fieldset>
            <legend>{t("category")}</legend>
            {settings.categories.map((c) => (
              <label>
                <input type="checkbox" name="categories" value={c.code} checked /> {c.names[vw.locale]}
              </label>
            ))}
          </fieldset>
          <button>{t("cp_create")}</button>
        </form>
      ) : null}
    </>
  );
}

function RateCells({ r, targets }: { r: FigureRow; targets: CampaignFigures["targets"] }) {
  const mark = (x: number | null, target: number) => (x === null ? "" : x >= target ? "✓" : "✗");
  return (
    <>
      <td>{r.registered}</td>
      <td>{r.closed}</td>
      <td>
        {rateText(r.closed, r.registered)} {mark(r.rectificationRate, targets.rectification)}
      </td>
      <td>
        {rateText(r.closedOnTime, r.due)} {mark(r.timelinessRate, targets.timeliness)}
      </td>
      <td>{r.overdue}</td>
    </>
  );
}

export function FiguresTable({ vw, title, rows, targets, id, grade }: { vw: View; title: string; rows: FigureRow[]; targets: CampaignFigures["targets"]; id: string; grade?: boolean }) {
  const { t } = vw;
  const lt = ledgerText(vw.locale);
  return (
    <section id={id}>
      <h3>{title}</h3>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>{title}</th>
              <th>{t("cp_registered")}</th>
              <th>{t("cp_closed")}</th>
              <th>{t("cp_rect_rate")}</th>
              <th>{t("cp_time_rate")}</th>
              <th>{t("cp_overdue")}</th>
              {grade ? <th>{t("cp_revisit_grade")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>{r.label}</td>
                <RateCells r={r} targets={targets} />
                {grade ? <td>{r.revisitGrade ? lt(`rv_${r.revisitGrade}`) : "—"}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Ledger(p: { vw: View; campaign: CampaignRow; figures: CampaignFigures; rows: LedgerRow[]; nextAfter: number | null; settings: CampaignSettings; estates: { code: string; name: string }[]; filter: { estate?: string; state?: string }; canWrite: boolean; inspected: number; now: Date; notice?: string | null }) {
  const { vw, campaign: c, figures: f } = p;
  const { t } = vw;
  const lt = ledgerText(vw.locale);
  const tot = f.campaign;
  const q = new URLSearchParams(Object.entries(p.filter).filter(([, v]) => v) as [string, string][]);
  return (
    <>
      {p.notice ? (
        <p class="ok" id="notice">
          {p.notice}
        </p>
      ) : null}
      <p>
        {t("cp_phase")}: <b>{t(`cp_phase_${phaseAt(c, p.now)}`)}</b> · {t("cp_phase_inspect")} {day(vw, c.inspectFrom)}–{day(vw, c.inspectTo)} · {t("cp_phase_rectify")} {day(vw, c.rectifyFrom)}–{day(vw, c.rectifyTo)} · {t("cp_phase_accept")} {day(vw, c.acceptFrom)}–{day(vw, c.acceptTo)}
      </p>
      <ul class="figures" id="campaign-figures">
        <li>
          {t("cp_rect_rate")}: <b>{rateText(tot.closed, tot.registered)}</b> ({t("cp_target")} {pct(f.targets.rectification)})
        </li>
        <li>
          {t("cp_time_rate")}: <b>{rateText(tot.closedOnTime, tot.due)}</b> ({t("cp_target")} {pct(f.targets.timeliness)})
        </li>
        <li>
          {t("cp_overdue")}: {tot.overdue} · {t("cp_repeats")}: {tot.repeats} · {t("cp_inspected")}: {p.inspected}
        </li>
      </ul>
      <p class="actions">
        {p.canWrite ? <a class="button" href={`/dashboard/campaigns/${c.id}/problems/new`} id="register-link">{t("cp_register")}</a> : null} <a href={`/dashboard/campaigns/${c.id}/ledger.xlsx?${q}`}>{t("cp_export")}</a> · <a href={`/campaigns/${c.publicSlug}`}>{t("cp_public")}</a>
      </p>
      <FiguresTable vw={vw} id="by-street" title={t("cp_by_street")} rows={f.streets} targets={f.targets} />
      <FiguresTable vw={vw} id="by-company" title={t("cp_by_company")} rows={f.companies} targets={f.targets} />
      <FiguresTable vw={vw} id="by-estate" title={t("cp_by_estate")} rows={f.estates} targets={f.targets} grade />
      <h2>{t("cp_ledger")}</h2>
      <form method="get" class="filters">
        <select name="estate">
          <option value="">{t("cp_all_estates")}</option>
          {p.estates.map((e) => (
            <option value={e.code} selected={p.filter.estate === e.code}>
              {e.name}
            </option>
          ))}
        </select>
        <select name="state">
          <option value="">{t("all")}</option>
          {["found", "proposed", "rectifying", "awaiting_acceptance", "accepted", "revisit", "closed", "reopened"].map((s) => (
            <option value={s} selected={p.filter.state === s}>
              {lt(`st_${s}`)}
            </option>
          ))}
        </select>
        <button>{t("filter")}</button>
        {p.filter.estate ? <a href={`/dashboard/campaigns/${c.id}/estates/${p.filter.estate}.pdf`}>{t("cp_file_pdf")}</a> : null}
      </form>
      <div class="scroll">
        <table id="ledger">
          <thead>
            <tr>
              {["col_seq", "col_estate", "col_category", "col_description", "col_unit", "col_deadline", "col_progress", "col_rounds", "col_closed", "col_revisit"].map((k) => (
                <th>{lt(k)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr class={isOverdue(r, p.now) ? "overdue" : undefined}>
                <td>
                  <a href={`/dashboard/campaigns/${c.id}/problems/${r.id}`}>{r.seq}</a>
                </td>
                <td>{r.estate.name}</td>
                <td>{categoryName(p.settings, r.category, vw.locale)}</td>
                <td>{[r.building, r.place, r.description].filter(Boolean).join(" · ")}</td>
                <td>{r.responsibleName}</td>
                <td>{day(vw, r.deadline)}</td>
                <td>
                  {lt(`st_${r.state}`)}
                  {isOverdue(r, p.now) ? ` (${lt("overdue")})` : ""}
                </td>
                <td>{r.rounds}</td>
                <td>{day(vw, r.closedAt)}</td>
                <td>{r.revisitResult ? lt(`rv_${r.revisitResult}`) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.nextAfter ? (
        <p>
          <a href={`?${new URLSearchParams({ ...Object.fromEntries(q), after: String(p.nextAfter) })}`}>{t("next_page")}</a>
        </p>
      ) : null}
      {p.canWrite ? (
        <>
          <form method="post" action={`/dashboard/campaigns/${c.id}/import`} enctype="multipart/form-data" class="card" id="import">
            <h3>{t("cp_import")}</h3>
            <input type="hidden" name="_csrf" value={vw.csrf} />
            <input type="file" name="file" accept=".xlsx" required />
            <label>
              <input type="checkbox" name="dryRun" value="true" /> {t("cp_import_check")}
            </label>
            <button>{t("cp_import_go")}</button>
          </form>
          <form method="post" action={`/dashboard/campaigns/${c.id}/inspected`} class="card">
            <input type="hidden" name="_csrf" value={vw.csrf} />
            <select name="estate">
              {p.estates.map((e) => (
                <option value={e.code}>{e.name}</option>
              ))}
            </select>
            <button class="secondary">{t("cp_mark_inspected")}</button>
          </form>
        </>
      ) : null}
    </>
  );
}

export function ImportResultView({ vw, result, campaignId }: { vw: View; result: ProblemImportResult & { dryRun: boolean }; campaignId: number }) {
  const { t } = vw;
  if (result.ok) {
    return (
      <p class="ok" id="import-result">
        {fill(t(result.dryRun ? "cp_import_checked" : "cp_import_ok"), { created: result.created, unchanged: result.unchanged })} <a href={`/dashboard/campaigns/${campaignId}`}>{t("cp_ledger")}</a>
      </p>
    );
  }
  return (
    <>
      <p class="error" id="import-result">
        {t("cp_import_bad")}
      </p>
      <table id="import-problems">
        <thead>
          <tr>
            <th>{t("cp_sheet")}</th>
            <th>{t("cp_row")}</th>
            <th>{t("cp_column")}</th>
            <th>{t("cp_reason")}</th>
          </tr>
        </thead>
        <tbody>
          {result.problems.map((x: ImportProblem) => (
            <tr>
              <td>{x.sheet}</td>
              <td>{x.row ?? ""}</td>
              <td>{x.column ?? ""}</td>
              <td>{x.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={`/dashboard/campaigns/${campaignId}`}>{t("cp_ledger")}</a>
      </p>
    </>
  );
}

export { ProblemPage, RegisterForm, PublicProgress } from "./problem-views.tsx";
