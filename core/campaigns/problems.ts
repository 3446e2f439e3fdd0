// The problem service: registering a problem in a campaign's ledger and every change after it, each
// through the state machine (lifecycle.ts) in one transaction with its event row (who, when, what,
// why), the messages it causes (outbox) and the hooks other domains hang on it (hooks.ts).
import type { Db } from "../db/db.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { Clock } from "../clock.ts";
import type { Scope } from "../directory/staff.ts";
import { addDuration } from "../clocks/deadlines.ts";
import { WorkCalendar } from "../clocks/work-calendar.ts";
import { enqueue, type OutMessage } from "../delivery/outbox.ts";
import { e164, smsChatId, SMS_METHOD } from "../delivery/sms/sms-provider.ts";
import { transition, ProblemTransitionError, type ProblemAction, type RevisitAnswer } from "./lifecycle.ts";
import { runHooks, type CampaignHook } from "./hooks.ts";
import { campaignMessage, shorten } from "./messages.ts";
import type { CampaignSettings } from "./settings.ts";
import { assertCanWrite, CampaignError, canSeeEstate, estateFilter } from "./scope.ts";
import { findCampaign } from "./campaigns.ts";

export interface CampaignDeps {
  db: Db;
  clock: Clock;
  timezone: string;
  /** The working-day calendar of the rules (rules/calendar.json + chinese-days). */
  calendar: () => WorkCalendar | null;
  settings: () => CampaignSettings;
  /** Called inside the transaction of each campaign event (the credit engine registers here). */
  hooks?: CampaignHook[];
  /** Wakes the outbox sender after a commit that queued messages. */
  afterCommit?: () => void;
}

export const PROBLEM_SOURCES = ["inspection", "complaint", "hotline", "survey"] as const;
export const RESPONSIBLE_KINDS = ["company", "developer", "department"] as const;

export interface ProblemInput {
  estate: string;
  building?: string | null;
  place?: string | null;
  category: string;
  description: string;
  source: (typeof PROBLEM_SOURCES)[number];
  sourceRef?: string | null;
  /** Case numbers (2026-000123) the problem came from: their residents get the 回访. */
  cases?: string[];
  responsibleKind?: (typeof RESPONSIBLE_KINDS)[number];
  /** Required for a developer or a department; the managing company's name otherwise. */
  responsibleName?: string | null;
  responsiblePerson?: string | null;
  foundOn?: Date;
  importKey?: string | null;
}

export interface ActionInput {
  note?: string | null;
  measure?: string | null;
  deadline?: Date | null;
  deadlineWorkdays?: number | null;
  answer?: RevisitAnswer;
  /** Only when the problem is still in this state (a form shown before someone else acted). */
  expectState?: string;
}

type Tx = Prisma.TransactionClient;

export function workdaysFrom(d: Pick<CampaignDeps, "timezone" | "calendar">, start: Date, n: number): Date {
  return addDuration(start, { amount: n, unit: "workdays" }, { timezone: d.timezone, calendar: d.calendar() ?? new WorkCalendar() });
}

/** Resolves and checks a problem's fields against the directory; throws CampaignError naming the field. */
export async function resolveProblemInput(db: Db | Tx, settings: CampaignSettings, campaign: { id: number; streetId: number | null; estateIds: number[]; categories: string[] }, scope: Scope, p: ProblemInput) {
  const estate = await db.estate.findUnique({ where: { code: p.estate }, include: { company: true } });
  if (!estate || !canSeeEstate(scope, estate)) throw new CampaignError("invalid", `estate "${p.estate}" not found`);
  const inCampaign = campaign.estateIds.length ? campaign.estateIds.includes(estate.id) : campaign.streetId === null || campaign.streetId === estate.streetId;
  if (!inCampaign) throw new CampaignError("invalid", `estate "${estate.name}" is not part of this campaign`);
  const allowed = campaign.categories.length ? campaign.categories : settings.categories.map((c) => c.code);
  if (!allowed.includes(p.category)) throw new CampaignError("invalid", `category "${p.category}" is not used in this campaign (${allowed.join(", ")})`);
  const description = p.description.trim();
  if (!description) throw new CampaignError("invalid", "describe the problem");
  const kind = p.responsibleKind ?? "company";
  let responsibleName = p.responsibleName?.trim() || null;
  let companyId: number | null = null;
  if (kind === "company") {
    if (!estate.company) throw new CampaignError("invalid", `estate "${estate.name}" has no managing company: name the responsible unit (developer or department)`);
    companyId = estate.companyId;
    responsibleName = estate.company.name;
  } else if (!responsibleName) throw new CampaignError("invalid", "name the responsible developer or department");
  const caseIds: number[] = [];
  for (const number of p.cases ?? []) {
    const c = await db.case.findUnique({ where: { number }, select: { id: true, estateId: true } });
    if (!c || c.estateId !== estate.id) throw new CampaignError("invalid", `case ${number} is not a case of ${estate.name}`);
    caseIds.push(c.id);
  }
  if (p.source === "complaint" && caseIds.length === 0) throw new CampaignError("invalid", "a problem from residents' complaints names at least one case number");
  return { estate, description, kind, responsibleName: responsibleName!, companyId, caseIds };
}

