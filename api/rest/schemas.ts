// zod schemas of the REST API: they validate requests and, through zod-to-openapi, write the
// OpenAPI document, so the two cannot drift apart.
import { z } from "zod";
import { INTAKE_LIMITS } from "../../core/cases/intake.ts";
import { fromLocal } from "../../core/clocks/zoned-time.ts";
import { OFFICE_ACTIONS } from "../../core/cases/office-actions.ts";
import { questionnaireSchema } from "../../core/surveys/survey-settings.ts";
import { STAFF_ROLES } from "../../core/directory/staff.ts";
import { DbId, MAX_DB_ID } from "../input-guard.ts";

export const CASE_STATES = ["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened", "closed", "awaiting_approval"] as const;
export const KIND = z.enum(["complaint", "repair", "suggestion"]);
const code = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "a code like heping");
/** A bare date (2026-11-01) in a filter: a whole day in TIMEZONE, not a UTC day (which began at 08:00
 *  in Beijing and dropped the "to" day). Parsed as its UTC midnight and marked, then placed in the
 *  office's time zone by `localDays` once the zone is known. */
export class CalendarDay extends Date {}
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).or(z.iso.date().transform((s) => new CalendarDay(s)));

/** `from` and `to` with bare dates read as days in `timezone`: from its day's 00:00, to the END of its day (exclusive next 00:00). */
export function localDays<T extends { from?: Date | undefined; to?: Date | undefined }>(q: T, timezone: string): T {
  const start = (d: Date, plusDays: number) => fromLocal(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate() + plusDays, 0, 0, timezone);
  return { ...q, from: q.from instanceof CalendarDay ? start(q.from, 0) : q.from, to: q.to instanceof CalendarDay ? start(q.to, 1) : q.to };
}
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const ErrorBody = z
  .object({ error: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
  .meta({ id: "Error" });

export const CaseListQuery = z
  .object({
    state: z
      .string()
      .transform((s) => s.split(",").filter(Boolean))
      .pipe(z.array(z.enum(CASE_STATES)))
      .optional()
      .meta({ description: "comma-separated states", example: "routed,accepted" }),
    kind: KIND.optional(),
    category: code.optional(),
    estate: code.optional(),
    company: code.optional(),
    street: code.optional(),
    overdue: bool.optional(),
    q: z.string().max(100).optional().meta({ description: "case number (prefix) or words in the description" }),
    from: isoDate.optional().meta({ description: "filed at or after (ISO date/time)" }),
    to: isoDate.optional().meta({ description: "filed before" }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: DbId.optional().meta({ description: "cursor: nextBefore of the previous page" }),
  })
  .strict();

const Named = z.object({ code: z.string(), name: z.string() });
export const CaseSummary = z
  .object({
    id: z.number().int(),
    number: z.string(),
    kind: KIND,
    category: z.string(),
    state: z.enum(CASE_STATES),
    urgency: z.enum(["emergency", "urgent", "normal"]),
    description: z.string(),
    channel: z.string(),
    street: Named,
    estate: Named,
    company: Named.nullable(),
    liaison: Named.nullable(),
    createdAt: z.string(),
    responseDueAt: z.string().nullable(),
    resolutionDueAt: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    escalationLevel: z.number().int(),
    reopenCount: z.number().int(),
    satisfaction: z.number().int().nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: "CaseSummary" });

export const CaseList = z.object({ items: z.array(CaseSummary), nextBefore: z.number().int().nullable() }).meta({ id: "CaseList" });

export const CaseDetail = CaseSummary.extend({
  building: z.string().nullable(),
  unit: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  routeRule: z.string().nullable(),
  events: z.array(
    z.object({ id: z.number().int(), at: z.string(), actorType: z.string(), actorId: z.string().nullable(), type: z.string(), fromState: z.string().nullable(), toState: z.string().nullable(), note: z.string().nullable() }),
  ),
  photos: z.array(z.object({ fileId: z.string(), caption: z.string().nullable(), addedBy: z.string(), createdAt: z.string() })),
  extensions: z.array(
    z.object({ id: z.number().int(), reason: z.string(), requestedDueAt: z.string(), status: z.enum(["pending", "approved", "denied"]), decidedBy: z.string().nullable(), decisionNote: z.string().nullable() }),
  ),
}).meta({ id: "CaseDetail" });

export const CaseCreate = z
  .object({
    kind: KIND,
    category: code,
    description: z.string().trim().min(1).max(INTAKE_LIMITS.maxDescription),
    estate: code,
    building: z.string().max(40).optional(),
    unit: z.string().max(40).optional(),
    urgent: z.boolean().default(false),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .strict()
  .meta({ id: "CaseCreate" });

export const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "8–100 of A-Z a-z 0-9 _ . : -");

export const CaseActionBody = z
  .object({
    action: z.enum(OFFICE_ACTIONS),
    note: z.string().trim().max(2000).optional(),
    liaison: code.optional().meta({ description: "for assign: the liaison code" }),
    expectState: z.enum(CASE_STATES).optional().meta({ description: "refuse with 409 unless the case is in this state" }),
  })
  .strict()
  .refine((b) => b.action !== "assign" || b.liaison, { message: "assign needs liaison", path: ["liaison"] })
  .meta({ id: "CaseAction" });

export const NoteBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict().meta({ id: "Note" });
export const ExtensionDecision = z.object({ decision: z.enum(["approve", "deny"]), note: z.string().trim().max(2000).optional() }).strict().meta({ id: "ExtensionDecision" });

export const FiguresQuery = z
  .object({
    by: z.enum(["company", "estate", "street", "month"]).default("company"),
    monthly: bool.optional().meta({ description: "split each group by month (trend)" }),
    from: isoDate.optional().meta({ description: "default: 12 months ago" }),
    to: isoDate.optional().meta({ description: "default: now" }),
    format: z.enum(["json", "csv", "xlsx"]).default("json").meta({ description: "csv: machine columns (codes, fractions); xlsx: for Excel/WPS, headers in lang, names, percentages with n" }),
    lang: z.enum(["zh-Hans", "zh-Hant", "en"]).optional().meta({ description: "language of the xlsx headers (default: the office default)" }),
  })
  .strict();

const rate = z.number().min(0).max(1).nullable();
const n = z.number().int().min(0);
export const FigureRow = z
  .object({
    key: z.string(),
    label: z.string(),
    month: z.string().nullable(),
    cases: z.number().int(),
    responseRate: rate,
    resolutionRate: rate,
    satisfactionRate: rate,
    repeatRate: rate,
    overdue: z.number().int(),
    counts: z
      .object({
        responseOk: n,
        responseDue: n,
        resolutionOk: n,
        resolutionDue: n,
        satisfied: n,
        answers: n,
        repeats: n,
      })
      .meta({ description: "numerator and denominator of each rate: responseRate = responseOk/responseDue, resolutionRate = resolutionOk/resolutionDue, satisfactionRate = satisfied/answers, repeatRate = repeats/cases" }),
  })
  .meta({ id: "FigureRow" });
export const Figures = z
  .object({
    by: z.string(),
    from: z.string(),
    to: z.string(),
    minSample: n.meta({ description: "a rate whose denominator is below this is shown as 数据不足 (too little data) on the dashboard" }),
    rows: z.array(FigureRow),
  })
  .meta({ id: "Figures" });

export const BoardRowSchema = z
  .object({
    estate: z.string(),
    name: z.string(),
    street: z.string(),
    streetName: z.string(),
    company: z.string().nullable(),
    class: z.enum(["model", "compliant", "rectify", "unrated"]).nullable().meta({ description: "latest stored classification; unrated = too little data (未评定); null = not rated yet" }),
    label: z.string().nullable().meta({ description: "示范 / 达标 / 整改" }),
    smiling: z.boolean().nullable(),
    period: z.string().nullable().meta({ description: "assessment period, e.g. 2026H2" }),
    satisfaction: rate,
    timeliness: rate,
    cases: z.number().int(),
    answers: z.number().int(),
    due: z.number().int(),
    repeatRate: rate,
    districtEscalations: z.number().int(),
    computedAt: z.string().nullable(),
  })
  .meta({ id: "BoardRow" });

export const EstateRow = z.object({ code: z.string(), name: z.string(), street: z.string(), company: z.string().nullable(), households: z.number().int() }).meta({ id: "Estate" });
export const CompanyRow = z.object({ code: z.string(), name: z.string(), estates: z.array(z.string()).meta({ description: "its estates in the caller's area" }) }).meta({ id: "Company" });
export const LiaisonRow = z.object({ code: z.string(), name: z.string(), company: z.string(), active: z.boolean(), onTelegram: z.boolean() }).meta({ id: "Liaison" });
export const Thresholds = z.record(z.string(), z.unknown()).meta({ id: "ClassificationThresholds", description: "rules/assessment.json classification" });
export const DryRunResult = z
  .object({
    decision: z.object({ routed: z.boolean(), urgency: z.enum(["emergency", "urgent", "normal"]), rule: z.string().nullable(), why: z.array(z.string()) }).loose(),
    local: z.object({ filedAt: z.string(), weekday: z.number().int(), dayType: z.enum(["workday", "restday"]), timezone: z.string() }),
    company: Named.nullable(),
    liaison: Named.nullable(),
    candidates: z.array(z.record(z.string(), z.unknown())).meta({ description: "each rule tried, and why it matched or not" }),
    deadlineEntry: z.string(),
    responseDue: z.string().nullable(),
    resolutionDue: z.string().nullable(),
  })
  .meta({ id: "DryRunResult", description: "the routing decision with its rule trace" });
export const RulesStatus = z
  .object({ rulesDir: z.string(), timezone: z.string(), watching: z.boolean(), activeSince: z.string().nullable(), counts: z.record(z.string(), z.number()).nullable(), warnings: z.array(z.unknown()), lastReload: z.unknown() })
  .meta({ id: "RulesStatus" });

export const DryRunBody = z
  .object({
    kind: KIND,
    category: code,
    estate: code,
    building: z.string().max(40).optional(),
    urgent: z.boolean().default(false),
    filedAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  })
  .strict()
  .meta({ id: "DryRun" });

export const IdParam = z.object({
  id: z
    .string()
    .regex(/^(\d{1,10}|\d{4}-\d{6})$/, "a case id or number like 2026-000123")
    .refine((s) => s.includes("-") || Number(s) <= MAX_DB_ID, `a case id is at most ${MAX_DB_ID}`),
});

// ---- surveys, assessment, credit file, classification, early warning (api/rest/surveys.ts) -----------
// Requests: api/rest/surveys.ts validates with these. Responses: what its handlers send (JSON dates are
// ISO strings); wide database rows are open (loose) beyond the fields named.

/** A positive integer id; path and query strings are coerced. */
export const PositiveId = DbId;
export const SurveyIdParams = z.object({ id: PositiveId.meta({ description: "survey id" }) });
const SURVEY_STATUS = z.enum(["draft", "open", "closed"]);
const PUSH_SCOPE = z.enum(["district", "street", "estate"]);

export const SurveyCreateBody = questionnaireSchema
  .omit({ $comment: true })
  .extend({
    closesAt: z.coerce.date().optional().meta({ type: "string", format: "date-time", description: "closing time, in the future; default when opened: now + schedule.openDays" }),
    open: z.boolean().optional().meta({ description: "open at once (otherwise a draft, opened by its first push)" }),
  })
  .meta({ id: "SurveyCreate", description: "a questionnaire (as rules/surveys/*.json) plus when it closes" });

export const SurveyPushBody = z
  .strictObject({
    scope: PUSH_SCOPE,
    // JSON carries a number; no coercion here, so the document and the check agree.
    id: z.number().int().positive().optional().meta({ description: "street or estate id (not for district)" }),
  })
  .meta({ id: "SurveyPush" });
export const SurveyProgressQuery = z.strictObject({ push: PositiveId.optional().meta({ description: "one push of the survey instead of all" }) });
export const SurveyResultsQuery = z.strictObject({ by: z.enum(["estate", "street", "company"]).optional().meta({ description: "group by; groups under 5 answers are hidden" }) });
const period = z.string().regex(/^\d{4}(H[12]|-(0[1-9]|1[0-2]))?$/, "like 2026H2, 2026-07 or 2026");
export const AssessmentQuery = z.strictObject({
  by: z.enum(["company", "estate", "street", "district"]).default("company"),
  period: period.optional().meta({ description: "2026H2, 2026-07 or 2026; default: the current half-year" }),
  split: z.enum(["none", "month", "half"]).default("none"),
});
export const CreditYearQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional().meta({ description: "default: this year" }) });
export const EarlyWarningQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(30).meta({ description: "flags of the last n days" }) });

