// The resident's side of a survey: one question at a time with buttons; the core stores each answer
// at once and enqueues the next question (or the thank-you). /survey sends the current question
// again after stopping halfway. Old or double-pressed buttons are refused by the core.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { ack, residentState } from "./common.ts";

async function answer(ctx: BotContext, recipientId: number, index: number, value: number): Promise<void> {
  const surveys = ctx.deps.surveys;
  const r = ctx.resident;
  if (!surveys || !r) return ack(ctx, ctx.t("sv-not-found"), true);
  const out = await surveys.answer({ recipientId, residentId: r.id, index, value });
  switch (out.kind) {
    case "next":
    case "done":
      await ack(ctx);
      // The answered question keeps its text but loses its buttons.
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return;
    case "stale":
      return ack(ctx, ctx.t("sv-stale"), true);
    case "closed":
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return ack(ctx, ctx.t("sv-closed"), true);
    case "invalid":
      return ack(ctx, ctx.t("btn-invalid"), true);
    case "not_found":
      return ack(ctx, ctx.t("sv-not-found"), true);
  }
}

async function resume(ctx: BotContext): Promise<void> {
  const surveys = ctx.deps.surveys;
  if (!surveys || residentState(ctx) !== "verified" || !ctx.resident || !(await surveys.resume(ctx.resident.id))) {
    await ctx.out.text(ctx.t("sv-none"));
  }
}

export function surveyFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.filter((ctx) => ctx.cb?.a === "sva", (ctx) => (ctx.cb?.a === "sva" ? answer(ctx, ctx.cb.id, ctx.cb.q, ctx.cb.v) : undefined));
  c.command("survey", resume);
  return c;
}
