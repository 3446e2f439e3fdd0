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
import type { SurveyService } from "../../core/surveys/surveys.ts";
import { parseQuestionnaire, SurveyDefinitionError } from "../../core/surveys/survey-settings.ts";
import { SurveyError } from "../../core/surveys/surveys.ts";
import { fromLocal, toLocal } from "../../core/clocks/zoned-time.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { HttpError, parse } from "../http.ts";
import { mapError } from "../rest/surveys.ts";
import { h } from "preact";
import { page, view, type View } from "./layout.ts";
import { SurveyList, SurveyPage, surveyTitle, type CreateInput, type Failure, type QuestionResult } from "../views/survey-pages.tsx";
import { formBody } from "../input-guard.ts";

export interface SurveyPagesDeps {
  db: Db;
  surveys: SurveyService;
  clock: Clock;
  timezone: string;
  defaultLocale: Locale;
  auth: Pick<Auth, "requireCsrf" | "requireRole">;
}

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

type PushRow = { id: number; scope: string; scopeId: number | null; status: string; createdBy: string | null; createdAt: Date };

/** Non-empty form fields only (an empty field means "not given"). */
const filled = (body: unknown) => Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([, x]) => x !== ""));


const isOffice = (s: Scope) => s.role === "admin" || s.role === "district";

export function surveyPages(d: SurveyPagesDeps): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const form = (limit: string) => formBody({ extended: false, limit });
  const office = d.auth.requireRole("admin", "district");

  /** "YYYY-MM-DD" → the end of that local day (answers are taken through the whole day). */
  const endOfDay = (s: string, vw: View): Date => {
    const [y, m, dd] = s.split("-").map(Number) as [number, number, number];
    const check = new Date(Date.UTC(y, m - 1, dd));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== dd) throw new HttpError(400, "invalid_request", vw.t("sv_err_no_such_day").replace("{d}", s));
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
    const cfg = d.surveys.schedule();
    const body = SurveyList({
      vw,
      rows: list.map((s, i) => ({ ...s, progress: progress[i]! })),
      done: typeof req.query.done === "string",
      failure: o.failure,
      streetOnly: scope.streetId !== null,
      schedule: { ...cfg, timezone: d.timezone, next: nextScheduled(new Set(list.map((s) => s.code))) },
      create: isOffice(scope) ? { files: d.surveys.templates(), input: o.input } : null,
    });
    res.status(o.failure?.status ?? 200).type("html").send(page(vw, t("sv_surveys"), body, { res }));
  };

  r.get("/surveys", async (req, res) => renderList(req, res));

  r.post("/surveys", form("96kb"), d.auth.requireCsrf, office, async (req, res) => {
    const vw = v(req, res);
    const parsed = CreateForm.safeParse(filled(req.body));
    if (!parsed.success) {
      const input = filled(req.body) as CreateInput;
      return renderList(req, res, { failure: { status: 400, message: vw.t("sv_err_form"), issues: formIssues(vw, parsed.error) }, input });
    }
    const f = parsed.data;
    const fail = (failure: Failure) => renderList(req, res, { failure, input: f });
    let raw: unknown;
    if (f.json !== undefined) {
      try {
        raw = JSON.parse(f.json);
      } catch (err) {
        const at = /position (\d+)/.exec((err as Error).message)?.[1];
        return fail({ status: 400, message: at ? vw.t("sv_invalid_json_at").replace("{n}", at) : vw.t("sv_invalid_json") });
      }
    } else if (f.file !== undefined) {
      try {
        raw = d.surveys.template(f.file);
      } catch (err) {
        const e = mapError(err);
        if (e instanceof HttpError) return fail({ status: e.status, message: err instanceof SurveyDefinitionError ? vw.t("sv_invalid") : surveyErrorText(vw, err, e.message), issues: e.issues });
        throw err;
      }
    } else {
      return fail({ status: 400, message: vw.t("sv_pick_source") });
    }
    if (f.code !== undefined && raw !== null && typeof raw === "object" && !Array.isArray(raw)) raw = { ...raw, code: f.code };
    let closesAt: Date | undefined;
    try {
      // Checked first in the clerk's language; create() checks again (in English, for the API and the log).
      parseQuestionnaire(raw, "questionnaire", vw.locale);
      closesAt = f.closesAt ? endOfDay(f.closesAt, vw) : undefined;
      const s = await d.surveys.create(raw, { closesAt, open: f.open === "on", createdBy: scopeOf(res).actorId });
      res.redirect(303, `/dashboard/surveys/${s.id}?done=created`);
    } catch (err) {
      const e = mapError(err);
      if (!(e instanceof HttpError)) throw err;
      const failure: Failure = { status: e.status, message: err instanceof SurveyDefinitionError ? vw.t("sv_invalid") : surveyErrorText(vw, err, e.message), issues: e.issues };
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
    const who = await creatorNames(d.db, x.pushes.map((p) => p.createdBy));
    const myStreets = x.streets.filter((st) => scope.streetId === null || st.id === scope.streetId);
    const myEstates = x.estates.filter((e) => scope.streetId === null || e.streetId === scope.streetId);
    const closesValue = s.closesAt ? (() => {
      const l = toLocal(s.closesAt, d.timezone);
      return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
    })() : "";
    const body = SurveyPage({
      vw,
      s,
      done: typeof req.query.done === "string" ? req.query.done : undefined,
      closed,
      canSetCloses: isOffice(scope),
      closesValue,
      scopes: (isOffice(scope) ? (["district", "street", "estate"] as const) : (["street", "estate"] as const)).map((k) => [k, t(`sv_scope_${k}`)]),
      defaultScope: scope.streetId === null ? "district" : "estate",
      streets: myStreets.map((st) => [String(st.id), st.name]),
      estates: myEstates.map((e) => [String(e.id), e.name]),
      myStreet: scope.streetId !== null ? String(scope.streetId) : undefined,
      pushes: x.pushes.map((p) => ({ id: p.id, target: target(p), status: p.status, createdAt: p.createdAt, createdBy: p.createdBy === "schedule" ? t("sv_by_schedule") : p.createdBy ? (who.get(p.createdBy) ?? t("actor_office")) : "—", progress: p.progress })),
      overall: x.overall,
      active: active(x),
      labels: Object.fromEntries(PUSH_STATUSES.map((st) => [st, t(`sv_push_${st}`)])),
      streetOnly: scope.streetId !== null,
      results: overall.groups[0]?.questions as QuestionResult[] | undefined,
      byEstate: byEstate.groups as { group: number | null; questions: QuestionResult[] }[],
      estateNames: estateName,
    });
    res.type("html").send(page(vw, `${t("sv_surveys")} · ${surveyTitle(s.title, vw.locale) || s.code}`, body, { res, scripts: ["/assets/survey-progress.js"] }));
  });

  r.post("/surveys/:id/push", form("4kb"), d.auth.requireCsrf, d.auth.requireRole("admin", "district", "street"), async (req, res) => {
    const surveyId = parse(SurveyId, req.params.id, "survey id");
    const vw = v(req, res);
    const f = parseForm(vw, PushForm, filled(req.body));
    const scope = scopeOf(res);
    const id = f.scope === "street" ? f.street : f.scope === "estate" ? f.estate : undefined;
    if (f.scope !== "district" && id === undefined) throw new HttpError(400, "invalid_request", vw.t(`sv_err_pick_${f.scope}`));
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
      throw localError(vw, err);
    }
    res.redirect(303, `/dashboard/surveys/${surveyId}?done=pushed`);
  });

  r.post("/surveys/:id/closes-at", form("2kb"), d.auth.requireCsrf, office, async (req, res) => {
    const surveyId = parse(SurveyId, req.params.id, "survey id");
    const vw = v(req, res);
    const f = parseForm(vw, ClosesForm, filled(req.body));
    try {
      await d.surveys.setClosesAt(surveyId, endOfDay(f.closesAt, vw));
    } catch (err) {
      throw localError(vw, err);
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
    res.type("html").send(page(vw, vw.t("sv_surveys"), h("p", null, vw.t("surveys_later")), { res }));
  });
  return r;
}

