// The resident's side of the revisit (回访): "Is it fixed?" Yes → closed; No → reopened to the same
// liaison (the notifier sends them the card again). Either answer is followed by "How satisfied, 1–5?".
// Buttons for another resident's case, or for a case that left resolved/revisit, are refused.
import { Composer } from "grammy";
import { NotYourCase } from "../../core/cases/revisit.ts";
import { TransitionError } from "../../core/cases/lifecycle.ts";
import type { BotContext } from "../context.ts";
import { ratingKeyboard } from "../keyboards.ts";
import { ack } from "./common.ts";

const notFound = (ctx: BotContext) => ack(ctx, ctx.t("case-not-found"), true);

async function answer(ctx: BotContext, caseId: number, fixed: boolean): Promise<void> {
  const r = ctx.resident;
  if (!r) return notFound(ctx);
  let number: string;
  try {
    number = (await ctx.deps.revisit.answerFixed(caseId, r.id, fixed)).number;
  } catch (err) {
    if (err instanceof NotYourCase) return notFound(ctx);
    if (err instanceof TransitionError) {
      const c = await ctx.deps.db.case.findUnique({ where: { id: caseId } });
      return ack(ctx, ctx.t("rv-stale", { number: c?.number ?? "", state: ctx.t(`state-${err.state}`) }), true);
    }
    throw err;
  }
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await ctx.out.text(ctx.t(fixed ? "rv-rate" : "rv-rate-reopened", { number }), ratingKeyboard(caseId));
}

async function rate(ctx: BotContext, caseId: number, score: number): Promise<void> {
  const r = ctx.resident;
  if (score < 1 || score > 5) return ack(ctx, ctx.t("btn-invalid"), true);
  const { db, revisit } = ctx.deps;
  const c = r ? await db.case.findFirst({ where: { id: caseId, residentId: r.id } }) : null;
  if (!r || !c) return notFound(ctx);
  // A rating belongs to a revisit answer, once: a forged or repeated press changes nothing.
  const answered = await db.caseEvent.findFirst({
    where: { caseId, type: { in: ["confirmFixed", "reopen"] }, actorType: "resident", actorId: String(r.id) },
    orderBy: { id: "desc" },
  });
  if (!answered) return ack(ctx, ctx.t("rv-not-asked", { number: c.number }), true);
  if (await db.caseEvent.findFirst({ where: { caseId, type: "satisfaction", id: { gt: answered.id } } })) {
    return ack(ctx, ctx.t("rv-rated-already", { number: c.number }), true);
  }
  await revisit.rate(caseId, r.id, score);
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await ctx.out.text(ctx.t("rv-thanks", { n: score }));
}

export function revisitFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.filter((ctx) => ctx.cb?.a === "rf", (ctx) => (ctx.cb?.a === "rf" ? answer(ctx, ctx.cb.id, ctx.cb.fixed) : undefined));
  c.filter((ctx) => ctx.cb?.a === "rs", (ctx) => (ctx.cb?.a === "rs" ? rate(ctx, ctx.cb.id, ctx.cb.n) : undefined));
  return c;
}
