// The liaison's side: case cards with Accept · Message resident · Resolve · Ask extension · Not ours,
// the multi-step flows behind them, and /cases. A liaison acts only on their company's cases; a
// button for another company's case, or for a state the case has left, is refused and changes nothing.
//
// Keeping the card current: the pressed message loses its buttons and a short status line with the
// buttons valid for the new state follows. So the newest message always carries the live buttons,
// and an older card pressed anyway is refused by the state check (CaseService.apply's `expect`).
import { Composer } from "grammy";
import type { CaseState } from "../../core/cases/lifecycle.ts";
import { canApply, LIAISON_OPEN_STATES, TransitionError } from "../../core/cases/lifecycle.ts";
import type { Actor, CaseRow } from "../../core/cases/case-service.ts";
import { addDuration } from "../../core/clocks/deadlines.ts";
import { fromLocal } from "../../core/clocks/zoned-time.ts";
import type { BotContext } from "../context.ts";
import type { CaseFlow } from "../session.ts";
import { extensionDaysKeyboard, extensionDecisionKeyboard, liaisonCaseKeyboard, liaisonCasesKeyboard, phoneKeyboard, removeKeyboard, replyToLiaisonKeyboard, resolvePhotoKeyboard } from "../keyboards.ts";
import { maskedPhone, normalPhone } from "../../core/access/phone-codes.ts";
import { renderCaseCard } from "../render/caseCard.ts";
import { ellipsis, formatTime } from "../render/format.ts";
import { toLocale } from "../i18n.ts";
import { addCasePhotos } from "../../core/attachments/case-photos.ts";
import { prismaHotSql } from "../../core/db/hot-sql.ts";
import { liaisonMayWork } from "../../core/access/permissions.ts";
import { ack, charCount, commandOf, MAX_PHOTOS, MAX_TEXT, flowId, outdated, tr, translateIn } from "./common.ts";
import { enqueue } from "../../core/delivery/outbox.ts";
import { chooseChannels } from "../../core/delivery/channels/choose.ts";
import { robotNotice } from "../../core/delivery/robots/robot-messages.ts";

const LIAISON_OPEN: readonly CaseState[] = LIAISON_OPEN_STATES;
// The resident can still be written to after resolution (until the revisit closes the case).
const MESSAGE_STATES: readonly CaseState[] = [...LIAISON_OPEN, "resolved", "revisit"];
const CASES_SHOWN = 30;
const EXTENSION_DAYS = [1, 2, 3];

const include = { estate: true, building: true, unit: true } as const;
const actorOf = (ctx: BotContext): Actor => ({ type: "liaison", id: ctx.liaison!.id });

/** The case if it belongs to the liaison's company; anything else reads as "not yours". */
async function companyCase(ctx: BotContext, id: number): Promise<CaseRow | null> {
  const c = await ctx.deps.db.case.findUnique({ where: { id }, include });
  return c && liaisonMayWork({ companyId: ctx.liaison!.companyId }, c) ? c : null;
}

const notYours = (ctx: BotContext) => ack(ctx, ctx.t("lia-not-yours"), true);
const stale = (ctx: BotContext, number: string, state: CaseState) => ack(ctx, ctx.t("lia-stale", { number, state: ctx.t(`state-${state}`) }), true);

/** What a liaison's "next deadline" is: the response one until accepted, then resolution. */
function nextDue(c: { state: CaseState; responseDueAt: Date | null; resolutionDueAt: Date | null }): Date | null {
  return c.state === "routed" ? (c.responseDueAt ?? c.resolutionDueAt) : c.resolutionDueAt;
}

/** After a change: the pressed message loses its buttons, a status line carries the live ones. */
async function statusLine(ctx: BotContext, c: { id: number; number: string; state: CaseState }, lead: string, pressedMsgId?: number): Promise<void> {
  await ctx.out.clearButtons(pressedMsgId);
  const kb = liaisonCaseKeyboard(tr(ctx), c.id, c.state);
  await ctx.out.text(`${lead}\n${ctx.t("lia-status", { number: c.number, state: ctx.t(`state-${c.state}`) })}`, kb.inline_keyboard.length ? kb : undefined);
}

// ---- /cases and opening a card ----

