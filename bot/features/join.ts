// Joining as staff: a company liaison with the company invite code (/liaison CODE, or the deep
// link /start join-CODE), an office member with the office invite code (/office CODE).
// One Telegram account is either a resident or a liaison: a registered resident is refused here
// (a liaison uses a separate account), and a liaison never reaches the resident menus.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import type { JoinFlow } from "../session.ts";
import { liaisonPickKeyboard, phoneKeyboard } from "../keyboards.ts";
import { ack, commandOf, displayName, flowId, newId, outdated, tr } from "./common.ts";

const MAX_CODE_TRIES = 5;
const MAX_NAME = 40;
const JOIN_PREFIX = "join-";

const argOf = (ctx: BotContext): string => (typeof ctx.match === "string" ? ctx.match.trim() : "");

async function startJoin(ctx: BotContext, code: string): Promise<void> {
  if (ctx.liaison) {
    const company = await ctx.deps.db.company.findUnique({ where: { id: ctx.liaison.companyId } });
    return ctx.out.text(ctx.t("join-already", { name: ctx.liaison.name, company: company?.name ?? "—" }));
  }
  if (ctx.resident) return ctx.out.text(ctx.t("join-is-resident"));
  const flow: JoinFlow = { t: "join", id: flowId(ctx), step: "code" };
  ctx.session.flow = flow;
  ctx.session.draft = undefined;
  if (!code) return ctx.out.text(ctx.t("join-ask-code"));
  await tryCode(ctx, flow, code);
}

async function tryCode(ctx: BotContext, flow: JoinFlow, raw: string): Promise<void> {
  const s = ctx.session;
  if ((s.joinTries ?? 0) >= MAX_CODE_TRIES) {
    s.flow = undefined;
    return ctx.out.text(ctx.t("join-locked"));
  }
  const company = await ctx.deps.db.company.findFirst({ where: { inviteCode: { equals: raw.trim(), mode: "insensitive" } } });
  if (!company) {
    s.joinTries = (s.joinTries ?? 0) + 1;
    return ctx.out.text(ctx.t("join-code-wrong", { left: MAX_CODE_TRIES - s.joinTries }));
  }
  s.joinTries = 0;
  flow.companyId = company.id;
  flow.step = "pick";
  const free = await ctx.deps.db.liaison.findMany({ where: { companyId: company.id, telegramUserId: null, active: true }, orderBy: { id: "asc" }, take: 20 });
  await ctx.out.text(ctx.t("join-pick", { company: company.name }), liaisonPickKeyboard(tr(ctx), flow.id, free));
}

/** Binds this Telegram account and chat to the Liaison row; the confirmation commits with it. */
async function bind(ctx: BotContext, companyId: number, liaisonId: number | null, name: string): Promise<boolean> {
  const { db } = ctx.deps;
  const user = BigInt(ctx.from!.id);
  const chatId = BigInt(ctx.chat!.id);
  // Their cards and messages come in their own language: their Telegram app's, until /language.
  const language = ctx.locale;
  const company = await db.company.findUniqueOrThrow({ where: { id: companyId } });
  try {
    await db.$transaction(async (tx) => {
      if (liaisonId !== null) {
        // Only an unclaimed row: two people pressing the same name, the second is refused.
        const n = await tx.liaison.updateMany({ where: { id: liaisonId, companyId, telegramUserId: null, active: true }, data: { telegramUserId: user, chatId, language } });
        if (n.count !== 1) throw new Taken();
      } else {
        await tx.liaison.create({ data: { companyId, code: `${company.code}-${newId().toLowerCase()}`, name, telegramUserId: user, chatId, language } });
      }
      const row = await tx.liaison.findUniqueOrThrow({ where: { telegramUserId: user } });
      await ctx.out.text(ctx.t("join-done", { name: row.name, company: company.name }), undefined, tx);
      // No phone in the directory yet: offer to share it (the web workspace /w/ signs in with it).
      if (!row.phone) await ctx.out.text(ctx.t("lia-phone-ask"), phoneKeyboard(tr(ctx)), tx);
    });
  } catch (err) {
    // Taken, or this account is already bound (unique telegramUserId).
    if (err instanceof Taken || (err as { code?: string }).code === "P2002") return false;
    throw err;
  }
  ctx.out.wakeNow();
  ctx.session.flow = undefined;
  return true;
}

