// The dry-run of a rule edit: every case filed in the last 30 days is routed with the rules in force
// and with the draft, and the differences counted — who would have received it, and its deadlines.
import type { Db } from "../../core/db/db.ts";
import type { RuleSet } from "../loader.ts";
import { routeWithRuleSet, type DryRunResult } from "../router.ts";

export const COMPARE_DAYS = 30;
/** Enough for a district's month; beyond it the count says it looked at the newest ones only. */
export const COMPARE_MAX_CASES = 5000;
const EXAMPLES = 8;

export interface RouteSide {
  company: string | null;
  liaison: string | null;
  urgency: string;
  responseDue: string | null;
  resolutionDue: string | null;
  rule: string | null;
}

export interface CompareExample {
  caseId: number;
  number: string;
  estate: string;
  category: string;
  before: RouteSide;
  after: RouteSide;
}

export interface CompareResult {
  since: Date;
  looked: number;
  /** More cases were filed than COMPARE_MAX_CASES: only the newest were compared. */
  capped: boolean;
  rerouted: number;
  deadlinesChanged: number;
  examples: CompareExample[];
  deadlineExamples: CompareExample[];
}

const side = (r: DryRunResult): RouteSide => ({
  company: r.company?.name ?? null,
  liaison: r.liaison?.name ?? null,
  urgency: r.decision.urgency,
  responseDue: r.responseDue,
  resolutionDue: r.resolutionDue,
  rule: r.decision.rule,
});

export async function compareRuleSets(db: Db, before: RuleSet, after: RuleSet, now: Date, timezone: string): Promise<CompareResult> {
  const since = new Date(now.getTime() - COMPARE_DAYS * 86_400_000);
  const rows = await db.case.findMany({
    where: { createdAt: { gte: since } },
    orderBy: { id: "desc" },
    take: COMPARE_MAX_CASES + 1,
    select: { id: true, number: true, kind: true, category: true, urgencyHint: true, createdAt: true, estate: { select: { code: true, name: true } }, street: { select: { code: true } }, building: { select: { name: true } } },
  });
  const capped = rows.length > COMPARE_MAX_CASES;
  const out: CompareResult = { since, looked: Math.min(rows.length, COMPARE_MAX_CASES), capped, rerouted: 0, deadlinesChanged: 0, examples: [], deadlineExamples: [] };
  for (const c of rows.slice(0, COMPARE_MAX_CASES)) {
    const facts = { kind: c.kind, category: c.category, estate: c.estate.code, street: c.street.code, building: c.building?.name, urgencyHint: c.urgencyHint, filedAt: c.createdAt };
    const [a, b] = [side(await routeWithRuleSet(before, facts, timezone)), side(await routeWithRuleSet(after, facts, timezone))];
    const ex = { caseId: c.id, number: c.number, estate: c.estate.name, category: c.category, before: a, after: b };
    if (a.company !== b.company || a.liaison !== b.liaison) {
      out.rerouted++;
      if (out.examples.length < EXAMPLES) out.examples.push(ex);
    } else if (a.urgency !== b.urgency || a.responseDue !== b.responseDue || a.resolutionDue !== b.resolutionDue) {
      out.deadlinesChanged++;
      if (out.deadlineExamples.length < EXAMPLES) out.deadlineExamples.push(ex);
    }
  }
  return out;
}
