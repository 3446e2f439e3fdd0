// Every statement a case's filing and its state changes run, in one place, in one style: plain SQL
// through HotSql. This is the per-update hot path: as Prisma model queries a filing cost ~15 ms of
// CPU, as these statements ~3 ms (bench:intake, PostgreSQL). Transitions use the same statements
// so a reader finds one shape; they run in the caller's transaction (prismaHotSql(tx) for apply(),
// whose callers add Prisma writes to it).
import type { Building, Estate, Unit } from "../db/generated/prisma/client.ts";
import type { CaseKind, CaseState, Urgency } from "../db/generated/prisma/enums.ts";
import type { HotSql } from "../db/hot-sql.ts";
import type { CasePatch, CaseRow } from "./case-types.ts";

/** What a filing reads before routing, in one statement. */
export interface FilingContext {
  existingId: number | null;
  estate: Estate;
  streetCode: string;
  building: Building | null;
  unit: Unit | null;
  /** The filing resident's status: a case of a resident not yet verified waits for approval. */
  residentStatus: string | null;
}

export interface EventRow {
  caseId: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  type: string;
  fromState?: CaseState | null;
  toState?: CaseState | null;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

export interface NewCase {
  sourceKey: string;
  /** Hash of the request under sourceKey (API idempotency, Open311 duplicates). */
  requestHash?: string | null;
  channel: string;
  kind: CaseKind;
  category: string;
  description: string;
  urgency: Urgency;
  urgencyHint: boolean;
  state: CaseState;
  residentId: number | null;
  streetId: number;
  estateId: number;
  buildingId: number | null;
  unitId: number | null;
  companyId: number | null;
  liaisonId: number | null;
  latitude: number | null;
  longitude: number | null;
  routeRule: string | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  createdAt: Date;
}

export async function filingContext(sql: HotSql, sourceKey: string, estateId: number, buildingId: number | null, unitId: number | null, residentId: number | null): Promise<FilingContext | undefined> {
  const [row] = await sql.query<FilingContext>`
    SELECT (SELECT id FROM "Case" WHERE "sourceKey" = ${sourceKey}) AS "existingId",
      (SELECT status::text FROM "Resident" WHERE id = ${residentId}::int) AS "residentStatus",
      to_jsonb(e) AS estate, s.code AS "streetCode", to_jsonb(b) AS building, to_jsonb(u) AS unit
    FROM "Estate" e JOIN "Street" s ON s.id = e."streetId"
      LEFT JOIN "Building" b ON b.id = ${buildingId}::int
      LEFT JOIN "Unit" u ON u.id = ${unitId}::int
    WHERE e.id = ${estateId}`;
  return row;
}

/** The new case with a placeholder number, or undefined when a concurrent copy of this filing committed first. */
export async function insertCase(tx: HotSql, c: NewCase): Promise<Omit<CaseRow, "estate" | "building" | "unit"> | undefined> {
  const [row] = await tx.query<Omit<CaseRow, "estate" | "building" | "unit">>`
    INSERT INTO "Case" (number, "sourceKey", "requestHash", channel, kind, category, description, urgency, "urgencyHint", state,
      "residentId", "streetId", "estateId", "buildingId", "unitId", "companyId", "liaisonId", latitude, longitude,
      "routeRule", "responseDueAt", "resolutionDueAt", "createdAt", "updatedAt")
    VALUES (${`pending:${c.sourceKey}`}, ${c.sourceKey}, ${c.requestHash ?? null}, ${c.channel}, ${c.kind}::"CaseKind", ${c.category},
      ${c.description}, ${c.urgency}::"Urgency", ${c.urgencyHint}, ${c.state}::"CaseState",
      ${c.residentId}::int, ${c.streetId}, ${c.estateId}, ${c.buildingId}::int, ${c.unitId}::int,
      ${c.companyId}::int, ${c.liaisonId}::int, ${c.latitude}::float8, ${c.longitude}::float8,
      ${c.routeRule}, ${c.responseDueAt}::timestamp, ${c.resolutionDueAt}::timestamp, ${c.createdAt}::timestamp, ${new Date()}::timestamp)
    ON CONFLICT ("sourceKey") DO NOTHING
    RETURNING *`;
  return row;
}

/** Appends to the case's event log (append-only: no statement here updates or deletes an event). */
export async function insertEvents(tx: HotSql, events: EventRow[]): Promise<void> {
  await tx.exec`
    INSERT INTO "CaseEvent" ("caseId", at, "actorType", "actorId", type, "fromState", "toState", note, data)
    SELECT (e->>'caseId')::int, (e->>'at')::timestamp, e->>'actorType', e->>'actorId', e->>'type',
      (e->>'fromState')::"CaseState", (e->>'toState')::"CaseState", e->>'note', NULLIF(e->'data', 'null'::jsonb)
    FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) WITH ORDINALITY AS list(e, n)
    ORDER BY n`;
}

/**
 * Draws the year's next case number and sets it. Case numbers have no gaps, so the counter's row
 * lock is held until commit: callers take it as late as they can (it was ~44 ms of waiting per
 * filing at 40 residents when taken first).
 */
export async function drawNumber(tx: HotSql, caseId: number, year: number): Promise<string> {
  const [row] = await tx.query<{ number: string }>`
    WITH n AS (
      INSERT INTO "CaseCounter" (year, last) VALUES (${year}, 1)
      ON CONFLICT (year) DO UPDATE SET last = "CaseCounter".last + 1 RETURNING last
    )
    UPDATE "Case" SET number = ${`${year}-`} || lpad(n.last::text, 6, '0') FROM n WHERE id = ${caseId} RETURNING number`;
  return row!.number;
}

export async function caseById(sql: HotSql, id: number): Promise<CaseRow | undefined> {
  const [row] = await sql.query<CaseRow>`
    SELECT c.*, to_jsonb(e) AS estate, to_jsonb(b) AS building, to_jsonb(u) AS unit
    FROM "Case" c JOIN "Estate" e ON e.id = c."estateId"
      LEFT JOIN "Building" b ON b.id = c."buildingId" LEFT JOIN "Unit" u ON u.id = c."unitId"
    WHERE c.id = ${id}`;
  return row;
}

export async function caseBySourceKey(sql: HotSql, sourceKey: string): Promise<CaseRow | undefined> {
  const [row] = await sql.query<{ id: number }>`SELECT id FROM "Case" WHERE "sourceKey" = ${sourceKey}`;
  return row ? caseById(sql, row.id) : undefined;
}

/**
 * Moves the case to `to` with the patch, guarded: it matches nothing (→ false) when the case is no
 * longer in the state and version the caller read, i.e. someone changed it in between.
 */
export async function updateGuarded(tx: HotSql, c: Pick<CaseRow, "id" | "state" | "updatedAt">, to: CaseState, p: CasePatch): Promise<boolean> {
  const has = (k: keyof CasePatch) => Object.hasOwn(p, k);
  const changed = await tx.exec`
    UPDATE "Case" SET state = ${to}::"CaseState", "updatedAt" = ${new Date()}::timestamp,
      "acceptedAt" = CASE WHEN ${has("acceptedAt")} THEN ${p.acceptedAt ?? null}::timestamp ELSE "acceptedAt" END,
      "respondedAt" = CASE WHEN ${has("respondedAt")} THEN ${p.respondedAt ?? null}::timestamp ELSE "respondedAt" END,
      "firstResponseDueAt" = CASE WHEN ${has("firstResponseDueAt")} THEN ${p.firstResponseDueAt ?? null}::timestamp ELSE "firstResponseDueAt" END,
      "firstCompanyId" = CASE WHEN ${has("firstCompanyId")} THEN ${p.firstCompanyId ?? null}::int ELSE "firstCompanyId" END,
      "resolvedAt" = CASE WHEN ${has("resolvedAt")} THEN ${p.resolvedAt ?? null}::timestamp ELSE "resolvedAt" END,
      "closedAt" = CASE WHEN ${has("closedAt")} THEN ${p.closedAt ?? null}::timestamp ELSE "closedAt" END,
      "closeReason" = CASE WHEN ${has("closeReason")} THEN ${p.closeReason ?? null}::text ELSE "closeReason" END,
      "liaisonId" = CASE WHEN ${has("liaisonId")} THEN ${p.liaisonId ?? null}::int ELSE "liaisonId" END,
      "companyId" = CASE WHEN ${has("companyId")} THEN ${p.companyId ?? null}::int ELSE "companyId" END,
      "revisitAskedAt" = CASE WHEN ${has("revisitAskedAt")} THEN ${p.revisitAskedAt ?? null}::timestamp ELSE "revisitAskedAt" END,
      "revisitRemindedAt" = CASE WHEN ${has("revisitRemindedAt")} THEN ${p.revisitRemindedAt ?? null}::timestamp ELSE "revisitRemindedAt" END,
      "reopenCount" = CASE WHEN ${has("reopenCount")} THEN ${p.reopenCount ?? 0}::int ELSE "reopenCount" END,
      "responseDueAt" = CASE WHEN ${has("responseDueAt")} THEN ${p.responseDueAt ?? null}::timestamp ELSE "responseDueAt" END,
      "resolutionDueAt" = CASE WHEN ${has("resolutionDueAt")} THEN ${p.resolutionDueAt ?? null}::timestamp ELSE "resolutionDueAt" END,
      "escalationLevel" = CASE WHEN ${has("escalationLevel")} THEN ${p.escalationLevel ?? 0}::int ELSE "escalationLevel" END,
      "escalatedAt" = CASE WHEN ${has("escalatedAt")} THEN ${p.escalatedAt ?? null}::timestamp ELSE "escalatedAt" END,
      urgency = CASE WHEN ${has("urgency")} THEN ${p.urgency ?? "normal"}::"Urgency" ELSE urgency END,
      "routeRule" = CASE WHEN ${has("routeRule")} THEN ${p.routeRule ?? null}::text ELSE "routeRule" END
    WHERE id = ${c.id} AND state = ${c.state}::"CaseState" AND "updatedAt" = ${c.updatedAt}::timestamp`;
  return changed === 1;
}
