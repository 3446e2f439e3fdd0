// One problem (history, photos, the action forms its state allows), the phone form an inspector
// registers a problem with (one column at 390 px, photos straight from the camera) and the public
// progress page of a campaign (counts per estate, nothing personal).
import type { CampaignRow } from "../../../core/campaigns/campaigns.ts";
import type { FigureRow } from "../../../core/campaigns/figures.ts";
import { ledgerText } from "../../../core/campaigns/ledger/labels.ts";
import { categoryName, type CampaignSettings } from "../../../core/campaigns/settings.ts";
import { allowedActions, type ProblemAction } from "../../../core/campaigns/lifecycle.ts";
import type { ProblemDetail } from "../../../core/campaigns/problems.ts";
import { actionName } from "../../../core/campaigns/ledger/pdf.ts";
import { PROBLEM_SOURCES, RESPONSIBLE_KINDS } from "../../../core/campaigns/problems.ts";
import { pct, type View } from "../layout.ts";

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ""));

const NEEDS_MEASURE: ProblemAction[] = ["propose", "set_measure", "approve"];
const NEEDS_DEADLINE: ProblemAction[] = ["propose", "set_measure", "fail"];
const NEEDS_NOTE: ProblemAction[] = ["progress", "fail", "recheck_fail", "reopen"];
const TAKES_PHOTOS: ProblemAction[] = ["progress", "submit", "pass", "fail", "recheck_fail"];

export function ProblemPage({ vw, p, settings, canWrite, notice }: { vw: View; p: ProblemDetail; settings: CampaignSettings; canWrite: boolean; notice?: string | null }) {
  const { t } = vw;
  const lt = ledgerText(vw.locale);
  const actions = canWrite ? allowedActions({ state: p.state, hasResidents: p.caseIds.length > 0, revisitResult: p.revisitResult }) : [];
  const fails = p.events.filter((e) => e.action === "fail");
  const base = `/dashboard/campaigns/${p.campaignId}/problems/${p.id}`;
  return (
    <>
      {notice ? (
        <p class="ok" id="notice">
          {notice}
        </p>
      ) : null}
      <dl class="facts" id="problem">
        <dt>{lt("col_estate")}</dt>
        <dd>{[p.estate.name, p.building, p.place].filter(Boolean).join(" · ")}</dd>
        <dt>{lt("col_category")}</dt>
        <dd>{categoryName(settings, p.category, vw.locale)}</dd>
        <dt>{lt("col_description")}</dt>
        <dd>{p.description}</dd>
        <dt>{lt("col_source")}</dt>
        <dd>{[lt(`src_${p.source}`), p.sourceRef].filter(Boolean).join(" ")}</dd>
        <dt>{lt("col_unit")}</dt>
        <dd>
          {p.responsibleName} ({lt(`rk_${p.responsibleKind}`)}){p.responsiblePerson ? ` · ${p.responsiblePerson}` : ""}
        </dd>
        <dt>{lt("col_progress")}</dt>
        <dd id="state">{lt(`st_${p.state}`)}</dd>
        <dt>{lt("col_measure")}</dt>
        <dd>{p.measure ?? "—"}</dd>
        <dt>{lt("col_deadline")}</dt>
        <dd>{p.deadline ? vw.fmt(p.deadline) : "—"}</dd>
        <dt>{lt("col_rounds")}</dt>
        <dd>
          {p.rounds}
          {p.lastVerdict ? ` · ${lt(`verdict_${p.lastVerdict}`)}` : ""}
        </dd>
        <dt>{lt("col_revisit")}</dt>
        <dd>{p.revisitResult ? lt(`rv_${p.revisitResult}`) : "—"}</dd>
        <dt>{lt("col_recheck_due")}</dt>
        <dd>{p.recheckDue ? vw.fmt(p.recheckDue).slice(0, 10) : "—"}</dd>
      </dl>
      {fails.map((e) => {
        const round = (e.data as { round?: number } | null)?.round ?? 0;
        return (
          <p>
            <a href={`${base}/notices/${round}.pdf`}>{fill(t("cp_notice"), { round })}</a>
          </p>
        );
      })}
      {p.photos.length ? (
        <div class="photos">
          {p.photos.map((ph) => (
            <img src={`/dashboard/campaigns/${p.campaignId}/photos/${ph.id}`} alt={t("photos")} loading="lazy" width={160} />
          ))}
        </div>
      ) : null}
      <h2>{t("cp_history")}</h2>
      <ol id="history">
        {p.events.map((e) => (
          <li>
            {vw.fmt(e.at)} · {actionName(e.action, vw.locale)} · {e.actor.replace(/^(user|token|system):/, "")}
            {e.note ? `：${e.note}` : ""}
          </li>
        ))}
      </ol>
      {actions.map((a) => (
        <form method="post" action={`${base}/actions`} enctype="multipart/form-data" class="card phone-form" id={`act-${a}`}>
          <input type="hidden" name="_csrf" value={vw.csrf} />
          <input type="hidden" name="action" value={a} />
          <input type="hidden" name="expectState" value={p.state} />
          {NEEDS_MEASURE.includes(a) ? (
            <label>
              {t("cp_measure")} <textarea name="measure" maxLength={2000} required={a !== "approve"}>{p.measure ?? ""}</textarea>
            </label>
          ) : null}
          {NEEDS_DEADLINE.includes(a) ? (
            <label>
              {t("cp_deadline_days")} <input type="number" name="deadlineWorkdays" min={1} max={250} value={String(settings.defaultDeadlineWorkdays)} />
            </label>
          ) : null}
          {a === "revisit_answer" ? (
            <select name="answer" required>
              {(["satisfied", "fairly", "dissatisfied"] as const).map((x) => (
                <option value={x}>{lt(`rv_${x}`)}</option>
              ))}
            </select>
          ) : null}
          <label>
            {t("cp_note")} <input name="note" maxLength={2000} required={NEEDS_NOTE.includes(a)} />
          </label>
          {TAKES_PHOTOS.includes(a) ? <input type="file" name="photos" accept="image/*" capture="environment" multiple /> : null}
          <button class={a === "fail" || a === "recheck_fail" || a === "reopen" ? "secondary" : undefined}>{t(`cp_act_${a}`)}</button>
        </form>
      ))}
    </>
  );
}

