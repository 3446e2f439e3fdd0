// zod schemas of the REST API: they validate requests and, through zod-to-openapi, write the
// OpenAPI document, so the two cannot drift apart.
import { z } from "zod";
import { OFFICE_ACTIONS } from "../core/office-actions.ts";

export const CASE_STATES = ["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened", "closed"] as const;
export const KIND = z.enum(["complaint", "repair", "suggestion"]);
const code = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "a code like heping");
const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
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
    before: z.coerce.number().int().positive().optional().meta({ description: "cursor: nextBefore of the previous page" }),
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
    description: z.string().trim().min(1).max(4000),
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
    format: z.enum(["json", "csv"]).default("json"),
  })
  .strict();

const rate = z.number().min(0).max(1).nullable();
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
  })
  .meta({ id: "FigureRow" });
export const Figures = z.object({ by: z.string(), from: z.string(), to: z.string(), rows: z.array(FigureRow) }).meta({ id: "Figures" });

export const BoardRowSchema = z
  .object({
    estate: z.string(),
    name: z.string(),
    street: z.string(),
    class: z.enum(["model", "compliant", "rectify"]),
    smiling: z.boolean(),
    score: rate,
    cases: z.number().int(),
    overdue: z.number().int(),
  })
  .meta({ id: "BoardRow" });

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

export const IdParam = z.object({ id: z.string().regex(/^(\d{1,10}|\d{4}-\d{6})$/, "a case id or number like 2026-000123") });
