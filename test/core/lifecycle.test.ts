import { describe, expect, it } from "vitest";
import { ACTIONS, canApply, nextState, TransitionError, OPEN_STATES } from "../../core/cases/lifecycle.ts";
import { CaseState } from "../../core/db/generated/prisma/enums.ts";

describe("case state machine", () => {
  it("walks the happy path received → routed → accepted → resolved → revisit → closed", () => {
    let s: CaseState = "received";
    for (const a of ["route", "accept", "resolve", "startRevisit", "confirmFixed"] as const) s = nextState(a, s);
    expect(s).toBe("closed");
  });

  it("reopens a case that was not fixed and lets the liaison accept it again", () => {
    expect(nextState("reopen", "revisit")).toBe("reopened");
    expect(nextState("accept", "reopened")).toBe("accepted");
  });

  it("refuses every action outside the lifecycle with a TransitionError", () => {
    const states = Object.values(CaseState);
    let refused = 0;
    for (const [action, def] of Object.entries(ACTIONS)) {
      for (const s of states) {
        const allowed = (def.from as readonly string[]).includes(s);
        expect(canApply(action as keyof typeof ACTIONS, s)).toBe(allowed);
        if (!allowed) {
          expect(() => nextState(action as keyof typeof ACTIONS, s)).toThrow(TransitionError);
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(40);
  });

  it("a closed case takes no action at all", () => {
    for (const a of Object.keys(ACTIONS)) expect(canApply(a as keyof typeof ACTIONS, "closed")).toBe(false);
    expect(OPEN_STATES).not.toContain("closed");
  });

  it("a case of a resident awaiting approval is held, then released to be routed, or rejected closed; it runs no clock meanwhile", () => {
    expect(nextState("hold", "received")).toBe("awaiting_approval");
    expect(nextState("release", "awaiting_approval")).toBe("received");
    expect(nextState("route", nextState("release", "awaiting_approval"))).toBe("routed");
    expect(nextState("reject", "awaiting_approval")).toBe("closed");
    for (const a of ["accept", "resolve", "assign", "transfer", "officeClose"] as const) expect(canApply(a, "awaiting_approval")).toBe(false);
    expect(OPEN_STATES).not.toContain("awaiting_approval");
  });
});

