// Dashboard: surveys (问卷调查). List with the configured half-yearly schedule, create from a shipped
// questionnaire file or pasted JSON, change the closing date, push now to the district, a street
// or an estate, watch progress (refreshed by /assets/survey-progress.js) and read the results —
// aggregates only, never one resident's answers. A street office sees and pushes its own street
// only; creating and changing dates need district or admin, as in the REST API (api/rest/surveys.ts).
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import type { Clock } from "../../core/clock.ts";
import type { Locale } from "../../core/cases/categories.ts";
import type { Scope } from "../../core/directory/staff.ts";
import type { Progress, SurveyService } from "../../core/surveys/surveys.ts";
import { SurveyDefinitionError, type Question } from "../../core/surveys/survey-settings.ts";
import { fromLocal, toLocal } from "../../core/clocks/zoned-time.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { HttpError, parse } from "../http.ts";
import { mapError } from "../rest/surveys.ts";
import { csrfField, esc, page, pct, select, view, type View } from "./layout.ts";
import { formBody } from "../input-guard.ts";

export interface SurveyPagesDeps {
  db: Db;
  surveys: SurveyService;
  clock: Clock;
  timezone: string;
  defaultLocale: Locale;
  auth: Pick<Auth, "requireCsrf" | "requireRole">;
}

const PROGRESS_KEYS = ["total", "pending", "sent", "delivered", "answered", "partial", "undeliverable"] as const;
const PUSH_STATUSES = ["pending", "running", "done", "cancelled"] as const;

const SurveyId = z.coerce.number().int().positive().max(2_147_483_647);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2026-12-31");
const CreateForm = z
  .object({
    file: z.string().max(64).optional(),
    json: z.string().max(60_000).optional(),
    code: z.string().max(64).optional(),
    closesAt: day.optional(),
    open: z.literal("on").optional(),
  })
  .loose();
const ClosesForm = z.object({ closesAt: day }).loose();
const PushForm = z
  .object({ scope: z.enum(["district", "street", "estate"]), street: SurveyId.optional(), estate: SurveyId.optional() })
  .loose();

type CreateInput = z.infer<typeof CreateForm>;
type Failure = { status: number; message: string; issues?: { path: string; message: string }[] };
type PushRow = { id: number; scope: string; scopeId: number | null; status: string; createdBy: string | null; createdAt: Date };

/** Non-empty form fields only (an empty field means "not given"). */
const filled = (body: unknown) => Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([, x]) => x !== ""));


const isOffice = (s: Scope) => s.role === "admin" || s.role === "district";
const title = (t: Record<string, string>, l: Locale) => t[l] ?? t["zh-Hans"] ?? Object.values(t)[0] ?? "";
const num = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? "—" : x.toFixed(digits));

