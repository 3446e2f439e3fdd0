// rules/assessment.json: deduction points, evaluation bands, classification thresholds, early
// warning — office-editable, validated at load.
import path from "node:path";
import cron from "node-cron";
import { z } from "zod";
import { parseWith, readJsonFile } from "../rule-file.ts";

const rate = z.number().min(0).max(1);
const cronExpr = z.string().refine((e) => cron.validate(e), "not a valid cron expression");

const schema = z.object({
  $comment: z.unknown().optional(),
  deductions: z.strictObject({
    overdue: z.number().min(0),
    unsatisfiedRevisit: z.number().min(0),
    districtEscalation: z.number().min(0),
    unsatisfiedMax: z.number().int().min(1).max(4),
  }),
  evaluation: z.strictObject({
    base: z.number().min(0),
    grades: z
      .array(z.strictObject({ grade: z.string().min(1), label: z.string().min(1), min: z.number() }))
      .min(1)
      .refine((g) => g.every((x, i) => i === 0 || x.min < g[i - 1]!.min), "grades must go from the highest min down"),
  }),
  classification: z.strictObject({
    period: z.enum(["half", "month"]),
    minSample: z.number().int().min(0),
    compliant: z.strictObject({ satisfaction: rate, timeliness: rate }),
    model: z.strictObject({ satisfaction: rate, timeliness: rate, maxRepeatRate: rate }),
    cron: cronExpr,
  }),
  earlyWarning: z.strictObject({
    factor: z.number().min(1),
    minCount: z.number().int().min(1),
    kinds: z.array(z.enum(["complaint", "repair", "suggestion"])).min(1),
    cron: cronExpr,
  }),
});

export type AssessmentSettings = z.infer<typeof schema>;

export function parseAssessmentSettings(raw: unknown, where = "assessment settings"): AssessmentSettings {
  const data = parseWith(schema, raw, where);
  const c = data.classification;
  if (c.model.satisfaction < c.compliant.satisfaction || c.model.timeliness < c.compliant.timeliness) {
    throw new Error(`${where}: classification.model thresholds must not be below the compliant ones`);
  }
  return data;
}

export function loadAssessmentSettings(rulesDir: string): AssessmentSettings {
  const file = path.join(rulesDir, "assessment.json");
  return parseAssessmentSettings(readJsonFile(file), file);
}
