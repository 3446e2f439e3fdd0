// The one state machine of a campaign problem (整改问题). Every change of a problem goes through
// `transition()` here and is written by the problem service (problem-service.ts) with its event.
//
//   found ─propose─▶ proposed ─approve─▶ rectifying ─submit─▶ awaiting_acceptance
//     └──────────set_measure───────────▶     ▲  │ progress          │ pass        │ fail (new deadline)
//                                           │  └────────────────────┤             ▼
//                                           └────── fail ◀──────────┘        rectifying
//   pass ─▶ accepted (no residents) | revisit (residents asked 满意/较满意/不满意)
//   revisit ─满意/较满意─▶ accepted ─close (销号)─▶ closed ─recheck pass─▶ closed
//   revisit ─不满意─▶ reopened;  closed ─recheck fail (回头看)─▶ reopened (a repeat);  reopened ─▶ as found
import type { CampaignProblemState as State } from "../db/generated/prisma/enums.ts";

export type ProblemState = State;
export const PROBLEM_STATES = ["found", "proposed", "rectifying", "awaiting_acceptance", "accepted", "revisit", "closed", "reopened"] as const satisfies readonly State[];
export const OPEN_STATES: readonly State[] = ["found", "proposed", "rectifying", "awaiting_acceptance", "reopened"];

export const PROBLEM_ACTIONS = ["propose", "approve", "set_measure", "progress", "submit", "pass", "fail", "revisit_answer", "close", "recheck_pass", "recheck_fail", "reopen", "escalate"] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

export type RevisitAnswer = "satisfied" | "fairly" | "dissatisfied";

/** Where each action may start. */
const FROM: Record<ProblemAction, readonly State[]> = {
  propose: ["found", "reopened", "proposed"],
  approve: ["proposed"],
  set_measure: ["found", "proposed", "reopened"],
  progress: ["rectifying", "awaiting_acceptance"],
  submit: ["rectifying"],
  pass: ["rectifying", "awaiting_acceptance"],
  fail: ["rectifying", "awaiting_acceptance"],
  revisit_answer: ["revisit"],
  close: ["accepted"],
  recheck_pass: ["closed"],
  recheck_fail: ["closed"],
  reopen: ["accepted", "revisit", "closed"],
  escalate: ["found", "proposed", "rectifying", "awaiting_acceptance", "reopened"],
};

export class ProblemTransitionError extends Error {
  constructor(
    readonly code: "not_allowed" | "needs_revisit" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

export interface TransitionInput {
  state: State;
  /** Residents raised it (linked cases): a pass goes to 回访 first. */
  hasResidents: boolean;
  revisitResult: string | null;
  answer?: RevisitAnswer;
}

/** The state after `action`, or a refusal saying why. */
export function transition(action: ProblemAction, p: TransitionInput): State {
  if (!FROM[action].includes(p.state)) throw new ProblemTransitionError("not_allowed", `action "${action}" is not possible in state "${p.state}"`);
  switch (action) {
    case "propose":
      return "proposed";
    case "approve":
    case "set_measure":
    case "progress":
    case "fail":
      return "rectifying";
    case "submit":
      return "awaiting_acceptance";
    case "pass":
      return p.hasResidents ? "revisit" : "accepted";
    case "revisit_answer":
      if (!p.answer) throw new ProblemTransitionError("invalid", "a 回访 answer is satisfied, fairly or dissatisfied");
      return p.answer === "dissatisfied" ? "reopened" : "accepted";
    case "close":
      // 销号 only after a pass and, where residents raised it, their 回访 answer.
      if (p.hasResidents && !(p.revisitResult === "satisfied" || p.revisitResult === "fairly")) {
        throw new ProblemTransitionError("needs_revisit", "销号 needs the residents' 回访 answer (满意 or 较满意) first");
      }
      return "closed";
    case "recheck_pass":
      return "closed";
    case "recheck_fail":
    case "reopen":
      return "reopened";
    case "escalate":
      return p.state;
  }
}

export function allowedActions(p: TransitionInput): ProblemAction[] {
  return PROBLEM_ACTIONS.filter((a) => {
    if (a === "escalate") return false;
    try {
      transition(a, { ...p, answer: "satisfied" });
      return true;
    } catch {
      return false;
    }
  });
}
