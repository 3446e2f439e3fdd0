// What the dashboard and the REST API share: their dependencies, case lookup within the caller's
// area, DTOs and CSV.
import type { Categories } from "../core/cases/categories.ts";
import type { CaseService } from "../core/cases/case-service.ts";
import type { Clock } from "../core/clock.ts";
import type { Db } from "../core/db/db.ts";
import type { AssessmentSettings } from "../core/assessment/assessment-settings.ts";
import type { Scope } from "../core/directory/staff.ts";
import { inArea } from "../core/access/permissions.ts";
import { lateness, type CaseListRow } from "../core/cases/case-query.ts";
import type { RulesRouter } from "../rules/router.ts";
import type { Locale } from "../core/cases/categories.ts";
import { HttpError } from "./http.ts";
import type { MediaStore } from "./rest/open311/media.ts";
import { photoLinksFromConfig, type PhotoLinks } from "../core/attachments/photo-links.ts";

export interface OfficeAppDeps {
  cases: CaseService;
  /** Dry-run, status and reload of the routing rules. */
  router: Pick<RulesRouter, "dryRun" | "status" | "reload" | "route" | "understand">;
  categories: Categories;
  clock: Clock;
  timezone: string;
  defaultLocale: Locale;
  publicBaseUrl: string;
  /** Set when the web workspace (/w/) runs (FRONTDOOR_SECRET): SMS to liaisons without Telegram link there. */
  workspaceBaseUrl?: string;
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  apiRateLimitPerMin: number;
  metricsToken?: string;
  /** Attachment bytes by file id (bot/transport/files.ts reads them from Telegram); absent when the bot is off. */
  files?: { fetch(fileId: string): Promise<{ contentType: string; body: Buffer | NodeJS.ReadableStream | ReadableStream<Uint8Array>; size?: number }> };
  /** Where Open311 media_url photos are fetched into (the attachment store); without it links are kept and checked only. */
  mediaStore?: MediaStore;
  /** Open311: an identical report from the same client within this many ms is a duplicate (default 10 minutes). */
  open311DuplicateWindowMs?: number;
  /** Stored photos (core/attachments): served from here once the evidence fetcher has them. */
  attachments?: import("../core/attachments/store.ts").AttachmentStore;
  /** Tells the outbox sender a message was queued again (dead-letter page); it polls anyway. */
  wakeOutbox?: () => void;
  /** Signed photo links (/p/<token>) sent in place of photos Telegram refused; absent: the route is off. */
  photoLinks?: PhotoLinks;
  /** Classification thresholds (rules/assessment.json): shown on the board, used by its recompute. */
  assessmentSettings: () => AssessmentSettings;
  /** rules/credit.json in force (core/credit); without it the credit files answer 503. */
  creditRules?: () => import("../core/credit/credit-rules.ts").CreditRules | null;
}

/** Companies a caller may see: a street office those managing one of its estates, the district all. */
export const companiesInScope = (s: Pick<Scope, "streetId">) => (s.streetId !== null ? { estates: { some: { streetId: s.streetId } } } : {});

export async function findCaseInScope(db: Db, idOrNumber: string | number, scope: Scope) {
  if (typeof idOrNumber === "string" && /^\d+$/.test(idOrNumber) && Number(idOrNumber) > 2_147_483_647) throw new HttpError(400, "invalid_request", `case id ${idOrNumber} is out of range`);
  const where = typeof idOrNumber === "number" || /^\d+$/.test(idOrNumber) ? { id: Number(idOrNumber) } : { number: idOrNumber };
  const c = await db.case.findUnique({
    where,
    include: {
      estate: true,
      street: true,
      building: true,
      unit: true,
      company: true,
      liaison: true,
      events: { orderBy: { id: "asc" } },
      attachments: { orderBy: { id: "asc" } },
      extensions: { orderBy: { id: "asc" } },
    },
  });
  // Outside the caller's area looks the same as not there.
  if (!c || !inArea(scope, c)) throw new HttpError(404, "not_found", `case ${idOrNumber} not found`);
  return c;
}
export type CaseFull = Awaited<ReturnType<typeof findCaseInScope>>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const named = (x: { code: string; name: string } | null) => (x ? { code: x.code, name: x.name } : null);

