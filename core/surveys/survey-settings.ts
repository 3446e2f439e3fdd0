// Questionnaires (rules/surveys/*.json or the API) and rules/surveys.json (schedule, pacing):
// validated with zod once, with errors that name the field.
import path from "node:path";
import cron from "node-cron";
import { z } from "zod";
import { loadRuleFile, readJsonFile } from "../rule-file.ts";
import { surveyErrorMap, surveyMessage, surveyPlace } from "./definition-messages.ts";

export const SURVEY_LOCALES = ["zh-Hans", "zh-Hant", "en"] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];

const text = z.strictObject({ "zh-Hans": z.string().trim().min(1), "zh-Hant": z.string().trim().min(1), en: z.string().trim().min(1) });
const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "lower-case letters, digits, _ or -, at most 32");
// Choice values ride in callback data (64 bytes with the recipient id), so they stay short.
const value = z.string().regex(/^[a-z0-9_-]{1,16}$/, "lower-case letters, digits, _ or -, at most 16");

const question = z.discriminatedUnion("type", [
  z.strictObject({ id, type: z.literal("scale"), text }),
  z.strictObject({
    id,
    type: z.literal("choice"),
    text,
    options: z
      .array(z.strictObject({ value, label: text }))
      .min(2, "a choice needs at least 2 options")
      .max(8, "at most 8 options")
      .refine((o) => new Set(o.map((x) => x.value)).size === o.length, "option values must be unique"),
  }),
]);

export const questionnaireSchema = z.object({
  $comment: z.unknown().optional(),
  code: id,
  title: text,
  questions: z
    .array(question)
    .min(1, "at least one question")
    .max(12, "at most 12 questions")
    .refine((q) => new Set(q.map((x) => x.id)).size === q.length, "question ids must be unique"),
});

export type Questionnaire = z.infer<typeof questionnaireSchema>;
export type Question = Questionnaire["questions"][number];

export class SurveyDefinitionError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * A questionnaire checked; SurveyDefinitionError lists what is wrong. With a `locale` (the dashboard's
 * form) each issue's place and reason are in words of that language; without, as paths and zod's English
 * (the API and the log).
 */
export function parseQuestionnaire(raw: unknown, where = "questionnaire", locale?: SurveyLocale): Questionnaire {
  const r = questionnaireSchema.safeParse(raw, locale ? { error: surveyErrorMap(locale) } : undefined);
  if (!r.success) {
    const issues = r.error.issues.map((i) =>
      locale ? { path: surveyPlace(i.path, locale), message: surveyMessage(i.message, locale) } : { path: i.path.join(".") || "(root)", message: i.message },
    );
    throw new SurveyDefinitionError(`${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
  }
  const { $comment: _c, ...q } = r.data;
  return q;
}

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "MM-DD");
const settingsSchema = z.object({
  $comment: z.unknown().optional(),
  schedule: z.strictObject({
    enabled: z.boolean(),
    dates: z.array(monthDay).min(1),
    cron: z.string().refine((e) => cron.validate(e), "not a valid cron expression"),
    template: id,
    openDays: z.number().int().min(1).max(180),
    remindBeforeDays: z.number().int().min(0),
    catchUpDays: z.number().int().min(0),
  }),
  pacing: z.strictObject({ window: z.number().int().min(1).max(10_000), budgetSeconds: z.number().min(1).max(55) }),
});

export type SurveySettings = z.infer<typeof settingsSchema>;

export function loadSurveySettings(rulesDir: string): SurveySettings {
  const { file, data } = loadRuleFile(rulesDir, "surveys.json", settingsSchema);
  if (data.schedule.remindBeforeDays >= data.schedule.openDays) throw new Error(`${file}: schedule.remindBeforeDays must be less than openDays`);
  return data;
}

export function loadQuestionnaire(rulesDir: string, code: string): Questionnaire {
  const file = path.join(rulesDir, "surveys", `${code}.json`);
  return parseQuestionnaire(readJsonFile(file), file);
}
