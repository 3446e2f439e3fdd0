// /start: estate → building → unit → invite code or approval request → optional phone. The language
// is the Telegram app's (changed with /language); estates and buildings can be typed (name, pinyin,
// initials: core/directory/place-search.ts) as well as tapped.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { RegFlow } from "../session.ts";
import type { CallbackOf } from "../callbacks.ts";
import { approvalKeyboard, buildingsKeyboard, estateMatchesKeyboard, ESTATES_PER_PAGE, estatesKeyboard, languageKeyboard, mainMenu, phoneKeyboard, removeKeyboard, unitsKeyboard } from "../keyboards.ts";
import { searchPlaces } from "../../core/directory/place-search.ts";
import { ack, homeAddress, commandOf, displayName, flowId, outdated, residentState, tr } from "./common.ts";

const MAX_CODE_TRIES = 5;
const REG_ACTIONS = new Set(["est", "estp", "ests", "bld", "unit", "appr"]);
/** Above this many buildings the prompt says they can be typed. */
const MANY_BUILDINGS = 12;

const withLead = (lead: string | undefined, text: string) => (lead ? `${lead}\n\n${text}` : text);

export async function showMenu(ctx: BotContext, lead?: string): Promise<void> {
  const state = residentState(ctx);
  if (state === "none") return void (await ctx.out.text(withLead(lead, ctx.t("not-registered"))));
  const status = state === "pending" ? ctx.t("status-pending") : state === "rejected" ? ctx.t("status-rejected") : undefined;
  await ctx.out.text(withLead([lead, status].filter(Boolean).join("\n\n") || undefined, ctx.t("menu")), mainMenu(tr(ctx)));
}

/** (Re-)shows the current registration step with its buttons. */
export async function regPrompt(ctx: BotContext, flow: RegFlow, lead?: string): Promise<void> {
  const { db } = ctx.deps;
  const t = tr(ctx);
  switch (flow.step) {
    case "lang":
      return ctx.out.text(withLead(lead, `${ctx.t("reg-welcome")}\n\n${ctx.t("lang-choose")}`), languageKeyboard());
    case "estate": {
      const total = await db.estate.count();
      const pages = Math.max(1, Math.ceil(total / ESTATES_PER_PAGE));
      const page = Math.min(flow.page, pages - 1);
      const estates = await db.estate.findMany({ orderBy: { id: "asc" }, skip: page * ESTATES_PER_PAGE, take: ESTATES_PER_PAGE, select: { id: true, name: true } });
      return ctx.out.text(withLead(lead, `${ctx.t("reg-estate", { page: page + 1, pages })}\n${ctx.t("reg-estate-type")}`), estatesKeyboard(t, flow.id, estates, page, pages));
    }
    case "building": {
      const estate = await db.estate.findUniqueOrThrow({ where: { id: flow.estateId! }, include: { buildings: { orderBy: { id: "asc" } } } });
      const text = ctx.t("reg-building", { estate: estate.name }) + (estate.buildings.length > MANY_BUILDINGS ? `\n${ctx.t("reg-building-type")}` : "");
      return ctx.out.text(withLead(lead, text), buildingsKeyboard(flow.id, estate.buildings));
    }
    case "unit": {
      const building = await db.building.findUniqueOrThrow({ where: { id: flow.buildingId! }, include: { estate: true, units: { orderBy: { id: "asc" } } } });
      return ctx.out.text(withLead(lead, ctx.t("reg-unit", { estate: building.estate.name, building: building.name })), unitsKeyboard(flow.id, building.units));
    }
    case "verify": {
      const text = flow.tries >= MAX_CODE_TRIES ? ctx.t("reg-code-locked") : ctx.t("reg-verify", { address: await homeAddress(ctx, flow) });
      return ctx.out.text(withLead(lead, text), approvalKeyboard(t, flow.id));
    }
    case "phone":
      return ctx.out.text(withLead(lead, ctx.t("reg-phone")), phoneKeyboard(t));
  }
}