export function surveyPages(d: SurveyPagesDeps): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const form = (limit: string) => formBody({ extended: false, limit });
  const office = d.auth.requireRole("admin", "district");

  /** "YYYY-MM-DD" → the end of that local day (answers are taken through the whole day). */
  const endOfDay = (s: string): Date => {
    const [y, m, dd] = s.split("-").map(Number) as [number, number, number];
    const check = new Date(Date.UTC(y, m - 1, dd));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== dd) throw new HttpError(400, "invalid_request", `invalid date ${s}`);
    return fromLocal(y, m, dd, 23, 59, d.timezone);
  };

  /** The next scheduled push dates (local days) and the survey code each would create (skipping codes already made). */
  const nextScheduled = (made: Set<string>, count = 2) => {
    const cfg = d.surveys.schedule();
    const now = d.clock.now();
    const year = toLocal(now, d.timezone).year;
    const out: { day: string; code: string }[] = [];
    for (const y of [year, year + 1, year + 2]) {
      for (const md of [...cfg.dates].sort()) {
        const [m, dd] = md.split("-").map(Number) as [number, number];
        // The job pushes on that day at schedule.cron; a day still running counts as next.
        const code = `${cfg.template}-${y}-${md.replace("-", "")}`;
        if (fromLocal(y, m, dd, 23, 59, d.timezone) > now && !made.has(code)) out.push({ day: `${y}-${md}`, code });
      }
    }
    return out.slice(0, count);
  };

  // ---- list and create --------------------------------------------------------------------

  const renderList = async (req: Request, res: Response, o: { failure?: Failure; input?: CreateInput } = {}) => {
    const vw = v(req, res);
    const { t } = vw;
    const scope = scopeOf(res);
    const list = await d.surveys.list();
    const progress = await Promise.all(list.map((s) => d.surveys.progress({ surveyId: s.id, streetId: scope.streetId })));
    const rows = list
      .map((s, i) => {
        const p = progress[i]!;
        return `<tr data-survey="${s.id}"><td><a href="/dashboard/surveys/${s.id}">${esc(s.code)}</a></td><td>${esc(title(s.title, vw.locale))}</td>
<td>${esc(t(`sv_status_${s.status}`))}</td><td>${esc(vw.fmt(s.opensAt))}</td><td>${esc(vw.fmt(s.closesAt))}</td><td class="num">${s.questions.length}</td>
${PROGRESS_KEYS.map((k) => `<td class="num">${p[k]}</td>`).join("")}</tr>`;
      })
      .join("");
    const body = `${typeof req.query.done === "string" ? `<p class="ok" id="done">${esc(t("done"))}</p>` : ""}
${o.failure ? failureBlock(vw, o.failure) : ""}
${scope.streetId !== null ? `<p>${esc(t("sv_street_only"))}</p>` : ""}
<table id="surveys"><thead><tr><th>${t("sv_code")}</th><th>${t("sv_title")}</th><th>${t("state")}</th><th>${t("sv_opens")}</th><th>${t("sv_closes")}</th><th class="num">${t("sv_questions")}</th>
${PROGRESS_KEYS.map((k) => `<th class="num">${esc(t(`sv_${k}`))}</th>`).join("")}</tr></thead>
<tbody>${rows || `<tr><td colspan="${6 + PROGRESS_KEYS.length}">${esc(t("none"))}</td></tr>`}</tbody></table>
${scheduleCard(vw, new Set(list.map((s) => s.code)))}
${isOffice(scope) ? createForm(vw, d.surveys.templates(), o.input) : ""}`;
    res.status(o.failure?.status ?? 200).type("html").send(page(vw, t("sv_surveys"), body, { res }));
  };

  const scheduleCard = (vw: View, made: Set<string>) => {
    const { t } = vw;
    const cfg = d.surveys.schedule();
    const next = nextScheduled(made);
    return `<div class="card" id="schedule"><h2>${t("sv_schedule")}</h2>
<p>${esc(cfg.enabled ? t("sv_schedule_enabled") : t("sv_schedule_disabled"))} · ${esc(t("sv_schedule_dates"))}: ${cfg.dates.map(esc).join(", ")} · ${esc(t("sv_template"))}: <code>${esc(cfg.template)}</code></p>
<p>${esc(t("sv_open_days"))}: ${cfg.openDays} · ${esc(t("sv_remind_before"))}: ${cfg.remindBeforeDays} · ${esc(t("sv_catch_up"))}: ${cfg.catchUpDays} · cron <code>${esc(cfg.cron)}</code> (${esc(d.timezone)})</p>
${cfg.enabled ? `<p>${esc(t("sv_schedule_next"))}: <span id="next-scheduled">${next.map((n) => `${esc(n.day)} (<code>${esc(n.code)}</code>)`).join(" · ")}</span></p>` : ""}
<p><small>${esc(t("sv_schedule_readonly"))}</small></p></div>`;
  };

  r.get("/surveys", async (req, res) => renderList(req, res));

  r.post("/surveys", form("96kb"), d.auth.requireCsrf, office, async (req, res) => {
    const f = parse(CreateForm, filled(req.body), "form");
    const fail = (failure: Failure) => renderList(req, res, { failure, input: f });
    const vw = v(req, res);
    let raw: unknown;
    if (f.json !== undefined) {
      try {
        raw = JSON.parse(f.json);
      } catch (err) {
        return fail({ status: 400, message: `${vw.t("sv_invalid_json")}: ${(err as Error).message}` });
      }
    } else if (f.file !== undefined) {
      try {
        raw = d.surveys.template(f.file);
      } catch (err) {
        const e = mapError(err);
        if (e instanceof HttpError) return fail({ status: e.status, message: e.message, issues: e.issues });
        throw err;
      }
    } else {
      return fail({ status: 400, message: vw.t("sv_pick_source") });
    }
    if (f.code !== undefined && raw !== null && typeof raw === "object" && !Array.isArray(raw)) raw = { ...raw, code: f.code };
    let closesAt: Date | undefined;
    try {
      closesAt = f.closesAt ? endOfDay(f.closesAt) : undefined;
      const s = await d.surveys.create(raw, { closesAt, open: f.open === "on", createdBy: scopeOf(res).actorId });
      res.redirect(303, `/dashboard/surveys/${s.id}?done=created`);
    } catch (err) {
      const e = mapError(err);
      if (!(e instanceof HttpError)) throw err;
      const failure: Failure = { status: e.status, message: err instanceof SurveyDefinitionError ? vw.t("sv_invalid") : e.message, issues: e.issues };
      return fail(failure);
    }
  });

  // ---- one survey -------------------------------------------------------------------------

  /** The survey and the pushes the caller may see (a street: district pushes and its own). */
  const load = async (req: Request, res: Response) => {
    const id = parse(SurveyId, req.params.id, "survey id");
    const scope = scopeOf(res);
    const s = await d.surveys.get(id).catch((err) => {
      throw mapError(err);
    });
    const [pushes, streets, estates] = await Promise.all([
      d.db.surveyPush.findMany({ where: { surveyId: s.id }, orderBy: { id: "asc" } }),
      d.db.street.findMany({ orderBy: { code: "asc" } }),
      d.db.estate.findMany({ orderBy: { code: "asc" } }),
    ]);
    const estateStreet = new Map(estates.map((e) => [e.id, e.streetId]));
    const visible = (pushes as PushRow[]).filter(
      (p) => scope.streetId === null || p.scope === "district" || (p.scope === "street" && p.scopeId === scope.streetId) || (p.scope === "estate" && estateStreet.get(p.scopeId ?? -1) === scope.streetId),
    );
    const progress = await Promise.all(visible.map((p) => d.surveys.progress({ pushId: p.id, streetId: scope.streetId })));
    const overall = await d.surveys.progress({ surveyId: s.id, streetId: scope.streetId });
    return { s, scope, pushes: visible.map((p, i) => ({ ...p, progress: progress[i]! })), overall, streets, estates };
  };
  type Loaded = Awaited<ReturnType<typeof load>>;

  const active = (x: Loaded) => x.s.status === "open" && x.pushes.some((p) => p.status === "pending" || p.status === "running");

  r.get("/surveys/:id/progress.json", async (req, res) => {
    const x = await load(req, res);
    res.set("Cache-Control", "no-store").json({
      survey: { id: x.s.id, code: x.s.code, status: x.s.status },
      overall: x.overall,
      pushes: x.pushes.map((p) => ({ id: p.id, scope: p.scope, scopeId: p.scopeId, status: p.status, ...p.progress })),
      active: active(x),
    });
  });

  r.get("/surveys/:id", async (req, res) => {
    const x = await load(req, res);
    const vw = v(req, res);
    const { t } = vw;
    const { s, scope } = x;
    const now = d.clock.now();
    const closed = s.status === "closed" || (s.closesAt !== null && s.closesAt <= now);
    const [overall, byEstate] = await Promise.all([d.surveys.results(s.id, { streetId: scope.streetId }), d.surveys.results(s.id, { by: "estate", streetId: scope.streetId })]);
    const streetName = new Map(x.streets.map((st) => [st.id, st.name]));
    const estateName = new Map(x.estates.map((e) => [e.id, e.name]));
    const target = (p: PushRow) => (p.scope === "district" ? t("sv_scope_district") : `${t(`sv_scope_${p.scope}`)} · ${(p.scope === "street" ? streetName : estateName).get(p.scopeId ?? -1) ?? p.scopeId}`);
    const cells = (p: Progress) => PROGRESS_KEYS.map((k) => `<td class="num" data-k="${k}">${p[k]}</td>`).join("");
    const pushRows = x.pushes
      .map(
        (p) =>
          `<tr data-push="${p.id}"><td>#${p.id}</td><td>${esc(target(p))}</td><td data-k="status">${esc(t(`sv_push_${p.status}`))}</td><td>${esc(vw.fmt(p.createdAt))}</td><td>${esc(p.createdBy ?? "—")}</td>${cells(p.progress)}</tr>`,
      )
      .join("");
    const labels = Object.fromEntries(PUSH_STATUSES.map((st) => [st, t(`sv_push_${st}`)]));
    const done = typeof req.query.done === "string" ? req.query.done : undefined;
    const myStreets = x.streets.filter((st) => scope.streetId === null || st.id === scope.streetId);
    const myEstates = x.estates.filter((e) => scope.streetId === null || e.streetId === scope.streetId);
    const scopes = (isOffice(scope) ? (["district", "street", "estate"] as const) : (["street", "estate"] as const)).map((k) => [k, t(`sv_scope_${k}`)] as [string, string]);
    const closesValue = s.closesAt ? (() => {
      const l = toLocal(s.closesAt, d.timezone);
      return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
    })() : "";

    const body = `${done ? `<p class="ok" id="done">${esc(t(`sv_done_${done}`) === `sv_done_${done}` ? t("done") : t(`sv_done_${done}`))}</p>` : ""}
<div class="grid"><div class="card" id="survey">
<p><b>${esc(s.code)}</b> · <span id="status">${esc(t(`sv_status_${s.status}`))}</span></p>
<p>${esc(title(s.title, vw.locale))}</p>
<p>${t("sv_opens")}: ${esc(vw.fmt(s.opensAt))} · ${t("sv_closes")}: <span id="closes">${esc(vw.fmt(s.closesAt))}</span></p>
${isOffice(scope) && !closed ? `<form method="post" action="/dashboard/surveys/${s.id}/closes-at" id="closes-form" class="filters">${csrfField(vw)}<label>${t("sv_set_closes")}<input type="date" name="closesAt" value="${esc(closesValue)}" required></label><button>${t("save")}</button></form>` : ""}
</div>
<div class="card" id="push"><h2>${t("sv_push_now")}</h2>${
      closed
        ? `<p>${esc(t("sv_closed_note"))}</p>`
        : `<form method="post" action="/dashboard/surveys/${s.id}/push" id="push-form" class="filters">${csrfField(vw)}
<label>${t("sv_scope")}${select("scope", scopes, scope.streetId === null ? "district" : "estate")}</label>
<label>${t("street")}${select("street", myStreets.map((st) => [String(st.id), st.name]), scope.streetId !== null ? String(scope.streetId) : undefined)}</label>
<label>${t("estate")}${select("estate", myEstates.map((e) => [String(e.id), e.name]), undefined)}</label>
<button id="push-submit">${t("sv_push_now")}</button></form><p><small>${esc(t("sv_push_note"))}</small></p>`
    }</div></div>
<h2>${t("sv_questions")}</h2><ol id="questions">${s.questions.map((q) => `<li>${questionText(vw, q)}</li>`).join("")}</ol>
<h2>${t("sv_pushes")}</h2>
<section id="survey-progress" data-url="/dashboard/surveys/${s.id}/progress.json" data-active="${active(x) ? "true" : "false"}">
<table id="pushes"><thead><tr><th>#</th><th>${t("sv_target")}</th><th>${t("state")}</th><th>${t("sv_pushed_at")}</th><th>${t("sv_created_by")}</th>${PROGRESS_KEYS.map((k) => `<th class="num">${esc(t(`sv_${k}`))}</th>`).join("")}</tr></thead>
<tbody>${pushRows || `<tr><td colspan="${5 + PROGRESS_KEYS.length}">${esc(t("none"))}</td></tr>`}</tbody>
<tfoot><tr data-push="all"><th colspan="5">${t("sv_overall")}</th>${cells(x.overall)}</tr></tfoot></table>
${active(x) ? `<p><small id="refresh-note">${esc(t("sv_refresh"))}</small></p>` : ""}
</section>
<script type="application/json" id="survey-progress-labels">${JSON.stringify(labels).replace(/</g, "\\u003c")}</script>
<h2>${t("sv_results")}</h2><p><small>${esc(t("sv_anonymous"))}${scope.streetId !== null ? ` · ${esc(t("sv_street_only"))}` : ""}</small></p>
${resultsBlock(vw, s.questions, overall.groups[0]?.questions)}
<h2>${t("by_estate")}</h2>${estateBlock(vw, s.questions, byEstate.groups, estateName)}
<p><a href="/dashboard/surveys">← ${t("back")}</a></p>`;
    res.type("html").send(page(vw, `${t("sv_surveys")} · ${s.code}`, body, { res, scripts: ["/assets/survey-progress.js"] }));
  });

  r.post("/surveys/:id/push", form("4kb"), d.auth.requireCsrf, d.auth.requireRole("admin", "district", "street"), async (req, res) => {
    const surveyId = parse(SurveyId, req.params.id, "survey id");
    const f = parse(PushForm, filled(req.body), "form");
    const scope = scopeOf(res);
    const id = f.scope === "street" ? f.street : f.scope === "estate" ? f.estate : undefined;
    if (f.scope !== "district" && id === undefined) throw new HttpError(400, "invalid_request", `scope ${f.scope} needs a ${f.scope}`);
    if (scope.streetId !== null) {
      // Same rule as POST /api/v1/surveys/:id/push: a street office pushes to its street or one of its estates.
      const ok =
        (f.scope === "street" && id === scope.streetId) ||
        (f.scope === "estate" && id !== undefined && (await d.db.estate.findUnique({ where: { id } }))?.streetId === scope.streetId);
      if (!ok) throw new HttpError(403, "forbidden", "a street office may push only to its own street or estates");
    }
    try {
      await d.surveys.push({ survey: surveyId, scope: f.scope, scopeId: id ?? null, createdBy: scope.actorId });
    } catch (err) {
      throw mapError(err);
    }
    res.redirect(303, `/dashboard/surveys/${surveyId}?done=pushed`);
  });

  r.post("/surveys/:id/closes-at", form("2kb"), d.auth.requireCsrf, office, async (req, res) => {
    const surveyId = parse(SurveyId, req.params.id, "survey id");
    const f = parse(ClosesForm, filled(req.body), "form");
    try {
      await d.surveys.setClosesAt(surveyId, endOfDay(f.closesAt));
    } catch (err) {
      throw mapError(err);
    }
    res.redirect(303, `/dashboard/surveys/${surveyId}?done=closes`);
  });

  return r;
}

