// Case lists for the dashboard, the REST API, Open311 and CSV: one filter shape, one area scope,
// newest first with keyset pagination (an "after this id" cursor stays fast at a million rows,
// where OFFSET and a total count would not).
import { Prisma } from "../db/generated/prisma/client.ts";
import type { CaseKind, CaseState } from "../db/generated/prisma/enums.ts";
import type { Db } from "../db/db.ts";
import { OPEN_STATES, RESPONSE_OWED_STATES } from "./lifecycle.ts";

export interface CaseFilter {
  state?: CaseState[];
  kind?: CaseKind;
  category?: string;
  estate?: string; // code
  company?: string; // code
  street?: string; // code
  overdue?: boolean;
  q?: string;
  from?: Date;
  to?: Date;
}

export interface Page {
  limit: number;
  /** Return cases with an id below this one (the last id of the previous page). */
  before?: number;
}

/** Not yet accepted by its holder past the response deadline, or open past the resolution deadline. */
export function overdueWhere(now: Date): Prisma.CaseWhereInput {
  return {
    OR: [
      { state: { in: [...RESPONSE_OWED_STATES] }, respondedAt: null, responseDueAt: { lt: now } },
      { state: { in: [...OPEN_STATES] }, resolutionDueAt: { lt: now } },
    ],
  };
}

export function caseWhere(f: CaseFilter, scope: { streetId: number | null; estateIds?: number[] | null }, now: Date): Prisma.CaseWhereInput {
  const and: Prisma.CaseWhereInput[] = [];
  if (scope.streetId !== null) and.push({ streetId: scope.streetId });
  if (scope.estateIds) and.push({ estateId: { in: scope.estateIds } });
  if (f.state?.length) and.push({ state: { in: f.state } });
  if (f.kind) and.push({ kind: f.kind });
  if (f.category) and.push({ category: f.category });
  if (f.estate) and.push({ estate: { code: f.estate } });
  if (f.company) and.push({ company: { code: f.company } });
  if (f.street) and.push({ street: { code: f.street } });
  if (f.overdue === true) and.push(overdueWhere(now));
  if (f.overdue === false) and.push({ NOT: overdueWhere(now) });
  if (f.from) and.push({ createdAt: { gte: f.from } });
  if (f.to) and.push({ createdAt: { lt: f.to } });
  const q = f.q?.trim();
  if (q) {
    and.push(/^\d{4}-\d{1,6}$/.test(q) ? { number: q.length === 11 ? q : { startsWith: q } } : { description: { contains: q, mode: "insensitive" } });
  }
  return and.length ? { AND: and } : {};
}

export const caseListInclude = {
  estate: { select: { code: true, name: true } },
  company: { select: { code: true, name: true } },
  liaison: { select: { code: true, name: true } },
  street: { select: { code: true, name: true } },
} as const;
export type CaseListRow = Prisma.CaseGetPayload<{ include: typeof caseListInclude }>;

/** The same filter as caseWhere, as SQL: the list is one statement with its joins, which keeps the
 *  hot path at one round trip instead of one per relation. */
