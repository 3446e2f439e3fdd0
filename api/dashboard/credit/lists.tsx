// The credit pages' lists: every company's score and grade, the project managers with their
// estates (and the district's forms to add and assign them), the appeals queue with decisions.
import type { SubjectScore } from "../../../core/credit/credit-file.ts";
import type { listAppeals } from "../../../core/credit/appeals.ts";
import type { listManagers } from "../../../core/credit/managers.ts";
import type { View } from "../layout.ts";

type ManagerRow = Awaited<ReturnType<typeof listManagers>>[number];
type AppealRow = Awaited<ReturnType<typeof listAppeals>>[number];
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

export function CompanyList(p: { vw: View; at: Date; rows: { code: string; name: string; s: SubjectScore }[] }) {
  const { t } = p.vw;
  return (
    <>
      <p class="note">
        {t("cr_as_of")} {p.vw.fmt(p.at)} · <a href="/dashboard/credit/managers">{t("cr_managers")}</a> · <a href="/dashboard/credit/appeals">{t("cr_appeals")}</a> · <a href="/dashboard/credit/evaluation">{t("ev_title")}</a> · <a href="/dashboard/indicators">{t("in_title")}</a>
      </p>
      <div class="scroll">
        <table id="credit">
          <thead>
            <tr>
              <th>{t("company")}</th>
              <th class="num">{t("cr_score")}</th>
              <th>{t("cr_grade")}</th>
              <th class="num">{t("cr_yellow")}</th>
              <th class="num">{t("cr_red")}</th>
              <th>{t("cr_blacklisted")}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr data-company={r.code}>
                <td>
                  <a href={`/dashboard/credit/${r.code}`}>{r.name}</a>
                </td>
                <td class="num">{String(r.s.score)}</td>
                <td>{r.s.grade}</td>
                <td class="num">{String(r.s.yellowCards)}</td>
                <td class="num">{String(r.s.redCards)}</td>
                <td>{r.s.blacklisted ? t("cr_blacklisted") : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="note">{t("cr_how")}</p>
    </>
  );
}

export function Managers(p: { vw: View; rows: ManagerRow[]; estates: { code: string; name: string }[]; mayEdit: boolean }) {
  const { t } = p.vw;
  return (
    <>
      <div class="scroll">
        <table id="managers">
          <thead>
            <tr>
              <th>{t("cr_person_name")}</th>
              <th>{t("cr_certificate")}</th>
              <th>{t("cr_cert_expires")}</th>
              <th>{t("cr_assignments")}</th>
              {p.mayEdit ? <th>{t("cr_assign")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {p.rows.map((m) => (
              <tr data-manager={String(m.id)}>
                <td>
                  <a href={`/dashboard/credit/managers/${m.id}`}>{m.name}</a>
                </td>
                <td>{m.certificateNo ?? "—"}</td>
                <td>{day(m.certificateExpiresOn) || "—"}</td>
                <td>
                  {m.assignments.map((a) => (
                    <div>{`${a.estate.name} · ${a.company.name} · ${day(a.startsOn)} – ${a.endsOn ? day(a.endsOn) : t("cr_now")}`}</div>
                  ))}
                </td>
                {p.mayEdit ? (
                  <td>
                    <form method="post" action={`/dashboard/credit/managers/${m.id}/assign`} class="inline">
                      <input type="hidden" name="_csrf" value={p.vw.csrf} />
                      <select name="estate" aria-label={t("estate")}>
                        {p.estates.map((e) => (
                          <option value={e.code}>{e.name}</option>
                        ))}
                      </select>
                      <input type="date" name="startsOn" required aria-label={t("cr_from")} />
                      <button>{t("cr_assign")}</button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.mayEdit ? (
        <form method="post" action="/dashboard/credit/managers" class="card" id="add-manager">
          <h2>{t("cr_add_manager")}</h2>
          <input type="hidden" name="_csrf" value={p.vw.csrf} />
          <label>
            {t("cr_person_name")}
            <input name="name" required maxLength={60} />
          </label>
          <label>
            {t("cr_certificate")}
            <input name="certificateNo" maxLength={40} />
          </label>
          <label>
            {t("cr_cert_expires")}
            <input type="date" name="certificateExpiresOn" />
          </label>
          <label>
            {t("cr_phone")}
            <input name="phone" maxLength={30} />
          </label>
          <button>{t("cr_save")}</button>
        </form>
      ) : null}
    </>
  );
}

export function Appeals(p: { vw: View; rows: AppealRow[]; mayDecide: boolean }) {
  const { t, fmt } = p.vw;
  return (
    <div class="scroll">
      <table id="appeals">
        <thead>
          <tr>
            <th>{t("cr_at")}</th>
            <th>{t("cr_type")}</th>
            <th>{t("cr_appeal_reason")}</th>
            <th>{t("cr_appeal_evidence")}</th>
            <th>{t("cr_filed_by")}</th>
            <th>{t("cr_status")}</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.length === 0 ? (
            <tr>
              <td colSpan={6}>{t("cr_appeals_none")}</td>
            </tr>
          ) : (
            p.rows.map((a) => (
              <tr data-appeal={String(a.id)} data-status={a.status}>
                <td>{fmt(a.filedAt)}</td>
                <td>{`${t(`ct_${a.record.type}`)}${a.record.note ? ` · ${a.record.note}` : ""}`}</td>
                <td>{a.reason}</td>
                <td>{a.evidence ?? "—"}</td>
                <td>{a.filedBy}</td>
                <td>
                  {a.status === "open" && p.mayDecide ? (
                    <form method="post" action={`/dashboard/credit/appeals/${a.id}/decide`} class="inline">
                      <input type="hidden" name="_csrf" value={p.vw.csrf} />
                      <input name="reason" required maxLength={1000} placeholder={t("cr_decision_reason")} aria-label={t("cr_decision_reason")} />
                      <button name="decision" value="upheld">{t("cr_appeal_upheld")}</button>
                      <button name="decision" value="withdrawn">{t("cr_appeal_withdrawn")}</button>
                    </form>
                  ) : (
                    `${t(`cr_appeal_${a.status}`)}${a.decisionReason ? ` · ${a.decisionReason}` : ""}`
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
