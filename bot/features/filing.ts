// Filing a case, guided (/new: kind → category → description → [location] → [urgency] → confirm,
// skipping what is known: see draft.ts) or from a plain message (freetext.ts). This composer routes
// the draft's buttons and messages: photos at any step, edits of the resident's messages, Telegram's
// location button. Confirm files with sourceKey tg:draft:<id>, so a repeated Confirm finds the case.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { Draft } from "../session.ts";
import type { Callback } from "../callbacks.ts";
import { allCategoriesKeyboard, removeKeyboard } from "../keyboards.ts";
import { ack, charCount, commandOf, flowId, MAX_PHOTOS, MAX_TEXT, outdated, residentState, tr } from "./common.ts";
import { addPhoto, advance, draftPrompt, fileDraft, inKnownAlbum, mayFile, setDescriptionFromParts } from "./draft.ts";
import { addText, newPhotoDraft, onEdit, startFromText } from "./freetext.ts";
import { showMenu } from "./registration.ts";
import { addCasePhotos } from "../../core/attachments/case-photos.ts";
import { prismaHotSql } from "../../core/db/hot-sql.ts";

export { draftPrompt } from "./draft.ts";

const DRAFT_ACTIONS = new Set(["kind", "cat", "chg", "all", "pdone", "lskip", "urg", "conf", "edit", "cncl"]);

export async function startFiling(ctx: BotContext): Promise<void> {
  if (!(await mayFile(ctx))) return;
  if (ctx.session.flow?.t === "add") ctx.session.flow = undefined;
  const existing = ctx.session.draft;
  if (existing) return draftPrompt(ctx, existing, ctx.t("draft-resume"));
  const d: Draft = { id: flowId(ctx), step: "kind", photos: [] };
  ctx.session.draft = d;
  await draftPrompt(ctx, d);
}

async function confirm(ctx: BotContext, tok: string): Promise<void> {
  const d = ctx.session.draft;
  if (d?.id !== tok || d.step !== "confirm") {
    const last = ctx.session.lastFiled;
    if (last?.draftId === tok) {
      await ack(ctx);
      return ctx.out.text(ctx.t("file-already", { number: last.number }));
    }
    return outdated(ctx);
  }
  await ack(ctx, ctx.t("file-submitting"));
  if (!(await mayFile(ctx))) return;
  const filed = await fileDraft(ctx, d);
  if (!filed) return;
  const { number, created } = filed;
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  // A re-delivered Confirm (session not saved before a crash): the notifier spoke the first time.
  if (!created) await ctx.out.text(ctx.t("file-already", { number }));
}

async function onCallback(ctx: BotContext, cb: Callback): Promise<void> {
  if (!("tok" in cb)) return;
  if (cb.a === "conf") return confirm(ctx, cb.tok);
  const d = ctx.session.draft;
  if (d?.id !== cb.tok) return outdated(ctx);
  const { categories } = ctx.deps;
  switch (cb.a) {
    case "cncl":
      ctx.session.draft = undefined;
      await ack(ctx);
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return showMenu(ctx, ctx.t("file-cancelled"));
    case "kind":
      if (d.step !== "kind") return outdated(ctx);
      d.kind = cb.kind;
      break;
    case "cat": {
      // A proposal offers any category (the kind follows it); the guided list only the kind's.
      const category = categories.get(cb.code);
      const offered = d.understood ? category !== undefined : categories.forKind(d.kind!).some((c) => c.code === cb.code);
      if (d.step !== "category" || !category || !offered) return outdated(ctx);
      d.category = cb.code;
      if (d.understood) {
        d.picked = true;
        if (!d.kind || !category.kinds.includes(d.kind)) d.kind = category.kinds[0];
      }
      break;
    }
    case "chg":
      if (d.step !== "confirm" || !d.understood) return outdated(ctx);
      d.step = "category";
      await ack(ctx);
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return draftPrompt(ctx, d);
    case "all":
      if (d.step !== "category") return outdated(ctx);
      await ack(ctx);
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return ctx.out.text(ctx.t("file-category-any"), allCategoriesKeyboard(tr(ctx), categories, ctx.locale, d.id));
    case "urg":
      if (d.step !== "urgency") return outdated(ctx);
      d.urgent = cb.urgent;
      break;
    case "edit":
      if (d.step !== "confirm") return outdated(ctx);
      Object.assign(d, { step: "description", editing: true, description: undefined });
      await ack(ctx);
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return draftPrompt(ctx, d);
    default:
      return outdated(ctx);
  }
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  advance(ctx, d);
  await draftPrompt(ctx, d);
}

