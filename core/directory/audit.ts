// The directory's audit log and its errors: every change to streets, offices, companies, estates,
// buildings, units and liaisons writes one DirectoryAudit row (who, when, before, after) in the same
// transaction as the change, and every refusal is a DirectoryError carrying a reason code and its
// parameters (a Refusal): the api and CLI word it in the clerk's language (api/i18n/refusal-strings.ts).
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";

export type Tx = Prisma.TransactionClient;
export type Entity = "street" | "office" | "company" | "estate" | "building" | "unit" | "liaison" | "manager" | "credit";

/** Why a change was refused: a code the api/CLI words (REFUSALS in api/i18n), and what fills it in. */
export interface Refusal {
  reason: string;
  params?: Record<string, string | number>;
  /** The field it is about, when it is one field of a form or body. */
  field?: string;
}

export class DirectoryError extends Error {
  readonly refusal: Refusal;
  constructor(
    readonly code: "not_found" | "invalid" | "conflict",
    reason: string,
    params?: Record<string, string | number>,
    field?: string,
  ) {
    super(`${field ? `${field}: ` : ""}${reason}${params ? ` ${JSON.stringify(params)}` : ""}`);
    this.refusal = { reason, ...(params ? { params } : {}), ...(field ? { field } : {}) };
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