/** Without a SurveyService (the API side runs without surveys) the nav entry says so. */
export function surveysUnavailable(o: { defaultLocale: Locale; timezone: string }): Router {
  const r = express.Router();
  r.get("/surveys", (req, res) => {
    const vw = view(req, res, o.defaultLocale, o.timezone);
    res.type("html").send(page(vw, vw.t("sv_surveys"), `<p>${esc(vw.t("surveys_later"))}</p>`, { res }));
  });
  return r;
}

function failureBlock(vw: View, f: Failure): string {
  return `<div class="card err" id="failure"><p><b>${esc(vw.t("error"))}</b> (${f.status}): ${esc(f.message)}</p>${
    f.issues?.length ? `<ul id="issues">${f.issues.map((i) => `<li><code>${esc(i.path)}</code>: ${esc(i.message)}</li>`).join("")}</ul>` : ""
  }<p>${esc(vw.t("sv_nothing_stored"))}</p></div>`;
}

function createForm(vw: View, files: string[], f?: CreateInput): string {
  const { t } = vw;
  return `<div class="card" id="new-survey"><h2>${t("sv_new")}</h2>
<form method="post" action="/dashboard/surveys" id="create-form">${csrfField(vw)}
<div class="filters"><label>${t("sv_from_file")}${select("file", files.map((n) => [n, `${n}.json`]), f?.file ?? files[0])}</label>
<label>${t("sv_code_override")}<input name="code" id="f-code" value="${esc(f?.code)}" placeholder="owner-satisfaction-2026-extra"></label>
<label>${t("sv_closes_at")}<input type="date" name="closesAt" id="f-closesAt" value="${esc(f?.closesAt)}"></label>
<label>${t("sv_open_now")}<input type="checkbox" name="open" id="f-open"${f?.open ? " checked" : ""}></label></div>
<label>${t("sv_or_json")}<br><textarea name="json" id="f-json" rows="8" cols="90" spellcheck="false">${esc(f?.json)}</textarea></label>
<p><button id="create-submit">${t("sv_create")}</button></p></form></div>`;
}

