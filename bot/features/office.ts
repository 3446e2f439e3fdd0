// The office's buttons in its group chat: approve or deny a liaison's extension request; under an
// escalation, Acknowledge or Reassign (liaison of the same company, or another company's). Only a
// member (OfficeMember, joined with /office <code>) of the office responsible for the case's street,
// or of the district office, may press; anyone else in the group is refused and nothing changes.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { decideExtension, OfficeActionError } from "../../core/cases/office-actions.ts";
import type { Case } from "../../core/db/generated/prisma/client.ts";
import { canApply, LIAISON_OPEN_STATES, TransitionError } from "../../core/cases/lifecycle.ts";
import { officeMayWork } from "../../core/access/permissions.ts";
import { ack, translateIn } from "./common.ts";
import { toLocale } from "../i18n.ts";
import { formatTime } from "../render/format.ts";
import { escalationKeyboard, extensionDecisionKeyboard, reassignCompaniesKeyboard, reassignLiaisonsKeyboard } from "../keyboards.ts";

const STILL_OPEN = new Set<string>(LIAISON_OPEN_STATES);

async function decide(ctx: BotContext, requestId: number, approve: boolean): Promise<void> {
  const { db, cases, clock, timezone } = ctx.deps;
  const req = await db.extensionRequest.findUnique({ where: { id: requestId }, include: { case: true } });
  if (!req) return ack(ctx, ctx.t("btn-invalid"), true);
  const member = ctx.from ? await db.officeMember.findUnique({ where: { telegramUserId: BigInt(ctx.from.id) }, include: { office: true } }) : null;
  if (!member || !officeMayWork(member.office, req.case)) return ack(ctx, ctx.t("office-not-member"), true);
  if (req.status !== "pending") return ack(ctx, ctx.t("office-ext-decided", { number: req.case.number }), true);
  if (approve && !STILL_OPEN.has(req.case.state)) return ack(ctx, ctx.t("office-ext-closed", { number: req.case.number, state: ctx.t(`state-${req.case.state}`) }), true);

  const c = req.case;
  const vars = { number: c.number, due: formatTime(req.requestedDueAt, timezone)!, by: member.name };
  try {
    // The same decision the dashboard and the API make; the liaison hears it from the notifier.
    await decideExtension({ db, cases, clock }, c.id, req.id, approve, { type: "office", id: `member:${member.id}` }, undefined, (tx) =>
      ctx.out.text(ctx.t(approve ? "office-ext-approved" : "office-ext-denied", vars), undefined, tx),
    );
  } catch (err) {
    if (err instanceof OfficeActionError && err.code === "conflict") return ack(ctx, ctx.t("office-ext-decided", { number: c.number }), true);
    throw err;
  }
  ctx.out.wakeNow();
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
}

// ---- escalation messages: acknowledge, reassign ----

/** The pressing member, if their office is responsible for this case; refused (alert) otherwise. */
async function memberFor(ctx: BotContext, c: Case) {
  const member = ctx.from ? await ctx.deps.db.officeMember.findUnique({ where: { telegramUserId: BigInt(ctx.from.id) }, include: { office: true } }) : null;
  if (member && officeMayWork(member.office, c)) return member;
  await ack(ctx, ctx.t("office-e-not-member"), true);
  return null;
}

/** The case and its responsible member, or null after a refusal. */
async function escalated(ctx: BotContext, caseId: number) {
  const c = await ctx.deps.db.case.findUnique({ where: { id: caseId } });
  if (!c) {
    await ack(ctx, ctx.t("btn-invalid"), true);
    return null;
  }
  const member = await memberFor(ctx, c);
  return member ? { c, member } : null;
}

async function acknowledge(ctx: BotContext, caseId: number): Promise<void> {
  const found = await escalated(ctx, caseId);
  if (!found) return;
  const { c, member } = found;
  const { db, cases, timezone } = ctx.deps;
  if (c.escalationLevel === 0) return ack(ctx, ctx.t("office-e-not-escalated", { number: c.number }), true);
  // One acknowledgement per escalation level: a level-2 escalation wants a fresh one.
  const lastEscalation = await db.caseEvent.findFirst({ where: { caseId: c.id, type: "escalate" }, orderBy: { id: "desc" } });
  const done = await db.caseEvent.findFirst({ where: { caseId: c.id, type: "escalation_ack", id: { gt: lastEscalation?.id ?? 0 } }, orderBy: { id: "desc" } });
  if (done) return ack(ctx, ctx.t("office-e-acked-already", { number: c.number, by: (done.data as { by?: string } | null)?.by ?? "—" }), true);

  const pending = await db.extensionRequest.findFirst({ where: { caseId: c.id, status: "pending" }, orderBy: { id: "desc" } });
  const actor = { type: "office" as const, id: `member:${member.id}` };
  await db.$transaction(async (tx) => {
    await cases.record(c.id, "escalation_ack", actor, undefined, { level: c.escalationLevel, officeId: member.officeId, by: member.name }, tx);
    await ctx.out.text(ctx.t("office-e-acked", { number: c.number, by: member.name }), undefined, tx);
    // The escalation message cannot know of it: the decision buttons come again, right here.
    if (pending) {
      const liaison = await tx.liaison.findUnique({ where: { id: Number(pending.requestedBy) }, include: { company: true } });
      const text = ctx.t("office-ext-request", {
        number: c.number,
        company: liaison?.company.name ?? "—",
        liaison: liaison?.name ?? "—",
        from: formatTime(c.resolutionDueAt, timezone) ?? "—",
        to: formatTime(pending.requestedDueAt, timezone)!,
        reason: pending.reason,
      });
      await ctx.out.text(`${ctx.t("office-e-ext-pending")}\n${text}`, extensionDecisionKeyboard((k, v) => ctx.t(k, v), pending.id), tx);
    }
  });
  ctx.out.wakeNow();
  await ack(ctx);
  await ctx.out.editButtons(ctx.callbackQuery?.message?.message_id, escalationKeyboard((k, v) => ctx.t(k, v), c.id, true));
}

