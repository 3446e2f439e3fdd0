// What a monthly bulletin (定期通报) says, for the district or one street and one local calendar month:
// rankings of companies and estates from core/assessment/figures.ts (the same figures as the figures
// page and /api/v1/figures for that month), the month's cases that missed a deadline, its repeat
// complaints (reopened), and the estate board's changes over the month. Stored as JSON with the PDF.
import type { Db } from "../db/db.ts";
import { figures, type FigureRow } from "../assessment/figures.ts";
import { periodWindow } from "../assessment/assessment.ts";
import { toLocal } from "../clocks/zoned-time.ts";

export interface RankRow {
  key: string;
  label: string;
  cases: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  counts: FigureRow["counts"];
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

export interface BulletinData {
  month: string;
  scopeKey: string;
  streetId: number | null;
  title: string;
  generatedAt: string;
  totals: { cases: number; missed: number; repeats: number };
  companies: RankRow[];
  estates: RankRow[];
  missed: CaseLine[];
  repeats: CaseLine[];
  boardChanges: BoardChange[];
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

/** Mean of the rates a row has; rows with none go last. Ties: more cases first, then the name. */
export function rankRows(rows: FigureRow[]): RankRow[] {
  const score = (r: FigureRow) => {
    const xs = [r.responseRate, r.resolutionRate, r.satisfactionRate].filter((x): x is number => x !== null);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : -1;
  };
  return rows
    .filter((r) => r.key !== "-")
    .sort((a, b) => score(b) - score(a) || b.cases - a.cases || a.label.localeCompare(b.label, "zh"))
    .map((r) => ({ key: r.key, label: r.label, cases: r.cases, responseRate: r.responseRate, resolutionRate: r.resolutionRate, satisfactionRate: r.satisfactionRate, counts: r.counts }));
}

export async function composeBulletin(db: Db, o: { month: string; streetId: number | null; title: string; now: Date; timezone: string }): Promise<BulletinData> {
  const { from, to } = periodWindow(o.month, o.timezone);
  const q = { from, to, streetId: o.streetId, now: o.now, timezone: o.timezone };
  const [companies, estates] = await Promise.all([figures(db, { ...q, by: "company" }), figures(db, { ...q, by: "estate" })]);
  const cases = await db.case.findMany({
    where: { createdAt: { gte: from, lt: to }, ...(o.streetId !== null ? { streetId: o.streetId } : {}) },
    orderBy: { id: "asc" },
    select: { id: true, number: true, kind: true, category: true, createdAt: true, reopenCount: true, responseDueAt: true, resolutionDueAt: true, acceptedAt: true, resolvedAt: true, closedAt: true, estate: { select: { name: true } }, company: { select: { name: true } } },
  });
  // The same test as core/assessment's missedSql: late, or still open past the deadline now.
  const missed = cases.filter(
    (c) =>
      (c.responseDueAt && (c.acceptedAt ?? c.resolvedAt ?? c.closedAt ?? o.now) > c.responseDueAt) || (c.resolutionDueAt && (c.resolvedAt ?? c.closedAt ?? o.now) > c.resolutionDueAt),
  );
  const repeats = cases.filter((c) => c.reopenCount > 0);
  const line = (c: (typeof cases)[number]): CaseLine => ({ id: c.id, number: c.number, estate: c.estate.name, company: c.company?.name ?? null, category: c.category, kind: c.kind, createdAt: c.createdAt.toISOString(), reopenCount: c.reopenCount });
  return {
    month: o.month,
    scopeKey: o.streetId === null ? "district" : `street:${o.streetId}`,
    streetId: o.streetId,
    title: o.title,
    generatedAt: o.now.toISOString(),
    totals: { cases: cases.length, missed: missed.length, repeats: repeats.length },
    companies: rankRows(companies),
    estates: rankRows(estates),
    missed: missed.slice(0, LISTED).map(line),
    repeats: repeats.slice(0, LISTED).map(line),
    boardChanges: await boardChanges(db, { from, to, streetId: o.streetId }),
  };
}

/** Each estate's board class at the month's start and end (the latest rating before each); changed ones. */
async function boardChanges(db: Db, o: { from: Date; to: Date; streetId: number | null }): Promise<BoardChange[]> {
  const estates = await db.estate.findMany({ where: o.streetId !== null ? { streetId: o.streetId } : {}, select: { id: true, name: true }, orderBy: { id: "asc" } });
  const out: BoardChange[] = [];
  for (const e of estates) {
    const at = (t: Date) => db.estateClassification.findFirst({ where: { estateId: e.id, computedAt: { lt: t } }, orderBy: { computedAt: "desc" }, select: { klass: true } });
    const [a, b] = await Promise.all([at(o.from), at(o.to)]);
    if (b && a?.klass !== b.klass) out.push({ estate: e.name, from: a?.klass ?? null, to: b.klass });
  }
  return out;
}

