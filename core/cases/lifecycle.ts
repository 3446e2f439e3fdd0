// The one case state machine, and what each transition sets. Every state change in the product goes
// through an action here: core/cases/case-service.ts applies it (`apply(id, action, actor, input)`)
// with an optimistic guard and writes the CaseEvent in the same transaction. Callers pass intent
// (a note, the liaison, a reason); the columns an action sets are declared once, below.
import type { Case } from "../db/generated/prisma/client.ts";
import type { CaseState } from "../db/generated/prisma/enums.ts";

export type { CaseState };

/** Columns a transition may set besides the state (plain values; null clears). */
export interface CasePatch {
  acceptedAt?: Date | null;
  respondedAt?: Date | null;
  firstResponseDueAt?: Date | null;
  firstCompanyId?: number | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  closeReason?: string | null;
  liaisonId?: number | null;
  companyId?: number | null;
  revisitAskedAt?: Date | null;
  revisitRemindedAt?: Date | null;
  reopenCount?: number;
  responseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  escalationLevel?: number;
  escalatedAt?: Date | null;
  urgency?: "emergency" | "urgent" | "normal";
  routeRule?: string | null;
}

/** What a caller says about a transition: intent only, never columns. */
export interface TransitionInput {
  note?: string;
  data?: Record<string, unknown>;
  /** accept: the liaison who accepts (owns the case from then on); assign: the liaison it goes to. */
  liaison?: { id: number; companyId: number };
  /** transfer: the company that keeps the case (an estate's new company); absent keeps it, null lets it go (back to the office's queue). */
  company?: { id: number } | null;
  /** officeClose: why (the note when absent, else "office"). */
  reason?: string;
}