export function RegisterForm({ vw, campaign, settings, estates, error }: { vw: View; campaign: CampaignRow; settings: CampaignSettings; estates: { code: string; name: string }[]; error?: string | null }) {
  const { t } = vw;
  const lt = ledgerText(vw.locale);
  const cats = settings.categories.filter((c) => !campaign.categories.length || campaign.categories.includes(c.code));
  return (
    <form method="post" action={`/dashboard/campaigns/${campaign.id}/problems`} enctype="multipart/form-data" class="phone-form" id="register">
      {error ? (
        <p class="error" id="error">
          {error}
        </p>
      ) : null}
      <input type="hidden" name="_csrf" value={vw.csrf} />
      <label>
        {lt("col_estate")}
        <select name="estate" required>
          {estates.map((e) => (
            <option value={e.code}>{e.name}</option>
          ))}
        </select>
      </label>
      <label>
        {t("cp_building")} <input name="building" maxLength={64} />
      </label>
      <label>
        {t("cp_place")} <input name="place" maxLength={200} />
      </label>
      <label>
        {lt("col_category")}
        <select name="category" required>
          {cats.map((c) => (
            <option value={c.code}>{c.names[vw.locale]}</option>
          ))}
        </select>
      </label>
      <label>
        {lt("col_description")} <textarea name="description" required maxLength={2000} rows={3} />
      </label>
      <label>
        {lt("col_source")}
        <select name="source">
          {PROBLEM_SOURCES.map((s) => (
            <option value={s}>{lt(`src_${s}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("cp_source_ref")} <input name="sourceRef" maxLength={100} />
      </label>
      <label>
        {t("cp_cases")} <input name="cases" maxLength={500} />
      </label>
      <label>
        {t("cp_unit_kind")}
        <select name="responsibleKind">
          {RESPONSIBLE_KINDS.map((k) => (
            <option value={k}>{lt(`rk_${k}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("cp_unit_name")} <input name="responsibleName" maxLength={200} />
      </label>
      <label>
        {t("cp_person")} <input name="responsiblePerson" maxLength={100} />
      </label>
      <label>
        {t("cp_photos")} <input type="file" name="photos" accept="image/*" capture="environment" multiple />
      </label>
      <button>{t("cp_save")}</button>
    </form>
  );
}

export function PublicProgress({ vw, campaign, rows, total }: { vw: View; campaign: CampaignRow; rows: FigureRow[]; total: FigureRow }) {
  const { t } = vw;
  return (
    <>
      <p>{campaign.name}</p>
      <p id="public-total">
        {t("cp_registered")} {total.registered} · {t("cp_closed")} {total.closed} · {t("cp_open")} {total.registered - total.closed} · {t("cp_rect_rate")} {pct(total.rectificationRate)}
      </p>
      <table id="public-estates">
        <thead>
          <tr>
            <th>{t("estate")}</th>
            <th>{t("cp_registered")}</th>
            <th>{t("cp_closed")}</th>
            <th>{t("cp_open")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.label}</td>
              <td>{r.registered}</td>
              <td>{r.closed}</td>
              <td>{r.registered - r.closed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{t("cp_public_note")}</p>
    </>
  );
}