const at = z.iso.datetime();
const int = z.number().int();
const localized = z.record(z.string(), z.string()).meta({ description: "by locale: zh-Hans, zh-Hant, en" });

export const SurveyListItem = z
  .object({ id: int, code: z.string(), title: localized, status: SURVEY_STATUS, opensAt: at.nullable(), closesAt: at.nullable(), questions: int.meta({ description: "number of questions" }), createdAt: at })
  .meta({ id: "SurveyListItem" });
export const SurveyList = z.object({ surveys: z.array(SurveyListItem) }).meta({ id: "SurveyList" });
export const SurveyCreated = z.object({ id: int, code: z.string(), status: SURVEY_STATUS, closesAt: at.nullable() }).meta({ id: "SurveyCreated" });
export const SurveyProgress = z
  .object({ total: int, pending: int, sent: int, delivered: int, answered: int, partial: int, undeliverable: int })
  .meta({ id: "SurveyProgress", description: "recipients by status (a street caller counts its own street's residents)" });
export const SurveyPushRow = z
  .object({
    id: int,
    surveyId: int,
    scope: PUSH_SCOPE,
    scopeId: int.nullable(),
    status: z.enum(["pending", "running", "done", "cancelled"]),
    total: int,
    createdBy: z.string().nullable(),
    createdAt: at,
    startedAt: at.nullable(),
    finishedAt: at.nullable(),
  })
  .loose()
  .meta({ id: "SurveyPushRow" });