class Taken extends Error {}

async function onPick(ctx: BotContext, tok: string, id: number): Promise<void> {
  const flow = ctx.session.flow;
  if (flow?.t !== "join" || flow.id !== tok || flow.step !== "pick" || !flow.companyId) return outdated(ctx);
  if (ctx.resident) return ack(ctx, ctx.t("join-is-resident"), true);
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  if (id === 0) {
    flow.step = "name";
    return ctx.out.text(ctx.t("join-ask-name", { max: MAX_NAME }));
  }
  if (!(await bind(ctx, flow.companyId, id, ""))) {
    flow.step = "code";
    await ctx.out.text(ctx.t("join-taken"));
    await tryCode(ctx, flow, (await ctx.deps.db.company.findUniqueOrThrow({ where: { id: flow.companyId } })).inviteCode);
  }
}

async function onText(ctx: BotContext, flow: JoinFlow): Promise<void> {
  const text = ctx.message?.text?.trim() ?? "";
  if (flow.step === "code") return text ? tryCode(ctx, flow, text) : ctx.out.text(ctx.t("join-ask-code"));
  if (flow.step === "pick") return ctx.out.text(ctx.t("use-buttons"));
  const name = text || displayName(ctx.from);
  if ([...name].length > MAX_NAME) return ctx.out.text(ctx.t("join-ask-name", { max: MAX_NAME }));
  if (!(await bind(ctx, flow.companyId!, null, name))) {
    ctx.session.flow = undefined;
    await ctx.out.text(ctx.t("join-taken"));
  }
}

async function joinOffice(ctx: BotContext): Promise<void> {
  const code = argOf(ctx);
  if (!code) return ctx.out.text(ctx.t("office-ask-code"));
  // A company liaison approving extensions would judge their own requests.
  if (ctx.liaison) return ctx.out.text(ctx.t("office-is-liaison"));
  const s = ctx.session;
  if ((s.joinTries ?? 0) >= MAX_CODE_TRIES) return ctx.out.text(ctx.t("join-locked"));
  const { db } = ctx.deps;
  const office = await db.office.findFirst({ where: { inviteCode: { equals: code, mode: "insensitive" } } });
  if (!office) {
    s.joinTries = (s.joinTries ?? 0) + 1;
    return ctx.out.text(ctx.t("join-code-wrong", { left: MAX_CODE_TRIES - s.joinTries }));
  }
  s.joinTries = 0;
  const user = BigInt(ctx.from!.id);
  const name = displayName(ctx.from);
  await db.$transaction(async (tx) => {
    await tx.officeMember.upsert({ where: { telegramUserId: user }, create: { telegramUserId: user, officeId: office.id, name, language: ctx.locale }, update: { officeId: office.id, name, language: ctx.locale } });
    await ctx.out.text(ctx.t("office-joined", { office: office.name }), undefined, tx);
  });
  ctx.out.wakeNow();
}

export function joinFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("liaison", (ctx) => startJoin(ctx, argOf(ctx)));
  // Deep link t.me/<bot>?start=join-CO-ANJU; any other /start goes on to the resident side.
  c.command("start", async (ctx, next) => {
    const payload = argOf(ctx);
    if (!payload.toLowerCase().startsWith(JOIN_PREFIX)) return next();
    await startJoin(ctx, payload.slice(JOIN_PREFIX.length));
  });
  c.command("office", joinOffice);
  c.filter((ctx) => ctx.cb?.a === "lj", (ctx) => (ctx.cb?.a === "lj" ? onPick(ctx, ctx.cb.tok, ctx.cb.id) : undefined));
  c.on("message:text").filter(
    (ctx) => ctx.session.flow?.t === "join" && commandOf(ctx) === null,
    (ctx) => onText(ctx, ctx.session.flow as JoinFlow),
  );
  return c;
}