function filterSql(f: CaseFilter, scope: { streetId: number | null; estateIds?: number[] | null }, now: Date, before?: number): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (scope.streetId !== null) and.push(Prisma.sql`c."streetId" = ${scope.streetId}`);
  if (scope.estateIds) and.push(Prisma.sql`c."estateId" = ANY(${scope.estateIds}::int[])`);
  if (f.state?.length) and.push(Prisma.sql`c.state IN (${Prisma.join(f.state.map((x) => Prisma.sql`${x}::"CaseState"`))})`);
  if (f.kind) and.push(Prisma.sql`c.kind = ${f.kind}::"CaseKind"`);
  if (f.category) and.push(Prisma.sql`c.category = ${f.category}`);
  if (f.estate) and.push(Prisma.sql`c."estateId" = (SELECT id FROM "Estate" WHERE code = ${f.estate})`);
  if (f.company) and.push(Prisma.sql`c."companyId" = (SELECT id FROM "Company" WHERE code = ${f.company})`);
  if (f.street) and.push(Prisma.sql`c."streetId" = (SELECT id FROM "Street" WHERE code = ${f.street})`);
  const overdue = Prisma.sql`(c.state IN ('received','routed','unroutable','accepted','reopened') AND (c."resolutionDueAt" < ${now}
    OR (c.state IN ('received','routed','unroutable','reopened') AND c."respondedAt" IS NULL AND c."responseDueAt" < ${now})))`;
  if (f.overdue === true) and.push(overdue);
  if (f.overdue === false) and.push(Prisma.sql`NOT coalesce(${overdue}, false)`);
  if (f.from) and.push(Prisma.sql`c."createdAt" >= ${f.from}`);
  if (f.to) and.push(Prisma.sql`c."createdAt" < ${f.to}`);
  const q = f.q?.trim();
  if (q) {
    if (/^\d{4}-\d{1,6}$/.test(q)) and.push(q.length === 11 ? Prisma.sql`c.number = ${q}` : Prisma.sql`c.number LIKE ${`${q}%`}`);
    else and.push(Prisma.sql`c.description ILIKE ${`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  }
  if (before) and.push(Prisma.sql`c.id < ${before}`);
  return and.length ? Prisma.sql`WHERE ${Prisma.join(and, " AND ")}` : Prisma.empty;
}

type Named = { code: string; name: string } | null;
type Raw = Omit<CaseListRow, "estate" | "company" | "liaison" | "street"> & Record<"e_code" | "e_name" | "s_code" | "s_name", string> & Record<"co_code" | "co_name" | "l_code" | "l_name", string | null>;

export async function listCases(db: Db, f: CaseFilter, scope: { streetId: number | null; estateIds?: number[] | null }, page: Page, now: Date) {
  const rows = await db.$queryRaw<Raw[]>`
    SELECT c.*, e.code AS e_code, e.name AS e_name, s.code AS s_code, s.name AS s_name,
           co.code AS co_code, co.name AS co_name, l.code AS l_code, l.name AS l_name
    FROM (SELECT * FROM "Case" c ${filterSql(f, scope, now, page.before)} ORDER BY c.id DESC LIMIT ${page.limit + 1}) c
    JOIN "Estate" e ON e.id = c."estateId"
    JOIN "Street" s ON s.id = c."streetId"
    LEFT JOIN "Company" co ON co.id = c."companyId"
    LEFT JOIN "Liaison" l ON l.id = c."liaisonId"
    ORDER BY c.id DESC`;
  const named = (code: string | null, name: string | null): Named => (code === null ? null : { code, name: name ?? code });
  const items: CaseListRow[] = rows.slice(0, page.limit).map(({ e_code, e_name, s_code, s_name, co_code, co_name, l_code, l_name, ...c }) => ({
    ...c,
    estate: { code: e_code, name: e_name },
    street: { code: s_code, name: s_name },
    company: named(co_code, co_name),
    liaison: named(l_code, l_name),
  }));
  return { items, nextBefore: rows.length > page.limit ? items[items.length - 1]!.id : null };
}

/** How late a case is and which deadline it missed (null when on time). */
export function lateness(c: { state: CaseState; respondedAt: Date | null; responseDueAt: Date | null; resolutionDueAt: Date | null }, now: Date) {
  if (!(OPEN_STATES as readonly string[]).includes(c.state)) return null;
  if (c.resolutionDueAt && c.resolutionDueAt < now) return { missed: "resolution" as const, lateMs: now.getTime() - c.resolutionDueAt.getTime() };
  if (!c.respondedAt && c.state !== "accepted" && c.responseDueAt && c.responseDueAt < now)
    return { missed: "response" as const, lateMs: now.getTime() - c.responseDueAt.getTime() };
  return null;
}