function questionText(vw: View, q: Question): string {
  const { t } = vw;
  const base = `${esc(q.text[vw.locale])} <span class="badge">${esc(t(`sv_type_${q.type}`))}</span> <code>${esc(q.id)}</code>`;
  return q.type === "choice" ? `${base}<br><small>${q.options.map((o) => esc(o.label[vw.locale])).join(" / ")}</small>` : base;
}

type QuestionResult =
  | { id: string; type: "scale"; answers: number; mean: number | null; satisfiedRate: number | null; distribution: number[] }
  | { id: string; type: "choice"; answers: number; choices: Record<string, number> };

function resultsBlock(vw: View, questions: Question[], results: QuestionResult[] | undefined): string {
  const { t } = vw;
  if (!results || results.every((r) => r.answers === 0)) return `<p id="results-none">${esc(t("sv_no_answers"))}</p>`;
  const byId = new Map(results.map((r) => [r.id, r]));
  const scale = questions.filter((q) => q.type === "scale");
  const choice = questions.filter((q) => q.type === "choice");
  const scaleRows = scale
    .map((q) => {
      const r = byId.get(q.id);
      if (!r || r.type !== "scale") return "";
      return `<tr data-q="${esc(q.id)}"><td>${esc(q.text[vw.locale])}</td><td class="num" data-k="answers">${r.answers}</td><td class="num" data-k="mean">${num(r.mean)}</td><td class="num">${pct(r.satisfiedRate)}</td>${r.distribution.map((n, i) => `<td class="num" data-k="d${i + 1}">${n}</td>`).join("")}</tr>`;
    })
    .join("");
  const choiceRows = choice
    .flatMap((q) => {
      const r = byId.get(q.id);
      if (!r || r.type !== "choice" || q.type !== "choice") return [];
      return q.options.map(
        (o, i) =>
          `<tr data-q="${esc(q.id)}" data-option="${esc(o.value)}">${i === 0 ? `<td rowspan="${q.options.length}">${esc(q.text[vw.locale])}<br><small>${t("sv_answers")}: ${r.answers}</small></td>` : ""}<td>${esc(o.label[vw.locale])}</td><td class="num" data-k="count">${r.choices[o.value] ?? 0}</td><td class="num">${pct(r.answers ? (r.choices[o.value] ?? 0) / r.answers : null)}</td></tr>`,
      );
    })
    .join("");
  return `${scale.length ? `<table id="results-scale"><thead><tr><th>${t("sv_question")}</th><th class="num">${t("sv_answers")}</th><th class="num">${t("sv_mean")}</th><th class="num">${t("sv_satisfied")}</th>${[1, 2, 3, 4, 5].map((n) => `<th class="num">${n}</th>`).join("")}</tr></thead><tbody>${scaleRows}</tbody></table>` : ""}
${choice.length ? `<table id="results-choice" style="margin-top:1rem"><thead><tr><th>${t("sv_question")}</th><th>${t("sv_option")}</th><th class="num">${t("sv_count")}</th><th class="num">${t("sv_share")}</th></tr></thead><tbody>${choiceRows}</tbody></table>` : ""}`;
}

