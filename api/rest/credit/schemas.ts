// zod schemas of /api/v1/credit (api/rest/credit/routes.ts): they validate the requests and write the
// OpenAPI document (api/rest/credit/openapi.ts), so the two cannot drift.
import { z } from "zod";
import { DbId } from "../../input-guard.ts";

const day = z.iso.date().meta({ description: "YYYY-MM-DD" });
export const CompanyCodeParam = z.object({ code: z.string().min(1).max(40).meta({ description: "company code, e.g. huamei" }) });
export const IdParam = z.object({ id: DbId });
export const AsOfQuery = z.strictObject({ at: z.iso.datetime({ offset: true }).optional().meta({ description: "score as of this moment (default: now)" }) });

export const Grade = z.enum(["AAA", "AA", "A", "B", "C"]).meta({ id: "CreditGrade" });
export const Cards = z.object({ yellow: z.number().int(), red: z.number().int() }).meta({ id: "CreditCards" });
export const CreditRecordOut = z
  .object({
    id: z.number().int(),
    type: z.string().meta({ description: "a record type of rules/credit.json" }),
    polarity: z.enum(["bad", "good"]),
    points: z.number().meta({ description: "as written; the score weighs it by the rules in force" }),
    source: z.object({ type: z.string().meta({ description: "case | problem | survey | inspection | declaration" }), key: z.string(), caseId: z.number().int().nullable(), caseNumber: z.string().nullable() }),
    estate: z.string().nullable().meta({ description: "estate code" }),
    actor: z.string(),
    note: z.string().nullable(),
    at: z.iso.datetime(),
    validUntil: z.iso.datetime(),
    counts: z.boolean().meta({ description: "valid and not withdrawn at the moment scored" }),
    status: z.enum(["active", "appealed", "withdrawn"]),
    appeal: z.object({ id: z.number().int(), status: z.string() }).nullable(),
  })
  .meta({ id: "CreditRecord" });
const ScoreFields = {
  asOf: z.iso.datetime(),
  score: z.number(),
  grade: Grade,
  blacklisted: z.boolean(),
  cards: Cards,
  base: z.number(),
  good: z.number(),
  bad: z.number(),
  workload: z.object({ cases: z.number().int(), households: z.number().int() }),
};
export const CompanyCredit = z
  .object({ company: z.object({ code: z.string(), name: z.string() }), ...ScoreFields, records: z.array(CreditRecordOut).meta({ description: "newest first; a street caller: its street's only" }) })
  .meta({ id: "CompanyCredit" });
export const ManagerOut = z
  .object({ id: z.number().int(), name: z.string(), certificateNo: z.string().nullable(), certificateExpiresOn: z.string().nullable(), assignments: z.array(z.object({ id: z.number().int(), estate: z.string(), company: z.string(), startsOn: z.string(), endsOn: z.string().nullable() })) })
  .meta({ id: "ProjectManager" });
export const ManagerCredit = z.object({ manager: ManagerOut, ...ScoreFields, records: z.array(CreditRecordOut) }).meta({ id: "ManagerCredit" });
export const CompanyCreditRow = z.object({ code: z.string(), name: z.string(), score: z.number(), grade: Grade, blacklisted: z.boolean(), cards: Cards }).meta({ id: "CompanyCreditRow" });
export const CompanyCreditList = z.object({ asOf: z.iso.datetime(), companies: z.array(CompanyCreditRow) }).meta({ id: "CompanyCreditList" });

export const ManagerBody = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    certificateNo: z.string().trim().max(40).nullable().optional(),
    certificateExpiresOn: day.nullable().optional(),
    phone: z.string().trim().max(30).nullable().optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: "ProjectManagerBody" });
export const AssignmentBody = z
  .strictObject({ estate: z.string().min(1).max(40).meta({ description: "estate code" }), company: z.string().max(40).optional().meta({ description: "default: the estate's company" }), startsOn: day })
  .meta({ id: "ManagerAssignmentBody" });
export const ManualRecordBody = z
  .strictObject({
    company: z.string().max(40).optional().meta({ description: "company code (or manager)" }),
    manager: z.number().int().positive().optional(),
    type: z.string().min(1).max(40).meta({ description: "a record type the office enters (trigger manual)" }),
    note: z.string().trim().min(1).max(500),
    estate: z.string().max(40).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((b) => (b.company === undefined) !== (b.manager === undefined), { message: "name one company or one manager", path: ["company"] })
  .meta({ id: "CreditManualRecord" });
export const AppealBody = z.strictObject({ reason: z.string().trim().min(1).max(1000), evidence: z.string().trim().max(2000).optional() }).meta({ id: "CreditAppealBody" });
export const DecisionBody = z.strictObject({ decision: z.enum(["upheld", "withdrawn"]), reason: z.string().trim().min(1).max(1000) }).meta({ id: "CreditAppealDecision" });
export const AppealOut = z
  .object({ id: z.number().int(), recordId: z.number().int(), status: z.enum(["open", "upheld", "withdrawn"]), reason: z.string(), evidence: z.string().nullable(), filedBy: z.string(), filedAt: z.iso.datetime(), decidedBy: z.string().nullable(), decidedAt: z.iso.datetime().nullable(), decisionReason: z.string().nullable() })
  .meta({ id: "CreditAppeal" });
export const AppealList = z.object({ appeals: z.array(AppealOut) }).meta({ id: "CreditAppealList" });
