// The survey pages (问卷调查) as Preact parts; api/dashboard/surveys.ts routes them and decides who
// may do what. Results are aggregates only, never one resident's answers.
import type { Locale } from "../../core/cases/categories.ts";
import type { Progress } from "../../core/surveys/surveys.ts";
import type { Question } from "../../core/surveys/survey-settings.ts";
import type { View } from "../dashboard/layout.ts";
import { pct } from "./format.ts";
import { Csrf, Select } from "./shell.tsx";

export const PROGRESS_KEYS = ["total", "pending", "sent", "delivered", "answered", "partial", "undeliverable"] as const;

export type Failure = { status: number; message: string; issues?: { path: string; message: string }[] };
export type CreateInput = { file?: string; json?: string; code?: string; closesAt?: string; open?: "on" };

export const surveyTitle = (t: Record<string, string>, l: Locale) => t[l] ?? t["zh-Hans"] ?? Object.values(t)[0] ?? "";
const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? "—" : x.toFixed(digits));

export interface SurveyListRow {
  id: number;
  code: string;
  title: Record<string, string>;
  status: string;
  opensAt: Date | null;
  closesAt: Date | null;
  questions: unknown[];
  progress: Progress;
}

export interface ScheduleView {
  enabled: boolean;
  dates: string[];
  template: string;
  openDays: number;
  remindBeforeDays: number;
  catchUpDays: number;
  cron: string;
  timezone: string;
  next: { day: string; code: string }[];
}

