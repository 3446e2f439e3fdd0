// /mycases: the resident's own cases, details with deadlines and latest events, and adding a
// message or photo (logged as a CaseEvent, passed on to the assigned liaison through the outbox).
import { Composer } from "grammy";
import { ACTIVE_STATES } from "../../core/cases/lifecycle.ts";
import type { BotContext } from "../context.ts";
import type { AddFlow } from "../session.ts";
import { caseKeyboard, CASES_PER_PAGE, casesKeyboard, replyToResidentKeyboard } from "../keyboards.ts";
import { ellipsis, formatAddress, formatTime } from "../render/format.ts";
import { ack, charCount, commandOf, MAX_TEXT, flowId, residentState, tr, translateIn } from "./common.ts";
import { addCasePhotos } from "../../core/attachments/case-photos.ts";
import { prismaHotSql } from "../../core/db/hot-sql.ts";
import { toLocale } from "../i18n.ts";

const EVENTS_SHOWN = 5;
// Event types with a label in the locale files (ev-<type>); others read as a generic "update".
const EVENT_TYPES = new Set(["filed", "hold", "release", "reject", "route", "unroutable", "assign", "accept", "resolve", "transfer", "startRevisit", "confirmFixed", "reopen", "closeNoAnswer", "officeClose", "message", "photo"]);
const withLead = (lead: string | undefined, text: string) => (lead ? `${lead}\n\n${text}` : text);

/** The case if it is this resident's own; a forged or foreign id reads as "not found". */
async function ownCase(ctx: BotContext, id: number) {
  const r = ctx.resident;
  if (!r) return null;
  return ctx.deps.db.case.findFirst({ where: { id, residentId: r.id }, include: { estate: true, building: true, unit: true } });
}

async function list(ctx: BotContext, page: number): Promise<void> {
  if (residentState(ctx) === "none") return void (await ctx.out.text(ctx.t("not-registered")));
  const { db, categories } = ctx.deps;
  const where = { residentId: ctx.resident!.id };
  const total = await db.case.count({ where });
  if (total === 0) return void (await ctx.out.text(ctx.t("mycases-empty")));
  const pages = Math.ceil(total / CASES_PER_PAGE);
  const p = Math.min(page, pages - 1);
  const rows = await db.case.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: p * CASES_PER_PAGE, take: CASES_PER_PAGE });
  const items = rows.map((c) => ({ id: c.id, label: ellipsis(`${c.number} · ${categories.label(c.category, ctx.locale)} · ${ctx.t(`state-${c.state}`)}`, 60) }));
  await ctx.out.text(ctx.t("mycases-title", { page: p + 1, pages }), casesKeyboard(tr(ctx), items, p, pages));
}

async function details(ctx: BotContext, id: number): Promise<void> {
  const c = await ownCase(ctx, id);
  if (!c) return ack(ctx, ctx.t("case-not-found"), true);
  await ack(ctx);
  const { db, categories, timezone } = ctx.deps;
  const none = ctx.t("case-no-due");
  const events = await db.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { id: "desc" }, take: EVENTS_SHOWN });
  const evLine = (e: (typeof events)[number]) => {
    const label = ctx.t(EVENT_TYPES.has(e.type) ? `ev-${e.type}` : "ev-other");
    return `· ${formatTime(e.at, timezone)} ${label}${e.note && (e.type === "message" || e.type === "resolve") ? `: ${ellipsis(e.note, 80)}` : ""}`;
  };
  const text = [
    ctx.t("case-detail", {
      number: c.number,
      kind: ctx.t(`kind-${c.kind}`),
      category: categories.label(c.category, ctx.locale),
      state: ctx.t(`state-${c.state}`),
      address: formatAddress(c.estate, c.building, c.unit),
      created: formatTime(c.createdAt, timezone)!,
      response: formatTime(c.responseDueAt, timezone) ?? none,
      resolution: formatTime(c.resolutionDueAt, timezone) ?? none,
      description: ellipsis(c.description, 1500),
    }),
    "",
    ctx.t("case-events"),
    ...events.reverse().map(evLine),
  ].join("\n");
  // While resolved or in revisit the resident can say "not fixed" without waiting for the question.
  await ctx.out.text(text, caseKeyboard(tr(ctx), c.id, ACTIVE_STATES.includes(c.state), c.state === "resolved" || c.state === "revisit"));
}

export async function addPrompt(ctx: BotContext, flow: AddFlow, lead?: string): Promise<void> {
  const c = await ctx.deps.db.case.findUnique({ where: { id: flow.caseId } });
  const number = c?.number ?? "";
  await ctx.out.text(withLead(lead, flow.what === "text" ? ctx.t("add-message-prompt", { number, max: MAX_TEXT }) : ctx.t("add-photo-prompt", { number })));
}

