// Dashboard users and API tokens: password hashing (argon2id), token minting (stored as sha256 —
// tokens are 256 random bits, so a fast hash is enough and keeps bearer checks cheap), and the
// access scope both carry: a street role sees one street, district and admin see everything, the
// community committee (社区居委会) and owners' committee (业委会) roles read their own estates only.
import crypto from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import type { Db } from "../db/db.ts";
import type { StaffRole } from "../db/generated/prisma/enums.ts";

export const STAFF_ROLES = ["admin", "district", "street", "community", "owners"] as const satisfies readonly StaffRole[];
/** Read-only roles scoped to a list of estates. */
export const COMMITTEE_ROLES: readonly StaffRole[] = ["community", "owners"];
export const isCommittee = (role: StaffRole) => COMMITTEE_ROLES.includes(role);

/** The access scope lives with the one authorization rule (core/access/permissions.ts). */
export type { Scope } from "../access/permissions.ts";

export class StaffError extends Error {}

export const hashPassword = (password: string) => hash(password);
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString("base64url");

async function estateIdsFor(db: Db, role: StaffRole, estateCodes?: string[] | null): Promise<number[]> {
  if (!isCommittee(role)) {
    if (estateCodes?.length) throw new StaffError(`role ${role} is not scoped to estates; leave --estates out`);
    return [];
  }
  if (!estateCodes?.length) throw new StaffError(`role ${role} needs its estates (--estates heping,xingfu)`);
  const rows = await db.estate.findMany({ where: { code: { in: estateCodes } } });
  const missing = estateCodes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length) throw new StaffError(`unknown estate ${missing.map((m) => `"${m}"`).join(", ")}`);
  return rows.map((r) => r.id);
}

async function streetIdFor(db: Db, role: StaffRole, streetCode?: string | null): Promise<number | null> {
  if (role !== "street") {
    if (streetCode) throw new StaffError(`role ${role} covers the whole district; leave --street out`);
    return null;
  }
  if (!streetCode) throw new StaffError("role street needs a street code (--street)");
  const street = await db.street.findUnique({ where: { code: streetCode } });
  if (!street) throw new StaffError(`unknown street "${streetCode}"`);
  return street.id;
}

export async function createStaffUser(
  db: Db,
  input: { username: string; password: string; role: StaffRole; street?: string | null; estates?: string[] | null; displayName?: string; locale?: string },
) {
  if (!/^[A-Za-z0-9_.-]{2,40}$/.test(input.username)) throw new StaffError("username: 2–40 of A-Z a-z 0-9 _ . -");
  if (input.password.length < 10) throw new StaffError("password: at least 10 characters");
  const streetId = await streetIdFor(db, input.role, input.street);
  const estateIds = await estateIdsFor(db, input.role, input.estates);
  if (await db.staffUser.findUnique({ where: { username: input.username } })) throw new StaffError(`user "${input.username}" exists`);
  return db.staffUser.create({
    data: {
      username: input.username,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName ?? input.username,
      role: input.role,
      streetId,
      estateIds,
      locale: input.locale ?? "zh-Hans",
    },
  });
}

export async function setPassword(db: Db, username: string, password: string) {
  if (password.length < 10) throw new StaffError("password: at least 10 characters");
  const u = await db.staffUser.findUnique({ where: { username } });
  if (!u) throw new StaffError(`no user "${username}"`);
  return db.staffUser.update({ where: { id: u.id }, data: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null } });
}

/** Returns the plain token once; only its hash is stored. */
export async function createApiToken(db: Db, input: { name: string; role: StaffRole; street?: string | null; estates?: string[] | null; createdBy?: string }) {
  const streetId = await streetIdFor(db, input.role, input.street);
  const estateIds = await estateIdsFor(db, input.role, input.estates);
  const token = `efd_${randomToken()}`;
  const row = await db.apiToken.create({
    data: { name: input.name, tokenHash: sha256(token), role: input.role, streetId, estateIds, createdBy: input.createdBy ?? null },
  });
  return { token, row };
}

export async function revokeApiToken(db: Db, id: number, now: Date) {
  const r = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  return r.count === 1;
}
