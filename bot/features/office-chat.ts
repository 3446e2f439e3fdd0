// An office links its Telegram group: a registered member of the office (OfficeMember, joined with
// /office <invite code> in a private chat) sends `/office <link code>` in the group — the code shown
// on the office's dashboard page. From then on escalations, extension requests, early warnings and
// digests go to Office.chatId, i.e. this group. Anyone else, or a wrong code, is refused and nothing
// changes. When the bot is removed from a linked group (my_chat_member), the office loses its chat,
// the dashboard shows it, and the district office's group is told.
import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { chatRemoved, linkOfficeChat } from "../../core/directory/offices.ts";

const argOf = (ctx: BotContext): string => (typeof ctx.match === "string" ? ctx.match.trim() : "");

async function linkGroup(ctx: BotContext): Promise<void> {
  const { db, clock, log } = ctx.deps;
  const code = argOf(ctx).trim();
  if (!code) return ctx.out.text(ctx.t("office-chat-ask-code"));
  const office = await db.office.findFirst({ where: { chatLinkCode: { equals: code, mode: "insensitive" } } });
  if (!office) return ctx.out.text(ctx.t("office-chat-wrong-code"));
  const member = ctx.from ? await db.officeMember.findUnique({ where: { telegramUserId: BigInt(ctx.from.id) } }) : null;
  if (!member || member.officeId !== office.id) return ctx.out.text(ctx.t("office-chat-not-member", { office: office.name }));
  const chat = ctx.chat!;
  await db.$transaction(async (tx) => {
    await linkOfficeChat(tx, `member:${member.id}`, office.id, { id: BigInt(chat.id), title: "title" in chat ? (chat.title ?? null) : null }, clock.now());
    await ctx.out.text(ctx.t("office-chat-linked", { office: office.name, by: member.name }), undefined, tx);
  });
  log.info({ office: office.code, chatId: chat.id, by: member.id }, "office group linked");
  ctx.out.wakeNow();
}

async function botLeft(ctx: BotContext): Promise<void> {
  const status = ctx.myChatMember?.new_chat_member.status;
  if (status !== "left" && status !== "kicked") return;
  const { db, clock, log } = ctx.deps;
  const offices = await chatRemoved(db, BigInt(ctx.chat!.id), clock.now());
  if (!offices.length) return;
  log.warn({ offices: offices.map((o) => o.code), chatId: ctx.chat!.id }, "bot removed from an office group: escalations and digests cannot reach it");
  // The district office hears of it in its own group (unless that is the group that was left).
  const district = await db.office.findFirst({ where: { level: "district", chatId: { not: null } }, orderBy: { id: "asc" } });
  if (district?.chatId && district.chatId !== BigInt(ctx.chat!.id)) {
    const chatId = district.chatId;
    await db.$transaction((tx) => ctx.out.to(tx, chatId, "sendMessage", { text: ctx.t("office-chat-removed", { offices: offices.map((o) => o.name).join("、") }) }));
    ctx.out.wakeNow();
  }
}

export function officeChatFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("office", linkGroup);
  c.on("my_chat_member", botLeft);
  return c;
}
