// Free text first: a registered resident just writes (or sends a photo with a caption) and the bot
// proposes kind, category and urgency from the understanding rules (deps.understander), with the
// address it knows; one tap confirms. An emergency is filed at once (the router tells the office);
// an unsure reading asks back with the likely categories. Later text, photos and edits of the
// resident's messages update the open proposal.
import type { BotContext } from "../context.ts";
import type { Draft } from "../session.ts";
import { advance, draftPrompt, fileDraft, setDescriptionFromParts } from "./draft.ts";
import { charCount, flowId, MAX_TEXT } from "./common.ts";

/** Below this confidence the bot asks which category instead of proposing one (when the rules do not say). */
export const CONFIDENT = 0.5;

/** understanding.json's settings.proposeAbove when the understander is the rules router (hot-reloaded). */
const threshold = (u: object): number => {
  const proposeAbove = (u as { proposeAbove?: () => number }).proposeAbove;
  return typeof proposeAbove === "function" ? proposeAbove.call(u) : CONFIDENT;
};
const MAX_LIKELY = 6;

/**
 * Reads the draft's description into kind, category and urgency (a tapped category stays).
 * Returns whether the message is an emergency: such a draft is filed without waiting for a tap.
 */
function understandInto(ctx: BotContext, d: Draft): boolean {
  const { categories, understander } = ctx.deps;
  const u = understander!.understand(d.description!, ctx.locale);
  const known = (code: string | null | undefined): code is string => !!code && categories.get(code) !== undefined;
  const likely = [...new Set([u.category, ...u.alternatives.map((a) => a.category)].filter(known))];
  if (!d.picked) {
    let category = known(u.category) && (u.confidence >= threshold(understander!) || u.emergency) ? u.category : undefined;
    if (u.emergency && !category) category = likely.find((c) => categories.get(c)!.emergency) ?? likely[0] ?? "other";
    d.category = category;
    d.alternatives = likely.filter((c) => c !== category).slice(0, MAX_LIKELY);
    const chosen = category ? categories.get(category) : undefined;
    d.kind = chosen && !chosen.kinds.includes(u.kind) ? chosen.kinds[0] : u.kind;
  }
  if (u.emergency) d.urgent = true;
  advance(ctx, d);
  return u.emergency;
}

/** Shows the proposal or the question back; files an emergency at once. */
export async function propose(ctx: BotContext, d: Draft, lead?: string): Promise<void> {
  if (understandInto(ctx, d) && d.step === "confirm") {
    const filed = await fileDraft(ctx, d);
    if (!filed) return;
    const { number, created } = filed;
    // The notifier already told the number; this says why no confirmation was asked.
    return ctx.out.text(ctx.t(created ? "ft-emergency-filed" : "file-already", { number }));
  }
  await draftPrompt(ctx, d, lead);
}

/** Text too long or empty: told, nothing changes. */
async function refused(ctx: BotContext, text: string): Promise<boolean> {
  const len = charCount(text);
  if (len > MAX_TEXT) return void (await ctx.out.text(ctx.t("file-too-long", { len, max: MAX_TEXT }))), true;
  if (text.trim() === "") return void (await ctx.out.text(ctx.t("file-empty"))), true;
  return false;
}

/** A message (text or caption) that becomes part of the draft's description, then read again. */
export async function addText(ctx: BotContext, d: Draft, text: string, messageId: number, lead?: string): Promise<void> {
  if (await refused(ctx, text)) return;
  d.understood = true;
  d.parts = [...(d.parts ?? []), { messageId, text: text.trim() }];
  setDescriptionFromParts(d);
  await propose(ctx, d, lead);
}

/** A plain message with nothing in progress starts a proposal (`lead` above it: fallback.ts's length note). */
export async function startFromText(ctx: BotContext, text: string, lead?: string): Promise<void> {
  const d: Draft = { id: flowId(ctx), step: "description", photos: [], understood: true };
  if (await refused(ctx, text)) return;
  ctx.session.draft = d;
  await addText(ctx, d, text, ctx.message!.message_id, lead);
}

/** A photo with nothing in progress: its caption is read; without one the bot asks what it shows. */
export function newPhotoDraft(ctx: BotContext): Draft {
  const d: Draft = { id: flowId(ctx), step: "description", photos: [], understood: true };
  ctx.session.draft = d;
  return d;
}

/** An edit of one of the draft's messages replaces that part; false when it is not one of them. */
export async function onEdit(ctx: BotContext, d: Draft, messageId: number, text: string): Promise<boolean> {
  const part = d.parts?.find((p) => p.messageId === messageId);
  if (!part) return false;
  if (await refused(ctx, text)) return true;
  part.text = text.trim();
  setDescriptionFromParts(d);
  const lead = ctx.t("draft-updated");
  if (d.understood) {
    await propose(ctx, d, lead);
  } else if (d.step === "confirm") {
    await draftPrompt(ctx, d, lead);
  } else {
    await ctx.out.text(lead);
  }
  return true;
}