export const SurveyDetail = z
  .object({
    id: int,
    code: z.string(),
    title: localized,
    questions: questionnaireSchema.shape.questions,
    status: SURVEY_STATUS,
    opensAt: at.nullable(),
    closesAt: at.nullable(),
    createdBy: z.string().nullable(),
    createdAt: at,
    pushes: z.array(SurveyPushRow),
    progress: SurveyProgress,
  })
  .loose()
  .meta({ id: "Survey" });
export const SurveyPushed = z.object({ pushId: int, total: int.meta({ description: "recipients materialised" }) }).meta({ id: "SurveyPushed" });
const QuestionResult = z.discriminatedUnion("type", [
  z.object({
    id: z.string(),
    type: z.literal("scale"),
    answers: int,
    mean: z.number().nullable(),
    satisfiedRate: rate.meta({ description: "answers 4 or 5 ÷ answers" }),
    distribution: z.array(int).meta({ description: "answers per score 1…5" }),
  }),
  z.object({ id: z.string(), type: z.literal("choice"), answers: int, choices: z.record(z.string(), int).meta({ description: "answers per option value" }) }),
]);
export const SurveyResults = z
  .object({
    survey: z.object({ id: int, code: z.string(), title: localized, status: SURVEY_STATUS, closesAt: at.nullable() }),
    by: z.enum(["estate", "street", "company"]).nullable(),
    groups: z.array(z.object({ group: int.nullable().meta({ description: "estate/street/company id; null when not grouped" }), questions: z.array(QuestionResult) })),
  })
  .meta({ id: "SurveyResults", description: "aggregates only, never one resident's answers" });

