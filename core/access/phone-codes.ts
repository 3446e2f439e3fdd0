// Sign-in by phone: a 6-digit code by SMS, valid 5 minutes, used once (residents at /r/login,
// liaisons at /w/login, a resident's new number). The limits SMS providers impose are ours: per
// number 1 code a minute, 5 an hour, 10 a day; per address 20 an hour; 5 wrong codes lock the number
// for 15 minutes. Only an HMAC of the code is stored (keyed with FRONTDOOR_SECRET, so a copy of the
// table does not give the codes away); the SMS row carries the code in its `code` field so the log
// transport masks it (core/delivery/sms). A request for a number nobody holds is stored and counted
// exactly like the others, only no SMS is queued: same answer, same limits, same work.
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/db.ts";
import type { OutMessage } from "../delivery/outbox.ts";
import { enqueue } from "../delivery/outbox.ts";
import { e164, SMS_METHOD, smsPhoneChatId } from "../delivery/sms/sms-provider.ts";

export type CodePurpose = "resident" | "liaison" | "phone_change";

export const CODE_MINUTES = 5;
export const LOCK_MINUTES = 15;
export const MAX_FAILURES = 5;
export const PHONE_LIMITS = { perMinute: 1, perHour: 5, perDay: 10, perAddressPerHour: 20 } as const;

const MIN = 60_000;

/** A mainland mobile number as typed ("139 1234 5678", "+86 139-1234-5678") → 13912345678; anything else → null. */
export function normalPhone(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 40) return null;
  let digits = raw.replace(/[\s\-()]/g, "");
  if (digits.startsWith("+86")) digits = digits.slice(3);
  else if (digits.startsWith("0086")) digits = digits.slice(4);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** Masked for pages and logs: 139****5678. */
export const maskedPhone = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

const hashOf = (secret: string, purpose: string, phone: string, code: string) => createHmac("sha256", secret).update(`phone-code\n${purpose}\n${phone}\n${code}`).digest("hex");

export type IssueResult =
  | { ok: true; code: string; sent: boolean }
  /** `why`: minute | hour | day (this number) | address; `until`: when the next code may be asked. */
  | { ok: false; why: "minute" | "hour" | "day" | "address"; until: Date }
  | { ok: false; why: "locked"; until: Date };

export interface IssueInput {
  phone: string;
  purpose: CodePurpose;
  address: string | null;
  now: Date;
  /** The SMS to queue with the code (null: nobody holds this number — nothing is sent). */
  sms: ((code: string) => Omit<OutMessage, "chatId" | "method" | "kind">) | null;
}

/** Stores a code and queues its SMS in one transaction, unless a limit says wait. */
export async function issueCode(db: Db, secret: string, i: IssueInput): Promise<IssueResult> {
  return db.$transaction(async (tx) => {
    // One request per number at a time: two taps in the same second cannot both pass the minute limit.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`phone-code:${i.phone}`}))::text AS locked`;
    const lock = await tx.phoneLock.findUnique({ where: { phone: i.phone } });
    if (lock?.lockedUntil && lock.lockedUntil > i.now) return { ok: false, why: "locked", until: lock.lockedUntil };
    const day = await tx.phoneCode.findMany({ where: { phone: i.phone, createdAt: { gt: new Date(i.now.getTime() - 1440 * MIN) } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    const since = (minutes: number) => day.filter((r) => r.createdAt.getTime() > i.now.getTime() - minutes * MIN);
    const wait = (rows: { createdAt: Date }[], limit: number, minutes: number) => (rows.length >= limit ? new Date(rows[rows.length - limit]!.createdAt.getTime() + minutes * MIN) : null);
    const minute = wait(since(1), PHONE_LIMITS.perMinute, 1);
    if (minute) return { ok: false, why: "minute", until: minute };
    const hour = wait(since(60), PHONE_LIMITS.perHour, 60);
    if (hour) return { ok: false, why: "hour", until: hour };
    const dayUntil = wait(day, PHONE_LIMITS.perDay, 1440);
    if (dayUntil) return { ok: false, why: "day", until: dayUntil };
    if (i.address) {
      const fromAddress = await tx.phoneCode.findMany({ where: { address: i.address, createdAt: { gt: new Date(i.now.getTime() - 60 * MIN) } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
      const until = wait(fromAddress, PHONE_LIMITS.perAddressPerHour, 60);
      if (until) return { ok: false, why: "address", until };
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    await tx.phoneCode.create({
      data: { phone: i.phone, purpose: i.purpose, codeHash: hashOf(secret, i.purpose, i.phone, code), address: i.address, sent: i.sms !== null, createdAt: i.now, expiresAt: new Date(i.now.getTime() + CODE_MINUTES * MIN) },
    });
    if (i.sms) {
      const m = i.sms(code);
      await enqueue(tx, { ...m, chatId: smsPhoneChatId(i.phone), method: SMS_METHOD, kind: "sms", payload: { ...m.payload, to: e164(i.phone), code } });
    }
    return { ok: true, code, sent: i.sms !== null };
  });
}

export type CheckResult = { ok: true } | { ok: false; why: "wrong" | "expired" | "used" | "unsent"; left: number } | { ok: false; why: "locked"; until: Date };

/**
 * Checks a code against the newest one asked for this number and purpose. Right and fresh: used up.
 * Wrong: counted; the fifth wrong code in a row locks the number (and a right code is refused while locked).
 */
export async function checkCode(db: Db, secret: string, i: { phone: string; purpose: CodePurpose; code: unknown; now: Date }): Promise<CheckResult> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`phone-code:${i.phone}`}))::text AS locked`;
    const lock = await tx.phoneLock.findUnique({ where: { phone: i.phone } });
    if (lock?.lockedUntil && lock.lockedUntil > i.now) return { ok: false, why: "locked", until: lock.lockedUntil };
    const given = typeof i.code === "string" ? i.code.replace(/\s/g, "") : "";
    const latest = await tx.phoneCode.findFirst({ where: { phone: i.phone, purpose: i.purpose }, orderBy: { id: "desc" } });
    const expected = latest ? Buffer.from(latest.codeHash, "hex") : Buffer.alloc(32);
    const actual = Buffer.from(hashOf(secret, i.purpose, i.phone, /^\d{6}$/.test(given) ? given : "x"), "hex");
    const right = latest !== null && timingSafeEqual(expected, actual) && latest.sent;
    if (right) {
      if (latest.usedAt) return { ok: false, why: "used", left: MAX_FAILURES - (lock?.failures ?? 0) };
      if (latest.expiresAt <= i.now) return { ok: false, why: "expired", left: MAX_FAILURES - (lock?.failures ?? 0) };
      const taken = await tx.phoneCode.updateMany({ where: { id: latest.id, usedAt: null }, data: { usedAt: i.now } });
      if (taken.count !== 1) return { ok: false, why: "used", left: MAX_FAILURES };
      if (lock) await tx.phoneLock.update({ where: { phone: i.phone }, data: { failures: 0, lockedUntil: null } });
      return { ok: true };
    }
    const failures = (lock?.lockedUntil && lock.lockedUntil <= i.now ? 0 : (lock?.failures ?? 0)) + 1;
    const locked = failures >= MAX_FAILURES;
    const until = new Date(i.now.getTime() + LOCK_MINUTES * MIN);
    const data = locked ? { failures: 0, lockedUntil: until } : { failures, lockedUntil: null };
    await tx.phoneLock.upsert({ where: { phone: i.phone }, create: { phone: i.phone, ...data }, update: data });
    if (locked) return { ok: false, why: "locked", until };
    return { ok: false, why: "wrong", left: MAX_FAILURES - failures };
  });
}
