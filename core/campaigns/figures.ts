// The campaign's live figures, from one SQL aggregation per call (per estate), rolled up to company,
// street and the whole campaign in memory (a campaign covers a few hundred estates):
//   整改率     = closed / registered
//   维修及时率 = closed by the first approved deadline / due, where due = closed, or still open with
//               that deadline passed (a failed round's new deadline does not excuse the lateness)
// and the residents' 回访 answers, which rank each estate 满意 / 较满意 / 不满意.
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";

export interface Tally {
  registered: number;
  closed: number;
  closedOnTime: number;
  due: number;
  overdue: number;
  repeats: number;
  satisfied: number;
  fairly: number;
  dissatisfied: number;
}

export interface FigureRow extends Tally {
  key: string;
  label: string;
  rectificationRate: number | null;
  timelinessRate: number | null;
  /** 回访 grade of the estate(s) from the answers; null without any answer. */
  revisitGrade: "satisfied" | "fairly" | "dissatisfied" | null;
}

export interface CampaignFigures {
  campaign: FigureRow;
  estates: FigureRow[];
  companies: FigureRow[];
  streets: FigureRow[];
  targets: { rectification: number; timeliness: number };
}

const zero = (): Tally => ({ registered: 0, closed: 0, closedOnTime: 0, due: 0, overdue: 0, repeats: 0, satisfied: 0, fairly: 0, dissatisfied: 0 });
const KEYS = Object.keys(zero()) as (keyof Tally)[];

export const rate = (n: number, of: number): number | null => (of === 0 ? null : n / of);

/** 满意 when at least 90 % of answers are 满意 and none 不满意; 不满意 when a third or more are; else 较满意. */
export function revisitGrade(t: Pick<Tally, "satisfied" | "fairly" | "dissatisfied">): FigureRow["revisitGrade"] {
  const n = t.satisfied + t.fairly + t.dissatisfied;
  if (n === 0) return null;
  if (t.dissatisfied * 3 >= n) return "dissatisfied";
  if (t.dissatisfied === 0 && t.satisfied >= 0.9 * n) return "satisfied";
  return "fairly";
}

function row(key: string, label: string, t: Tally): FigureRow {
  return { key, label, ...t, rectificationRate: rate(t.closed, t.registered), timelinessRate: rate(t.closedOnTime, t.due), revisitGrade: revisitGrade(t) };
}

interface EstateTally extends Tally {
  estateId: number;
}

export async function campaignFigures(db: Db, campaign: { id: number; targetRectification: number; targetTimeliness: number }, now: Date, o: { estateIds?: number[] | null; streetId?: number | null } = {}): Promise<CampaignFigures> {
  const estateFilter = o.estateIds ? Prisma.sql`AND p."estateId" = ANY(${o.estateIds}::int[])` : Prisma.empty;
  const streetFilter = o.streetId != null ? Prisma.sql`AND e."streetId" = ${o.streetId}` : Prisma.empty;
  const counted = await db.$queryRaw<(Record<keyof Tally, bigint> & { estateId: number })[]>`
    SELECT p."estateId",
      count(*) AS registered,
      count(*) FILTER (WHERE p.state = 'closed') AS closed,
      count(*) FILTER (WHERE p.state = 'closed' AND p."closedOnTime") AS "closedOnTime",
      count(*) FILTER (WHERE p.state = 'closed' OR p."firstDeadline" < ${now}) AS due,
      count(*) FILTER (WHERE p.state IN ('found','proposed','rectifying','awaiting_acceptance','reopened') AND p.deadline < ${now}) AS overdue,
      coalesce(sum(p."repeatCount"), 0) AS repeats,
      count(*) FILTER (WHERE p."revisitResult" = 'satisfied') AS satisfied,
      count(*) FILTER (WHERE p."revisitResult" = 'fairly') AS fairly,
      count(*) FILTER (WHERE p."revisitResult" = 'dissatisfied') AS dissatisfied
    FROM "CampaignProblem" p JOIN "Estate" e ON e.id = p."estateId"
    WHERE p."campaignId" = ${campaign.id} ${estateFilter} ${streetFilter}
    GROUP BY p."estateId"`;
  const tallies: EstateTally[] = counted.map((r) => ({ estateId: r.estateId, ...(Object.fromEntries(KEYS.map((k) => [k, Number(r[k])])) as unknown as Tally) }));
  const estates = await db.estate.findMany({ where: { id: { in: tallies.map((t) => t.estateId) } }, include: { street: true, company: true } });
  const byId = new Map(estates.map((e) => [e.id, e]));
  const groups = { companies: new Map<string, { label: string; t: Tally }>(), streets: new Map<string, { label: string; t: Tally }>() };
  const total = zero();
  const add = (into: Tally, t: Tally) => KEYS.forEach((k) => (into[k] += t[k]));
  const bump = (m: Map<string, { label: string; t: Tally }>, key: string, label: string, t: Tally) => {
    const g = m.get(key) ?? m.set(key, { label, t: zero() }).get(key)!;
    add(g.t, t);
  };
  const estateRows: FigureRow[] = [];
  for (const t of tallies) {
    const e = byId.get(t.estateId)!;
    add(total, t);
    estateRows.push(row(e.code, e.name, t));
    bump(groups.streets, e.street.code, e.street.name, t);
    bump(groups.companies, e.company?.code ?? "-", e.company?.name ?? "-", t);
  }
  const sorted = (m: Map<string, { label: string; t: Tally }>) => [...m.entries()].map(([k, g]) => row(k, g.label, g.t)).sort((a, b) => a.key.localeCompare(b.key));
  return {
    campaign: row(String(campaign.id), "", total),
    estates: estateRows.sort((a, b) => a.key.localeCompare(b.key)),
    companies: sorted(groups.companies),
    streets: sorted(groups.streets),
    targets: { rectification: campaign.targetRectification, timeliness: campaign.targetTimeliness },
  };
}
