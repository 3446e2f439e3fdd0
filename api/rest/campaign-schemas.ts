// The zod schemas of /api/v1/campaigns: they validate the requests and make the OpenAPI document
// (campaign-openapi.ts), so the two cannot disagree.
import { z } from "zod";
import { PROBLEM_ACTIONS, PROBLEM_STATES } from "../../core/campaigns/lifecycle.ts";
import { PROBLEM_SOURCES, RESPONSIBLE_KINDS } from "../../core/campaigns/problems.ts";

const Instant = z.coerce.date().meta({ description: "ISO 8601 time" });
const Phase = z.object({ from: Instant, to: Instant });

export const CampaignCreate = z
  .object({
    name: z.string().trim().min(1).max(200),
    street: z.string().min(1).max(64).optional().meta({ description: "street code: a street's campaign (a street caller's are always its own)" }),
    estates: z.array(z.string().min(1).max(64)).max(2000).optional().meta({ description: "estate codes; empty or absent: every estate in scope" }),
    phases: z.object({ inspect: Phase, rectify: Phase, accept: Phase }),
    targetRectification: z.number().min(0).max(1).optional().meta({ description: "整改率 target, default 0.9" }),
    targetTimeliness: z.number().min(0).max(1).optional().meta({ description: "维修及时率 target, default 0.9" }),
    categories: z.array(z.string().min(1).max(64)).max(50).optional().meta({ description: "problem category codes (rules/campaigns.json); absent: all" }),
    inspectors: z.string().max(500).optional(),
  })
  .strict()
  .meta({ id: "CampaignCreate" });

export const CampaignOut = z
  .object({
    id: z.number().int(),
    name: z.string(),
    street: z.string().nullable(),
    phase: z.enum(["before", "inspect", "rectify", "accept", "after"]),
    phases: z.object({ inspect: Phase, rectify: Phase, accept: Phase }),
    targets: z.object({ rectification: z.number(), timeliness: z.number() }),
    categories: z.array(z.string()),
    publicPage: z.string(),
  })
  .meta({ id: "Campaign" });

export const ProblemCreate = z
  .object({
    estate: z.string().min(1).max(64),
    building: z.string().max(64).optional(),
    place: z.string().max(200).optional(),
    category: z.string().min(1).max(64),
    description: z.string().trim().min(1).max(2000),
    source: z.enum(PROBLEM_SOURCES),
    sourceRef: z.string().max(100).optional().meta({ description: "12345 order number, survey name" }),
    cases: z.array(z.string().regex(/^\d{4}-\d{6}$/)).max(50).optional().meta({ description: "case numbers of residents' complaints (source complaint)" }),
    responsibleKind: z.enum(RESPONSIBLE_KINDS).optional(),
    responsibleName: z.string().max(200).optional(),
    responsiblePerson: z.string().max(100).optional(),
    foundOn: Instant.optional(),
  })
  .strict()
  .meta({ id: "ProblemCreate" });

export const ProblemQuery = z
  .object({
    estate: z.string().max(64).optional(),
    street: z.string().max(64).optional(),
    state: z.enum(PROBLEM_STATES).optional(),
    category: z.string().max(64).optional(),
    overdue: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    after: z.coerce.number().int().min(0).optional().meta({ description: "seq of the last problem of the previous page" }),
  })
  .strict();

export const ProblemAction = z
  .object({
    action: z.enum(PROBLEM_ACTIONS.filter((a) => a !== "escalate") as [string, ...string[]]).meta({ description: "propose, approve, set_measure (measure); progress; submit; pass/fail (acceptance round); revisit_answer; close (销号); recheck_pass/recheck_fail (回头看); reopen" }),
    note: z.string().max(2000).optional(),
    measure: z.string().max(2000).optional(),
    deadline: Instant.optional(),
    deadlineWorkdays: z.number().int().min(1).max(250).optional(),
    answer: z.enum(["satisfied", "fairly", "dissatisfied"]).optional(),
    expectState: z.enum(PROBLEM_STATES).optional(),
  })
  .strict()
  .meta({ id: "ProblemAction" });

export const ProblemOut = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    estate: z.string(),
    estateName: z.string(),
    category: z.string(),
    description: z.string(),
    source: z.string(),
    sourceRef: z.string().nullable(),
    responsibleKind: z.string(),
    responsibleName: z.string(),
    responsiblePerson: z.string().nullable(),
    state: z.enum(PROBLEM_STATES),
    measure: z.string().nullable(),
    deadline: z.string().nullable(),
    rounds: z.number().int(),
    lastVerdict: z.string().nullable(),
    closedAt: z.string().nullable(),
    revisitResult: z.string().nullable(),
    recheckDue: z.string().nullable(),
    recheckResult: z.string().nullable(),
    repeatCount: z.number().int(),
    escalationLevel: z.number().int(),
  })
  .meta({ id: "CampaignProblem" });

export const Figures = z
  .object({
    registered: z.number().int(),
    closed: z.number().int(),
    closed_on_time: z.number().int(),
    due: z.number().int(),
    rectification_rate: z.number().nullable(),
    timeliness_rate: z.number().nullable(),
    targets: z.object({ rectification: z.number(), timeliness: z.number() }),
    by: z.array(z.object({ key: z.string(), label: z.string(), registered: z.number(), closed: z.number(), closed_on_time: z.number(), due: z.number(), rectification_rate: z.number().nullable(), timeliness_rate: z.number().nullable() })).optional(),
  })
  .meta({ id: "CampaignFigures" });

export const FiguresQuery = z.object({ by: z.enum(["estate", "company", "street"]).optional() }).strict();