export async function registerProblem(d: CampaignDeps, scope: Scope, campaignId: number, p: ProblemInput) {
  assertCanWrite(scope);
  const campaign = await findCampaign(d.db, scope, campaignId);
  const r = await resolveProblemInput(d.db, d.settings(), campaign, scope, p);
  const now = d.clock.now();
  return d.db.$transaction(async (tx) => insertProblem(tx, d, scope, campaign.id, p, r, now));
}

/** One problem row, its first event and the inspection mark of its estate; used by the import too. */
export async function insertProblem(tx: Tx, d: CampaignDeps, scope: Scope, campaignId: number, p: ProblemInput, r: Awaited<ReturnType<typeof resolveProblemInput>>, now: Date) {
  const last = await tx.campaignProblem.aggregate({ where: { campaignId }, _max: { seq: true } });
  const problem = await tx.campaignProblem.create({
    data: {
      campaignId,
      seq: (last._max.seq ?? 0) + 1,
      estateId: r.estate.id,
      building: p.building?.trim() || null,
      place: p.place?.trim() || null,
      category: p.category,
      description: r.description,
      source: p.source,
      sourceRef: p.sourceRef?.trim() || null,
      caseIds: r.caseIds,
      responsibleKind: r.kind,
      responsibleName: r.responsibleName,
      companyId: r.companyId,
      responsiblePerson: p.responsiblePerson?.trim() || null,
      foundOn: p.foundOn ?? now,
      importKey: p.importKey ?? null,
      createdBy: scope.actorId,
    },
  });
  await tx.campaignProblemEvent.create({ data: { problemId: problem.id, at: now, actor: scope.actorId, action: "register", fromState: null, toState: "found", note: null, data: { source: p.source } } });
  await markInspected(tx, campaignId, r.estate.id, scope.actorId, now, null);
  await runHooks(d.hooks, tx, { kind: "violation_found", campaignId, problemId: problem.id, estateId: r.estate.id, companyId: r.companyId, category: p.category, at: now });
  return problem;
}

async function markInspected(tx: Tx, campaignId: number, estateId: number, by: string, at: Date, note: string | null) {
  await tx.campaignInspection.upsert({ where: { campaignId_estateId: { campaignId, estateId } }, create: { campaignId, estateId, inspectedAt: at, by, note }, update: {} });
}

/** An estate inspected with nothing found is recorded as inspected (排查 complete for it). */
export async function recordInspected(d: CampaignDeps, scope: Scope, campaignId: number, estateCode: string, note?: string | null) {
  assertCanWrite(scope);
  const campaign = await findCampaign(d.db, scope, campaignId);
  const estate = await d.db.estate.findUnique({ where: { code: estateCode } });
  if (!estate || !canSeeEstate(scope, estate)) throw new CampaignError("not_found", `estate "${estateCode}" not found`);
  await d.db.$transaction((tx) => markInspected(tx, campaign.id, estate.id, scope.actorId, d.clock.now(), note ?? null));
}

export async function findProblem(db: Db, scope: Scope, campaignId: number, problemId: number) {
  const p = await db.campaignProblem.findFirst({
    where: { id: problemId, campaignId, estate: estateFilter(scope) },
    include: { estate: { include: { street: true } }, events: { orderBy: { id: "asc" } }, photos: { orderBy: { id: "asc" } }, campaign: true },
  });
  if (!p) throw new CampaignError("not_found", `problem ${problemId} not found in campaign ${campaignId}`);
  return p;
}
export type ProblemDetail = Awaited<ReturnType<typeof findProblem>>;

const needsNote: ProblemAction[] = ["progress", "fail", "recheck_fail", "reopen"];

