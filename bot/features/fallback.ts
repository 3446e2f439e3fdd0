// Last in the chain: whatever no feature took gets a clear answer and the current step again.
// A text longer than a description may be (MAX_TEXT) is the one place its length is answered when no
// flow took it: the reason, and — for a verified resident with nothing in progress — its first
// MAX_TEXT characters kept as a new draft, so nothing written is lost.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { ack, charCount, commandOf, MAX_TEXT, outdated, residentState } from "./common.ts";
import { reprompt } from "./reprompt.ts";
import { startFromText } from "./freetext.ts";

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
      if (len <= MAX_TEXT) return reprompt(ctx, ctx.t("use-buttons"));
      const fresh = !ctx.session.flow && !ctx.session.draft && ctx.liaison === null && ctx.deps.understander != null && residentState(ctx) === "verified";
      if (fresh) return startFromText(ctx, [...m.text].slice(0, MAX_TEXT).join("").trim(), ctx.t("text-too-long-kept", { len, max: MAX_TEXT }));
      return reprompt(ctx, ctx.t("text-too-long", { len }));
    }
    if (m.photo || m.location || m.contact) return reprompt(ctx, ctx.t("not-expected"));
    return reprompt(ctx, ctx.t("unsupported-media"));
  });
  return c;
}
