// /help and /cancel.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { mainMenu, removeKeyboard } from "../keyboards.ts";
import { ack, residentState, tr } from "./common.ts";
import { showMenu } from "./registration.ts";

async function help(ctx: BotContext): Promise<void> {
  await ctx.out.text(ctx.t("help"), residentState(ctx) === "none" ? undefined : mainMenu(tr(ctx)));
}

async function cancel(ctx: BotContext): Promise<void> {
  const s = ctx.session;
  // A short flow is cancelled before the draft: /cancel while adding to a case keeps the draft.
  if (s.flow) {
    const wasPhoneStep = s.flow.t === "reg" && s.flow.step === "phone";
    s.flow = undefined;
    await ctx.out.text(ctx.t("cancelled"), wasPhoneStep ? removeKeyboard : undefined);
    return showMenu(ctx);
  }
  if (s.draft) {
    s.draft = undefined;
    return showMenu(ctx, ctx.t("file-cancelled"));
  }
  await ctx.out.text(ctx.t("nothing-to-cancel"));
}

export function generalFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("help", help);
  c.command("cancel", cancel);
  c.filter((ctx) => ctx.cb?.a === "menu" && ctx.cb.item === "help", async (ctx) => {
    await ack(ctx);
    await help(ctx);
  });
  return c;
}
