// The draft a resident is filing, whichever way it started (guided buttons or a plain message):
// which question comes next (none whose answer is known), how each step is shown, photos arriving
// at any time, and filing it. The composers in filing.ts and freetext.ts drive it.
import type { BotContext } from "../context.ts";
import type { Draft, DraftStep } from "../session.ts";
import {
  allCategoriesKeyboard,
  categoryKeyboard,
  confirmKeyboard,
  kindKeyboard,
  likelyCategoriesKeyboard,
  locationKeyboard,
  proposalKeyboard,
  urgencyKeyboard,
} from "../keyboards.ts";
import { homeAddress, MAX_PHOTOS, MAX_TEXT, tr } from "./common.ts";
import { eligibility, fileIntake, type IntakeRefusal } from "../../core/cases/intake.ts";

const withLead = (lead: string | undefined, text: string) => (lead ? `${lead}\n\n${text}` : text);

/**
 * The first unanswered question. The address comes from registration; an emergency category means
 * urgent; the location is asked only for the estate's shared spaces, and never of a proposal read
 * from a plain message (one tap confirms it).
 */
export function nextStep(ctx: BotContext, d: Draft): DraftStep {
  if (d.understood && !d.description) return "description";
  if (!d.kind) return "kind";
  if (!d.category) return "category";
  if (!d.description) return "description";
  const category = ctx.deps.categories.get(d.category);
  if (category?.emergency) d.urgent = true;
  if (category?.publicArea && !d.located && !d.understood) return "location";
  if (d.urgent === undefined) {
    if (!d.understood) return "urgency";
    d.urgent = false;
  }
  return "confirm";
}

export const advance = (ctx: BotContext, d: Draft): void => {
  d.step = nextStep(ctx, d);
};

/** The description is the resident's messages in order (an edit replaces its part). */
export function setDescriptionFromParts(d: Draft): void {
  d.description = (d.parts ?? []).map((p) => p.text).join("\n").slice(0, MAX_TEXT) || undefined;
}

export async function draftPrompt(ctx: BotContext, d: Draft, lead?: string): Promise<void> {
  const t = tr(ctx);
  const { categories } = ctx.deps;
  if (d.step === "photos") advance(ctx, d); // a draft stored before photos came at any time
  switch (d.step) {
    case "kind":
      return ctx.out.text(withLead(lead, t("file-kind")), kindKeyboard(t, d.id));
    case "category": {
      if (d.understood) {
        const likely = d.alternatives ?? [];
        const text = withLead(lead, t(d.description ? "ft-ask-category" : "file-category-any"));
        return ctx.out.text(text, likely.length > 0 ? likelyCategoriesKeyboard(t, categories, ctx.locale, d.id, likely) : allCategoriesKeyboard(t, categories, ctx.locale, d.id));
      }
      return ctx.out.text(withLead(lead, t("file-category", { kind: t(`kind-${d.kind}`) })), categoryKeyboard(t, categories, ctx.locale, d.id, d.kind!));
    }
    case "description":
      if (d.photos.length > 0 && !d.editing) return ctx.out.text(withLead(lead, t("file-photo-early", { n: d.photos.length, max: MAX_PHOTOS })));
      return ctx.out.text(withLead(lead, t("file-description", { max: MAX_TEXT })));
    case "location":
      return ctx.out.text(withLead(lead, t("file-location")), locationKeyboard(t));
    case "urgency":
      return ctx.out.text(withLead(lead, t("file-urgency")), urgencyKeyboard(t, d.id));
    case "confirm":
    default: {
      const body = await summary(ctx, d);
      if (d.understood) return ctx.out.text(withLead(lead, `${t("ft-proposal")}\n${body}`), proposalKeyboard(t, d.id));
      return ctx.out.text(withLead(lead, body), confirmKeyboard(t, d.id));
    }
  }
}

async function summary(ctx: BotContext, d: Draft): Promise<string> {
  const r = ctx.resident!;
  return ctx.t("file-summary", {
    kind: ctx.t(`kind-${d.kind}`),
    category: ctx.deps.categories.label(d.category!, ctx.locale),
    address: await homeAddress(ctx, r),
    description: d.description ?? "",
    photos: d.photos.length,
    location: ctx.t(d.latitude !== undefined ? "location-given" : "location-none"),
    urgent: ctx.t(d.urgent ? "yes" : "no"),
  });
}

/** The intake's refusals in the bot's words. */
async function tellRefusal(ctx: BotContext, r: IntakeRefusal): Promise<void> {
  if (r.code === "too_long") return ctx.out.text(ctx.t("file-too-long", { len: r.length, max: r.max }));
  if (r.code === "too_many_photos") return ctx.out.text(ctx.t("file-photo-limit", { max: r.max }));
  const key = { not_registered: "not-registered", pending: "status-pending", rejected: "status-rejected", empty: "file-empty", unknown_category: "btn-invalid", kind_not_offered: "btn-invalid" }[r.code];
  await ctx.out.text(ctx.t(key));
}

/** Who may file in the bot is the intake's decision (verified residents); everyone else is told why. */
export async function mayFile(ctx: BotContext): Promise<boolean> {
  const refused = eligibility("telegram", ctx.resident);
  if (!refused) return true;
  await tellRefusal(ctx, refused);
  return false;
}

/**
 * Files the draft through the intake (the draft id is its key: filing it twice gives one case); the
 * notifier tells the number. Null when the intake refused it (the resident has been told why).
 */
export async function fileDraft(ctx: BotContext, d: Draft): Promise<{ number: string; created: boolean; caseId: number } | null> {
  const r = ctx.resident!;
  const filed = await fileIntake(ctx.deps, {
    channel: "telegram",
    key: d.id,
    resident: r,
    kind: d.kind,
    category: d.category!,
    description: d.description ?? "",
    urgent: d.urgent ?? false,
    understood: d.understood ?? false,
    locale: ctx.locale,
    latitude: d.latitude ?? null,
    longitude: d.longitude ?? null,
    photos: d.photos,
    actor: { type: "resident", id: r.id },
  });
  if (!filed.ok) {
    await tellRefusal(ctx, filed.refusal);
    return null;
  }
  const { case: c, created } = filed;
  ctx.session.lastFiled = { draftId: d.id, number: c.number, caseId: c.id, ...(d.mediaGroup ? { mediaGroup: d.mediaGroup } : {}) };
  ctx.session.draft = undefined;
  return { number: c.number, created, caseId: c.id };
}

/**
 * A photo for the draft, at any step. The photos of one album (media group) arrive as separate
 * messages: the first is acknowledged, the rest are counted silently (`quiet`). False when refused.
 */
export async function addPhoto(ctx: BotContext, d: Draft, quiet: boolean): Promise<boolean> {
  const msg = ctx.message!;
  if (d.photos.length >= MAX_PHOTOS) {
    if (!quiet) await ctx.out.text(ctx.t("file-photo-limit", { max: MAX_PHOTOS }));
    return false;
  }
  const sizes = msg.photo!;
  const best = sizes[sizes.length - 1]!; // Telegram lists sizes smallest first
  d.photos.push({ fileId: best.file_id, fileUniqueId: best.file_unique_id });
  if (msg.media_group_id !== undefined) d.mediaGroup = msg.media_group_id;
  return true;
}

/** Whether this photo message belongs to an album already acknowledged (no reply of its own). */
export const inKnownAlbum = (ctx: BotContext, d: Draft | undefined): boolean =>
  ctx.message?.media_group_id !== undefined && d?.mediaGroup === ctx.message.media_group_id;
