// How a case stands against each of its deadlines — met, met late (by how much), missed, open — so
// a case page or an export says it in words instead of a bare tick beside a time. The response
// deadline is the current holder's (a reassignment or a reopening starts a fresh one); the first
// acceptance, kept for the figures, is not what a new holder is measured by.
import type { Case } from "../db/generated/prisma/client.ts";
import { RESPONSE_OWED_STATES } from "../cases/lifecycle.ts";

export type DeadlineState =
  | { state: "met"; at: Date }
  | { state: "met_late"; at: Date; lateMs: number }
  | { state: "missed"; lateMs: number }
  | { state: "open"; leftMs: number }
  /** No deadline (held for approval, never routed), or the case closed before it was due without it being met. */
  | { state: "none" };

type Row = Pick<Case, "state" | "responseDueAt" | "resolutionDueAt" | "acceptedAt" | "respondedAt" | "resolvedAt" | "closedAt">;

function against(due: Date | null, doneAt: Date | null, endedAt: Date | null, now: Date): DeadlineState {
  if (!due) return { state: "none" };
  if (doneAt) return doneAt <= due ? { state: "met", at: doneAt } : { state: "met_late", at: doneAt, lateMs: doneAt.getTime() - due.getTime() };
  // Not done: still running, or ended (closed) without it — missed if the deadline passed first.
  const until = endedAt ?? now;
  if (until > due) return { state: "missed", lateMs: until.getTime() - due.getTime() };
  return endedAt ? { state: "none" } : { state: "open", leftMs: due.getTime() - now.getTime() };
}

/** The response deadline: met when the current holder accepted (or resolved) in time. */
export function responseState(c: Row, now: Date): DeadlineState {
  const owed = (RESPONSE_OWED_STATES as readonly string[]).includes(c.state);
  const doneAt = owed ? null : (c.respondedAt ?? c.acceptedAt ?? c.resolvedAt);
  return against(c.responseDueAt, doneAt, c.state === "closed" ? c.closedAt : null, now);
}

/** The resolution deadline: met when the case was resolved in time (a reopened case owes it again). */
export function resolutionState(c: Row, now: Date): DeadlineState {
  const doneAt = c.state === "resolved" || c.state === "revisit" || c.state === "closed" ? c.resolvedAt : null;
  return against(c.resolutionDueAt, doneAt, c.state === "closed" ? c.closedAt : null, now);
}
