// Offices: the district office, street offices, and the two levels below a street the local plans
// name — community committees (社区居委会) and owners' committees (业委会), which watch a list of
// estates. Each office has a Telegram group (linked with `/office <code>` there, bot/features/
// office-chat.ts) and an e-mail address for the digest.
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import { audit, changed, DirectoryError, type Tx, type Who } from "./audit.ts";
import type { OfficeIn } from "./fields.ts";
import type { Saved } from "./streets.ts";

/** The code an office sends in its group; 8 characters from an alphabet without look-alikes. */
export function newLinkCode(): string {
  const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  return [...crypto.randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("");
}

export async function saveOffice(tx: Tx | Db, who: Who, o: OfficeIn) {
  const street = o.street ? await tx.street.findUnique({ where: { code: o.street } }) : null;
  if (o.street && !street) throw new DirectoryError("invalid", "unknown_street", { code: o.street });
  if (o.level === "district" && o.street) throw new DirectoryError("invalid", "district_office_no_street");
  if (o.level === "street" && !street) throw new DirectoryError("invalid", "street_office_needs_street");
  const estates = o.estates?.length ? await tx.estate.findMany({ where: { code: { in: o.estates } }, select: { id: true, code: true } }) : [];
  const missing = (o.estates ?? []).filter((c) => !estates.some((e) => e.code === c));
  if (missing.length) throw new DirectoryError("invalid", "unknown_estate", { code: missing.join(", ") });
  if ((o.level === "community" || o.level === "owners") && !estates.length) throw new DirectoryError("invalid", "committee_needs_estates");
  const cur = await tx.office.findUnique({ where: { code: o.code } });
  const other = street && o.level === "street" ? await tx.office.findUnique({ where: { streetId: street.id } }) : null;
  if (other && other.id !== cur?.id) throw new DirectoryError("conflict", "street_has_office", { street: o.street!, office: other.name });
  const data = {
    name: o.name,
    level: o.level,
    // Only a street office owns its street (Office.streetId is unique: escalations find it by street).
    streetId: o.level === "street" ? street!.id : null,
    estateIds: estates.map((e) => e.id).sort((a, b) => a - b),
    email: o.email === undefined ? undefined : o.email,
    language: o.language,
    active: o.active,
  };
  if (!cur) {
    const row = await tx.office.create({ data: { ...data, active: o.active ?? true, email: o.email ?? null, code: o.code, chatLinkCode: newLinkCode(), inviteCode: `OF-${o.code.toUpperCase()}` } });
    await audit(tx, who, "office", o.code, "create", null, row);
    return { row, action: "created" } satisfies Saved<typeof row>;
  }
  const diff = changed({ ...cur, estateIds: cur.estateIds.join(",") }, { ...data, estateIds: data.estateIds.join(",") });
  if (!diff) return { row: cur, action: "unchanged" } satisfies Saved<typeof cur>;
  const row = await tx.office.update({ where: { id: cur.id }, data });
  await audit(tx, who, "office", o.code, "update", diff.before, diff.after);
  return { row, action: "updated" } satisfies Saved<typeof row>;
}

export async function officeByCode(db: Tx | Db, code: string) {
  const o = await db.office.findUnique({ where: { code } });
  if (!o) throw new DirectoryError("not_found", "unknown_office", { code });
  return o;
}

/** What may change of an office on its page or with PATCH: any of these, the rest stays. */
export type OfficePatch = Partial<Pick<OfficeIn, "name" | "level" | "street" | "estates" | "email" | "language">>;

/** Edits an existing office through saveOffice (validated and audited the same way, before/after). */
export async function editOffice(db: Db, who: Who, code: string, patch: OfficePatch) {
  const o = await db.office.findUnique({ where: { code }, include: { street: true } });
  if (!o) throw new DirectoryError("not_found", "unknown_office", { code });
  const estates = o.estateIds.length ? await db.estate.findMany({ where: { id: { in: o.estateIds } }, select: { code: true } }) : [];
  const level = patch.level ?? (o.level as OfficeIn["level"]);
  const input: OfficeIn = {
    code,
    name: patch.name ?? o.name,
    level,
    // A district office has no street; the others keep theirs unless the patch names one.
    street: patch.street !== undefined ? patch.street : level === "district" ? null : (o.street?.code ?? null),
    estates: patch.estates ?? (level === "community" || level === "owners" ? estates.map((e) => e.code) : []),
    ...(patch.email !== undefined ? { email: patch.email } : {}),
    ...(patch.language !== undefined ? { language: patch.language } : {}),
  };
  return db.$transaction((tx) => saveOffice(tx, who, input));
}

/** E-mail for the digest, set from the office's page. */
export async function setOfficeEmail(db: Db, who: Who, code: string, email: string | null) {
  const o = await officeByCode(db, code);
  if (o.email === email) return o;
  return db.$transaction(async (tx) => {
    const row = await tx.office.update({ where: { id: o.id }, data: { email } });
    await audit(tx, who, "office", code, "update", { email: o.email }, { email });
    return row;
  });
}

/** A fresh group code (the old one stops working); the linked group stays linked. */
export async function renewLinkCode(db: Db, who: Who, code: string) {
  const o = await officeByCode(db, code);
  return db.$transaction(async (tx) => {
    const row = await tx.office.update({ where: { id: o.id }, data: { chatLinkCode: newLinkCode() } });
    await audit(tx, who, "office", code, "renew_link_code", null, null);
    return row;
  });
}

/** Links the office to a group chat (the bot calls this after checking the sender). */
export async function linkOfficeChat(tx: Tx | Db, who: Who, officeId: number, chat: { id: bigint; title: string | null }, now: Date) {
  const o = await tx.office.findUniqueOrThrow({ where: { id: officeId } });
  const row = await tx.office.update({ where: { id: officeId }, data: { chatId: chat.id, chatTitle: chat.title, chatLinkedAt: now, chatRemovedAt: null } });
  await audit(tx, who, "office", o.code ?? String(o.id), "link_chat", { chatId: o.chatId, chatTitle: o.chatTitle }, { chatId: chat.id, chatTitle: chat.title }, now);
  return row;
}

/** The bot was removed from (or left) a group: the offices linked to it lose their chat (nothing is
 *  sent there any more; the title and the time stay for the dashboard's delivery status). */
export async function chatRemoved(db: Db, chatId: bigint, now: Date) {
  const offices = await db.office.findMany({ where: { chatId } });
  for (const o of offices) {
    await db.$transaction(async (tx) => {
      await tx.office.update({ where: { id: o.id }, data: { chatId: null, chatRemovedAt: now } });
      await audit(tx, "telegram", "office", o.code ?? String(o.id), "chat_removed", { chatId: o.chatId }, null, now);
    });
  }
  return offices;
}

/** Each office's delivery status: linked group, removed bot, and the last message sent there. */
export async function officeDelivery(db: Db) {
  const offices = await db.office.findMany({ include: { street: true }, orderBy: [{ level: "asc" }, { id: "asc" }] });
  return Promise.all(
    offices.map(async (o) => {
      const last = o.chatId ? await db.outboxMessage.findFirst({ where: { chatId: o.chatId }, orderBy: { id: "desc" }, select: { status: true, createdAt: true, sentAt: true, lastError: true } }) : null;
      const chat = o.chatId ? "linked" : o.chatRemovedAt ? "removed" : "not_linked";
      return { office: o, chat: chat as "linked" | "removed" | "not_linked", last };
    }),
  );
}