/** Applies one action; returns the problem after it. Refusals are CampaignError with a reason a clerk reads. */
export async function applyProblemAction(d: CampaignDeps, scope: Scope, campaignId: number, problemId: number, action: ProblemAction, input: ActionInput = {}, photoKeys: { storageKey: string; contentType: string; size: number }[] = []) {
  if (action !== "escalate") assertCanWrite(scope);
  const p = await findProblem(d.db, scope, campaignId, problemId);
  if (input.expectState && input.expectState !== p.state) throw new CampaignError("conflict", `the problem is now "${p.state}", not "${input.expectState}": reload and try again`);
  const note = input.note?.trim() || null;
  if (needsNote.includes(action) && !note) throw new CampaignError("invalid", action === "fail" ? "give the reasons the round failed" : "write a note saying what happened");
  let to;
  try {
    to = transition(action, { state: p.state, hasResidents: p.caseIds.length > 0, revisitResult: p.revisitResult, answer: input.answer });
  } catch (err) {
    if (err instanceof ProblemTransitionError) throw new CampaignError(err.code, err.message);
    throw err;
  }
  const now = d.clock.now();
  const s = d.settings();
  const deadline = () => {
    if (input.deadline) {
      if (input.deadline <= now) throw new CampaignError("invalid", "the deadline must be in the future");
      return input.deadline;
    }
    return workdaysFrom(d, now, input.deadlineWorkdays ?? s.defaultDeadlineWorkdays);
  };
  const patch: Prisma.CampaignProblemUpdateManyMutationInput = { state: to };
  const data: Record<string, unknown> = {};
  const messages: OutMessage[] = [];
  switch (action) {
    case "propose":
    case "approve":
    case "set_measure": {
      const measure = input.measure?.trim() || p.measure;
      if (!measure) throw new CampaignError("invalid", "write the rectification measure (整改措施)");
      patch.measure = measure;
      patch.deadline = action === "approve" && !input.deadline && !input.deadlineWorkdays && p.deadline ? p.deadline : deadline();
      if (action !== "propose" && !p.firstDeadline) patch.firstDeadline = patch.deadline;
      patch.escalationLevel = 0;
      data.measure = measure;
      data.deadline = (patch.deadline as Date).toISOString();
      break;
    }
    case "pass":
    case "fail":
      patch.rounds = p.rounds + 1;
      patch.lastVerdict = action;
      data.round = p.rounds + 1;
      if (action === "fail") {
        patch.deadline = deadline();
        patch.escalationLevel = 0;
        data.deadline = (patch.deadline as Date).toISOString();
      } else if (to === "revisit") {
        patch.revisitAskedAt = now;
        patch.revisitResult = null;
        messages.push(...(await revisitMessages(d.db, p)));
      }
      break;
    case "revisit_answer":
      patch.revisitResult = input.answer!;
      data.answer = input.answer;
      break;
    case "close":
      patch.closedAt = now;
      patch.closedOnTime = p.firstDeadline ? now <= p.firstDeadline : true;
      patch.recheckDue = workdaysFrom(d, now, s.recheckAfterWorkdays);
      patch.recheckResult = null;
      data.recheckDue = (patch.recheckDue as Date).toISOString();
      break;
    case "recheck_pass":
      patch.recheckResult = "pass";
      break;
    case "recheck_fail":
    case "reopen":
      if (action === "recheck_fail") {
        patch.recheckResult = "fail";
        patch.repeatCount = p.repeatCount + 1;
        data.repeat = true;
      }
      patch.closedAt = null;
      patch.closedOnTime = null;
      patch.lastVerdict = null;
      patch.revisitResult = action === "reopen" ? p.revisitResult : null;
      patch.escalationLevel = 0;
      break;
  }
  const updated = await d.db.$transaction(async (tx) => {
    // Guarded: two clerks acting on the same problem at once — the second is refused, not merged.
    const n = await tx.campaignProblem.updateMany({ where: { id: p.id, state: p.state, updatedAt: p.updatedAt }, data: patch });
    if (n.count !== 1) throw new CampaignError("conflict", "someone else changed this problem just now: reload and try again");
    const ev = await tx.campaignProblemEvent.create({ data: { problemId: p.id, at: now, actor: scope.actorId, action, fromState: p.state, toState: to, note, data: data as Prisma.InputJsonValue } });
    if (photoKeys.length) await tx.campaignPhoto.createMany({ data: photoKeys.map((k) => ({ problemId: p.id, eventId: ev.id, ...k })) });
    if (messages.length) await enqueue(tx, messages);
    if (action === "fail") await runHooks(d.hooks, tx, { kind: "acceptance_failed", campaignId: p.campaignId, problemId: p.id, estateId: p.estateId, companyId: p.companyId, category: p.category, at: now, round: p.rounds + 1, note });
    return tx.campaignProblem.findUniqueOrThrow({ where: { id: p.id } });
  });
  if (messages.length) d.afterCommit?.();
  return updated;
}

/** Photos added on their own (registration, progress): a row per photo tied to the latest event. */
export async function addProblemPhotos(db: Db, problemId: number, photos: { storageKey: string; contentType: string; size: number }[]) {
  if (!photos.length) return;
  const ev = await db.campaignProblemEvent.findFirst({ where: { problemId }, orderBy: { id: "desc" } });
  await db.campaignPhoto.createMany({ data: photos.map((k) => ({ problemId, eventId: ev?.id ?? null, ...k })) });
}

/** The 回访 question to each resident whose case the problem came from: their chat, else SMS with consent. */
async function revisitMessages(db: Db, p: ProblemDetail): Promise<OutMessage[]> {
  const cases = await db.case.findMany({ where: { id: { in: p.caseIds } }, include: { resident: true } });
  const out: OutMessage[] = [];
  const seen = new Set<number>();
  for (const c of cases) {
    const r = c.resident;
    if (!r || seen.has(r.id)) continue;
    seen.add(r.id);
    const text = campaignMessage(r.language, "revisit", { estate: p.estate.name, description: shorten(p.description) });
    const key = `campaign-revisit:${p.id}:${p.rounds + 1}:${r.id}`;
    if (r.chatId && !r.blockedAt) out.push({ chatId: r.chatId, payload: { text }, dedupeKey: key, kind: "revisit" });
    else if (r.phone && r.smsConsent) out.push({ chatId: smsChatId(r.id), method: SMS_METHOD, payload: { to: e164(r.phone), text, params: [p.estate.name], locale: r.language }, dedupeKey: key, kind: "revisit" });
  }
  return out;
}
