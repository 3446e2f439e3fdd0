// What the office (dashboard or API) may do to a case, all through CaseService: state changes via
// apply() and the one state machine, the rest (notes, extension decisions) as logged events.
import type { CaseService, Actor, CaseRow, Tx } from "./case-service.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import type { CaseState } from "../db/generated/prisma/enums.ts";
import { OPEN_STATES, type CaseAction } from "./lifecycle.ts";

export class OfficeActionError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

/** Actions an office or an API client may apply (the columns each sets are lifecycle's). */
export const OFFICE_ACTIONS = ["assign", "accept", "resolve", "transfer", "startRevisit", "confirmFixed", "reopen", "officeClose"] as const;
export type OfficeAction = (typeof OFFICE_ACTIONS)[number] & CaseAction;

export interface OfficeDeps {
  db: Db;
  cases: CaseService;
  clock: Clock;
}

export async function applyOfficeAction(
  d: OfficeDeps,
  caseId: number,
  action: OfficeAction,
  actor: Actor,
  o: { note?: string; liaison?: string; expect?: CaseState[] },
): Promise<CaseRow> {
  if (action !== "assign") return d.cases.apply(caseId, action, actor, { note: o.note, expect: o.expect });
  if (!o.liaison) throw new OfficeActionError("invalid", "assign needs a liaison");
  const l = await d.db.liaison.findUnique({ where: { code: o.liaison }, include: { company: true } });
  if (!l || !l.active) throw new OfficeActionError("invalid", `no active liaison "${o.liaison}"`);
  return d.cases.apply(caseId, action, actor, { note: o.note, expect: o.expect, liaison: l, data: { liaison: l.code, company: l.company.code } });
}

export async function addNote(d: OfficeDeps, caseId: number, actor: Actor, note: string): Promise<void> {
  if (!(await d.db.case.findUnique({ where: { id: caseId }, select: { id: true } }))) throw new OfficeActionError("not_found", `case ${caseId} not found`);
  await d.cases.record(caseId, "note", actor, note, { internal: true });
}

/**
 * Approving moves the resolution deadline to the requested one; both decisions are logged and the
 * liaison is told (through the notifier). The dashboard, the API and the office group's buttons
 * all decide here; `andThen` adds the caller's own messages to the same transaction.
 */
export async function decideExtension(
  d: OfficeDeps,
  caseId: number,
  extensionId: number,
  approve: boolean,
  actor: Actor,
  note?: string,
  andThen?: (tx: Tx) => Promise<void>,
) {
  return d.db.$transaction(async (tx) => {
    const ext = await tx.extensionRequest.findUnique({ where: { id: extensionId }, include: { case: true } });
    if (!ext || ext.caseId !== caseId) throw new OfficeActionError("not_found", `extension request ${extensionId} not found on case ${caseId}`);
    if (ext.status !== "pending") throw new OfficeActionError("conflict", `extension request ${extensionId} is already ${ext.status}`);
    if (approve && !(OPEN_STATES as readonly string[]).includes(ext.case.state)) throw new OfficeActionError("conflict", `case is ${ext.case.state}: nothing to extend`);
    const now = d.clock.now();
    // Two deciders at once: the second finds it decided.
    const done = await tx.extensionRequest.updateMany({
      where: { id: ext.id, status: "pending" },
      data: { status: approve ? "approved" : "denied", decidedBy: actor.id === undefined ? actor.type : String(actor.id), decidedAt: now, decisionNote: note ?? null },
    });
    if (done.count !== 1) throw new OfficeActionError("conflict", `extension request ${extensionId} was decided meanwhile`);
    if (approve) await tx.case.update({ where: { id: caseId }, data: { resolutionDueAt: ext.requestedDueAt } });
    await d.cases.record(
      caseId,
      approve ? "extension_approved" : "extension_denied",
      actor,
      note ?? ext.reason,
      { extensionId, from: ext.case.resolutionDueAt?.toISOString() ?? null, to: ext.requestedDueAt.toISOString() },
      tx,
    );
    const fresh = await tx.case.findUniqueOrThrow({ where: { id: caseId }, include: { estate: true, building: true, unit: true } });
    await d.cases.notify(tx, { type: "extension", case: fresh, approved: approve, requestedDueAt: ext.requestedDueAt, requestedBy: ext.requestedBy, actor, note });
    await andThen?.(tx);
    return tx.extensionRequest.findUniqueOrThrow({ where: { id: ext.id } });
  });
}
