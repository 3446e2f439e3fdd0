// The credit file of one company or one project manager as the pages and the API show it: score
// now, grade, cards, every record with its source (case number, estate) and expiry, the series for
// the chart. A street caller gets its own street's records only (the score is the whole company's).
import type { Db } from "../db/db.ts";
import type { CreditRules } from "./credit-rules.ts";
import { companyScores, companySubject, managerScore, managerSubject, recordsOf, scoreSeries, type SubjectScore } from "./credit-file.ts";
import { isValidAt } from "./score.ts";

export type FileRecord = Awaited<ReturnType<typeof describeRecords>>[number];

async function describeRecords(db: Db, rows: Awaited<ReturnType<typeof recordsOf>>, at: Date) {
  const caseIds = [...new Set(rows.flatMap((r) => (r.caseId ? [r.caseId] : [])))];
  const estateIds = [...new Set(rows.flatMap((r) => (r.estateId ? [r.estateId] : [])))];
  const [cases, estates] = await Promise.all([
    db.case.findMany({ where: { id: { in: caseIds } }, select: { id: true, number: true } }),
    db.estate.findMany({ where: { id: { in: estateIds } }, select: { id: true, code: true, name: true } }),
  ]);
  const number = new Map(cases.map((c) => [c.id, c.number]));
  const estate = new Map(estates.map((e) => [e.id, e]));
  return rows.map((r) => ({
    ...r,
    caseNumber: r.caseId ? (number.get(r.caseId) ?? r.note) : null,
    estate: r.estateId ? (estate.get(r.estateId) ?? null) : null,
    counts: isValidAt(r, at),
    appeal: r.appeals[0] ?? null,
  }));
}

export interface CreditFile {
  at: Date;
  score: SubjectScore;
  records: FileRecord[];
  series: { at: Date; score: number }[];
}

async function fileOf(db: Db, rules: CreditRules, subject: string, score: SubjectScore, at: Date, streetId: number | null): Promise<CreditFile> {
  const [rows, series] = await Promise.all([recordsOf(db, subject, { streetId }), scoreSeries(db, rules, score, at)]);
  return { at, score, records: await describeRecords(db, rows, at), series };
}

export async function companyFile(db: Db, rules: CreditRules, companyId: number, at: Date, streetId: number | null = null): Promise<CreditFile> {
  const score = (await companyScores(db, rules, at, [companyId])).get(companyId)!;
  return fileOf(db, rules, companySubject(companyId), score, at, streetId);
}

export async function managerFile(db: Db, rules: CreditRules, managerId: number, at: Date, streetId: number | null = null): Promise<CreditFile | null> {
  const score = await managerScore(db, rules, managerId, at);
  return score ? fileOf(db, rules, managerSubject(managerId), score, at, streetId) : null;
}
