// Linking a web resident and a Telegram account: "my cases" on the web shows a short one-time code
// (10 minutes, one use); sent to the bot (/link CODE or the code alone) it makes them one resident
// with both channels: the Telegram account is set on the web resident, and cases filed in the bot
// before move to it, so both places list the same cases. From then on progress comes by the bot, not
// SMS. Verification belongs to a unit (core/access verificationCarries): linking never verifies
// anyone for an estate or unit they were not verified in, and releases only cases filed there.
import { randomInt } from "node:crypto";
import type { Db } from "../db/db.ts";
import type { CaseService } from "../cases/case-service.ts";
import type { Resident } from "../db/generated/prisma/client.ts";
import { residentVerifiedFor, verificationCarries } from "../access/permissions.ts";

export const LINK_CODE_MINUTES = 10;
/** No 0/O, 1/I/L: read off a phone screen and typed into another app. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const LINK_CODE = /^[A-HJKMNP-Z2-9]{6}$/;

/** Typed by a person: spaces and case do not matter. */
export const normalizeCode = (s: string) => s.replace(/[\s-]/g, "").toUpperCase();
/** A message that is a code and nothing else (letters and digits both: "HELLO1" reads as a word, "ABCDEF" too). */
export const looksLikeCode = (s: string) => LINK_CODE.test(normalizeCode(s)) && /\d/.test(s) && /[A-Za-z]/.test(s);

/** The resident's code still valid, or a new one. */
export async function linkCodeFor(db: Db, residentId: number, now: Date): Promise<{ code: string; expiresAt: Date }> {
  // A code shown again keeps at least half its time, so it does not run out while being typed.
  const current = await db.residentLinkCode.findFirst({ where: { residentId, usedAt: null, expiresAt: { gt: new Date(now.getTime() + (LINK_CODE_MINUTES / 2) * 60_000) } }, orderBy: { createdAt: "desc" } });
  if (current) return current;
  for (let attempt = 0; ; attempt++) {
    let code = "";
    for (let i = 0; i < 6; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    if (!looksLikeCode(code)) continue;
    try {
      return await db.residentLinkCode.create({ data: { code, residentId, expiresAt: new Date(now.getTime() + LINK_CODE_MINUTES * 60_000), createdAt: now } });
    } catch (err) {
      // A code taken already (31^6 ≈ 900 million, so rarely): draw again.
      if (attempt >= 5) throw err;
    }
  }
}

export type LinkResult =
  | { ok: true; resident: Resident; movedCases: number; already: boolean }
  | { ok: false; reason: "unknown" | "expired" | "used" | "other_account" };

/**
 * Links the Telegram user to the code's resident. A resident the user had registered in the bot
 * gives up its Telegram account and its cases to the web resident (its row stays, with the survey
 * answers it holds). Verified in the bot for the web resident's very estate and unit → the web
 * resident is verified too; then only its waiting cases at that unit go out (a case moved over from
 * another estate keeps waiting for that estate's office).
 */
export async function redeemLinkCode(d: { db: Db; cases: CaseService }, input: string, telegram: { userId: bigint; chatId: bigint }, now: Date): Promise<LinkResult> {
  const code = normalizeCode(input);
  const outcome = await d.db.$transaction(async (tx) => {
    const row = await tx.residentLinkCode.findUnique({ where: { code }, include: { resident: true } });
    if (!row) return { ok: false as const, reason: "unknown" as const };
    if (row.usedAt) return { ok: false as const, reason: "used" as const };
    if (row.expiresAt <= now) return { ok: false as const, reason: "expired" as const };
    const web = row.resident;
    if (web.telegramUserId !== null && web.telegramUserId !== telegram.userId) return { ok: false as const, reason: "other_account" as const };
    // Used once, whoever wins a race for it.
    const taken = await tx.residentLinkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: now } });
    if (taken.count !== 1) return { ok: false as const, reason: "used" as const };
    if (web.telegramUserId === telegram.userId) return { ok: true as const, resident: web, movedCases: 0, already: true };
    const bot = await tx.resident.findUnique({ where: { telegramUserId: telegram.userId } });
    let movedCases = 0;
    if (bot) {
      movedCases = (await tx.case.updateMany({ where: { residentId: bot.id }, data: { residentId: web.id } })).count;
      await tx.resident.update({ where: { id: bot.id }, data: { telegramUserId: null, chatId: null } });
    }
    const resident = await tx.resident.update({
      where: { id: web.id },
      data: { telegramUserId: telegram.userId, chatId: telegram.chatId, blockedAt: null, ...(bot && verificationCarries(bot, web) ? { status: "verified" as const } : {}) },
    });
    return { ok: true as const, resident, movedCases, already: false };
  });
  if (outcome.ok && outcome.resident.status === "verified") {
    const waiting = await d.db.case.findMany({ where: { residentId: outcome.resident.id, state: "awaiting_approval" }, select: { id: true, estateId: true, unitId: true } });
    for (const c of waiting) if (residentVerifiedFor(outcome.resident, c)) await d.cases.release(c.id, { type: "resident", id: outcome.resident.id });
  }
  return outcome;
}

/** Housekeeping: codes past their time (used or not) are of no use. */
export async function dropExpiredLinkCodes(db: Db, now: Date): Promise<number> {
  return (await db.residentLinkCode.deleteMany({ where: { expiresAt: { lt: now } } })).count;
}