export const AssessmentRowSchema = z
  .object({
    id: int.meta({ description: "estate/company/street id; 0 for the district, -1 for cases with no company" }),
    code: z.string(),
    label: z.string(),
    period: z.string().nullable(),
    cases: int,
    households: int,
    casesPer1000: z.number().nullable(),
    responseRate: rate,
    resolutionRate: rate,
    timeliness: rate,
    satisfaction: rate,
    revisitSatisfaction: rate,
    surveySatisfaction: rate,
    repeatRate: rate,
    missedDeadline: int,
    overdueNow: int,
    districtEscalations: int,
    counts: z.record(z.string(), int).meta({ description: "numerators and denominators of the rates" }),
  })
  .loose()
  .meta({ id: "AssessmentRow" });
export const Assessment = z
  .object({ period: z.string(), by: z.enum(["company", "estate", "street", "district"]), split: z.enum(["none", "month", "half"]), rows: z.array(AssessmentRowSchema) })
  .meta({ id: "Assessment" });

export const CreditEvaluation = z
  .object({
    companyId: int,
    code: z.string(),
    name: z.string(),
    year: int,
    deducted: z.number(),
    byReason: z.record(z.string(), z.object({ count: int, points: z.number() })),
    score: z.number(),
    grade: z.string(),
    label: z.string(),
  })
  .meta({ id: "CreditEvaluation" });
