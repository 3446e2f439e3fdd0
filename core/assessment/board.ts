// Estate board (小区红黑榜): every estate with its latest stored classification 示范 / 达标 / 整改
// (core/assessment/classification.ts, recomputed nightly and on demand). The board only reads: what residents
// and offices see is exactly what was stored, with the period and time it was computed. An estate
// not classified yet (new, or before the first run) is shown as such, not guessed.
import type { Db } from "../db/db.ts";
import { Prisma } from "../db/generated/prisma/client.ts";
import { CLASS_LABEL, smilingOf, type EstateClass } from "./classification.ts";

export interface BoardRow {
  estate: string;
  name: string;
  street: string;
  streetName: string;
  company: string | null;
  /** null: not classified yet. */
  class: EstateClass | null;
  label: string | null;
  /** Smiling for 示范 and 达标, crying for 整改, null (neutral) for 未评定 or not classified yet. */
  smiling: boolean | null;
  period: string | null;
  satisfaction: number | null;
  timeliness: number | null;
  cases: number;
  answers: number;
  due: number;
  repeatRate: number | null;
  districtEscalations: number;
  computedAt: Date | null;
}

interface Raw {
  code: string;
  name: string;
  streetCode: string;
  streetName: string;
  companyName: string | null;
  klass: EstateClass | null;
  period: string | null;
  satisfaction: number | null;
  timeliness: number | null;
  details: Record<string, unknown> | null;
  computedAt: Date | null;
}

const num = (x: unknown) => (typeof x === "number" ? x : null);

export async function estateBoard(db: Db, o: { streetId: number | null; estateIds?: number[] | null }): Promise<BoardRow[]> {
  const rows = await db.$queryRaw<Raw[]>`
    SELECT e.code, e.name, s.code AS "streetCode", s.name AS "streetName", co.name AS "companyName",
           c.klass, c.period, c.satisfaction, c.timeliness, c.details, c."computedAt"
    FROM "Estate" e
    JOIN "Street" s ON s.id = e."streetId"
    LEFT JOIN "Company" co ON co.id = e."companyId"
    LEFT JOIN LATERAL (
      SELECT klass, period, satisfaction, timeliness, details, "computedAt" FROM "EstateClassification"
      WHERE "estateId" = e.id ORDER BY "computedAt" DESC, id DESC LIMIT 1
    ) c ON true
    WHERE (${o.streetId}::int IS NULL OR e."streetId" = ${o.streetId}) ${o.estateIds ? Prisma.sql`AND e.id = ANY(${o.estateIds}::int[])` : Prisma.empty}
    ORDER BY e."streetId", e.code`;
  return rows.map((r) => ({
    estate: r.code,
    name: r.name,
    street: r.streetCode,
    streetName: r.streetName,
    company: r.companyName,
    class: r.klass,
    label: r.klass ? CLASS_LABEL[r.klass] : null,
    smiling: smilingOf(r.klass),
    period: r.period,
    satisfaction: r.satisfaction,
    timeliness: r.timeliness,
    cases: num(r.details?.cases) ?? 0,
    answers: num(r.details?.answers) ?? 0,
    due: num(r.details?.due) ?? 0,
    repeatRate: num(r.details?.repeatRate),
    districtEscalations: num(r.details?.districtEscalations) ?? 0,
    computedAt: r.computedAt,
  }));
}