async function list(ctx: BotContext): Promise<void> {
  const l = ctx.liaison!;
  const { db, timezone, clock } = ctx.deps;
  // Own cases, and the company's cases nobody in particular was named for.
  const rows = await db.case.findMany({ where: { companyId: l.companyId, state: { in: [...LIAISON_OPEN] }, OR: [{ liaisonId: l.id }, { liaisonId: null }] }, take: 500 });
  if (rows.length === 0) return void (await ctx.out.text(ctx.t("lia-cases-empty")));
  const now = clock.now().getTime();
  const far = Number.MAX_SAFE_INTEGER;
  rows.sort((a, b) => (nextDue(a)?.getTime() ?? far) - (nextDue(b)?.getTime() ?? far) || a.id - b.id);
  const shown = rows.slice(0, CASES_SHOWN);
  const items = shown.map((c) => {
    const due = nextDue(c);
    const overdue = due !== null && due.getTime() < now;
    const when = formatTime(due, timezone) ?? ctx.t("case-no-due");
    return { id: c.id, label: ellipsis(`${overdue ? "⏰ " : ""}${c.number} · ${ctx.t(`state-${c.state}`)} · ${when}`, 60) };
  });
  const overdue = shown.filter((c) => (nextDue(c)?.getTime() ?? far) < now).length;
  const more = rows.length > shown.length ? `\n${ctx.t("lia-cases-more", { n: rows.length - shown.length })}` : "";
  await ctx.out.text(ctx.t("lia-cases-title", { n: rows.length, overdue }) + more, liaisonCasesKeyboard(items));
}

async function openCard(ctx: BotContext, id: number): Promise<void> {
  const c = await companyCase(ctx, id);
  if (!c) return notYours(ctx);
  await ack(ctx);
  const { db, categories, timezone } = ctx.deps;
  const [company, photos, resident] = await Promise.all([
    db.company.findUnique({ where: { id: ctx.liaison!.companyId } }),
    db.attachment.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } }),
    c.residentId ? db.resident.findUnique({ where: { id: c.residentId } }) : null,
  ]);
  const text = renderCaseCard(tr(ctx), categories, ctx.locale, timezone, { c, companyName: company?.name, photos, phone: resident?.phone, state: c.state });
  const kb = liaisonCaseKeyboard(tr(ctx), c.id, c.state);
  await ctx.out.text(text, kb.inline_keyboard.length ? kb : undefined);
}

// ---- Accept ----

async function accept(ctx: BotContext, id: number): Promise<void> {
  const c = await companyCase(ctx, id);
  if (!c) return notYours(ctx);
  let fresh: CaseRow;
  try {
    fresh = await ctx.deps.cases.apply(c.id, "accept", actorOf(ctx), {
      expect: ["routed", "reopened"],
      // Whoever accepts owns the case from now on (the first acceptance time is kept: lifecycle).
      liaison: ctx.liaison!,
    });
  } catch (err) {
    if (err instanceof TransitionError) return stale(ctx, c.number, err.state);
    throw err;
  }
  await ack(ctx, ctx.t("lia-accepted-ack"));
  await statusLine(ctx, fresh, ctx.t("lia-accepted", { number: fresh.number }), ctx.callbackQuery?.message?.message_id);
}

// ---- flows: message resident, resolve, ask extension, not ours ----

const FLOW_OF = { lm: "message", lr: "resolve-note", lx: "ext-reason", ln: "transfer" } as const;
type FlowButton = keyof typeof FLOW_OF;

async function startFlow(ctx: BotContext, button: FlowButton, id: number): Promise<void> {
  const c = await companyCase(ctx, id);
  if (!c) return notYours(ctx);
  const step = FLOW_OF[button];
  const allowed =
    step === "message" ? MESSAGE_STATES.includes(c.state) : step === "resolve-note" ? canApply("resolve", c.state) : step === "transfer" ? canApply("transfer", c.state) : LIAISON_OPEN.includes(c.state);
  if (!allowed) return stale(ctx, c.number, c.state);
  if (step === "message" && !c.residentId) return ack(ctx, ctx.t("lia-no-resident"), true);
  if (step === "ext-reason") {
    if (!c.resolutionDueAt) return ack(ctx, ctx.t("lia-ext-no-due"), true);
    const pending = await ctx.deps.db.extensionRequest.findFirst({ where: { caseId: c.id, status: "pending" } });
    if (pending) return ack(ctx, ctx.t("lia-ext-pending", { number: c.number }), true);
  }
  await ack(ctx);
  const flow: CaseFlow = { t: "case", id: flowId(ctx), caseId: c.id, step, msgId: ctx.callbackQuery?.message?.message_id };
  ctx.session.flow = flow;
  await prompt(ctx, flow, c);
}

