// The contract between case intake and the routing rules (rules/ implements Router).
import type { Urgency } from "../db/generated/prisma/enums.ts";

export interface RouteFacts {
  kind: "complaint" | "repair" | "suggestion";
  category: string;
  estate: string; // estate code
  street: string; // street code
  building?: string; // building name
  urgencyHint: boolean;
  filedAt: Date;
}

export interface RouteDecision {
  /** false: nothing matched; the case goes to the street office's queue. */
  routed: boolean;
  companyId: number | null;
  liaisonId: number | null;
  urgency: Urgency;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  /** Tell the office at once as well (emergencies). */
  notifyOffice: boolean;
  rule: string | null;
  why: string[];
}

export interface Router {
  route(facts: RouteFacts): Promise<RouteDecision>;
}
