// /language and the language buttons: stored on Resident.language (session before registration).
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { languageKeyboard } from "../keyboards.ts";
import { ack } from "./common.ts";
import { afterLanguageChosen } from "./registration.ts";
import { reprompt } from "./reprompt.ts";

export function languageFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const ask = (ctx: BotContext) => ctx.out.text(ctx.t("lang-choose"), languageKeyboard());
  c.command("language", ask);
  c.filter((ctx) => ctx.cb?.a === "menu" && ctx.cb.item === "lang", async (ctx) => {
    await ack(ctx);
    await ask(ctx);
  });
  c.filter((ctx) => ctx.cb?.a === "lang", async (ctx) => {
    if (ctx.cb?.a !== "lang") return;
    const locale = ctx.cb.locale;
    ctx.session.lang = locale;
    if (ctx.resident) ctx.resident = await ctx.deps.db.resident.update({ where: { id: ctx.resident.id }, data: { language: locale } });
    // A liaison's cards and the resident's outcomes come to them in this language from now on.
    if (ctx.liaison) ctx.liaison = await ctx.deps.db.liaison.update({ where: { id: ctx.liaison.id }, data: { language: locale } });
    ctx.locale = locale;
    ctx.i18n.useLocale(locale);
    await ack(ctx);
    await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
    const flow = ctx.session.flow;
    if (flow?.t === "reg" && flow.step === "lang") {
      await ctx.out.text(ctx.t("lang-set"));
      return afterLanguageChosen(ctx, flow);
    }
    // Whatever was in progress is shown again, now with buttons in the new language.
    await reprompt(ctx, ctx.t("lang-set"));
  });
  return c;
}
