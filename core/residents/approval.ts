// Residents not yet verified (registered without the estate's invite code) and the cases they filed
// meanwhile, which wait in state awaiting_approval (core/cases/lifecycle.ts). The office approves a
// resident — their cases are released through the case service (routed now, clocks start now) — or
// rejects them with a reason: their waiting cases are closed with it, and they are told.
import type { Db } from "../db/db.ts";
import type { CaseService, Actor } from "../cases/case-service.ts";
import type { Scope } from "../directory/staff.ts";

export interface WaitingCase {
  id: number;
  number: string;
  kind: string;
  category: string;
  description: string;
  urgencyHint: boolean;
  createdAt: Date;
}

export interface PendingResident {
  id: number;
  name: string;
  channel: string;
  status: string;
  createdAt: Date;
  estate: string;
  building: string | null;
  unit: string | null;
  cases: WaitingCase[];
}

export class ApprovalError extends Error {
  constructor(readonly code: "not_found" | "conflict", message: string) {
    super(message);
  }
}

/** Residents the caller's office may decide on: pending, or verified with cases still waiting (an approval cut short). */
const waitingWhere = (scope: Pick<Scope, "streetId" | "estateIds">) => ({
  OR: [{ status: "pending" as const }, { cases: { some: { state: "awaiting_approval" as const } } }],
  ...(scope.streetId !== null ? { estate: { streetId: scope.streetId } } : {}),
  ...(scope.estateIds ? { estateId: { in: scope.estateIds } } : {}),
});

export async function listPending(db: Db, scope: Pick<Scope, "streetId" | "estateIds">, limit = 200): Promise<PendingResident[]> {
  const rows = await db.resident.findMany({
    where: waitingWhere(scope),
    orderBy: { id: "asc" },
    take: limit,
    include: { estate: true, building: true, unit: true, cases: { where: { state: "awaiting_approval" }, orderBy: { id: "asc" } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    channel: r.channel,
    status: r.status,
    createdAt: r.createdAt,
    estate: r.estate?.name ?? "—",
    building: r.building?.name ?? null,
    unit: r.unit?.name ?? null,
    cases: r.cases.map((c) => ({ id: c.id, number: c.number, kind: c.kind, category: c.category, description: c.description, urgencyHint: c.urgencyHint, createdAt: c.createdAt })),
  }));
}

/** The figures on the office's overview: residents waiting, and their cases waiting. */
export async function countPending(db: Db, scope: Pick<Scope, "streetId" | "estateIds">): Promise<{ residents: number; cases: number }> {
  const area = { ...(scope.streetId !== null ? { streetId: scope.streetId } : {}), ...(scope.estateIds ? { estateId: { in: scope.estateIds } } : {}) };
  const [residents, cases] = await Promise.all([db.resident.count({ where: waitingWhere(scope) }), db.case.count({ where: { state: "awaiting_approval", ...area } })]);
  return { residents, cases };
}

async function inScope(db: Db, residentId: number, scope: Pick<Scope, "streetId" | "estateIds">) {
  const r = await db.resident.findFirst({ where: { id: residentId, ...waitingWhere(scope) } });
  // Outside the caller's area, or decided already: the same answer.
  if (!r) throw new ApprovalError("not_found", `resident ${residentId} is not waiting for approval here`);
  return r;
}

async function waitingCases(db: Db, residentId: number): Promise<number[]> {
  return (await db.case.findMany({ where: { residentId, state: "awaiting_approval" }, select: { id: true }, orderBy: { id: "asc" } })).map((c) => c.id);
}

/** Verifies the resident and releases each waiting case (routed now; the liaison gets it as a new case). */
export async function approveResident(d: { db: Db; cases: CaseService }, residentId: number, actor: Actor, scope: Pick<Scope, "streetId" | "estateIds">): Promise<{ released: number }> {
  const r = await inScope(d.db, residentId, scope);
  if (r.status !== "verified") await d.cases.decideResident({ type: "approved", residentId: r.id });
  let released = 0;
  for (const id of await waitingCases(d.db, r.id)) {
    await d.cases.release(id, actor);
    released++;
  }
  return { released };
}

/** Marks the resident rejected and closes each waiting case with the reason (the resident is told). */
export async function rejectResident(d: { db: Db; cases: CaseService }, residentId: number, reason: string, actor: Actor, scope: Pick<Scope, "streetId" | "estateIds">): Promise<{ closed: number }> {
  const r = await inScope(d.db, residentId, scope);
  if (r.status === "verified") throw new ApprovalError("conflict", `resident ${residentId} is verified already; close single cases on their pages`);
  await d.cases.decideResident({ type: "rejected", residentId: r.id, reason });
  let closed = 0;
  for (const id of await waitingCases(d.db, r.id)) {
    await d.cases.apply(id, "reject", actor, { note: reason, expect: ["awaiting_approval"] });
    closed++;
  }
  return { closed };
}
