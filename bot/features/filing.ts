// Filing a case: kind → category → description → photos → location → urgency → confirm.
// The draft lives in the session; Confirm files it with sourceKey tg:draft:<id>, so a repeated
// Confirm finds the same case. The case number reaches the resident through the notifier.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { Draft } from "../session.ts";
import type { Callback } from "../callbacks.ts";
import { categoryKeyboard, confirmKeyboard, kindKeyboard, locationKeyboard, photosKeyboard, urgencyKeyboard } from "../keyboards.ts";
import { ack, homeAddress, charCount, commandOf, MAX_PHOTOS, MAX_TEXT, flowId, outdated, residentState, tr } from "./common.ts";
import { showMenu } from "./registration.ts";

const DRAFT_ACTIONS = new Set(["kind", "cat", "pdone", "lskip", "urg", "conf", "edit", "cncl"]);
const withLead = (lead: string | undefined, text: string) => (lead ? `${lead}\n\n${text}` : text);

export async function draftPrompt(ctx: BotContext, d: Draft, lead?: string): Promise<void> {
  const t = tr(ctx);
  const { categories } = ctx.deps;
  switch (d.step) {
    case "kind":
      return ctx.out.text(withLead(lead, t("file-kind")), kindKeyboard(t, d.id));
    case "category":
      return ctx.out.text(withLead(lead, t("file-category", { kind: t(`kind-${d.kind}`) })), categoryKeyboard(t, categories, ctx.locale, d.id, d.kind!));
    case "description":
      return ctx.out.text(withLead(lead, t("file-description", { max: MAX_TEXT })));
    case "photos":
      return ctx.out.text(withLead(lead, t("file-photos", { max: MAX_PHOTOS })), photosKeyboard(t, d.id, d.photos.length));
    case "location":
      return ctx.out.text(withLead(lead, t("file-location")), locationKeyboard(t, d.id));
    case "urgency":
      return ctx.out.text(withLead(lead, t("file-urgency")), urgencyKeyboard(t, d.id));
    case "confirm":
      return ctx.out.text(withLead(lead, await summary(ctx, d)), confirmKeyboard(t, d.id));
  }
}

async function summary(ctx: BotContext, d: Draft): Promise<string> {
  const r = ctx.resident!;
  const { categories } = ctx.deps;
  return ctx.t("file-summary", {
    kind: ctx.t(`kind-${d.kind}`),
    category: categories.label(d.category!, ctx.locale),
    address: await homeAddress(ctx, r),
    description: d.description ?? "",
    photos: d.photos.length,
    location: ctx.t(d.latitude !== undefined ? "location-given" : "location-none"),
    urgent: ctx.t(d.urgent ? "yes" : "no"),
  });
}

/** Only verified residents may file; everyone else is told why. */
async function mayFile(ctx: BotContext): Promise<boolean> {
  const state = residentState(ctx);
  if (state === "verified") return true;
  await ctx.out.text(ctx.t(state === "pending" ? "status-pending" : state === "rejected" ? "status-rejected" : "not-registered"));
  return false;
}

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
  const r = ctx.resident!;
  const { case: c, created } = await ctx.deps.cases.file({
    sourceKey: `tg:draft:${d.id}`,
    channel: "telegram",
    residentId: r.id,
    kind: d.kind!,
    category: d.category!,
    description: d.description!,
    urgencyHint: d.urgent ?? false,
    estateId: r.estateId!,
    buildingId: r.buildingId,
    unitId: r.unitId,
    latitude: d.latitude ?? null,
    longitude: d.longitude ?? null,
    photos: d.photos,
    actor: { type: "resident", id: r.id },
  });
  ctx.session.lastFiled = { draftId: d.id, number: c.number };
  ctx.session.draft = undefined;
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  // A re-delivered Confirm (session not saved before a crash): the notifier spoke the first time.
  if (!created) await ctx.out.text(ctx.t("file-already", { number: c.number }));
}

