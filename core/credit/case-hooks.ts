// The credit engine hangs on the case service: a transition (a late acceptance or resolution, a
// reopened case) and the case events recorded outside apply() (a clock's escalation, a 不满意 rating)
// write their records inside the transaction of the event itself. Cases know nothing of credit.
import type { CaseService, CaseSideEvent, Transition, Tx } from "../cases/case-service.ts";
import type { CreditRules } from "./credit-rules.ts";
import type { CampaignHook } from "../campaigns/hooks.ts";
import { recordCreditForCampaignEvent, recordCreditForCaseEvents, type CaseCreditEvent } from "./record-events.ts";

/** The credit events a transition causes. */
export function creditEventsOf(t: Transition): CaseCreditEvent[] {
  const { action, before: c, at: now, actor } = t;
  const who = actor.id === undefined ? actor.type : `${actor.type}:${actor.id}`;
  const out: CaseCreditEvent[] = [];
  if ((action === "accept" || action === "resolve") && !c.acceptedAt && c.responseDueAt && c.responseDueAt < now) out.push({ kind: "overdue_response", caseId: c.id, at: now, actor: who });
  if (action === "resolve" && c.resolutionDueAt && c.resolutionDueAt < now) out.push({ kind: "overdue_resolution", caseId: c.id, at: now, actor: who });
  if (action === "reopen") out.push({ kind: "reopened", caseId: c.id, at: now, actor: who });
  return out;
}

/** Writes the records of case events in the caller's transaction (no rules loaded: none). */
export async function writeCaseCredit(tx: Tx, rules: CreditRules | null, events: (CaseCreditEvent | CaseSideEvent)[]): Promise<void> {
  if (rules && events.length) await recordCreditForCaseEvents(tx, rules, events);
}

/** Registers the credit records on every transition and case event of `cases`. */
export function hangCreditOn(cases: CaseService, rules: () => CreditRules | null): void {
  cases.onTransition((tx, t) => writeCaseCredit(tx, rules(), creditEventsOf(t)));
  cases.onCaseEvents((tx, events) => writeCaseCredit(tx, rules(), events));
}

/** The campaigns' events that are credit records: a problem not rectified in time, a failed acceptance round. */
export function creditCampaignHook(rules: () => CreditRules | null): CampaignHook {
  return async (tx, e) => {
    const r = rules();
    const kind = e.kind === "not_rectified_in_time" ? "problem_overdue" : e.kind === "acceptance_failed" ? "acceptance_failed" : null;
    // A developer's or a department's problem is no company's record.
    if (!r || !kind || e.companyId === null) return;
    await recordCreditForCampaignEvent(tx, r, { kind, problemId: e.problemId, companyId: e.companyId, estateId: e.estateId, at: e.at, actor: "system", note: e.note ?? undefined });
  };
}
