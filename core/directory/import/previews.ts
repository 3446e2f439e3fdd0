// The import previews waiting for confirmation (ImportPreview): kept in the database so "preview →
// confirm" works across web processes and restarts. A confirmation takes its preview exactly once
// (the delete decides, so two clicks on two instances import once), only for the user who made it
// and only before it expires; a new preview replaces the user's previous one.
import crypto from "node:crypto";
import type { Db } from "../../db/db.ts";

export const PREVIEW_KEEP_MS = 30 * 60_000;

const hash = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** Keeps the previewed bytes; returns the token the confirmation form carries. */
export async function keepPreview(db: Db, who: string, file: { filename: string; bytes: Buffer }, now: Date): Promise<string> {
  const token = crypto.randomBytes(18).toString("base64url");
  const data = { tokenHash: hash(token), filename: file.filename, content: file.bytes.toString("base64"), createdAt: now, expiresAt: new Date(now.getTime() + PREVIEW_KEEP_MS) };
  await db.importPreview.upsert({ where: { actor: who }, create: { actor: who, ...data }, update: data });
  return token;
}

/** The preview this user's token names, removed as it is taken; null when gone, expired or not theirs. */
export async function takePreview(db: Db, who: string, token: string, now: Date): Promise<{ filename: string; bytes: Buffer } | null> {
  const row = await db.importPreview.findUnique({ where: { tokenHash: hash(token) } });
  if (!row || row.actor !== who) return null;
  const { count } = await db.importPreview.deleteMany({ where: { id: row.id } });
  if (count !== 1 || row.expiresAt <= now) return null;
  return { filename: row.filename, bytes: Buffer.from(row.content, "base64") };
}

/** The preview this user's token names, left in place (the clerk corrects the column mapping and previews again). */
export async function peekPreview(db: Db, who: string, token: string, now: Date): Promise<{ filename: string; bytes: Buffer } | null> {
  const row = await db.importPreview.findUnique({ where: { tokenHash: hash(token) } });
  if (!row || row.actor !== who || row.expiresAt <= now) return null;
  return { filename: row.filename, bytes: Buffer.from(row.content, "base64") };
}

/** Housekeeping: previews nobody confirmed in time. */
export async function purgeExpiredPreviews(db: Db, now: Date): Promise<number> {
  return (await db.importPreview.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}
