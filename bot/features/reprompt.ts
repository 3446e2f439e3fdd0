// Re-shows whatever the chat is in the middle of: after a wrong kind of input, a language switch,
// or an unexpected message. Nothing is dropped; the current step's buttons come back.
import type { BotContext } from "../context.ts";
import { addPrompt } from "./mycases.ts";
import { draftPrompt } from "./filing.ts";
import { regPrompt, showMenu } from "./registration.ts";

export async function reprompt(ctx: BotContext, lead?: string): Promise<void> {
  const { flow, draft } = ctx.session;
  if (flow?.t === "reg") return regPrompt(ctx, flow, lead);
  if (flow?.t === "add") return addPrompt(ctx, flow, lead);
  if (draft) return draftPrompt(ctx, draft, lead);
  return showMenu(ctx, lead);
}