async function onCallback(ctx: BotContext, cb: Callback): Promise<void> {
  if (!("tok" in cb)) return;
  if (cb.a === "conf") return confirm(ctx, cb.tok);
  const d = ctx.session.draft;
  if (d?.id !== cb.tok) return outdated(ctx);
  switch (cb.a) {
    case "cncl":
      ctx.session.draft = undefined;
      await ack(ctx);
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return showMenu(ctx, ctx.t("file-cancelled"));
    case "kind":
      if (d.step !== "kind") return outdated(ctx);
      Object.assign(d, { kind: cb.kind, step: "category" });
      break;
    case "cat":
      if (d.step !== "category" || !ctx.deps.categories.forKind(d.kind!).some((c) => c.code === cb.code)) return outdated(ctx);
      Object.assign(d, { category: cb.code, step: "description" });
      break;
    case "pdone":
      if (d.step !== "photos") return outdated(ctx);
      d.step = "location";
      break;
    case "lskip":
      if (d.step !== "location") return outdated(ctx);
      d.step = "urgency";
      break;
    case "urg":
      if (d.step !== "urgency") return outdated(ctx);
      Object.assign(d, { urgent: cb.urgent, step: "confirm" });
      break;
    case "edit":
      if (d.step !== "confirm") return outdated(ctx);
      Object.assign(d, { step: "description", editing: true });
      break;
    default:
      return outdated(ctx);
  }
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await draftPrompt(ctx, d);
}

async function onText(ctx: BotContext, d: Draft, text: string): Promise<void> {
  if (d.step !== "description") return draftPrompt(ctx, d, ctx.t("use-buttons"));
  const len = charCount(text);
  if (len > MAX_TEXT) return ctx.out.text(ctx.t("file-too-long", { len, max: MAX_TEXT }));
  if (text.trim() === "") return ctx.out.text(ctx.t("file-empty"));
  d.description = text.trim();
  d.step = d.editing ? "confirm" : "photos";
  d.editing = undefined;
  await draftPrompt(ctx, d);
}

async function onPhoto(ctx: BotContext, d: Draft): Promise<void> {
  // A photo sent before the text (often with the description as caption) is kept, not refused.
  const early = d.step === "description" && !d.editing;
  if (d.step !== "photos" && !early) return draftPrompt(ctx, d, ctx.t("not-expected"));
  const t = tr(ctx);
  if (d.photos.length >= MAX_PHOTOS) return ctx.out.text(t("file-photo-limit", { max: MAX_PHOTOS }), photosKeyboard(t, d.id, d.photos.length));
  const sizes = ctx.message!.photo!;
  const best = sizes[sizes.length - 1]!; // Telegram lists sizes smallest first
  d.photos.push({ fileId: best.file_id, fileUniqueId: best.file_unique_id });
  const counted = { n: d.photos.length, max: MAX_PHOTOS };
  if (early) {
    const caption = ctx.message!.caption?.trim() ?? "";
    if (caption === "" || charCount(caption) > MAX_TEXT) return ctx.out.text(t("file-photo-early", counted));
    d.description = caption;
    d.step = "photos";
  }
  await ctx.out.text(t("file-photo-added", counted), photosKeyboard(t, d.id, d.photos.length));
}

async function onLocation(ctx: BotContext, d: Draft): Promise<void> {
  if (d.step !== "location") return draftPrompt(ctx, d, ctx.t("not-expected"));
  const loc = ctx.message!.location!;
  Object.assign(d, { latitude: loc.latitude, longitude: loc.longitude, step: "urgency" });
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
  const input = c.on("message").filter((ctx) => !ctx.session.flow && ctx.session.draft !== undefined && commandOf(ctx) === null);
  input.on("message:text", (ctx) => onText(ctx, ctx.session.draft!, ctx.message.text));
  input.on("message:photo", (ctx) => onPhoto(ctx, ctx.session.draft!));
  input.on("message:location", (ctx) => onLocation(ctx, ctx.session.draft!));
  return c;
}