export const CreditList = z.object({ year: int, companies: z.array(CreditEvaluation) }).meta({ id: "CreditList" });
export const CreditDeductionRow = z
  .object({ id: int, companyId: int, caseId: int.nullable(), reason: z.string().meta({ description: "overdue | unsatisfied_revisit | district_escalation" }), points: z.number(), note: z.string().nullable(), at })
  .loose()
  .meta({ id: "CreditDeduction" });
export const CreditFile = z.object({ company: Named, deductions: z.array(CreditDeductionRow).meta({ description: "newest first, at most 200" }) }).meta({ id: "CreditFile" });
export const CreditRecomputed = z
  .object({ added: z.object({ overdue: int, unsatisfied_revisit: int, district_escalation: int }).meta({ description: "new deductions per reason (existing ones are kept)" }) })
  .meta({ id: "CreditRecomputed" });

const KLASS = z.enum(["model", "compliant", "rectify", "unrated"]);
export const Classification = z
  .object({ estateId: int, code: z.string(), name: z.string(), streetId: int, period: z.string(), klass: KLASS, label: z.string().meta({ description: "示范 / 达标 / 整改 / 未评定" }), smiling: z.boolean().nullable().meta({ description: "null: neutral face (未评定)" }), satisfaction: rate, timeliness: rate, computedAt: at })
  .meta({ id: "Classification" });
export const ClassificationList = z.object({ estates: z.array(Classification) }).meta({ id: "ClassificationList" });
export const ClassificationHistory = z
  .object({
    estate: z.string(),
    history: z
      .array(z.object({ id: int, estateId: int, period: z.string(), klass: KLASS, satisfaction: rate, timeliness: rate, details: z.record(z.string(), z.unknown()).nullable(), computedAt: at }).loose())
      .meta({ description: "newest first, at most 200" }),
  })
  .meta({ id: "ClassificationHistory" });
export const ClassificationRecomputed = z
  .object({ estates: z.array(z.object({ estateId: int, code: z.string(), period: z.string(), klass: KLASS, satisfaction: rate, timeliness: rate })) })
  .meta({ id: "ClassificationRecomputed" });

export const EarlyWarnings = z
  .object({
    flagged: z.array(z.object({ id: int, estateId: int, day: z.string().meta({ description: "local date" }), recent: int, baseline: z.number(), createdAt: at }).loose()),
    spikingNow: z.array(z.object({ estateId: int, estate: z.string(), street: z.string(), streetId: int, recent: int, baseline: z.number() })),
  })
  .meta({ id: "EarlyWarnings" });

/** POST /api/v1/tokens (admin). Mirrors the check in api/rest/v1.ts. */
export const TokenCreateBody = z.object({ name: z.string().trim().min(1).max(80), role: z.enum(STAFF_ROLES), street: z.string().optional().meta({ description: "street code, for role street" }), estates: z.array(z.string().max(41)).max(500).optional().meta({ description: "estate codes, for the community and owners roles" }) }).strict().meta({ id: "TokenCreate" });
export const TokenCreated = z.object({ id: int, name: z.string(), role: z.enum(STAFF_ROLES), token: z.string().meta({ description: "shown once; stored hashed" }) }).meta({ id: "TokenCreated" });
