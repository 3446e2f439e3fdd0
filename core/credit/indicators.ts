// The district's indicators (辖区物业管理指标) per estate, from the flags kept in the directory:
// 业委会成立率 (formed and its term not ended), 物业化率 (professionally managed), 持证率 (the estate's
// current project manager — ManagerAssignment → ProjectManager — holds a certificate valid now),
// 招投标率 (tendered, for estates delivered on or after indicators.newSince), and the companies'
// qualification certificates (no target: shown so an expired one is seen). Each with its target from
// rules/credit.json `indicators` and the estates that miss it, with why.
import type { Db } from "../db/db.ts";
import type { CreditRules } from "./credit-rules.ts";

export const INDICATORS = ["ownersCommittee", "professional", "certified", "tendered", "qualification"] as const;
export type IndicatorKey = (typeof INDICATORS)[number];

/** Why an estate misses an indicator: a code the page puts in words, with what it needs. */
export interface Miss {
  estate: { code: string; name: string; street: string };
  why: "no_committee" | "term_ended" | "not_professional" | "no_manager" | "manager_uncertified" | "not_tendered" | "no_qualification" | "qualification_expired";
  date?: Date | null;
  who?: string | null;
}

export interface Indicator {
  key: IndicatorKey;
  met: number;
  of: number;
  /** met ÷ of, null when no estate is counted. */
  rate: number | null;
  target: number | null;
  reached: boolean | null;
  misses: Miss[];
}

export async function districtIndicators(db: Db, rules: CreditRules, at: Date, o: { streetId?: number | null } = {}): Promise<Indicator[]> {
  const estates = await db.estate.findMany({
    where: { active: true, ...(o.streetId != null ? { streetId: o.streetId } : {}) },
    orderBy: { code: "asc" },
    include: { street: { select: { name: true } }, company: { select: { name: true, qualificationCertNo: true, qualificationExpiresOn: true } } },
  });
  const assignments = await db.managerAssignment.findMany({
    where: { estateId: { in: estates.map((e) => e.id) }, startsOn: { lte: at }, OR: [{ endsOn: null }, { endsOn: { gt: at } }] },
    orderBy: [{ startsOn: "asc" }, { id: "asc" }],
    include: { manager: true },
  });
  const managerOf = new Map(assignments.map((a) => [a.estateId, a.manager])); // the latest running one wins
  const newSince = new Date(`${rules.indicators.newSince}T00:00:00Z`);
  const ind = (key: IndicatorKey, target: number | null, rows: { e: (typeof estates)[number]; miss: Omit<Miss, "estate"> | null }[]): Indicator => {
    const misses = rows.flatMap((r) => (r.miss ? [{ estate: { code: r.e.code, name: r.e.name, street: r.e.street.name }, ...r.miss }] : []));
    const of = rows.length;
    const met = of - misses.length;
    const rate = of ? met / of : null;
    return { key, met, of, rate, target, reached: target === null || rate === null ? null : rate >= target - 1e-9, misses };
  };
  const managed = estates.filter((e) => e.companyId !== null);
  return [
    ind("ownersCommittee", rules.indicators.ownersCommittee, estates.map((e) => ({
      e,
      miss: !e.ownersCommittee ? { why: "no_committee" as const } : e.ownersCommitteeTermEnd && e.ownersCommitteeTermEnd < at ? { why: "term_ended" as const, date: e.ownersCommitteeTermEnd } : null,
    }))),
    ind("professional", rules.indicators.professional, estates.map((e) => ({ e, miss: e.professionallyManaged ? null : { why: "not_professional" as const } }))),
    ind("certified", rules.indicators.certified, managed.map((e) => {
      const m = managerOf.get(e.id);
      const ok = m && m.certificateNo && m.certificateExpiresOn && m.certificateExpiresOn >= at;
      return { e, miss: !m ? { why: "no_manager" as const } : ok ? null : { why: "manager_uncertified" as const, who: m.name, date: m.certificateExpiresOn } };
    })),
    ind("tendered", rules.indicators.tendered, estates.filter((e) => e.deliveredOn && e.deliveredOn >= newSince).map((e) => ({ e, miss: e.tendered ? null : { why: "not_tendered" as const } }))),
    ind("qualification", null, managed.map((e) => {
      const c = e.company!;
      return { e, miss: !c.qualificationCertNo ? { why: "no_qualification" as const, who: c.name } : c.qualificationExpiresOn && c.qualificationExpiresOn < at ? { why: "qualification_expired" as const, who: c.name, date: c.qualificationExpiresOn } : null };
    })),
  ];
}