export function caseSummary(c: CaseListRow | CaseFull, now: Date) {
  return {
    id: c.id,
    number: c.number,
    kind: c.kind,
    category: c.category,
    state: c.state,
    urgency: c.urgency,
    description: c.description,
    channel: c.channel,
    street: named(c.street)!,
    estate: named(c.estate)!,
    company: named(c.company),
    liaison: named(c.liaison),
    createdAt: c.createdAt.toISOString(),
    responseDueAt: iso(c.responseDueAt),
    resolutionDueAt: iso(c.resolutionDueAt),
    acceptedAt: iso(c.acceptedAt),
    resolvedAt: iso(c.resolvedAt),
    closedAt: iso(c.closedAt),
    escalationLevel: c.escalationLevel,
    reopenCount: c.reopenCount,
    satisfaction: c.satisfaction,
    overdue: lateness(c, now) !== null,
  };
}

export function caseDetail(c: CaseFull, now: Date) {
  return {
    ...caseSummary(c, now),
    building: c.building?.name ?? null,
    unit: c.unit?.name ?? null,
    latitude: c.latitude,
    longitude: c.longitude,
    routeRule: c.routeRule,
    events: c.events.map((e) => ({ id: e.id, at: e.at.toISOString(), actorType: e.actorType, actorId: e.actorId, type: e.type, fromState: e.fromState, toState: e.toState, note: e.note })),
    photos: c.attachments.map((a) => ({ fileId: a.fileId, caption: a.caption, addedBy: a.addedBy, createdAt: a.createdAt.toISOString() })),
    extensions: c.extensions.map((x) => ({ id: x.id, reason: x.reason, requestedDueAt: x.requestedDueAt.toISOString(), status: x.status, decidedBy: x.decidedBy, decisionNote: x.decisionNote })),
  };
}

/** RFC 4180 CSV with a BOM so spreadsheet programs read the Chinese text as UTF-8. Cells that a
 *  spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(header: string[], rows: unknown[][]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return "\uFEFF" + [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

export const CASE_CSV_HEADER = ["number", "state", "kind", "category", "urgency", "street", "estate", "company", "liaison", "createdAt", "responseDueAt", "resolutionDueAt", "acceptedAt", "resolvedAt", "closedAt", "overdue", "escalationLevel", "reopenCount", "satisfaction", "description"];
export function caseCsvRow(c: CaseListRow, now: Date): unknown[] {
  const s = caseSummary(c, now);
  return [s.number, s.state, s.kind, s.category, s.urgency, s.street.code, s.estate.code, s.company?.code, s.liaison?.code, s.createdAt, s.responseDueAt, s.resolutionDueAt, s.acceptedAt, s.resolvedAt, s.closedAt, s.overdue, s.escalationLevel, s.reopenCount, s.satisfaction, s.description];
}

export const FIGURE_CSV_HEADER = ["key", "label", "month", "cases", "responseRate", "resolutionRate", "satisfactionRate", "repeatRate", "overdue"];
export const pct = (x: number | null) => (x === null ? "" : (Math.round(x * 1000) / 10).toFixed(1));

export const actorOf = (s: Scope) => ({ type: s.actorId.startsWith("token:") ? ("api" as const) : ("office" as const), id: s.actorId });

/** The office deps from validated config plus the services main already builds. */
export function officeDepsFromConfig(
  config: import("../core/config.ts").Config,
  s: { cases: CaseService; router: OfficeAppDeps["router"]; categories: Categories; clock: Clock; assessmentSettings: () => AssessmentSettings },
): OfficeAppDeps {
  return {
    ...s,
    timezone: config.TIMEZONE,
    defaultLocale: config.DEFAULT_LOCALE,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    ...(config.FRONTDOOR_SECRET ? { workspaceBaseUrl: config.PUBLIC_BASE_URL } : {}),
    sessionTtlHours: config.SESSION_TTL_HOURS,
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
    loginLockMinutes: config.LOGIN_LOCK_MINUTES,
    apiRateLimitPerMin: config.API_RATE_LIMIT_PER_MIN,
    metricsToken: config.METRICS_TOKEN,
    photoLinks: photoLinksFromConfig(config),
  };
}
