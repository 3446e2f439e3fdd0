// What a monthly bulletin (定期通报) says, for the district or one street and one local calendar month:
// rankings of companies and estates from core/assessment/figures.ts (the same figures as the figures
// page and /api/v1/figures for that month), the month's cases that missed a deadline, its repeat
// complaints (reopened), and the estate board's changes over the month. Stored as JSON, without
// words: codes, names and counts, so each language's page and PDF is drawn from the same data.
import type { Db } from "../db/db.ts";
import { Prisma } from "../db/generated/prisma/client.ts";
import { figures, type FigureRow } from "../assessment/figures.ts";
import { missedSql, periodWindow } from "../assessment/assessment.ts";
import { toLocal } from "../clocks/zoned-time.ts";
import { enough } from "./labels.ts";
import { campaignFigures } from "../campaigns/figures.ts";
import { phaseAt, type Phase } from "../campaigns/campaigns.ts";

export interface RankRow {
  key: string;
  label: string;
  cases: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  counts: FigureRow["counts"];
  /** Mean of the rates with enough data; null: not rated (未评定), not ranked. */
  score?: number | null;
}

export interface CaseLine {
  id: number;
  number: string;
  estate: string;
  company: string | null;
  category: string;
  kind: string;
  createdAt: string;
  reopenCount: number;
}

export interface BoardChange {
  estate: string;
  from: string | null;
  to: string;
}

/** A rectification campaign running in the month: its figures when the bulletin was made, in the bulletin's scope. */
export interface CampaignLine {
  id: number;
  name: string;
  /** The campaign's phase at the month's end. */
  phase: Phase;
  registered: number;
  closed: number;
  closedOnTime: number;
  due: number;
  overdue: number;
  rectificationRate: number | null;
  timelinessRate: number | null;
  targets: { rectification: number; timeliness: number };
}

export interface BulletinData {
  month: string;
  scopeKey: string;
  streetId: number | null;
  generatedAt: string;
  /** The minimum sample in force when it was made (rules/assessment.json); absent in bulletins made before. */
  minSample?: number;
  totals: { cases: number; missed: number; repeats: number };
  /** Ranked: rows with at least one rate of enough data, best first. */
  companies: RankRow[];
  estates: RankRow[];
  /** Listed apart, unranked: rows where every rate is under the minimum sample. */
  companiesUnrated?: RankRow[];
  estatesUnrated?: RankRow[];
  missed: CaseLine[];
  repeats: CaseLine[];
  boardChanges: BoardChange[];
  /** Campaigns running in the month (absent in bulletins made before issue 29). */
  campaigns?: CampaignLine[];
}

/** Cases listed by name in a bulletin; the totals count them all. */
export const LISTED = 30;

/** The month before `now`'s local month, e.g. "2026-11" on 2026-12-01. */
export function previousMonth(now: Date, tz: string): string {
  const l = toLocal(now, tz);
  const y = l.month === 1 ? l.year - 1 : l.year;
  const m = l.month === 1 ? 12 : l.month - 1;
  return `${y}-${String(m).padStart(2, "0")}`;
}

const rates = (r: FigureRow): [number, number][] => [
  [r.counts.responseOk, r.counts.responseDue],
  [r.counts.resolutionOk, r.counts.resolutionDue],
  [r.counts.satisfied, r.counts.answers],
];

/**
 * The mean of the three rates whose denominator reaches the minimum sample; a rate under it says
 * nothing yet and is left out. None with enough data: null, and the row is not ranked at all, so
 * 1 of 1 answered in time never ranks first.
 */
export function rankScore(r: FigureRow, minSample: number): number | null {
  const xs = rates(r).filter(([, base]) => enough(base, minSample)).map(([ok, base]) => ok / base);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** Ranked rows (best score first; ties: more cases, then the name) and the unrated ones apart (by cases). */
export function rankRows(rows: FigureRow[], minSample: number): { ranked: RankRow[]; unrated: RankRow[] } {
  const all = rows
    .filter((r) => r.key !== "-")
    .map((r) => ({ key: r.key, label: r.label, cases: r.cases, responseRate: r.responseRate, resolutionRate: r.resolutionRate, satisfactionRate: r.satisfactionRate, counts: r.counts, score: rankScore(r, minSample) }));
  const byName = (a: RankRow, b: RankRow) => b.cases - a.cases || a.label.localeCompare(b.label, "zh");
  return {
    ranked: all.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || byName(a, b)),
    unrated: all.filter((r) => r.score === null).sort(byName),
  };
}

export async function composeBulletin(db: Db, o: { month: string; streetId: number | null; now: Date; timezone: string; minSample: number }): Promise<BulletinData> {
  const { from, to } = periodWindow(o.month, o.timezone);
  const q = { from, to, streetId: o.streetId, now: o.now, timezone: o.timezone };
  const [companies, estates, lists, boardChanges, campaigns] = await Promise.all([
    figures(db, { ...q, by: "company" }),
    figures(db, { ...q, by: "estate" }),
    caseLists(db, { from, to, streetId: o.streetId, now: o.now }),
    boardChangesOf(db, { from, to, streetId: o.streetId }),
    campaignsOf(db, { from, to, streetId: o.streetId, now: o.now }),
  ]);
  const c = rankRows(companies, o.minSample);
  const e = rankRows(estates, o.minSample);
  return {
    month: o.month,
    scopeKey: o.streetId === null ? "district" : `street:${o.streetId}`,
    streetId: o.streetId,
    generatedAt: o.now.toISOString(),
    minSample: o.minSample,
    totals: lists.totals,
    companies: c.ranked,
    companiesUnrated: c.unrated,
    estates: e.ranked,
    estatesUnrated: e.unrated,
    missed: lists.missed,
    repeats: lists.repeats,
    boardChanges,
    campaigns,
  };
}

