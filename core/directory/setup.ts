// First run: while no staff user exists, the service offers a one-time link (/setup?token=…) that
// creates the first admin in the browser. The token is stored hashed and is spent by its first use;
// each start without staff mints a fresh one (the older unused ones stop working).
import type { Db } from "../db/db.ts";
import { createStaffUser, randomToken, sha256, StaffError } from "./staff.ts";

/** A new setup token when there is no staff user yet, else null. */
export async function setupTokenIfNeeded(db: Db): Promise<string | null> {
  if (await db.staffUser.count()) return null;
  const token = randomToken(24);
  await db.$transaction([db.setupToken.deleteMany({ where: { usedAt: null } }), db.setupToken.create({ data: { tokenHash: sha256(token) } })]);
  return token;
}

export async function setupTokenValid(db: Db, token: string): Promise<boolean> {
  const row = await db.setupToken.findUnique({ where: { tokenHash: sha256(token) } });
  return Boolean(row && !row.usedAt) && (await db.staffUser.count()) === 0;
}

/** Spends the token and creates the admin in one transaction; a second use (or a race) is refused. */
export async function completeSetup(db: Db, token: string, input: { username: string; password: string; displayName?: string; locale?: string }, now: Date) {
  return db.$transaction(async (tx) => {
    const spent = await tx.setupToken.updateMany({ where: { tokenHash: sha256(token), usedAt: null }, data: { usedAt: now } });
    if (spent.count !== 1 || (await tx.staffUser.count())) throw new StaffError("this setup link was already used or is no longer valid");
    return createStaffUser(tx as unknown as Db, { ...input, role: "admin" });
  });
}
