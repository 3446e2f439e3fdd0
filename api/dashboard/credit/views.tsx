// The credit pages' parts: a file's summary (score, grade, cards, as of), the chart's data block,
// the records table with each record's source, expiry, status and appeal form, and the forms the
// office uses. Rendered by Preact (escaped); the chart is drawn by /assets/credit-chart.js.
import type { FileRecord, CreditFile } from "../../../core/credit/files.ts";
import type { View } from "../layout.ts";

const pts = (x: number) => (Math.round(x * 100) / 100).toString();

export function Summary(p: { vw: View; file: CreditFile }) {
  const { t, fmt } = p.vw;
  const s = p.file.score;
  return (
    <>
      <p id="credit-summary" class="card">
        {t("cr_as_of")} {fmt(p.file.at)} · {t("cr_score")} <b>{pts(s.score)}</b> · {t("cr_grade")} <b data-grade={s.grade}>{s.grade}</b>
        {" · "}
        {t("cr_base")} {pts(s.base)} · {t("cr_good")} +{pts(s.good)} · {t("cr_bad")} −{pts(s.bad)}
        {" · "}
        {t("cr_yellow")} {s.yellowCards} · {t("cr_red")} {s.redCards}
        {s.blacklisted ? <b class="bad"> · {t("cr_blacklisted")}</b> : null}
      </p>
      <p class="note">
        {t("cr_workload")}: {s.workload.cases} / {s.workload.households}. {t("cr_how")}
      </p>
      <h2>{t("cr_chart")}</h2>
      <div style="height:220px">
        <canvas id="credit-chart" />
      </div>
      <script
        type="application/json"
        id="credit-data"
        dangerouslySetInnerHTML={{ __html: JSON.stringify({ label: t("cr_score"), labels: p.file.series.map((x) => fmt(x.at).slice(0, 10)), values: p.file.series.map((x) => x.score) }).replace(/</g, "\\u003c") }}
      />
    </>
  );
}

function Source(p: { vw: View; r: FileRecord }) {
  const { t } = p.vw;
  const label = t(`cr_source_${p.r.sourceType}`);
  if (p.r.caseId) return <a href={`/dashboard/cases/${p.r.caseId}`}>{`${label} ${p.r.caseNumber ?? ""}`}</a>;
  return <span>{p.r.note ? `${label}：${p.r.note}` : label}</span>;
}

export function Records(p: { vw: View; records: FileRecord[]; mayAppeal: boolean }) {
  const { t, fmt } = p.vw;
  return (
    <>
      <h2>{t("cr_records")}</h2>
      <div class="scroll">
        <table id="credit-records">
          <thead>
            <tr>
              <th>{t("cr_at")}</th>
              <th>{t("cr_type")}</th>
              <th>{t("cr_source")}</th>
              <th>{t("estate")}</th>
              <th class="num">{t("cr_points")}</th>
              <th>{t("cr_valid_until")}</th>
              <th>{t("cr_status")}</th>
              {p.mayAppeal ? <th>{t("cr_appeal")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {p.records.length === 0 ? (
              <tr>
                <td colSpan={8}>{t("cr_none")}</td>
              </tr>
            ) : (
              p.records.map((r) => (
                <tr data-record={String(r.id)} data-status={r.status}>
                  <td>{fmt(r.at)}</td>
                  <td>{t(`ct_${r.type}`)}</td>
                  <td>
                    <Source vw={p.vw} r={r} />
                  </td>
                  <td>{r.estate?.name ?? "—"}</td>
                  <td class="num">{`${r.polarity === "good" ? "+" : "−"}${pts(r.points)}`}</td>
                  <td>{fmt(r.validUntil)}</td>
                  <td>{r.status === "active" && !r.counts ? t("cr_expired") : t(`cr_status_${r.status}`)}</td>
                  {p.mayAppeal ? (
                    <td>
                      {r.status === "active" && r.counts ? (
                        <form method="post" action={`/dashboard/credit/records/${r.id}/appeal`} class="inline">
                          <input type="hidden" name="_csrf" value={p.vw.csrf} />
                          <input name="reason" required maxLength={1000} placeholder={t("cr_appeal_reason")} aria-label={t("cr_appeal_reason")} />
                          <input name="evidence" maxLength={2000} placeholder={t("cr_appeal_evidence")} aria-label={t("cr_appeal_evidence")} />
                          <button>{t("cr_appeal")}</button>
                        </form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function RecordForm(p: { vw: View; types: string[]; company?: string; manager?: number }) {
  const { t } = p.vw;
  return (
    <form method="post" action="/dashboard/credit/records" class="card" id="add-record">
      <h2>{t("cr_add_record")}</h2>
      <input type="hidden" name="_csrf" value={p.vw.csrf} />
      {p.company ? <input type="hidden" name="company" value={p.company} /> : <input type="hidden" name="manager" value={String(p.manager)} />}
      <label>
        {t("cr_type")}
        <select name="type">
          {p.types.map((x) => (
            <option value={x}>{t(`ct_${x}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("cr_note")}
        <input name="note" required maxLength={500} />
      </label>
      <button>{t("cr_save")}</button>
    </form>
  );
}
