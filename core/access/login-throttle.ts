// Failed dashboard logins, limited per username + address so that knowing a clerk's username is not
// enough to keep them out: after `maxFailures` failures from one address, each further failure from
// there pauses that name's logins from that address for longer (1, 2, 4 … minutes, up to
// `maxPauseMinutes`). Other addresses and open sessions are untouched. The first pause of a run
// tells the account holder's office in its chat (through the outbox) and shows a banner at the
// holder's next login; an admin lifts pauses (dashboard staff page, `npm run admin -- unlock`).
import type { Db } from "../db/db.ts";
import { enqueue } from "../delivery/outbox.ts";
import type { StaffUser } from "../db/generated/prisma/client.ts";

export interface ThrottleSettings {
  maxFailures: number;
  maxPauseMinutes: number;
}

/** A run of failures older than this is forgotten. */
const FORGET_MS = 24 * 3_600_000;

/** The pause after the nth failure (n ≥ maxFailures), in milliseconds. */
export const pauseMs = (failures: number, s: ThrottleSettings) => Math.min(2 ** Math.max(0, failures - s.maxFailures), s.maxPauseMinutes) * 60_000;

/** Until when this name is paused from this address, or null. */
export async function pausedUntil(db: Db, username: string, address: string, now: Date): Promise<Date | null> {
  const t = await db.loginThrottle.findUnique({ where: { username_address: { username, address } } });
  return t?.pausedUntil && t.pausedUntil > now ? t.pausedUntil : null;
}

/** Counts a failure; returns the pause it starts (null: none yet) and whether it is a run's first. */
export async function recordFailure(db: Db, username: string, address: string, now: Date, s: ThrottleSettings): Promise<{ until: Date | null; firstPause: boolean; failures: number }> {
  const t = await db.loginThrottle.findUnique({ where: { username_address: { username, address } } });
  const failures = t && now.getTime() - t.lastFailureAt.getTime() < FORGET_MS ? t.failures + 1 : 1;
  const until = failures >= s.maxFailures ? new Date(now.getTime() + pauseMs(failures, s)) : null;
  const data = { failures, lastFailureAt: now, ...(until ? { pausedAt: now, pausedUntil: until } : {}) };
  await db.loginThrottle.upsert({ where: { username_address: { username, address } }, create: { username, address, ...data }, update: data });
  return { until, failures, firstPause: failures === s.maxFailures };
}

/** A login that succeeded from this address forgets that address's failures. */
export const forgetFailures = (db: Db, username: string, address: string) => db.loginThrottle.deleteMany({ where: { username, address } });

/** An admin lifts every pause of a name (from every address); returns how many were lifted. */
export async function liftPauses(db: Db, username: string): Promise<number> {
  return (await db.loginThrottle.deleteMany({ where: { username } })).count;
}

/** Every address from which this name is paused now. */
export const currentPauses = (db: Db, now: Date, usernames?: string[]) =>
  db.loginThrottle.findMany({ where: { pausedUntil: { gt: now }, ...(usernames ? { username: { in: usernames } } : {}) }, orderBy: { pausedUntil: "desc" } });

/** Pauses the holder has not yet been told of on the dashboard (the banner at their next login). */
export const unseenPauses = (db: Db, u: Pick<StaffUser, "username" | "pausesSeenAt">) =>
  db.loginThrottle.findMany({ where: { username: u.username, pausedAt: { not: null, ...(u.pausesSeenAt ? { gt: u.pausesSeenAt } : {}) } }, orderBy: { pausedAt: "desc" }, take: 3 });

export const markPausesSeen = (db: Db, userId: number, now: Date) => db.staffUser.update({ where: { id: userId }, data: { pausesSeenAt: now } });

const NOTICE: Record<string, string> = {
  "zh-Hans": "⚠️ 账号 {name}（{username}）登录失败 {failures} 次，来自 {address}，该地址的登录已暂停至 {until}。已登录的会话不受影响；如不是本人操作，请告知管理员。管理员可在“工作人员”页解除。",
  "zh-Hant": "⚠️ 帳號 {name}（{username}）登入失敗 {failures} 次，來自 {address}，該地址的登入已暫停至 {until}。已登入的會話不受影響；如不是本人操作，請告知管理員。管理員可在「工作人員」頁解除。",
  en: "⚠️ Account {name} ({username}): {failures} failed logins from {address}; logins from there are paused until {until}. Open sessions are not affected; if this was not the holder, tell an admin, who can lift it on the Staff page.",
};

/** The office a staff account belongs to: its street's, the district's, or its committee's. */
async function officeOf(db: Db, u: StaffUser) {
  if (u.role === "street") return db.office.findFirst({ where: { level: "street", streetId: u.streetId, active: true } });
  if (u.role === "community" || u.role === "owners") return db.office.findFirst({ where: { level: u.role, estateIds: { hasSome: u.estateIds }, active: true }, orderBy: { id: "asc" } });
  return db.office.findFirst({ where: { level: "district", active: true }, orderBy: { id: "asc" } });
}

/** Tells the holder's office (its chat, through the outbox) of a pause; false when it has no chat. */
export async function noticePause(db: Db, u: StaffUser, p: { address: string; failures: number; until: Date; now: Date }, timezone: string): Promise<boolean> {
  const office = await officeOf(db, u);
  if (!office?.chatId) return false;
  const locale = office.language in NOTICE ? office.language : "zh-Hans";
  const until = new Intl.DateTimeFormat("sv-SE", { timeZone: timezone, dateStyle: "short", timeStyle: "short" }).format(p.until);
  const vars: Record<string, string> = { name: u.displayName, username: u.username, failures: String(p.failures), address: p.address, until };
  const text = NOTICE[locale]!.replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? "");
  await enqueue(db, { chatId: office.chatId, payload: { text }, dedupeKey: `login-pause:${u.id}:${p.address}:${p.now.getTime()}`, kind: "other" });
  return true;
}