export async function startRegistration(ctx: BotContext): Promise<void> {
  // A newcomer gets their Telegram app's language without being asked (/language changes it).
  const flow: RegFlow = { t: "reg", id: flowId(ctx), step: "estate", page: 0, tries: 0 };
  ctx.session.flow = flow;
  ctx.session.lang ??= ctx.locale;
  const lead = residentState(ctx) === "rejected" ? ctx.t("reg-restart") : ctx.resident ? undefined : ctx.t("reg-welcome");
  await regPrompt(ctx, flow, lead);
}

/** Called by /language when the newcomer picks a language at the first step. */
export async function afterLanguageChosen(ctx: BotContext, flow: RegFlow): Promise<void> {
  flow.step = "estate";
  await regPrompt(ctx, flow);
}

/** Creates or updates the Resident for the chosen address; the confirmation commits with it. */
async function saveResident(ctx: BotContext, flow: RegFlow, status: "verified" | "pending"): Promise<void> {
  const { db } = ctx.deps;
  const address = await homeAddress(ctx, flow);
  const from = ctx.from!;
  const fields = {
    chatId: BigInt(ctx.chat!.id),
    name: displayName(from),
    language: ctx.locale,
    status,
    estateId: flow.estateId!,
    buildingId: flow.buildingId!,
    unitId: flow.unitId!,
    blockedAt: null,
  };
  ctx.resident = await db.$transaction(async (tx) => {
    const r = await tx.resident.upsert({ where: { telegramUserId: BigInt(from.id) }, create: { telegramUserId: BigInt(from.id), ...fields }, update: fields });
    await ctx.out.text(ctx.t(status === "verified" ? "reg-verified" : "reg-pending", { address }), undefined, tx);
    return r;
  });
  ctx.out.wakeNow();
  flow.step = "phone";
  await regPrompt(ctx, flow);
}

async function finish(ctx: BotContext, text: string): Promise<void> {
  ctx.session.flow = undefined;
  await ctx.out.text(text, removeKeyboard);
  await showMenu(ctx);
}

/** A typed estate name (or pinyin, or initials): the matches as buttons, or the list again. */
async function findEstate(ctx: BotContext, flow: RegFlow, typed: string): Promise<void> {
  const estates = await ctx.deps.db.estate.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true } });
  const found = searchPlaces(estates, typed);
  if (found.length === 0) return regPrompt(ctx, flow, ctx.t("reg-estate-none", { text: typed.trim().slice(0, 40) }));
  await ctx.out.text(ctx.t("reg-estate-found", { n: found.length }), estateMatchesKeyboard(tr(ctx), flow.id, found));
}

/** A typed building ("3", "3号楼"): the matches as buttons, or all of them again. */
async function findBuilding(ctx: BotContext, flow: RegFlow, typed: string): Promise<void> {
  const buildings = await ctx.deps.db.building.findMany({ where: { estateId: flow.estateId! }, orderBy: { id: "asc" }, select: { id: true, name: true } });
  const found = searchPlaces(buildings, typed, 24);
  if (found.length === 0) return regPrompt(ctx, flow, ctx.t("reg-building-none", { text: typed.trim().slice(0, 40) }));
  await ctx.out.text(ctx.t("reg-building-found", { n: found.length }), buildingsKeyboard(flow.id, found));
}

