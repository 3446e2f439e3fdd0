// Streets (街道): created and renamed by code; never deleted (cases and estates point at them),
// deactivated instead.
import type { Db } from "../db/db.ts";
import { audit, changed, DirectoryError, type Tx, type Who } from "./audit.ts";
import type { StreetIn } from "./fields.ts";

export type Saved<T> = { row: T; action: "created" | "updated" | "unchanged" };

export async function saveStreet(tx: Tx | Db, who: Who, s: StreetIn): Promise<Saved<{ id: number; code: string; name: string; active: boolean }>> {
  const cur = await tx.street.findUnique({ where: { code: s.code } });
  if (!cur) {
    const row = await tx.street.create({ data: { code: s.code, name: s.name, active: s.active ?? true } });
    await audit(tx, who, "street", s.code, "create", null, row);
    return { row, action: "created" };
  }
  const diff = changed(cur, { name: s.name, active: s.active });
  if (!diff) return { row: cur, action: "unchanged" };
  const row = await tx.street.update({ where: { id: cur.id }, data: diff.after });
  await audit(tx, who, "street", s.code, "update", diff.before, diff.after);
  return { row, action: "updated" };
}

async function streetByCode(db: Db, code: string) {
  const cur = await db.street.findUnique({ where: { code } });
  if (!cur) throw new DirectoryError("not_found", "unknown_street", { code });
  return cur;
}

/** A new name for an existing street (never a new street from a made-up code); audited. */
export async function renameStreet(db: Db, who: Who, code: string, name: string) {
  await streetByCode(db, code);
  return db.$transaction((tx) => saveStreet(tx, who, { code, name }));
}

export async function setStreetActive(db: Db, who: Who, code: string, active: boolean) {
  const cur = await streetByCode(db, code);
  if (active && cur.active) throw new DirectoryError("conflict", "already_active", { name: cur.name });
  if (!active && (await db.estate.count({ where: { streetId: cur.id, active: true } }))) {
    throw new DirectoryError("conflict", "street_has_active_estates", { name: cur.name });
  }
  return saveStreet(db, who, { code, name: cur.name, active });
}
