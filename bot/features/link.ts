// /link CODE (or the code alone): joins this Telegram account to the resident registered on the web
// front door who shows that code on their "my cases" page (core/residents/link-codes.ts). Wrong,
// used or expired codes get a reply saying which.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { looksLikeCode, redeemLinkCode } from "../../core/residents/link-codes.ts";
import { showMenu } from "./registration.ts";

async function link(ctx: BotContext, code: string): Promise<void> {
  if (!code) return void (await ctx.out.text(ctx.t("link-usage")));
  const { db, cases, clock } = ctx.deps;
  const r = await redeemLinkCode({ db, cases }, code, { userId: BigInt(ctx.from!.id), chatId: BigInt(ctx.chat!.id) }, clock.now());
  if (!r.ok) return void (await ctx.out.text(ctx.t(`link-${r.reason === "other_account" ? "other" : r.reason}`)));
  ctx.resident = r.resident;
  ctx.session.flow = undefined;
  await ctx.out.text(ctx.t(r.already ? "link-already" : "link-ok", { n: r.movedCases }));
  await showMenu(ctx);
}

export function linkFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("link", (ctx) => link(ctx, ctx.match.trim()));
  // The code alone, outside a flow that is waiting for text of its own.
  c.on("message:text").filter((ctx) => !ctx.session.flow && looksLikeCode(ctx.message.text.trim()), (ctx) => link(ctx, ctx.message.text.trim()));
  return c;
}