async function prompt(ctx: BotContext, flow: CaseFlow, c: CaseRow, lead?: string): Promise<void> {
  const withLead = (text: string) => (lead ? `${lead}\n\n${text}` : text);
  const n = { number: c.number, max: MAX_TEXT };
  switch (flow.step) {
    case "message":
      return ctx.out.text(withLead(ctx.t("lia-message-prompt", n)));
    case "resolve-note":
      return ctx.out.text(withLead(ctx.t("lia-resolve-prompt", n)));
    case "resolve-photo":
      return ctx.out.text(withLead(ctx.t("lia-resolve-photo", { max: MAX_PHOTOS })), resolvePhotoKeyboard(tr(ctx), flow.id, flow.photos?.length ?? 0));
    case "ext-reason":
      return ctx.out.text(withLead(ctx.t("lia-ext-reason", n)));
    case "ext-date": {
      const options = extensionOptions(ctx, c).map((o) => ({ n: o.n, label: ctx.t("btn-l-ext-days", { n: o.n, due: formatTime(o.due, ctx.deps.timezone)! }) }));
      return ctx.out.text(withLead(ctx.t("lia-ext-date", { due: formatTime(c.resolutionDueAt, ctx.deps.timezone) ?? "—" })), extensionDaysKeyboard(options, flow.id));
    }
    case "transfer":
      return ctx.out.text(withLead(ctx.t("lia-transfer-prompt", n)));
  }
}

/** +1/+2/+3 working days from the current resolution deadline (core/clocks/deadlines.ts, the one place). */
function extensionOptions(ctx: BotContext, c: CaseRow): { n: number; due: Date }[] {
  if (!c.resolutionDueAt) return [];
  const dctx = { timezone: ctx.deps.timezone, calendar: ctx.deps.calendar() };
  return EXTENSION_DAYS.map((n) => ({ n, due: addDuration(c.resolutionDueAt!, { amount: n, unit: "workdays" }, dctx) }));
}

/** "2026-12-01 18:00" in the configured zone; null when not a real date and time. */
function parseLocal(text: string, timezone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const at = fromLocal(y, mo, d, h, mi, timezone);
  // fromLocal rolls 2026-02-30 over into March: reject dates that do not exist.
  return formatTime(at, timezone) === `${m[1]}-${m[2]}-${m[3]} ${String(h).padStart(2, "0")}:${m[5]}` ? at : null;
}

/** The flow's case, still the company's; otherwise the flow ends with a clear word. */
async function flowCase(ctx: BotContext, flow: CaseFlow): Promise<CaseRow | null> {
  const c = await companyCase(ctx, flow.caseId);
  if (!c) {
    ctx.session.flow = undefined;
    await ctx.out.text(ctx.t("lia-flow-gone"));
  }
  return c;
}

async function onInput(ctx: BotContext, flow: CaseFlow): Promise<void> {
  const msg = ctx.message!;
  const c = await flowCase(ctx, flow);
  if (!c) return;
  const text = msg.text?.trim();
  if (msg.text !== undefined && charCount(msg.text) > MAX_TEXT) return ctx.out.text(ctx.t("file-too-long", { len: charCount(msg.text), max: MAX_TEXT }));
  switch (flow.step) {
    case "message":
      if (msg.photo) return relayToResident(ctx, flow, c);
      return text ? relayToResident(ctx, flow, c) : prompt(ctx, flow, c, ctx.t("add-want-text"));
    case "resolve-note":
      if (!text) return prompt(ctx, flow, c, ctx.t("add-want-text"));
      flow.note = text;
      flow.step = "resolve-photo";
      flow.photos = [];
      return prompt(ctx, flow, c);
    case "resolve-photo": {
      if (!msg.photo) return prompt(ctx, flow, c, ctx.t("lia-resolve-photo-only"));
      const photos = (flow.photos ??= []);
      if (photos.length >= MAX_PHOTOS) return prompt(ctx, flow, c, ctx.t("file-photo-limit", { max: MAX_PHOTOS }));
      photos.push(msg.photo[msg.photo.length - 1]!.file_id);
      return ctx.out.text(ctx.t("file-photo-added", { n: photos.length, max: MAX_PHOTOS }), resolvePhotoKeyboard(tr(ctx), flow.id, photos.length));
    }
    case "ext-reason":
      if (!text) return prompt(ctx, flow, c, ctx.t("add-want-text"));
      flow.reason = text;
      flow.step = "ext-date";
      return prompt(ctx, flow, c);
    case "ext-date": {
      const due = text ? parseLocal(text, ctx.deps.timezone) : null;
      if (!due) return prompt(ctx, flow, c, ctx.t("lia-ext-bad-date"));
      return requestExtension(ctx, flow, c, due);
    }
    case "transfer":
      if (!text) return prompt(ctx, flow, c, ctx.t("add-want-text"));
      return transfer(ctx, flow, c, text);
  }
}