async function onCallback(ctx: BotContext, cb: CallbackOf<"est" | "estp" | "ests" | "bld" | "unit" | "appr">): Promise<void> {
  const { db } = ctx.deps;
  const flow = ctx.session.flow;
  if (flow?.t !== "reg" || flow.id !== cb.tok) return outdated(ctx);
  const at = (step: RegFlow["step"]) => flow.step === step;
  switch (cb.a) {
    case "estp":
      if (!at("estate")) return outdated(ctx);
      flow.page = cb.page;
      break;
    case "ests":
      if (!at("estate")) return outdated(ctx);
      flow.page = 0;
      break;
    case "est": {
      if (!at("estate") || !(await db.estate.findUnique({ where: { id: cb.id } }))) return outdated(ctx);
      Object.assign(flow, { estateId: cb.id, step: "building" });
      break;
    }
    case "bld": {
      const b = await db.building.findUnique({ where: { id: cb.id } });
      if (!at("building") || b?.estateId !== flow.estateId) return outdated(ctx);
      Object.assign(flow, { buildingId: cb.id, step: "unit" });
      break;
    }
    case "unit": {
      const u = await db.unit.findUnique({ where: { id: cb.id } });
      if (!at("unit") || u?.buildingId !== flow.buildingId) return outdated(ctx);
      Object.assign(flow, { unitId: cb.id, step: "verify" });
      break;
    }
    case "appr":
      if (!at("verify")) return outdated(ctx);
      await ack(ctx);
      await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
      return saveResident(ctx, flow, "pending");
  }
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await regPrompt(ctx, flow);
}

async function onMessage(ctx: BotContext, flow: RegFlow): Promise<void> {
  const msg = ctx.message!;
  if (flow.step === "estate" && msg.text !== undefined) return findEstate(ctx, flow, msg.text);
  if (flow.step === "building" && msg.text !== undefined) return findBuilding(ctx, flow, msg.text);
  if (flow.step === "verify" && msg.text !== undefined) {
    if (flow.tries >= MAX_CODE_TRIES) return regPrompt(ctx, flow);
    const estate = await ctx.deps.db.estate.findUniqueOrThrow({ where: { id: flow.estateId! } });
    if (msg.text.trim().toUpperCase() === estate.inviteCode.toUpperCase()) return saveResident(ctx, flow, "verified");
    flow.tries++;
    if (flow.tries >= MAX_CODE_TRIES) return regPrompt(ctx, flow);
    return ctx.out.text(ctx.t("reg-code-wrong", { left: MAX_CODE_TRIES - flow.tries }), approvalKeyboard(tr(ctx), flow.id));
  }
  if (flow.step === "phone") {
    if (msg.contact) {
      // A forwarded or picked contact is someone else's number: only the sender's own is accepted.
      if (msg.contact.user_id !== ctx.from!.id) return regPrompt(ctx, flow, ctx.t("reg-phone-not-own"));
      const phone = msg.contact.phone_number.slice(0, 32);
      ctx.resident = await ctx.deps.db.resident.update({ where: { telegramUserId: BigInt(ctx.from!.id) }, data: { phone } });
      return finish(ctx, ctx.t("reg-phone-saved"));
    }
    if (msg.text?.trim() === ctx.t("btn-skip")) return finish(ctx, ctx.t("reg-phone-skipped"));
  }
  return regPrompt(ctx, flow, ctx.t("use-buttons"));
}

export function registrationFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("start", async (ctx) => {
    const state = residentState(ctx);
    if (state === "verified" || state === "pending") {
      const flow = ctx.session.flow;
      if (flow?.t === "reg") {
        ctx.session.flow = undefined;
        // Left at the optional phone step: take the contact keyboard away.
        if (flow.step === "phone") await ctx.out.text(ctx.t("reg-phone-skipped"), removeKeyboard);
      }
      return showMenu(ctx);
    }
    await startRegistration(ctx);
  });
  c.filter((ctx) => ctx.cb !== null && REG_ACTIONS.has(ctx.cb.a), (ctx) => onCallback(ctx, ctx.cb as CallbackOf<"est" | "estp" | "ests" | "bld" | "unit" | "appr">));
  c.on("message").filter(
    // Other media fall through to the fallback, which answers them and re-shows this step.
    (ctx) => ctx.session.flow?.t === "reg" && (ctx.message.text !== undefined || ctx.message.contact !== undefined) && commandOf(ctx) === null,
    (ctx) => onMessage(ctx, ctx.session.flow as RegFlow),
  );
  return c;
}
