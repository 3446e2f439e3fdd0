// Last in the chain: whatever no feature took gets a clear answer and the current step again.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { ack, charCount, commandOf, outdated } from "./common.ts";
import { reprompt } from "./reprompt.ts";

const TELEGRAM_MAX_TEXT = 4096;

export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on("callback_query", async (ctx) => {
    // Ours but not taken by any feature: from a flow that has moved on.
    if (ctx.cb) return outdated(ctx);
    await ack(ctx, ctx.t("btn-invalid"), true);
  });
  c.on("edited_message", (ctx) => ctx.out.text(ctx.t("edited-ignored")));
  c.on("message", async (ctx) => {
    const m = ctx.message;
    if (commandOf(ctx) !== null) return reprompt(ctx, ctx.t("unknown-command"));
    if (m.sticker) return reprompt(ctx, ctx.t("unsupported-sticker"));
    if (m.text !== undefined) {
      const len = charCount(m.text);
      return reprompt(ctx, len > TELEGRAM_MAX_TEXT ? ctx.t("text-too-long", { len }) : ctx.t("use-buttons"));
    }
    if (m.photo || m.location || m.contact) return reprompt(ctx, ctx.t("not-expected"));
    return reprompt(ctx, ctx.t("unsupported-media"));
  });
  return c;
}