/** One message (text or photo) to the resident, as the company, with a Reply button. */
async function relayToResident(ctx: BotContext, flow: CaseFlow, c: CaseRow): Promise<void> {
  if (!MESSAGE_STATES.includes(c.state)) {
    ctx.session.flow = undefined;
    return ctx.out.text(ctx.t("lia-stale", { number: c.number, state: ctx.t(`state-${c.state}`) }));
  }
  const msg = ctx.message!;
  const { db, cases, clock } = ctx.deps;
  const resident = c.residentId ? await db.resident.findUnique({ where: { id: c.residentId } }) : null;
  const company = await db.company.findUnique({ where: { id: ctx.liaison!.companyId } });
  const rt = translateIn(ctx, toLocale(resident?.language, ctx.deps.defaultLocale));
  // A web-only resident (no Telegram chat) reads the message on their case page (api/frontdoor).
  const residentChat = resident && resident.blockedAt === null ? resident.chatId : null;
  const deliver = residentChat !== null;
  const vars = { number: c.number, company: company?.name ?? "—" };
  await db.$transaction(async (tx) => {
    if (msg.photo) {
      const best = msg.photo[msg.photo.length - 1]!;
      const caption = msg.caption?.slice(0, 1000);
      await addCasePhotos(prismaHotSql(tx), c.id, [{ fileId: best.file_id, fileUniqueId: best.file_unique_id, caption }], { addedBy: "liaison", at: clock.now() });
      await cases.record(c.id, "photo", actorOf(ctx), caption, { fileId: best.file_id, direction: "to_resident" }, tx);
      if (residentChat !== null) {
        const text = rt("res-photo-from-company", vars) + (caption ? `\n${caption}` : "");
        await ctx.out.to(tx, residentChat, "sendPhoto", { photo: best.file_id, caption: text, reply_markup: replyToLiaisonKeyboard(rt, c.id) }, c.id);
      }
    } else {
      const text = msg.text!.trim();
      await cases.record(c.id, "message", actorOf(ctx), text, { direction: "to_resident" }, tx);
      if (residentChat !== null) await ctx.out.to(tx, residentChat, "sendMessage", { text: rt("res-message-from-company", { ...vars, text }), reply_markup: replyToLiaisonKeyboard(rt, c.id) }, c.id);
    }
    await ctx.out.text(ctx.t(deliver ? "lia-message-sent" : "lia-message-undelivered", { number: c.number }), undefined, tx);
  });
  ctx.out.wakeNow();
  ctx.session.flow = undefined;
}

async function resolveDone(ctx: BotContext, tok: string): Promise<void> {
  const flow = ctx.session.flow;
  if (flow?.t !== "case" || flow.id !== tok || flow.step !== "resolve-photo") return outdated(ctx);
  const c = await companyCase(ctx, flow.caseId);
  if (!c) {
    ctx.session.flow = undefined;
    return notYours(ctx);
  }
  const photos = flow.photos ?? [];
  let fresh: CaseRow;
  try {
    fresh = await ctx.deps.cases.apply(c.id, "resolve", actorOf(ctx), {
      note: flow.note,
      data: { photos },
      expect: ["routed", "accepted", "reopened"],
      // The resolution's photos commit with it.
      andThen: (tx) => addCasePhotos(prismaHotSql(tx), c.id, photos.map((fileId) => ({ fileId })), { addedBy: "liaison", at: ctx.deps.clock.now() }).then(() => undefined),
    });
  } catch (err) {
    if (err instanceof TransitionError) {
      ctx.session.flow = undefined;
      return stale(ctx, c.number, err.state);
    }
    throw err;
  }
  ctx.session.flow = undefined;
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await statusLine(ctx, fresh, ctx.t("lia-resolved", { number: fresh.number }), flow.msgId);
}

