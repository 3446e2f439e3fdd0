// Helpers shared by the feature composers.
import crypto from "node:crypto";
import type { BotContext } from "../context.ts";
import type { Locale } from "../../core/cases/categories.ts";
import { plain, type Translate } from "../i18n.ts";
import { formatAddress } from "../render/format.ts";
import { charCount, INTAKE_LIMITS } from "../../core/cases/intake.ts";

/** The intake's limits (core/cases/intake.ts), the same on every channel. */
export const MAX_TEXT = INTAKE_LIMITS.maxDescription;
export const MAX_PHOTOS = INTAKE_LIMITS.maxPhotos;
export { charCount };

/** Random 8 url-safe characters (codes that need no replay safety). */
export const newId = (): string => crypto.randomBytes(6).toString("base64url");

/**
 * Flow and draft ids (they go into the flow's buttons): derived from the update, so an update handled
 * again after a crash (its reply already sent, the session not yet saved) makes the same id and the
 * buttons the person already holds keep working. Keyed with the bot token: unguessable for a forger.
 */
export const flowId = (ctx: BotContext): string =>
  crypto.createHmac("sha256", ctx.api.token).update(`${ctx.chat?.id ?? ctx.from?.id ?? ""}:${ctx.update.update_id}`).digest("base64url").slice(0, 8);

export const tr = (ctx: BotContext): Translate => (key, vars) => ctx.t(key, vars);

/** Texts for someone else's chat (the other side of a relay, an office group) in their locale. */
export const translateIn = (ctx: BotContext, locale: Locale): Translate => (key, vars) => ctx.i18n.fluent.translate(locale, key, plain(vars));


/** "和平小区 2号楼 1单元": the names of a home address in one statement (shown on confirm steps). */
export async function homeAddress(ctx: BotContext, ids: { estateId?: number | null; buildingId?: number | null; unitId?: number | null }): Promise<string> {
  const [row] = await ctx.deps.sql.query<{ estate: string | null; building: string | null; unit: string | null }>`
    SELECT (SELECT name FROM "Estate" WHERE id = ${ids.estateId ?? null}::int) AS estate,
      (SELECT name FROM "Building" WHERE id = ${ids.buildingId ?? null}::int) AS building,
      (SELECT name FROM "Unit" WHERE id = ${ids.unitId ?? null}::int) AS unit`;
  return formatAddress({ name: row?.estate ?? "" }, { name: row?.building ?? "" }, { name: row?.unit ?? "" });
}

/** answerCallbackQuery is the one direct call: it is time-critical and not a message. */
export async function ack(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery || ctx.acked) return;
  ctx.acked = true;
  try {
    await ctx.answerCallbackQuery(text ? { text, show_alert: alert } : undefined);
  } catch (err) {
    // Too old to answer (or a network blip): the update's real work must not fail for it.
    ctx.deps.log.debug({ err }, "answerCallbackQuery failed");
  }
}

export const outdated = (ctx: BotContext) => ack(ctx, ctx.t("btn-outdated"), true);

/** A bot command addressed to us at the start of the message ("/new", "/new@estate_bot"). */
export function commandOf(ctx: BotContext): string | null {
  const m = ctx.message;
  const e = m?.entities?.[0];
  if (!m?.text || !e || e.type !== "bot_command" || e.offset !== 0) return null;
  const [cmd, at] = m.text.slice(1, e.length).split("@");
  if (at && at.toLowerCase() !== ctx.me.username.toLowerCase()) return null;
  return cmd!.toLowerCase();
}

export function displayName(from: { first_name: string; last_name?: string } | undefined): string {
  // A Chinese name is family name first without a space («王丽», not «丽 王»); others "First Last".
  const parts = [from?.first_name, from?.last_name].filter((x): x is string => Boolean(x));
  const han = /^[\p{Script=Han}]+$/u;
  if (parts.length === 2 && parts.every((p) => han.test(p))) return `${parts[1]}${parts[0]}`.slice(0, 200);
  return parts.join(" ").slice(0, 200) || "—";
}

/** The sender's registration state, for the guards of filing and case views. */
export function residentState(ctx: BotContext): "none" | "pending" | "rejected" | "verified" {
  const r = ctx.resident;
  if (!r || r.estateId === null) return "none";
  return r.status;
}
