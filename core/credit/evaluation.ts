// The yearly evaluation (年度信用评价): every company's and every project manager's score and grade at
// the end of a calendar year (local time), or now while that year is still running — the same
// scores as the files (credit-file.ts, score.ts), taken at one moment. The red list (红名单) is the
// grades rules.publish.redListGrades names; the black list (黑名单) the blacklisted. The dashboard
// prints it (page and PDF); the public 公示 page shows what rules.publish lets it.
import type { Db } from "../db/db.ts";
import type { CreditRules } from "./credit-rules.ts";
import { companyScores, managerScore, type SubjectScore } from "./credit-file.ts";

export interface EvaluatedCompany { id: number; code: string; name: string; s: SubjectScore }
export interface EvaluatedManager { id: number; name: string; certificateNo: string | null; company: string | null; s: SubjectScore }

export interface Evaluation {
  year: number;
  from: Date;
  /** The moment scored: the year's last millisecond, or now when the year is not over. */
  at: Date;
  partial: boolean;
  companies: EvaluatedCompany[];
  managers: EvaluatedManager[];
}

/** 00:00 of 1 January `year` in `timezone` (offset found from the zone, no DST in Asia/Shanghai). */
export function yearStart(year: number, timezone: string): Date {
  const guess = new Date(Date.UTC(year, 0, 1));
  const local = new Date(guess.toLocaleString("en-US", { timeZone: timezone }));
  const utc = new Date(guess.toLocaleString("en-US", { timeZone: "UTC" }));
  return new Date(guess.getTime() - (local.getTime() - utc.getTime()));
}

export function localYear(at: Date, timezone: string): number {
  return Number(new Intl.DateTimeFormat("en-US", { timeZone: timezone, year: "numeric" }).format(at));
}

export class EvaluationYearError extends Error {}

export async function yearlyEvaluation(db: Db, rules: CreditRules, o: { year: number; now: Date; timezone: string; companyIds?: number[]; streetId?: number | null }): Promise<Evaluation> {
  const from = yearStart(o.year, o.timezone);
  if (from > o.now) throw new EvaluationYearError(`the year ${o.year} has not begun`);
  const end = new Date(yearStart(o.year + 1, o.timezone).getTime() - 1);
  const at = end < o.now ? end : o.now;
  const companies = await db.company.findMany({ where: o.companyIds ? { id: { in: o.companyIds } } : {}, orderBy: { code: "asc" }, select: { id: true, code: true, name: true } });
  const scores = await companyScores(db, rules, at, companies.map((c) => c.id));
  // The managers who ran an estate (of the street, for a street office) at some time in the year.
  const assignments = await db.managerAssignment.findMany({
    where: { startsOn: { lte: at }, OR: [{ endsOn: null }, { endsOn: { gt: from } }], ...(o.streetId != null ? { estateId: { in: (await db.estate.findMany({ where: { streetId: o.streetId }, select: { id: true } })).map((e) => e.id) } } : {}) },
    orderBy: [{ startsOn: "desc" }, { id: "desc" }],
    include: { manager: true },
  });
  const names = new Map((await db.company.findMany({ where: { id: { in: [...new Set(assignments.map((a) => a.companyId))] } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]));
  const seen = new Map<number, EvaluatedManager>();
  for (const a of assignments) {
    if (seen.has(a.managerId)) continue; // the latest assignment names the company
    const s = await managerScore(db, rules, a.managerId, at);
    if (s) seen.set(a.managerId, { id: a.managerId, name: a.manager.name, certificateNo: a.manager.certificateNo, company: names.get(a.companyId) ?? null, s });
  }
  return {
    year: o.year,
    from,
    at,
    partial: at < end,
    companies: companies.map((c) => ({ ...c, s: scores.get(c.id)! })).sort((x, y) => y.s.score - x.s.score || x.code.localeCompare(y.code)),
    managers: [...seen.values()].sort((x, y) => y.s.score - x.s.score || x.id - y.id),
  };
}

export const onRedList = (rules: CreditRules, s: SubjectScore) => !s.blacklisted && rules.publish.redListGrades.includes(s.grade);