async function onText(ctx: BotContext, d: Draft, text: string): Promise<void> {
  const messageId = ctx.message!.message_id;
  // A proposal open (or a fresh /new answered with words): the text adds to it and is read again.
  const understander = ctx.deps.understander;
  if (understander && (d.understood || (d.step === "kind" && !d.description))) {
    const lead = d.step === "confirm" ? ctx.t("draft-updated") : undefined;
    if (d.editing) d.parts = [];
    d.editing = undefined;
    return addText(ctx, d, text, messageId, lead);
  }
  if (d.step === "location" && text.trim() === ctx.t("btn-skip")) {
    d.located = true;
    await ctx.out.text(ctx.t("file-location-skipped"), removeKeyboard);
    advance(ctx, d);
    return draftPrompt(ctx, d);
  }
  if (d.step !== "description") return draftPrompt(ctx, d, ctx.t("use-buttons"));
  const len = charCount(text);
  if (len > MAX_TEXT) return ctx.out.text(ctx.t("file-too-long", { len, max: MAX_TEXT }));
  if (text.trim() === "") return ctx.out.text(ctx.t("file-empty"));
  d.parts = [...(d.editing ? [] : (d.parts ?? [])), { messageId, text: text.trim() }];
  d.editing = undefined;
  setDescriptionFromParts(d);
  advance(ctx, d);
  await draftPrompt(ctx, d);
}

async function onPhoto(ctx: BotContext, d: Draft): Promise<void> {
  const quiet = inKnownAlbum(ctx, d);
  if (!(await addPhoto(ctx, d, quiet))) return;
  const caption = ctx.message!.caption?.trim() ?? "";
  const takesText = d.step === "description" || (d.understood && (d.step === "confirm" || d.step === "category")) || (d.step === "kind" && ctx.deps.understander != null);
  if (caption !== "" && takesText) return onText(ctx, d, caption);
  if (quiet) return;
  if (d.step === "description") return draftPrompt(ctx, d);
  const counted = { n: d.photos.length, max: MAX_PHOTOS };
  await ctx.out.text(ctx.t(ctx.message!.media_group_id ? "file-photo-group" : "file-photo-added", counted));
}

/** A photo with no draft open: a new proposal (or the rest of an album already filed as an emergency). */
async function onFirstPhoto(ctx: BotContext): Promise<void> {
  const last = ctx.session.lastFiled;
  const group = ctx.message!.media_group_id;
  if (group !== undefined && last?.mediaGroup === group && last.caseId) return attachLate(ctx, last.caseId);
  await onPhoto(ctx, newPhotoDraft(ctx));
}

/** The rest of an album whose first photo was filed at once (an emergency) joins that case. */
async function attachLate(ctx: BotContext, caseId: number): Promise<void> {
  const sizes = ctx.message!.photo!;
  const best = sizes[sizes.length - 1]!;
  const { db, cases, clock } = ctx.deps;
  await db.$transaction(async (tx) => {
    await addCasePhotos(prismaHotSql(tx), caseId, [{ fileId: best.file_id, fileUniqueId: best.file_unique_id }], { addedBy: "resident", at: clock.now() });
    await cases.record(caseId, "photo", { type: "resident", id: ctx.resident!.id }, undefined, { fileId: best.file_id }, tx);
  });
}

async function onLocation(ctx: BotContext, d: Draft): Promise<void> {
  if (d.step !== "location") return draftPrompt(ctx, d, ctx.t("not-expected"));
  const loc = ctx.message!.location!;
  Object.assign(d, { latitude: loc.latitude, longitude: loc.longitude, located: true });
  await ctx.out.text(ctx.t("file-location-saved"), removeKeyboard);
  advance(ctx, d);
  await draftPrompt(ctx, d);
}

export function filingFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("new", startFiling);
  c.filter((ctx) => ctx.cb?.a === "menu" && ctx.cb.item === "new", async (ctx) => {
    await ack(ctx);
    await startFiling(ctx);
  });
  c.filter((ctx) => ctx.cb !== null && DRAFT_ACTIONS.has(ctx.cb.a), (ctx) => onCallback(ctx, ctx.cb!));
  // Draft input only when no other flow (registration, adding to a case) is taking input.
  const free = c.filter((ctx) => !ctx.session.flow && ctx.liaison === null);
  const input = free.on("message").filter((ctx) => ctx.session.draft !== undefined && commandOf(ctx) === null);
  input.on("message:text", (ctx) => onText(ctx, ctx.session.draft!, ctx.message.text));
  input.on("message:photo", (ctx) => onPhoto(ctx, ctx.session.draft!));
  input.on("message:location", (ctx) => onLocation(ctx, ctx.session.draft!));
  free.on(["edited_message:text", "edited_message:caption"], async (ctx, next) => {
    const d = ctx.session.draft;
    const m = ctx.editedMessage;
    if (!d || !(await onEdit(ctx, d, m.message_id, m.text ?? m.caption ?? ""))) return next();
  });
  // Nothing in progress: a verified resident's plain message or photo is a new proposal.
  const fresh = free
    .on("message")
    .filter((ctx) => ctx.session.draft === undefined && ctx.deps.understander != null && residentState(ctx) === "verified" && commandOf(ctx) === null);
  // Longer than a description may be: the fallback answers with its length and keeps its start as a draft.
  fresh.on("message:text").filter((ctx) => charCount(ctx.message.text) <= MAX_TEXT, (ctx) => startFromText(ctx, ctx.message.text));
  fresh.on("message:photo", onFirstPhoto);
  return c;
}