function estateBlock(vw: View, questions: Question[], groups: { group: number | null; questions: QuestionResult[] }[], names: Map<number, string>): string {
  const { t } = vw;
  const note = `<p><small>${esc(t("sv_min_group"))}</small></p>`;
  if (!groups.length) return `<p id="estates-none">${esc(t("sv_no_answers"))}</p>${note}`;
  const head = questions.map((q, i) => `<th class="num" title="${esc(q.text[vw.locale])}">Q${i + 1}</th>`).join("");
  const rows = groups
    .map((g) => {
      const byId = new Map(g.questions.map((r) => [r.id, r]));
      const size = Math.max(0, ...g.questions.map((r) => r.answers));
      const cells = questions
        .map((q) => {
          const r = byId.get(q.id);
          if (!r) return `<td class="num">—</td>`;
          if (r.type === "scale") return `<td class="num">${num(r.mean)} <small>(${r.answers})</small></td>`;
          if (q.type !== "choice") return `<td class="num">—</td>`;
          const top = [...q.options].sort((a, b) => (r.choices[b.value] ?? 0) - (r.choices[a.value] ?? 0))[0];
          return `<td class="num">${top && (r.choices[top.value] ?? 0) > 0 ? `${esc(top.label[vw.locale])} <small>(${r.choices[top.value]})</small>` : "—"}</td>`;
        })
        .join("");
      return `<tr data-estate="${g.group ?? ""}"><td>${esc(names.get(g.group ?? -1) ?? String(g.group))}</td><td class="num">${size}</td>${cells}</tr>`;
    })
    .join("");
  return `<table id="results-estates"><thead><tr><th>${t("estate")}</th><th class="num">${t("sv_answers")}</th>${head}</tr></thead><tbody>${rows}</tbody></table>${note}`;
}