/** Fresh deadlines counted from the transition by the routing rules (assign, reopen). */
export interface Deadlines {
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

/** The case as the transition reads it (the row before the change). */
export type CaseBefore = Pick<Case, "acceptedAt" | "respondedAt" | "reopenCount" | "responseDueAt" | "companyId" | "firstResponseDueAt" | "firstCompanyId">;

interface EffectArgs {
  c: CaseBefore;
  now: Date;
  input: TransitionInput;
  /** Present for actions declared with `deadlines: "fresh"`. */
  deadlines?: Deadlines;
}

interface ActionDef {
  from: readonly CaseState[];
  to: CaseState;
  /** The routing rules count new deadlines from now (the service asks them before the update). */
  deadlines?: "fresh";
  /** A liaison the action cannot do without. */
  needsLiaison?: boolean;
  effects?: (a: EffectArgs) => CasePatch;
}

/**
 * A new holder's response clock: fresh deadlines, escalation reset, the holder has not accepted yet.
 * The first response deadline and company are kept for the figures (they count against the first
 * company), and the first acceptance time is never touched.
 */
const freshClock = (c: CaseBefore, d: Deadlines | undefined): CasePatch => ({
  firstResponseDueAt: c.firstResponseDueAt ?? c.responseDueAt,
  firstCompanyId: c.firstCompanyId ?? c.companyId,
  responseDueAt: d?.responseDueAt ?? null,
  resolutionDueAt: d?.resolutionDueAt ?? null,
  escalationLevel: 0,
  escalatedAt: null,
  respondedAt: null,
});

export const ACTIONS = {
  // Filed by a resident not yet verified (a QR photographed by a stranger): kept, not routed, no
  // clocks, until the office approves the resident (release) or rejects them (reject). Filing sets these.
  hold: { from: ["received"], to: "awaiting_approval" },
  // Approved: back to received, and routed at once in the same transaction (CaseService.release).
  release: { from: ["awaiting_approval"], to: "received" },
  reject: { from: ["awaiting_approval"], to: "closed", effects: ({ now }) => ({ closedAt: now, closeReason: "rejected" }) },
  route: { from: ["received"], to: "routed" },
  unroutable: { from: ["received"], to: "unroutable" },
  // The office assigns a queued case, or reassigns an open one: the new liaison gets fresh deadlines.
  assign: {
    from: ["unroutable", "routed", "accepted", "reopened"],
    to: "routed",
    deadlines: "fresh",
    needsLiaison: true,
    effects: ({ c, input, deadlines }) => ({ ...freshClock(c, deadlines), liaisonId: input.liaison!.id, companyId: input.liaison!.companyId }),
  },
  // The first acceptance is the response time (never overwritten); a liaison who accepts owns the case.
  accept: {
    from: ["routed", "reopened"],
    to: "accepted",
    effects: ({ c, now, input }) => ({ acceptedAt: c.acceptedAt ?? now, respondedAt: now, ...(input.liaison ? { liaisonId: input.liaison.id } : {}) }),
  },
  // Resolving an un-accepted case accepts it at the same moment.
  resolve: {
    from: ["routed", "accepted", "reopened"],
    to: "resolved",
    effects: ({ c, now }) => ({ resolvedAt: now, acceptedAt: c.acceptedAt ?? now, respondedAt: c.respondedAt ?? now }),
  },
  // Back to the street office's queue ("not ours", a liaison who left): the holder lets go of it.
  transfer: {
    from: ["routed", "accepted", "reopened"],
    to: "unroutable",
    effects: ({ input }) => ({ liaisonId: null, respondedAt: null, ...(input.company !== undefined ? { companyId: input.company?.id ?? null } : {}) }),
  },
  startRevisit: { from: ["resolved"], to: "revisit", effects: ({ now }) => ({ revisitAskedAt: now }) },
  confirmFixed: { from: ["resolved", "revisit"], to: "closed", effects: ({ now }) => ({ closedAt: now, closeReason: "confirmed" }) },
  // Not fixed: same company and liaison, deadlines again from now, counted as a repeat complaint.
  reopen: {
    from: ["resolved", "revisit"],
    to: "reopened",
    deadlines: "fresh",
    effects: ({ c, deadlines }) => ({ ...freshClock(c, deadlines), reopenCount: c.reopenCount + 1, resolvedAt: null, revisitAskedAt: null, revisitRemindedAt: null }),
  },
  closeNoAnswer: { from: ["revisit"], to: "closed", effects: ({ now }) => ({ closedAt: now, closeReason: "no_answer" }) },
  officeClose: {
    from: ["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened"],
    to: "closed",
    effects: ({ now, input }) => ({ closedAt: now, closeReason: input.reason ?? input.note ?? "office" }),
  },
} as const satisfies Record<string, ActionDef>;

export type CaseAction = keyof typeof ACTIONS;

/** The action's declaration (from, to, what it sets). */
export function actionDef(action: CaseAction): ActionDef {
  return ACTIONS[action];
}

/** The columns `action` sets on `c` at `now` (the state aside). */
export function effectsOf(action: CaseAction, a: EffectArgs): CasePatch {
  const def = actionDef(action);
  if (def.needsLiaison && !a.input.liaison) throw new RangeError(`${action} needs a liaison`);
  return def.effects?.(a) ?? {};
}

/** What a routing decision sets when a held case is released (filing writes the same columns in its insert). */
export function routedEffects(d: { companyId: number | null; liaisonId: number | null; urgency: "emergency" | "urgent" | "normal"; rule: string | null } & Deadlines): CasePatch {
  return { companyId: d.companyId, liaisonId: d.liaisonId, urgency: d.urgency, routeRule: d.rule, responseDueAt: d.responseDueAt, resolutionDueAt: d.resolutionDueAt };
}

/** What each state owes: a response (accept), a resolution, or nothing from the company. */
const OWES: Record<CaseState, "response" | "resolution" | null> = {
  received: "response",
  routed: "response",
  unroutable: "response",
  reopened: "response",
  accepted: "resolution",
  resolved: null,
  revisit: null,
  awaiting_approval: null,
  closed: null,
};
const ALL_STATES = Object.keys(OWES) as CaseState[];

/** States in which a response is owed (the response deadline runs). */
export const RESPONSE_OWED_STATES: readonly CaseState[] = ALL_STATES.filter((s) => OWES[s] === "response");
/** States in which the case waits on the company or the office (deadlines run, escalation applies). */
export const OPEN_STATES: readonly CaseState[] = ALL_STATES.filter((s) => OWES[s] !== null);
/** States counted as "not finished" for the resident's list. */
export const ACTIVE_STATES: readonly CaseState[] = ALL_STATES.filter((s) => s !== "closed");
/** States in which the company works the case (its liaison's open list, resolve, transfer). */
export const LIAISON_OPEN_STATES: readonly CaseState[] = ACTIONS.resolve.from;

/** Every event type in a case's log: the actions, and the events that change no state. */
export const EVENT_TYPES = [
  ...(Object.keys(ACTIONS) as CaseAction[]),
  "filed",
  "escalate",
  "escalation_ack",
  "reminder",
  "revisit_reminder",
  "satisfaction",
  "message",
  "photo",
  "note",
  "extension_requested",
  "extension_approved",
  "extension_denied",
] as const;
export type CaseEventType = (typeof EVENT_TYPES)[number];

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