async function startAdd(ctx: BotContext, id: number, what: AddFlow["what"]): Promise<void> {
  const c = await ownCase(ctx, id);
  if (!c) return ack(ctx, ctx.t("case-not-found"), true);
  await ack(ctx);
  if (!ACTIVE_STATES.includes(c.state)) return ctx.out.text(ctx.t("add-closed", { number: c.number }));
  const flow: AddFlow = { t: "add", id: flowId(ctx), caseId: c.id, what };
  ctx.session.flow = flow;
  await addPrompt(ctx, flow);
}

async function onInput(ctx: BotContext, flow: AddFlow): Promise<void> {
  const msg = ctx.message!;
  const c = await ownCase(ctx, flow.caseId);
  if (!c) {
    ctx.session.flow = undefined;
    return ctx.out.text(ctx.t("case-not-found"));
  }
  if (!ACTIVE_STATES.includes(c.state)) {
    ctx.session.flow = undefined;
    return ctx.out.text(ctx.t("add-closed", { number: c.number }));
  }
  if (flow.what === "text" && msg.text === undefined) return addPrompt(ctx, flow, ctx.t("add-want-text"));
  if (flow.what === "photo" && !msg.photo) return addPrompt(ctx, flow, ctx.t("add-want-photo"));
  if (msg.text !== undefined) {
    const len = charCount(msg.text);
    if (len > MAX_TEXT) return ctx.out.text(ctx.t("file-too-long", { len, max: MAX_TEXT }));
    if (msg.text.trim() === "") return addPrompt(ctx, flow, ctx.t("add-want-text"));
  }

  const { db, cases, defaultLocale } = ctx.deps;
  const r = ctx.resident!;
  const actor = { type: "resident" as const, id: r.id };
  const liaison = c.liaisonId ? await db.liaison.findUnique({ where: { id: c.liaisonId } }) : null;
  // No liaison to tell (unroutable, or none linked to a chat yet): the street office handles the case then.
  const office = liaison?.active && liaison.chatId ? null : await db.office.findUnique({ where: { streetId: c.streetId } });
  const liaisonChat = (liaison?.active ? liaison.chatId : null) ?? office?.chatId ?? null;
  // In the reader's language: the liaison's, or the street office's when its group gets it instead.
  const lt = translateIn(ctx, toLocale(liaison?.active && liaison.chatId ? liaison.language : office?.language, defaultLocale));
  // A liaison can answer through the bot (never the office group: that is not a liaison's chat).
  const reply = liaison?.active && liaison.chatId ? { reply_markup: replyToResidentKeyboard(lt, c.id) } : {};
  await db.$transaction(async (tx) => {
    if (msg.photo) {
      const best = msg.photo[msg.photo.length - 1]!;
      const caption = msg.caption?.slice(0, 1000);
      await addCasePhotos(prismaHotSql(tx), c.id, [{ fileId: best.file_id, fileUniqueId: best.file_unique_id, caption }], { addedBy: "resident", at: ctx.deps.clock.now() });
      await cases.record(c.id, "photo", actor, caption, { fileId: best.file_id, direction: "to_liaison" }, tx);
      if (liaisonChat) {
        const text = lt("liaison-photo", { number: c.number }) + (caption ? `\n${caption}` : "");
        await ctx.out.to(tx, liaisonChat, "sendPhoto", { photo: best.file_id, caption: text, ...reply }, c.id);
      }
    } else {
      const text = msg.text!.trim();
      await cases.record(c.id, "message", actor, text, { direction: "to_liaison" }, tx);
      if (liaisonChat) await ctx.out.to(tx, liaisonChat, "sendMessage", { text: lt("liaison-message", { number: c.number, text }), ...reply }, c.id);
    }
    await ctx.out.text(ctx.t("add-sent", { number: c.number }), undefined, tx);
  });
  ctx.out.wakeNow();
  ctx.session.flow = undefined;
}

export function mycasesFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("mycases", (ctx) => list(ctx, 0));
  c.filter((ctx) => ctx.cb?.a === "menu" && ctx.cb.item === "mine", async (ctx) => {
    await ack(ctx);
    await list(ctx, 0);
  });
  c.filter((ctx) => ctx.cb?.a === "cl", async (ctx) => {
    await ack(ctx);
    if (ctx.cb?.a === "cl") await list(ctx, ctx.cb.page);
  });
  c.filter((ctx) => ctx.cb?.a === "co", (ctx) => (ctx.cb?.a === "co" ? details(ctx, ctx.cb.id) : undefined));
  c.filter((ctx) => ctx.cb?.a === "cm" || ctx.cb?.a === "cp", (ctx) => {
    const cb = ctx.cb as { a: "cm" | "cp"; id: number };
    return startAdd(ctx, cb.id, cb.a === "cm" ? "text" : "photo");
  });
  c.on("message").filter(
    (ctx) => ctx.session.flow?.t === "add" && (ctx.message.text !== undefined || ctx.message.photo !== undefined) && commandOf(ctx) === null,
    (ctx) => onInput(ctx, ctx.session.flow as AddFlow),
  );
  return c;
}