async function names(ctx: BotContext, c: Case) {
  const { db } = ctx.deps;
  const [company, liaison] = await Promise.all([
    c.companyId ? db.company.findUnique({ where: { id: c.companyId } }) : null,
    c.liaisonId ? db.liaison.findUnique({ where: { id: c.liaisonId } }) : null,
  ]);
  return { company: company?.name ?? "—", liaison: liaison?.name ?? "—" };
}

/** Reassign → the company's other active liaisons (and "other company"); `companyId` after a company pick. */
async function pickLiaison(ctx: BotContext, caseId: number, companyId?: number): Promise<void> {
  const found = await escalated(ctx, caseId);
  if (!found) return;
  const { c } = found;
  if (!canApply("assign", c.state)) return ack(ctx, ctx.t("office-e-closed", { number: c.number, state: ctx.t(`state-${c.state}`) }), true);
  const { db } = ctx.deps;
  const co = companyId ?? c.companyId;
  if (co === null) return pickCompany(ctx, caseId);
  const company = await db.company.findUnique({ where: { id: co } });
  if (!company) return ack(ctx, ctx.t("btn-invalid"), true);
  const liaisons = await db.liaison.findMany({ where: { companyId: co, active: true, id: { not: c.liaisonId ?? 0 } }, orderBy: { id: "asc" } });
  if (liaisons.length === 0 && companyId !== undefined) return ack(ctx, ctx.t("office-e-no-liaisons", { company: company.name }), true);
  await ack(ctx);
  if (companyId !== undefined) await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await ctx.out.text(ctx.t("office-e-pick-liaison", { number: c.number, ...(await names(ctx, c)) }), reassignLiaisonsKeyboard((k, v) => ctx.t(k, v), c.id, liaisons, true));
}

async function pickCompany(ctx: BotContext, caseId: number): Promise<void> {
  const found = await escalated(ctx, caseId);
  if (!found) return;
  const { c } = found;
  if (!canApply("assign", c.state)) return ack(ctx, ctx.t("office-e-closed", { number: c.number, state: ctx.t(`state-${c.state}`) }), true);
  const companies = await ctx.deps.db.company.findMany({ where: { liaisons: { some: { active: true } } }, orderBy: { id: "asc" } });
  await ack(ctx);
  await ctx.out.text(ctx.t("office-e-pick-company", { number: c.number }), reassignCompaniesKeyboard(c.id, companies));
}

async function reassign(ctx: BotContext, caseId: number, liaisonId: number): Promise<void> {
  const found = await escalated(ctx, caseId);
  if (!found) return;
  const { c, member } = found;
  const { db, cases, defaultLocale } = ctx.deps;
  const liaison = await db.liaison.findUnique({ where: { id: liaisonId }, include: { company: true } });
  if (!liaison?.active) return ack(ctx, ctx.t("btn-invalid"), true);
  const previous = c.liaisonId !== null && c.liaisonId !== liaison.id ? await db.liaison.findUnique({ where: { id: c.liaisonId } }) : null;
  const lt = translateIn(ctx, toLocale(previous?.language, defaultLocale));
  try {
    await cases.apply(c.id, "assign", { type: "office", id: `member:${member.id}` }, {
      expect: ["unroutable", "routed", "accepted", "reopened"],
      note: member.name,
      data: { liaison: liaison.code, company: liaison.company.code, officeId: member.officeId, fromLiaisonId: c.liaisonId, fromCompanyId: c.companyId },
      // The notifier sends the new liaison the card; the deadlines start again from now (lifecycle).
      liaison,
      andThen: async (tx) => {
        if (previous?.active && previous.chatId) await ctx.out.to(tx, previous.chatId, "sendMessage", { text: lt("lia-reassigned-away", { number: c.number }) }, c.id);
        await ctx.out.text(ctx.t("office-e-reassigned", { number: c.number, company: liaison.company.name, liaison: liaison.name, by: member.name }), undefined, tx);
      },
    });
  } catch (err) {
    if (err instanceof TransitionError) return ack(ctx, ctx.t("office-e-closed", { number: c.number, state: ctx.t(`state-${err.state}`) }), true);
    throw err;
  }
  ctx.out.wakeNow();
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
}

export function officeFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.filter((ctx) => ctx.cb?.a === "ea", (ctx) => (ctx.cb?.a === "ea" ? acknowledge(ctx, ctx.cb.id) : undefined));
  c.filter((ctx) => ctx.cb?.a === "er", (ctx) => (ctx.cb?.a === "er" ? pickLiaison(ctx, ctx.cb.id) : undefined));
  c.filter((ctx) => ctx.cb?.a === "erx", (ctx) => (ctx.cb?.a === "erx" ? pickCompany(ctx, ctx.cb.id) : undefined));
  c.filter((ctx) => ctx.cb?.a === "erc", (ctx) => (ctx.cb?.a === "erc" ? pickLiaison(ctx, ctx.cb.id, ctx.cb.co) : undefined));
  c.filter((ctx) => ctx.cb?.a === "erl", (ctx) => (ctx.cb?.a === "erl" ? reassign(ctx, ctx.cb.id, ctx.cb.l) : undefined));
  c.filter((ctx) => ctx.cb?.a === "xa" || ctx.cb?.a === "xd", (ctx) => {
    const cb = ctx.cb as { a: "xa" | "xd"; id: number };
    return decide(ctx, cb.id, cb.a === "xa");
  });
  return c;
}