async function extensionDays(ctx: BotContext, tok: string, n: number): Promise<void> {
  const flow = ctx.session.flow;
  if (flow?.t !== "case" || flow.id !== tok || flow.step !== "ext-date" || !EXTENSION_DAYS.includes(n)) return outdated(ctx);
  const c = await companyCase(ctx, flow.caseId);
  if (!c) {
    ctx.session.flow = undefined;
    return notYours(ctx);
  }
  const option = extensionOptions(ctx, c).find((o) => o.n === n);
  if (!option) return outdated(ctx);
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
  await requestExtension(ctx, flow, c, option.due);
}

/** Stores a pending ExtensionRequest and asks the street office (district office as fallback) to decide. */
async function requestExtension(ctx: BotContext, flow: CaseFlow, c: CaseRow, due: Date): Promise<void> {
  const { db, cases, clock, timezone } = ctx.deps;
  if (!LIAISON_OPEN.includes(c.state) || !c.resolutionDueAt) {
    ctx.session.flow = undefined;
    return ctx.out.text(ctx.t("lia-stale", { number: c.number, state: ctx.t(`state-${c.state}`) }));
  }
  if (due.getTime() <= c.resolutionDueAt.getTime() || due.getTime() <= clock.now().getTime()) {
    return prompt(ctx, flow, c, ctx.t("lia-ext-not-later", { due: formatTime(c.resolutionDueAt, timezone)! }));
  }
  if (await db.extensionRequest.findFirst({ where: { caseId: c.id, status: "pending" } })) {
    ctx.session.flow = undefined;
    return ctx.out.text(ctx.t("lia-ext-pending", { number: c.number }));
  }
  const l = ctx.liaison!;
  const street = await db.office.findUnique({ where: { streetId: c.streetId } });
  const office = street?.chatId ? street : await db.office.findFirst({ where: { level: "district", chatId: { not: null } } });
  const company = await db.company.findUnique({ where: { id: l.companyId } });
  const reason = flow.reason ?? "";
  const ot = translateIn(ctx, toLocale(office?.language, ctx.deps.defaultLocale));
  await db.$transaction(async (tx) => {
    const req = await tx.extensionRequest.create({ data: { caseId: c.id, requestedBy: String(l.id), reason, requestedDueAt: due, createdAt: clock.now() } });
    await cases.record(c.id, "extension_requested", actorOf(ctx), reason, { requestId: req.id, from: c.resolutionDueAt!.toISOString(), to: due.toISOString() }, tx);
    if (office?.chatId) {
      const text = ot("office-ext-request", {
        number: c.number,
        company: company?.name ?? "—",
        liaison: l.name,
        from: formatTime(c.resolutionDueAt, timezone)!,
        to: formatTime(due, timezone)!,
        reason,
      });
      await ctx.out.to(tx, office.chatId, "sendMessage", { text, reply_markup: extensionDecisionKeyboard(ot, req.id) }, c.id);
    }
    // The street office's WeCom / DingTalk robots hear of it too (core/delivery/channels/choose.ts).
    const robotsOffice = street ?? office;
    const robots = robotsOffice ? chooseChannels({ kind: "office", wecomWebhook: robotsOffice.wecomWebhook, dingtalkWebhook: robotsOffice.dingtalkWebhook }, "extension").filter((p) => p === "wecom" || p === "dingtalk") : [];
    if (robotsOffice && robots.length) {
      const rt = translateIn(ctx, toLocale(robotsOffice.language, ctx.deps.defaultLocale));
      const text = rt("office-ext-request", { number: c.number, company: company?.name ?? "—", liaison: l.name, from: formatTime(c.resolutionDueAt, timezone)!, to: formatTime(due, timezone)!, reason });
      const title = text.split("\n")[0]!;
      await enqueue(tx, robots.map((p) => robotNotice(robotsOffice, p, "extension", title, `### ${title}\n${text.split("\n").slice(1).join("\n")}\n[{base}/dashboard/cases/${c.id}]({base}/dashboard/cases/${c.id})`, `case:${c.id}:ext:${req.id}:${p}`, c.id)));
    }
    await ctx.out.text(ctx.t(office?.chatId || robots.length ? "lia-ext-sent" : "lia-ext-stored", { number: c.number, due: formatTime(due, timezone)! }), undefined, tx);
  });
  ctx.out.wakeNow();
  ctx.session.flow = undefined;
}