/**
 * The campaigns whose 排查 to 验收 overlap the month — the district's and, for a street's bulletin,
 * the street's own too — with their live figures (core/campaigns/figures.ts) within the bulletin's scope.
 */
async function campaignsOf(db: Db, o: { from: Date; to: Date; streetId: number | null; now: Date }): Promise<CampaignLine[]> {
  const running = await db.campaign.findMany({
    where: { inspectFrom: { lt: o.to }, acceptTo: { gte: o.from }, ...(o.streetId !== null ? { OR: [{ streetId: null }, { streetId: o.streetId }] } : {}) },
    orderBy: { id: "asc" },
  });
  const lines: CampaignLine[] = [];
  for (const c of running) {
    const f = (await campaignFigures(db, c, o.now, { streetId: o.streetId })).campaign;
    if (f.registered === 0 && o.streetId !== null) continue; // nothing of this street in it
    lines.push({ id: c.id, name: c.name, phase: phaseAt(c, new Date(o.to.getTime() - 1)), registered: f.registered, closed: f.closed, closedOnTime: f.closedOnTime, due: f.due, overdue: f.overdue, rectificationRate: f.rectificationRate, timelinessRate: f.timelinessRate, targets: { rectification: c.targetRectification, timeliness: c.targetTimeliness } });
  }
  return lines;
}

type LineRow = Omit<CaseLine, "createdAt"> & { createdAt: Date; missed: boolean; total_missed: number; total_repeats: number; total: number };

/**
 * The month's totals and the first LISTED missed and repeat cases, in one statement: reading every
 * case of the month into Node cost 6.2 s of a 9.6 s district bulletin at 30,000 cases (bench:bulletin).
 * Missed is core/assessment's missedSql, the test the figures use.
 */
async function caseLists(db: Db, o: { from: Date; to: Date; streetId: number | null; now: Date }) {
  const scope = o.streetId !== null ? Prisma.sql`AND c."streetId" = ${o.streetId}` : Prisma.empty;
  const rows = await db.$queryRaw<LineRow[]>`
    WITH m AS (
      SELECT c.id, ${missedSql(o.now)} AS missed, c."reopenCount" > 0 AS repeat
      FROM "Case" c WHERE c."createdAt" >= ${o.from} AND c."createdAt" < ${o.to} ${scope}
    ), totals AS (
      SELECT count(*)::int AS total, (count(*) FILTER (WHERE missed))::int AS total_missed, (count(*) FILTER (WHERE repeat))::int AS total_repeats FROM m
    ), picked AS (
      (SELECT id, true AS missed FROM m WHERE missed ORDER BY id LIMIT ${LISTED})
      UNION ALL
      (SELECT id, false AS missed FROM m WHERE repeat ORDER BY id LIMIT ${LISTED})
    )
    SELECT t.total, t.total_missed, t.total_repeats, p.missed, c.id, c.number, c.kind::text AS kind, c.category, c."createdAt", c."reopenCount",
      e.name AS estate, co.name AS company
    FROM totals t
    LEFT JOIN picked p ON true
    LEFT JOIN "Case" c ON c.id = p.id
    LEFT JOIN "Estate" e ON e.id = c."estateId"
    LEFT JOIN "Company" co ON co.id = c."companyId"
    ORDER BY p.missed DESC, c.id`;
  const first = rows[0];
  const line = (r: LineRow): CaseLine => ({ id: r.id, number: r.number, estate: r.estate, company: r.company, category: r.category, kind: r.kind, createdAt: r.createdAt.toISOString(), reopenCount: r.reopenCount });
  const listed = rows.filter((r) => r.id !== null);
  return {
    totals: { cases: first?.total ?? 0, missed: first?.total_missed ?? 0, repeats: first?.total_repeats ?? 0 },
    missed: listed.filter((r) => r.missed).map(line),
    repeats: listed.filter((r) => !r.missed).map(line),
  };
}

/** Each estate's board class at the month's start and end (the latest rating before each); changed ones. */
async function boardChangesOf(db: Db, o: { from: Date; to: Date; streetId: number | null }): Promise<BoardChange[]> {
  const scope = o.streetId !== null ? Prisma.sql`WHERE e."streetId" = ${o.streetId}` : Prisma.empty;
  // One statement, not two look-ups per estate (400 round trips for 200 estates).
  return db.$queryRaw<BoardChange[]>`
    SELECT e.name AS estate, a.klass AS "from", b.klass AS "to"
    FROM "Estate" e
    JOIN LATERAL (SELECT klass FROM "EstateClassification" x WHERE x."estateId" = e.id AND x."computedAt" < ${o.to} ORDER BY x."computedAt" DESC LIMIT 1) b ON true
    LEFT JOIN LATERAL (SELECT klass FROM "EstateClassification" x WHERE x."estateId" = e.id AND x."computedAt" < ${o.from} ORDER BY x."computedAt" DESC LIMIT 1) a ON true
    ${scope}
    ${o.streetId !== null ? Prisma.sql`AND` : Prisma.sql`WHERE`} a.klass IS DISTINCT FROM b.klass
    ORDER BY e.id`;
}
