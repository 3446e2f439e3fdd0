// rules/credit.json: how a credit score is earned and lost — base items, record types (points,
// validity, the event that writes them, workload normalisation), caps, grades, cards, blacklist.
// Office-editable (dashboard → 规则), validated here so a bad edit names its field.
import path from "node:path";
import { z } from "zod";
import { parseWith, readJsonFile } from "../rule-file.ts";

export const BASE_ITEMS = ["qualification", "managersCertified", "recordsComplete"] as const;
export const CASE_TRIGGERS = ["case.overdue_response", "case.overdue_resolution", "case.district_escalation", "case.reopened", "case.unsatisfied"] as const;
export const CAMPAIGN_TRIGGERS = ["campaign.problem_overdue", "campaign.acceptance_failed"] as const;
export const TRIGGERS = [...CASE_TRIGGERS, ...CAMPAIGN_TRIGGERS, "manual"] as const;

const recordType = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_]*$/, "lower-case letters, digits and _"),
  polarity: z.enum(["bad", "good"]),
  points: z.number().min(0).max(100),
  validDays: z.number().int().min(1).max(3650),
  trigger: z.enum(TRIGGERS),
  normalise: z.enum(["none", "cases", "households"]),
  per: z.number().int().min(1),
});

const schema = z.strictObject({
  $comment: z.unknown().optional(),
  base: z.strictObject({
    max: z.number().min(0).max(80),
    items: z.array(z.strictObject({ key: z.enum(BASE_ITEMS), points: z.number().min(0).max(80) })),
  }),
  recordTypes: z.array(recordType).min(1),
  unsatisfiedMax: z.number().int().min(1).max(4),
  caps: z.strictObject({ good: z.number().min(0).max(40), bad: z.number().min(0) }),
  grades: z
    .array(z.strictObject({ grade: z.enum(["AAA", "AA", "A", "B", "C"]), min: z.number().min(0) }))
    .min(1)
    .refine((g) => g.every((x, i) => i === 0 || x.min < g[i - 1]!.min), "grades must go from the highest min down")
    .refine((g) => g[g.length - 1]!.min === 0, "the last grade must start at 0"),
  cards: z.strictObject({
    yellowTypes: z.array(z.string()),
    red: z.strictObject({ yellows: z.number().int().min(1), badRecords: z.number().int().min(0) }),
  }),
  blacklist: z.strictObject({ redCards: z.number().int().min(1), scoreBelow: z.number().min(0) }),
  // The public 公示 page: which grades make the red list, and whether a manager's name and
  // certificate number are shown (default not: a manager is shown by company and grade only).
  publish: z
    .strictObject({ managerName: z.boolean(), certificateNo: z.boolean(), redListGrades: z.array(z.enum(["AAA", "AA", "A", "B", "C"])) })
    .default({ managerName: false, certificateNo: false, redListGrades: ["AAA"] }),
  // The district's indicators per estate (core/credit/indicators.ts): targets as shares (0.8 = 80 %);
  // the tender target is for estates delivered on or after newSince.
  indicators: z
    .strictObject({
      ownersCommittee: z.number().min(0).max(1),
      professional: z.number().min(0).max(1),
      certified: z.number().min(0).max(1),
      tendered: z.number().min(0).max(1),
      newSince: z.iso.date(),
    })
    .default({ ownersCommittee: 0.8, professional: 1, certified: 1, tendered: 1, newSince: "2021-01-01" }),
});

export type CreditRules = z.infer<typeof schema>;
export type RecordType = CreditRules["recordTypes"][number];
export type Grade = CreditRules["grades"][number]["grade"];

export function parseCreditRules(raw: unknown, where = "credit rules"): CreditRules {
  const data = parseWith(schema, raw, where);
  const types = new Set<string>();
  for (const t of data.recordTypes) {
    if (types.has(t.type)) throw new Error(`${where}: recordTypes: "${t.type}" appears twice`);
    types.add(t.type);
  }
  const triggers = data.recordTypes.filter((t) => t.trigger !== "manual").map((t) => t.trigger);
  const twice = triggers.find((t, i) => triggers.indexOf(t) !== i);
  if (twice) throw new Error(`${where}: recordTypes: trigger "${twice}" is used by two types`);
  const unknown = data.cards.yellowTypes.find((y) => !types.has(y));
  if (unknown) throw new Error(`${where}: cards.yellowTypes: "${unknown}" is not a record type`);
  const baseSum = data.base.items.reduce((a, i) => a + i.points, 0);
  if (baseSum > data.base.max) throw new Error(`${where}: base.items add up to ${baseSum}, more than base.max ${data.base.max}`);
  return data;
}

export function loadCreditRules(rulesDir: string): CreditRules {
  const file = path.join(rulesDir, "credit.json");
  return parseCreditRules(readJsonFile(file), file);
}

export function typeOf(rules: CreditRules, type: string): RecordType | undefined {
  return rules.recordTypes.find((t) => t.type === type);
}

export function typeForTrigger(rules: CreditRules, trigger: (typeof TRIGGERS)[number]): RecordType | undefined {
  return rules.recordTypes.find((t) => t.trigger === trigger);
}

/**
 * The rules in force: read at start, re-read after an edit is saved (reload). A missing or broken
 * file leaves the previous rules (or none: then no records are written and the pages say so).
 */
export function creditRulesHolder(rulesDir: string, onError: (err: Error) => void = () => {}) {
  let current: CreditRules | null = null;
  const reload = () => {
    try {
      current = loadCreditRules(rulesDir);
    } catch (err) {
      onError(err as Error);
    }
    return current;
  };
  reload();
  return { get: () => current, reload };
}
export type CreditRulesHolder = ReturnType<typeof creditRulesHolder>;
