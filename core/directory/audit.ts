// The directory's audit log and its errors: every change to streets, offices, companies, estates,
// buildings, units and liaisons writes one DirectoryAudit row (who, when, before, after) in the same
// transaction as the change, and every refusal is a DirectoryError with a message an office can act on.
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";

export type Tx = Prisma.TransactionClient;
export type Entity = "street" | "office" | "company" | "estate" | "building" | "unit" | "liaison";

export class DirectoryError extends Error {
  constructor(
    readonly code: "not_found" | "invalid" | "conflict",
    message: string,
  ) {
    super(message);
  }
}

/** Who changed it: "user:alice", "token:3", "import:district.xlsx", "seed". */
export type Who = string;

const plain = (x: unknown): Prisma.InputJsonValue | undefined =>
  x === null || x === undefined ? undefined : (JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? String(v) : v))) as Prisma.InputJsonValue);

export async function audit(tx: Tx | Db, who: Who, entity: Entity, key: string, action: string, before: unknown, after: unknown, at?: Date): Promise<void> {
  await tx.directoryAudit.create({ data: { actor: who, entity, key, action, before: plain(before), after: plain(after), ...(at ? { at } : {}) } });
}

/** The fields of `after` that differ from `before` (both sides), or null when nothing changed. */
export function changed<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (after[k] === undefined) continue;
    const x = before[k] instanceof Date ? (before[k] as Date).toISOString() : before[k];
    const y = after[k] instanceof Date ? (after[k] as Date).toISOString() : after[k];
    if (x !== y) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

export async function auditLog(db: Db, o: { entity?: Entity; key?: string; limit?: number }) {
  return db.directoryAudit.findMany({
    where: { ...(o.entity ? { entity: o.entity } : {}), ...(o.key ? { key: o.key } : {}) },
    orderBy: { id: "desc" },
    take: o.limit ?? 100,
  });
}
