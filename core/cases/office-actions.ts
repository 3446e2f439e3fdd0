// What the office (dashboard or API) may do to a case, all through CaseService: state changes via
// apply() and the one state machine, the rest (notes, extension decisions) as logged events.
import type { CaseService, Actor, CaseRow, Tx } from "./case-service.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import type { CaseState } from "../db/generated/prisma/enums.ts";
import { OPEN_STATES, type CaseAction } from "./lifecycle.ts";
import { enqueue } from "../delivery/outbox.ts";
import { liaisonNotice } from "../delivery/liaison-channel.ts";
import { chooseChannels } from "../delivery/channels/choose.ts";

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
  /** PUBLIC_BASE_URL when the web workspace runs: a liaison without Telegram is urged by SMS with its link. */
  workspaceBaseUrl?: string;
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
  /** Approve with another date than the one asked (the office's own, e.g. shorter); it must be in the future. */
  o: { dueAt?: Date } = {},
) {
  if (approve && o.dueAt && o.dueAt.getTime() <= d.clock.now().getTime()) throw new OfficeActionError("invalid", "the new deadline must be in the future");
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
    const decided = approve && o.dueAt ? o.dueAt : ext.requestedDueAt;
    if (approve) await tx.case.update({ where: { id: caseId }, data: { resolutionDueAt: decided } });
    await d.cases.record(
      caseId,
      approve ? "extension_approved" : "extension_denied",
      actor,
      note ?? ext.reason,
      { extensionId, from: ext.case.resolutionDueAt?.toISOString() ?? null, to: decided.toISOString(), ...(decided !== ext.requestedDueAt ? { requested: ext.requestedDueAt.toISOString() } : {}) },
      tx,
    );
    const fresh = await tx.case.findUniqueOrThrow({ where: { id: caseId }, include: { estate: true, building: true, unit: true } });
    await d.cases.notify(tx, { type: "extension", case: fresh, approved: approve, requestedDueAt: decided, requestedBy: ext.requestedBy, actor, note });
    await andThen?.(tx);
    return tx.extensionRequest.findUniqueOrThrow({ where: { id: ext.id } });
  });
}

/** The office takes note of the case's current escalation: once per level (a level-2 escalation wants a
 *  fresh one), who and when logged as an escalation_ack event — the same event the group's button writes. */
export async function acknowledgeEscalation(d: OfficeDeps, caseId: number, actor: Actor, o: { by: string; officeId?: number | null }): Promise<void> {
  const c = await d.db.case.findUnique({ where: { id: caseId }, select: { id: true, number: true, escalationLevel: true } });
  if (!c) throw new OfficeActionError("not_found", `case ${caseId} not found`);
  if (c.escalationLevel === 0) throw new OfficeActionError("invalid", `case ${c.number} is not escalated`);
  const last = await d.db.caseEvent.findFirst({ where: { caseId, type: "escalate" }, orderBy: { id: "desc" }, select: { id: true } });
  const done = await d.db.caseEvent.findFirst({ where: { caseId, type: "escalation_ack", id: { gt: last?.id ?? 0 } }, select: { data: true } });
  if (done) throw new OfficeActionError("conflict", `case ${c.number}: escalation already acknowledged by ${(done.data as { by?: string } | null)?.by ?? "—"}`);
  await d.cases.record(caseId, "escalation_ack", actor, undefined, { level: c.escalationLevel, by: o.by, ...(o.officeId ? { officeId: o.officeId } : {}) });
}

const URGE: Record<string, (number: string, estate: string, by: string) => string> = {
  "zh-Hans": (n, e, by) => `催办：案件 ${n}（${e}）请尽快处理并回复。—— ${by}`,
  "zh-Hant": (n, e, by) => `催辦：案件 ${n}（${e}）請盡快處理並回覆。—— ${by}`,
  en: (n, e, by) => `Reminder from the office: please handle case ${n} (${e}) and reply. — ${by}`,
};

/** 催办: a message to the case's liaison on their channel (core/delivery/channels/choose.ts), through the
 *  outbox in the same transaction as the "urge" event that counts it. Returns the channel (null: the
 *  directory knows none; the urge is still logged) and how many urges the case has had. */
export async function urgeLiaison(d: OfficeDeps, caseId: number, actor: Actor, o: { by: string; note?: string }): Promise<{ channel: string | null; count: number }> {
  const c = await d.db.case.findUnique({ where: { id: caseId }, select: { id: true, number: true, state: true, estate: { select: { name: true } }, liaison: { select: { id: true, name: true, chatId: true, language: true, phone: true, active: true } } } });
  if (!c) throw new OfficeActionError("not_found", `case ${caseId} not found`);
  if (!OPEN_STATES.includes(c.state)) throw new OfficeActionError("conflict", `case ${c.number} is ${c.state}`);
  if (!c.liaison) throw new OfficeActionError("invalid", `case ${c.number} has no liaison to urge`);
  const first = chooseChannels({ kind: "liaison", telegramChatId: c.liaison.chatId, phone: c.liaison.phone }, "urge")[0] ?? null;
  // SMS only carries a link to where the liaison can act: without the workspace there is none.
  const channel = first === "sms" && !d.workspaceBaseUrl ? null : first;
  return d.db.$transaction(async (tx) => {
    const count = (await tx.caseEvent.count({ where: { caseId, type: "urge" } })) + 1;
    await d.cases.record(caseId, "urge", actor, o.note, { by: o.by, liaison: c.liaison!.name, channel, count }, tx);
    const text = (URGE[c.liaison!.language ?? "zh-Hans"] ?? URGE["zh-Hans"]!)(c.number, c.estate.name, o.by) + (o.note ? `\n${o.note}` : "");
    if (channel === "telegram") await enqueue(tx, { chatId: c.liaison!.chatId!, payload: { text }, dedupeKey: `case:${caseId}:urge:${count}`, caseId });
    if (channel === "sms") await enqueue(tx, liaisonNotice(c.liaison!, "urge", c, c.estate.name, `${d.workspaceBaseUrl}/w/cases/${c.number}`, `case:${caseId}:urge:${count}`));
    return { channel, count };
  });
}
