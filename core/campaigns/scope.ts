// Who may see and change which campaign problems: the district (admin, district) everything; a street
// office its street's estates (and may run campaigns for them); the committees (社区居委会, 业委会)
// read their own estates only and change nothing.
import type { Prisma } from "../db/generated/prisma/client.ts";
import { isCommittee, type Scope } from "../directory/staff.ts";

export class CampaignError extends Error {
  constructor(
    readonly code: "not_found" | "forbidden" | "invalid" | "conflict" | "not_allowed" | "needs_revisit",
    message: string,
  ) {
    super(message);
  }
}

/** The estates a caller may read problems of, as a Prisma filter on Estate. */
export function estateFilter(scope: Scope): Prisma.EstateWhereInput {
  if (isCommittee(scope.role)) return { id: { in: scope.estateIds ?? [] } };
  if (scope.streetId !== null) return { streetId: scope.streetId };
  return {};
}

/** Campaigns a caller sees: the district's all; a street its own and the district's. */
export function campaignFilter(scope: Scope): Prisma.CampaignWhereInput {
  if (scope.streetId !== null) return { OR: [{ streetId: null }, { streetId: scope.streetId }] };
  return {};
}

export function assertCanWrite(scope: Scope): void {
  if (isCommittee(scope.role)) throw new CampaignError("forbidden", "read-only role: campaigns can be read, not changed");
}

export function canSeeEstate(scope: Scope, estate: { id: number; streetId: number }): boolean {
  if (isCommittee(scope.role)) return (scope.estateIds ?? []).includes(estate.id);
  return scope.streetId === null || scope.streetId === estate.streetId;
}
