// The office's buttons in its group chat: approve or deny a liaison's extension request. Only a
// member (OfficeMember, joined with /office <code>) of the office responsible for the case's street,
// or of the district office, may decide; anyone else in the group is refused and nothing changes.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { ack, translateIn } from "./common.ts";
import { formatTime } from "../render/format.ts";

const STILL_OPEN = new Set(["routed", "accepted", "reopened"]);

class AlreadyDecided extends Error {}

async function decide(ctx: BotContext, requestId: number, approve: boolean): Promise<void> {
  const { db, cases, clock, timezone, defaultLocale } = ctx.deps;
  const req = await db.extensionRequest.findUnique({ where: { id: requestId }, include: { case: true } });
  if (!req) return ack(ctx, ctx.t("btn-invalid"), true);
  const member = ctx.from ? await db.officeMember.findUnique({ where: { telegramUserId: BigInt(ctx.from.id) }, include: { office: true } }) : null;
  if (!member || !(member.office.level === "district" || member.office.streetId === req.case.streetId)) return ack(ctx, ctx.t("office-not-member"), true);
  if (req.status !== "pending") return ack(ctx, ctx.t("office-ext-decided", { number: req.case.number }), true);
  if (approve && !STILL_OPEN.has(req.case.state)) return ack(ctx, ctx.t("office-ext-closed", { number: req.case.number, state: ctx.t(`state-${req.case.state}`) }), true);

  const c = req.case;
  const actor = { type: "office" as const, id: `member:${member.id}` };
  const liaison = await db.liaison.findUnique({ where: { id: Number(req.requestedBy) } });
  const lt = translateIn(ctx, defaultLocale);
  const vars = { number: c.number, due: formatTime(req.requestedDueAt, timezone)!, by: member.name };
  try {
    await db.$transaction(async (tx) => {
      const now = clock.now();
      // Two members pressing at once: the second finds it decided.
      const n = await tx.extensionRequest.updateMany({
        where: { id: req.id, status: "pending" },
        data: { status: approve ? "approved" : "denied", decidedBy: actor.id, decidedAt: now },
      });
      if (n.count !== 1) throw new AlreadyDecided();
      if (approve) await tx.case.update({ where: { id: c.id }, data: { resolutionDueAt: req.requestedDueAt } });
      await cases.record(
        c.id,
        approve ? "extension_approved" : "extension_denied",
        actor,
        req.reason,
        { requestId: req.id, from: c.resolutionDueAt?.toISOString() ?? null, to: req.requestedDueAt.toISOString(), officeId: member.officeId },
        tx,
      );
      if (liaison?.chatId && liaison.active) await ctx.out.to(tx, liaison.chatId, "sendMessage", { text: lt(approve ? "lia-ext-approved" : "lia-ext-denied", vars) }, c.id);
      await ctx.out.text(ctx.t(approve ? "office-ext-approved" : "office-ext-denied", vars), undefined, tx);
    });
  } catch (err) {
    if (err instanceof AlreadyDecided) return ack(ctx, ctx.t("office-ext-decided", { number: c.number }), true);
    throw err;
  }
  ctx.out.wakeNow();
  await ack(ctx);
  await ctx.out.clearButtons(ctx.callbackQuery?.message?.message_id);
}

export function officeFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.filter((ctx) => ctx.cb?.a === "xa" || ctx.cb?.a === "xd", (ctx) => {
    const cb = ctx.cb as { a: "xa" | "xd"; id: number };
    return decide(ctx, cb.id, cb.a === "xa");
  });
  return c;
}