export function SurveyList(p: { vw: View; rows: SurveyListRow[]; done: boolean; failure?: Failure; streetOnly: boolean; schedule: ScheduleView; create: { files: string[]; input?: CreateInput } | null }) {
  const { vw } = p;
  const { t } = vw;
  return (
    <>
      {p.done ? (
        <p class="ok" id="done">
          {t("done")}
        </p>
      ) : null}
      {p.failure ? <FailureBlock vw={vw} f={p.failure} /> : null}
      {p.streetOnly ? <p>{t("sv_street_only")}</p> : null}
      <div class="scroll">
        <table id="surveys">
          <thead>
            <tr>
              <th>{t("sv_code")}</th>
              <th>{t("sv_title")}</th>
              <th>{t("state")}</th>
              <th>{t("sv_opens")}</th>
              <th>{t("sv_closes")}</th>
              <th class="num">{t("sv_questions")}</th>
              {PROGRESS_KEYS.map((k) => (
                <th class="num">{t(`sv_${k}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.rows.length === 0 ? (
              <tr>
                <td colSpan={6 + PROGRESS_KEYS.length}>{t("none")}</td>
              </tr>
            ) : (
              p.rows.map((s) => (
                <tr data-survey={s.id}>
                  <td>
                    <a href={`/dashboard/surveys/${s.id}`}>
                      <code>{s.code}</code>
                    </a>
                  </td>
                  <td>{surveyTitle(s.title, vw.locale)}</td>
                  <td>{t(`sv_status_${s.status}`)}</td>
                  <td>{vw.fmt(s.opensAt)}</td>
                  <td>{vw.fmt(s.closesAt)}</td>
                  <td class="num">{s.questions.length}</td>
                  {PROGRESS_KEYS.map((k) => (
                    <td class="num">{s.progress[k]}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <ScheduleCard vw={vw} s={p.schedule} />
      {p.create ? <CreateForm vw={vw} files={p.create.files} f={p.create.input} /> : null}
    </>
  );
}

function ScheduleCard(p: { vw: View; s: ScheduleView }) {
  const { t } = p.vw;
  const { s } = p;
  return (
    <div class="card" id="schedule">
      <h2>{t("sv_schedule")}</h2>
      <p>
        {`${s.enabled ? t("sv_schedule_enabled") : t("sv_schedule_disabled")} · ${t("sv_schedule_dates")}: ${s.dates.join(", ")} · ${t("sv_template")}: `}
        <code>{s.template}</code>
      </p>
      <p>
        {`${t("sv_open_days")}: ${s.openDays} · ${t("sv_remind_before")}: ${s.remindBeforeDays} · ${t("sv_catch_up")}: ${s.catchUpDays} · ${t("schedule_cron")} `}
        <code>{s.cron}</code>
        {` (${t("timezone")} `}
        <code>{s.timezone}</code>)
      </p>
      {s.enabled ? (
        <p>
          {`${t("sv_schedule_next")}: `}
          <span id="next-scheduled">
            {s.next.map((n, i) => (
              <>
                {i > 0 ? " · " : null}
                {`${n.day} (`}
                <code>{n.code}</code>)
              </>
            ))}
          </span>
        </p>
      ) : null}
      <p>
        <small>{t("sv_schedule_readonly")}</small>
      </p>
    </div>
  );
}

function FailureBlock(p: { vw: View; f: Failure }) {
  const { t } = p.vw;
  return (
    <div class="card err" id="failure">
      <p>
        <b>{t("error")}</b>
        {` (${p.f.status}): ${p.f.message}`}
      </p>
      {p.f.issues?.length ? (
        <ul id="issues">
          {p.f.issues.map((i) => (
            <li>
              <code>{i.path}</code>
              {`: ${i.message}`}
            </li>
          ))}
        </ul>
      ) : null}
      <p>{t("sv_nothing_stored")}</p>
    </div>
  );
}

function CreateForm(p: { vw: View; files: string[]; f?: CreateInput }) {
  const { vw, f } = p;
  const { t } = vw;
  return (
    <div class="card" id="new-survey">
      <h2>{t("sv_new")}</h2>
      <form method="post" action="/dashboard/surveys" id="create-form">
        <Csrf v={vw} />
        <div class="filters">
          <label>
            {t("sv_from_file")}
            <Select name="file" options={p.files.map((n) => [n, `${n}.json`])} value={f?.file ?? p.files[0]} />
          </label>
          <label>
            {t("sv_code_override")}
            <input name="code" id="f-code" value={f?.code ?? ""} placeholder="owner-satisfaction-2026-extra" />
          </label>
          <label>
            {t("sv_closes_at")}
            <input type="date" name="closesAt" id="f-closesAt" value={f?.closesAt ?? ""} />
          </label>
          <label>
            {t("sv_open_now")}
            <input type="checkbox" name="open" id="f-open" checked={!!f?.open} />
          </label>
        </div>
        <label>
          {t("sv_or_json")}
          <br />
          <textarea name="json" id="f-json" rows={8} cols={90} spellcheck={false}>
            {f?.json ?? ""}
          </textarea>
        </label>
        <p>
          <button id="create-submit">{t("sv_create")}</button>
        </p>
      </form>
    </div>
  );
}

export interface PushView {
  id: number;
  target: string;
  status: string;
  createdAt: Date;
  createdBy: string;
  progress: Progress;
}

export interface SurveyPageProps {
  vw: View;
  s: { id: number; code: string; status: string; title: Record<string, string>; opensAt: Date | null; closesAt: Date | null; questions: Question[] };
  done?: string;
  closed: boolean;
  canSetCloses: boolean;
  closesValue: string;
  scopes: [string, string][];
  defaultScope: string;
  streets: [string, string][];
  estates: [string, string][];
  myStreet?: string;
  pushes: PushView[];
  overall: Progress;
  active: boolean;
  labels: Record<string, string>;
  streetOnly: boolean;
  results: QuestionResult[] | undefined;
  byEstate: { group: number | null; questions: QuestionResult[] }[];
  estateNames: Map<number, string>;
}

export function SurveyPage(p: SurveyPageProps) {
  const { vw, s } = p;
  const { t } = vw;
  const doneText = p.done ? (t(`sv_done_${p.done}`) === `sv_done_${p.done}` ? t("done") : t(`sv_done_${p.done}`)) : null;
  return (
    <>
      {doneText ? (
        <p class="ok" id="done">
          {doneText}
        </p>
      ) : null}
      <div class="grid">
        <div class="card" id="survey">
          <p>
            <b>
              <code>{s.code}</code>
            </b>
            {" · "}
            <span id="status">{t(`sv_status_${s.status}`)}</span>
          </p>
          <p>{surveyTitle(s.title, vw.locale)}</p>
          <p>
            {`${t("sv_opens")}: ${vw.fmt(s.opensAt)} · ${t("sv_closes")}: `}
            <span id="closes">{vw.fmt(s.closesAt)}</span>
          </p>
          {p.canSetCloses && !p.closed ? (
            <form method="post" action={`/dashboard/surveys/${s.id}/closes-at`} id="closes-form" class="filters">
              <Csrf v={vw} />
              <label>
                {t("sv_set_closes")}
                <input type="date" name="closesAt" value={p.closesValue} required />
              </label>
              <button>{t("save")}</button>
            </form>
          ) : null}
        </div>
        <div class="card" id="push">
          <h2>{t("sv_push_now")}</h2>
          {p.closed ? (
            <p>{t("sv_closed_note")}</p>
          ) : (
            <>
              <form method="post" action={`/dashboard/surveys/${s.id}/push`} id="push-form" class="filters">
                <Csrf v={vw} />
                <label>
                  {t("sv_scope")}
                  <Select name="scope" options={p.scopes} value={p.defaultScope} />
                </label>
                <label>
                  {t("street")}
                  <Select name="street" options={p.streets} value={p.myStreet} />
                </label>
                <label>
                  {t("estate")}
                  <Select name="estate" options={p.estates} />
                </label>
                <button id="push-submit">{t("sv_push_now")}</button>
              </form>
              <p>
                <small>{t("sv_push_note")}</small>
              </p>
            </>
          )}
        </div>
      </div>
      <h2>{t("sv_questions")}</h2>
      <ol id="questions">
        {s.questions.map((q) => (
          <li>
            <QuestionText vw={vw} q={q} />
          </li>
        ))}
      </ol>
      <h2>{t("sv_pushes")}</h2>
      <section id="survey-progress" data-url={`/dashboard/surveys/${s.id}/progress.json`} data-active={p.active ? "true" : "false"}>
        <div class="scroll">
          <table id="pushes">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("sv_target")}</th>
                <th>{t("state")}</th>
                <th>{t("sv_pushed_at")}</th>
                <th>{t("sv_created_by")}</th>
                {PROGRESS_KEYS.map((k) => (
                  <th class="num">{t(`sv_${k}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.pushes.length === 0 ? (
                <tr>
                  <td colSpan={5 + PROGRESS_KEYS.length}>{t("none")}</td>
                </tr>
              ) : (
                p.pushes.map((x) => (
                  <tr data-push={x.id}>
                    <td>{`#${x.id}`}</td>
                    <td>{x.target}</td>
                    <td data-k="status">{t(`sv_push_${x.status}`)}</td>
                    <td>{vw.fmt(x.createdAt)}</td>
                    <td>{x.createdBy}</td>
                    <ProgressCells p={x.progress} />
                  </tr>
                ))
              )}
            </tbody>
            <tfoot>
              <tr data-push="all">
                <th colSpan={5}>{t("sv_overall")}</th>
                <ProgressCells p={p.overall} />
              </tr>
            </tfoot>
          </table>
        </div>
        {p.active ? (
          <p>
            <small id="refresh-note">{t("sv_refresh")}</small>
          </p>
        ) : null}
      </section>
      <script type="application/json" id="survey-progress-labels" dangerouslySetInnerHTML={{ __html: JSON.stringify(p.labels).replace(/</g, "\\u003c") }} />
      <h2>{t("sv_results")}</h2>
      <p>
        <small>{`${t("sv_anonymous")}${p.streetOnly ? ` · ${t("sv_street_only")}` : ""}`}</small>
      </p>
      <Results vw={vw} questions={s.questions} results={p.results} />
      <h2>{t("by_estate")}</h2>
      <EstateResults vw={vw} questions={s.questions} groups={p.byEstate} names={p.estateNames} />
      <p>
        <a href="/dashboard/surveys">{`← ${t("back")}`}</a>
      </p>
    </>
  );
}

const ProgressCells = (p: { p: Progress }) => (
  <>
    {PROGRESS_KEYS.map((k) => (
      <td class="num" data-k={k}>
        {p.p[k]}
      </td>
    ))}
  </>
);

function QuestionText(p: { vw: View; q: Question }) {
  const { vw, q } = p;
  const { t } = vw;
  return (
    <>
      {q.text[vw.locale]} <span class="badge">{t(`sv_type_${q.type}`)}</span> <code>{q.id}</code>
      {q.type === "choice" ? (
        <>
          <br />
          <small>{q.options.map((o) => o.label[vw.locale]).join(" / ")}</small>
        </>
      ) : null}
    </>
  );
}

export type QuestionResult =
  | { id: string; type: "scale"; answers: number; mean: number | null; satisfiedRate: number | null; distribution: number[] }
  | { id: string; type: "choice"; answers: number; choices: Record<string, number> };

function Results(p: { vw: View; questions: Question[]; results: QuestionResult[] | undefined }) {
  const { vw, questions, results } = p;
  const { t } = vw;
  if (!results || results.every((r) => r.answers === 0)) return <p id="results-none">{t("sv_no_answers")}</p>;
  const byId = new Map(results.map((r) => [r.id, r]));
  const scale = questions.filter((q) => q.type === "scale");
  const choice = questions.filter((q) => q.type === "choice");
  return (
    <>
      {scale.length ? (
        <div class="scroll">
          <table id="results-scale">
            <thead>
              <tr>
                <th>{t("sv_question")}</th>
                <th class="num">{t("sv_answers")}</th>
                <th class="num">{t("sv_mean")}</th>
                <th class="num">{t("sv_satisfied")}</th>
                {[1, 2, 3, 4, 5].map((n) => (
                  <th class="num">{n}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {scale.map((q) => {
                const r = byId.get(q.id);
                if (!r || r.type !== "scale") return null;
                return (
                  <tr data-q={q.id}>
                    <td>{q.text[vw.locale]}</td>
                    <td class="num" data-k="answers">
                      {r.answers}
                    </td>
                    <td class="num" data-k="mean">
                      {num(r.mean)}
                    </td>
                    <td class="num">{pct(r.satisfiedRate)}</td>
                    {r.distribution.map((n, i) => (
                      <td class="num" data-k={`d${i + 1}`}>
                        {n}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {choice.length ? (
        <div class="scroll">
          <table id="results-choice" style="margin-top:1rem">
            <thead>
              <tr>
                <th>{t("sv_question")}</th>
                <th>{t("sv_option")}</th>
                <th class="num">{t("sv_count")}</th>
                <th class="num">{t("sv_share")}</th>
              </tr>
            </thead>
            <tbody>
              {choice.flatMap((q) => {
                const r = byId.get(q.id);
                if (!r || r.type !== "choice" || q.type !== "choice") return [];
                return q.options.map((o, i) => (
                  <tr data-q={q.id} data-option={o.value}>
                    {i === 0 ? (
                      <td rowSpan={q.options.length}>
                        {q.text[vw.locale]}
                        <br />
                        <small>{`${t("sv_answers")}: ${r.answers}`}</small>
                      </td>
                    ) : null}
                    <td>{o.label[vw.locale]}</td>
                    <td class="num" data-k="count">
                      {r.choices[o.value] ?? 0}
                    </td>
                    <td class="num">{pct(r.answers ? (r.choices[o.value] ?? 0) / r.answers : null)}</td>
                  </tr>
                ));
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function EstateResults(p: { vw: View; questions: Question[]; groups: { group: number | null; questions: QuestionResult[] }[]; names: Map<number, string> }) {
  const { vw, questions } = p;
  const { t } = vw;
  const note = (
    <p>
      <small>{t("sv_min_group")}</small>
    </p>
  );
  if (!p.groups.length)
    return (
      <>
        <p id="estates-none">{t("sv_no_answers")}</p>
        {note}
      </>
    );
  return (
    <>
      <div class="scroll">
        <table id="results-estates">
          <thead>
            <tr>
              <th>{t("estate")}</th>
              <th class="num">{t("sv_answers")}</th>
              {questions.map((q, i) => (
                <th class="num" title={q.text[vw.locale]}>
                  {t("question_short").replace("{n}", String(i + 1))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.groups.map((g) => {
              const byId = new Map(g.questions.map((r) => [r.id, r]));
              const size = Math.max(0, ...g.questions.map((r) => r.answers));
              return (
                <tr data-estate={g.group ?? ""}>
                  <td>{p.names.get(g.group ?? -1) ?? String(g.group)}</td>
                  <td class="num">{size}</td>
                  {questions.map((q) => {
                    const r = byId.get(q.id);
                    if (!r) return <td class="num">—</td>;
                    if (r.type === "scale")
                      return (
                        <td class="num">
                          {num(r.mean)} <small>{`(${r.answers})`}</small>
                        </td>
                      );
                    if (q.type !== "choice") return <td class="num">—</td>;
                    const top = [...q.options].sort((a, b) => (r.choices[b.value] ?? 0) - (r.choices[a.value] ?? 0))[0];
                    return (
                      <td class="num">
                        {top && (r.choices[top.value] ?? 0) > 0 ? (
                          <>
                            {top.label[vw.locale]} <small>{`(${r.choices[top.value]})`}</small>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {note}
    </>
  );
}