async function transfer(ctx: BotContext, flow: CaseFlow, c: CaseRow, reason: string): Promise<void> {
  let fresh: CaseRow;
  try {
    fresh = await ctx.deps.cases.apply(c.id, "transfer", actorOf(ctx), {
      note: reason,
      data: { companyId: c.companyId, liaisonId: c.liaisonId },
      expect: ["routed", "accepted", "reopened"],
      // Back to the street office's queue: the company lets go of it (and cannot act on it any more).
      company: null,
    });
  } catch (err) {
    if (err instanceof TransitionError) {
      ctx.session.flow = undefined;
      return ctx.out.text(ctx.t("lia-stale", { number: c.number, state: ctx.t(`state-${err.state}`) }));
    }
    throw err;
  }
  ctx.session.flow = undefined;
  await ctx.out.clearButtons(flow.msgId);
  await ctx.out.text(ctx.t("lia-transferred", { number: fresh.number }));
}

// ---- the rest of a liaison's chat ----

async function help(ctx: BotContext): Promise<void> {
  const company = await ctx.deps.db.company.findUnique({ where: { id: ctx.liaison!.companyId } });
  await ctx.out.text(ctx.t("lia-help", { name: ctx.liaison!.name, company: company?.name ?? "—" }));
}

async function cancel(ctx: BotContext): Promise<void> {
  if (ctx.session.flow) {
    ctx.session.flow = undefined;
    return void (await ctx.out.text(ctx.t("cancelled")));
  }
  await ctx.out.text(ctx.t("nothing-to-cancel"));
}

async function reprompt(ctx: BotContext, lead: string): Promise<void> {
  const flow = ctx.session.flow;
  if (flow?.t === "case") {
    const c = await flowCase(ctx, flow);
    if (c) return prompt(ctx, flow, c, lead);
    return;
  }
  await ctx.out.text(`${lead}\n\n${ctx.t("lia-hint")}`);
}

export function liaisonFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command(["start", "help"], help);
  c.command("cases", list);
  c.command("cancel", cancel);
  c.filter((ctx) => ctx.cb?.a === "lo", (ctx) => (ctx.cb?.a === "lo" ? openCard(ctx, ctx.cb.id) : undefined));
  c.filter((ctx) => ctx.cb?.a === "la", (ctx) => (ctx.cb?.a === "la" ? accept(ctx, ctx.cb.id) : undefined));
  c.filter(
    (ctx) => ctx.cb !== null && ctx.cb.a in FLOW_OF,
    (ctx) => {
      const cb = ctx.cb as { a: FlowButton; id: number };
      return startFlow(ctx, cb.a, cb.id);
    },
  );
  c.filter((ctx) => ctx.cb?.a === "lrd", (ctx) => (ctx.cb?.a === "lrd" ? resolveDone(ctx, ctx.cb.tok) : undefined));
  c.filter((ctx) => ctx.cb?.a === "lxd", (ctx) => (ctx.cb?.a === "lxd" ? extensionDays(ctx, ctx.cb.tok, ctx.cb.n) : undefined));
  c.on("message").filter(
    (ctx) => ctx.session.flow?.t === "case" && (ctx.message.text !== undefined || ctx.message.photo !== undefined) && commandOf(ctx) === null,
    (ctx) => onInput(ctx, ctx.session.flow as CaseFlow),
  );
  // Whatever else a liaison sends: never the resident menus.
  c.on("callback_query", async (ctx) => {
    if (ctx.cb) return outdated(ctx);
    await ack(ctx, ctx.t("btn-invalid"), true);
  });
  // Their own number, shared with the button (join.ts offers it): the web workspace's sign-in and SMS.
  c.on("message:contact", async (ctx) => {
    if (ctx.message.contact.user_id !== ctx.from.id) return void (await ctx.out.text(ctx.t("lia-phone-not-own"), phoneKeyboard(tr(ctx))));
    const phone = normalPhone(ctx.message.contact.phone_number);
    if (!phone) return void (await ctx.out.text(ctx.t("lia-phone-not-mainland"), removeKeyboard));
    await ctx.deps.db.liaison.update({ where: { id: ctx.liaison!.id }, data: { phone } });
    await ctx.out.text(ctx.t("lia-phone-saved", { phone: maskedPhone(phone) }), removeKeyboard);
  });
  c.on("message:text").filter(
    (ctx) => !ctx.session.flow && ctx.message.text.trim() === ctx.t("btn-skip"),
    (ctx) => ctx.out.text(ctx.t("lia-phone-skipped"), removeKeyboard),
  );
  c.on("edited_message", (ctx) => ctx.out.text(ctx.t("edited-ignored")));
  c.on("message", (ctx) => reprompt(ctx, commandOf(ctx) !== null ? ctx.t("lia-unknown-command") : ctx.t("not-expected")));
  return c;
}