/** Who started each push, by name: staff by display name, API clients by token name, the schedule in words. */
async function creatorNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const users = ids.filter((x): x is string => !!x && x.startsWith("user:")).map((x) => x.slice(5));
  const tokens = ids.filter((x): x is string => !!x && /^token:\d{1,9}$/.test(x)).map((x) => Number(x.slice(6)));
  const [us, ts] = await Promise.all([
    users.length ? db.staffUser.findMany({ where: { username: { in: users } }, select: { username: true, displayName: true } }) : [],
    tokens.length ? db.apiToken.findMany({ where: { id: { in: tokens } }, select: { id: true, name: true } }) : [],
  ]);
  return new Map<string, string>([...us.map((u) => [`user:${u.username}`, u.displayName] as [string, string]), ...ts.map((tk) => [`token:${tk.id}`, tk.name] as [string, string])]);
}

/** A form field's problem in the page's language (the schemas' own messages are for the API). */
function formIssues(vw: View, err: z.ZodError) {
  return err.issues.map((i) => ({ path: vw.t(`sv_field_${String(i.path[0] ?? "form")}`), message: i.path[0] === "closesAt" ? vw.t("sv_err_date") : vw.t("sv_err_value") }));
}

function parseForm<T extends z.ZodType>(vw: View, schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (!r.success) throw new HttpError(400, "invalid_request", `${vw.t("sv_err_form")} ${formIssues(vw, r.error).map((i) => `${i.path}：${i.message}`).join("；")}`);
  return r.data;
}

/** The survey service's refusals (English, for the API) as the clerk reads them. */
function surveyErrorText(vw: View, err: unknown, fallback: string): string {
  if (!(err instanceof SurveyError)) return fallback;
  const m = err.message;
  if (/closesAt must be in the future/.test(m)) return vw.t("sv_err_future");
  const exists = /^a survey with code "(.+)" exists$/.exec(m);
  if (exists) return vw.t("sv_err_exists").replace("{code}", exists[1]!);
  const closed = /^survey (.+) is closed$/.exec(m);
  if (closed) return vw.t("sv_err_closed").replace("{code}", closed[1]!);
  if (err.code === "not_found") return vw.t("sv_err_not_found");
  return fallback;
}

function localError(vw: View, err: unknown): unknown {
  const e = mapError(err);
  return e instanceof HttpError && err instanceof SurveyError ? new HttpError(e.status, e.code, surveyErrorText(vw, err, e.message)) : e;
}
