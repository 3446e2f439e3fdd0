// The one case state machine. Every state change in the product goes through `nextState`;
// core/cases/case-service.ts applies it with an optimistic guard and writes the CaseEvent in the same transaction.
import type { CaseState } from "../db/generated/prisma/enums.ts";

export type { CaseState };

export const ACTIONS = {
  // Filed by a resident not yet verified (a QR photographed by a stranger): kept, not routed, no
  // clocks, until the office approves the resident (release) or rejects them (reject).
  hold: { from: ["received"], to: "awaiting_approval" },
  // Approved: back to received, and routed at once in the same transaction (clocks start then).
  release: { from: ["awaiting_approval"], to: "received" },
  reject: { from: ["awaiting_approval"], to: "closed" },
  route: { from: ["received"], to: "routed" },
  unroutable: { from: ["received"], to: "unroutable" },
  // office assigns a queued case, or reassigns an open one
  assign: { from: ["unroutable", "routed", "accepted", "reopened"], to: "routed" },
  accept: { from: ["routed", "reopened"], to: "accepted" },
  // resolving an un-accepted case accepts it at the same moment (acceptedAt is set then)
  resolve: { from: ["routed", "accepted", "reopened"], to: "resolved" },
  transfer: { from: ["routed", "accepted", "reopened"], to: "unroutable" },
  startRevisit: { from: ["resolved"], to: "revisit" },
  confirmFixed: { from: ["resolved", "revisit"], to: "closed" },
  reopen: { from: ["resolved", "revisit"], to: "reopened" },
  closeNoAnswer: { from: ["revisit"], to: "closed" },
  officeClose: { from: ["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened"], to: "closed" },
} as const satisfies Record<string, { from: readonly CaseState[]; to: CaseState }>;

export type CaseAction = keyof typeof ACTIONS;

/** States in which the case waits on the company or the office (deadlines run, escalation applies). */
export const OPEN_STATES: readonly CaseState[] = ["received", "routed", "unroutable", "accepted", "reopened"];
/** States counted as "not finished" for the resident's list. */
export const ACTIVE_STATES: readonly CaseState[] = [...OPEN_STATES, "resolved", "revisit", "awaiting_approval"];

export class TransitionError extends Error {
  constructor(
    readonly action: CaseAction,
    readonly state: CaseState,
  ) {
    super(`cannot ${action} a case that is ${state}`);
  }
}

export function canApply(action: CaseAction, state: CaseState): boolean {
  return (ACTIONS[action].from as readonly CaseState[]).includes(state);
}

export function nextState(action: CaseAction, state: CaseState): CaseState {
  if (!canApply(action, state)) throw new TransitionError(action, state);
  return ACTIONS[action].to;
}
