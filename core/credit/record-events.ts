// Credit records written by the event that causes them, inside that event's transaction: a case
// gone overdue, escalated to the district, reopened, rated 不满意; a campaign problem not rectified
// in time, a failed acceptance round. One record for the company and one for the estate's project
// manager at that moment (their record follows them). Idempotent: (type, source, subject) is unique.
import { Prisma } from "../db/generated/prisma/client.ts";
import type { CreditRules } from "./credit-rules.ts";
import { typeForTrigger, type CASE_TRIGGERS, type CAMPAIGN_TRIGGERS } from "./credit-rules.ts";

type Tx = Prisma.TransactionClient;
type CaseTrigger = (typeof CASE_TRIGGERS)[number] extends `case.${infer K}` ? K : never;
type CampaignTrigger = (typeof CAMPAIGN_TRIGGERS)[number] extends `campaign.${infer K}` ? K : never;

export interface CaseCreditEvent {
  kind: CaseTrigger;
  caseId: number;
  at: Date;
  /** Who caused it: "system" for the clocks, "resident:12", "staff:3" … */
  actor: string;
  /** For "unsatisfied": the 1–5 answer (a record only at or below the rules' unsatisfiedMax). */
  satisfaction?: number;
}

export interface CampaignCreditEvent {
  kind: CampaignTrigger;
  /** The campaign problem (整改问题) this is about, e.g. its id; names the source. */
  problemId: number | string;
  companyId: number;
  estateId: number;
  at: Date;
  actor: string;
  note?: string;
}

/** Writes the credit records of one case event in the caller's transaction; returns rows written. */
export async function recordCreditForCaseEvent(tx: Tx, rules: CreditRules, event: CaseCreditEvent): Promise<number> {
  return recordCreditForCaseEvents(tx, rules, [event]);
}

/** The same for many events at once (the clocks' escalation batches): one statement. */
export async function recordCreditForCaseEvents(tx: Tx, rules: CreditRules, events: CaseCreditEvent[]): Promise<number> {
  const rows = events.flatMap((e) => {
    if (e.kind === "unsatisfied" && (e.satisfaction === undefined || e.satisfaction > rules.unsatisfiedMax)) return [];
    const t = typeForTrigger(rules, `case.${e.kind}`);
    return t ? [{ e, t }] : [];
  });
  if (rows.length === 0) return 0;
  // Times as epoch milliseconds (read back as UTC), so the arrays need no driver-specific date typing.
  return tx.$executeRaw`
    INSERT INTO "CreditRecord" (subject, "companyId", "managerId", type, polarity, points, "sourceType", "sourceKey", "caseId", "streetId", "estateId", actor, note, at, "validUntil")
    SELECT s.subject, s."companyId", s."managerId", e.type, e.polarity, e.points, 'case', 'case:' || c.id, c.id, c."streetId", c."estateId", e.actor, c.number,
           to_timestamp(e.at_ms / 1000.0) AT TIME ZONE 'UTC', to_timestamp(e.at_ms / 1000.0) AT TIME ZONE 'UTC' + make_interval(days => e.days)
    FROM unnest(${rows.map((r) => r.e.caseId)}::int[], ${rows.map((r) => r.t.type)}::text[], ${rows.map((r) => r.t.polarity)}::text[],
                ${rows.map((r) => r.t.points)}::float8[], ${rows.map((r) => r.t.validDays)}::int[], ${rows.map((r) => r.e.at.getTime())}::float8[],
                ${rows.map((r) => r.e.actor)}::text[]) AS e(case_id, type, polarity, points, days, at_ms, actor)
    JOIN "Case" c ON c.id = e.case_id AND c."companyId" IS NOT NULL
    CROSS JOIN LATERAL (
      SELECT 'company:' || c."companyId" AS subject, c."companyId" AS "companyId", NULL::int AS "managerId"
      UNION ALL
      SELECT 'manager:' || a."managerId", a."companyId", a."managerId" FROM "ManagerAssignment" a
      WHERE a."estateId" = c."estateId" AND a."startsOn" <= to_timestamp(e.at_ms / 1000.0) AT TIME ZONE 'UTC'
        AND (a."endsOn" IS NULL OR a."endsOn" > to_timestamp(e.at_ms / 1000.0) AT TIME ZONE 'UTC')
    ) s
    ON CONFLICT (type, "sourceKey", subject) DO NOTHING`;
}

/** The campaigns' hook: a problem not rectified in time, an acceptance round failed. */
export async function recordCreditForCampaignEvent(tx: Tx, rules: CreditRules, e: CampaignCreditEvent): Promise<number> {
  const t = typeForTrigger(rules, `campaign.${e.kind}`);
  if (!t) return 0;
  const validUntil = new Date(e.at.getTime() + t.validDays * 86_400_000);
  return tx.$executeRaw`
    INSERT INTO "CreditRecord" (subject, "companyId", "managerId", type, polarity, points, "sourceType", "sourceKey", "streetId", "estateId", actor, note, at, "validUntil")
    SELECT s.subject, s."companyId", s."managerId", ${t.type}, ${t.polarity}, ${t.points}, 'problem', ${`problem:${e.problemId}`}, es."streetId", es.id, ${e.actor}, ${e.note ?? null}, ${e.at}, ${validUntil}
    FROM "Estate" es
    CROSS JOIN LATERAL (
      SELECT 'company:' || ${e.companyId}::int AS subject, ${e.companyId}::int AS "companyId", NULL::int AS "managerId"
      UNION ALL
      SELECT 'manager:' || a."managerId", a."companyId", a."managerId" FROM "ManagerAssignment" a
      WHERE a."estateId" = es.id AND a."startsOn" <= ${e.at} AND (a."endsOn" IS NULL OR a."endsOn" > ${e.at})
    ) s
    WHERE es.id = ${e.estateId}
    ON CONFLICT (type, "sourceKey", subject) DO NOTHING`;
}
