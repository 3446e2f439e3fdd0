// zod schemas of the office-edited rule files. Objects are strict: a misspelt key ("estate" for
// "estates") would otherwise be dropped silently and widen the rule to every estate.
import { z } from "zod";
import { KINDS } from "../core/cases/categories.ts";
import { DURATION_UNITS } from "../core/clocks/deadlines.ts";
import { parseHhmm, parseYmd } from "../core/clocks/zoned-time.ts";

const comment = { $comment: z.unknown().optional(), description: z.string().optional() };
const code = z.string().min(1).max(64);
/** A clerk may write "heping" or ["heping", "xingfu"]. */
const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));
const hhmm = z.string().refine((s) => parseHhmm(s) !== null, { message: 'expected a local time "HH:MM", e.g. "18:00"' });

export const URGENCIES = ["normal", "urgent", "emergency"] as const;
export type UrgencyLevel = (typeof URGENCIES)[number];

export const routingRuleSchema = z
  .strictObject({
    ...comment,
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "id: letters, digits, - _ . (max 64)"),
    priority: z.number().int().min(1).max(1000).default(10),
    enabled: z.boolean().default(true),
    when: z.strictObject({
      $comment: z.unknown().optional(),
      categories: oneOrMany(code).optional(),
      kinds: oneOrMany(z.enum(KINDS)).optional(),
      streets: oneOrMany(code).optional(),
      estates: oneOrMany(code).optional(),
      buildings: oneOrMany(z.string().min(1)).optional(),
      time: z
        .strictObject({ from: hhmm, to: hhmm })
        .refine((t) => t.from !== t.to, { message: "time: from and to are equal (an empty window)" })
        .optional(),
      weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
      dayType: z.enum(["workday", "restday"]).optional(),
      urgent: z.boolean().optional(),
    }),
    then: z
      .strictObject({
        $comment: z.unknown().optional(),
        company: code.optional(),
        liaison: code.optional(),
        urgency: z.enum(["urgent", "emergency"]).optional(),
        toOffice: z.literal(true).optional(),
      })
      .superRefine((t, ctx) => {
        if (t.toOffice && (t.company || t.liaison)) ctx.addIssue({ code: "custom", message: "then: toOffice cannot be combined with company/liaison" });
        if (!t.toOffice && !t.company) ctx.addIssue({ code: "custom", message: 'then: needs a company (a code or "$estate") or toOffice: true' });
        if (t.company === "$estate" && t.liaison) ctx.addIssue({ code: "custom", message: 'then: a liaison cannot be named with company "$estate" (each estate has its own company)' });
      }),
  });
export type RoutingRule = z.output<typeof routingRuleSchema>;

export const routingFileSchema = z.strictObject({ $comment: z.unknown().optional(), rules: z.array(z.unknown()) });

const duration = z.strictObject({ amount: z.number().positive(), unit: z.enum(DURATION_UNITS) }).superRefine((d, ctx) => {
  if (d.unit === "workdays" && !Number.isInteger(d.amount)) ctx.addIssue({ code: "custom", message: "workdays: amount must be a whole number" });
});
const level = z.strictObject({ $comment: z.unknown().optional(), respond: duration, resolve: duration, notifyOffice: z.boolean().default(false) });

export const deadlineEntrySchema = z.strictObject({
  ...comment,
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "id: letters, digits, - _ . (max 64)"),
  when: z.strictObject({
    $comment: z.unknown().optional(),
    categories: oneOrMany(code).optional(),
    kinds: oneOrMany(z.enum(KINDS)).optional(),
    emergency: z.boolean().optional(),
  }),
  levels: z
    .strictObject({ normal: level.optional(), urgent: level.optional(), emergency: level.optional() })
    .refine((l) => l.normal || l.urgent || l.emergency, { message: "levels: set at least one of normal, urgent, emergency" }),
});
export type DeadlineEntry = z.output<typeof deadlineEntrySchema>;
export type DeadlineLevel = z.output<typeof level>;

export const deadlinesFileSchema = z.strictObject({
  $comment: z.unknown().optional(),
  residentHintRaisesTo: z.enum(["urgent", "emergency"]).nullable().default("urgent"),
  entries: z.array(z.unknown()).min(1),
});

const ymd = z.string().refine((s) => parseYmd(s) !== null, { message: "expected a date YYYY-MM-DD" });
export const calendarFileSchema = z.strictObject({
  $comment: z.unknown().optional(),
  officeHours: z
    .strictObject({ start: hhmm, end: hhmm })
    .refine((o) => parseHhmm(o.end)! > parseHhmm(o.start)!, { message: "officeHours: end must be after start" })
    .default({ start: "09:00", end: "18:00" }),
  years: z
    .record(
      z.string().regex(/^\d{4}$/, "year keys are four digits, e.g. \"2027\""),
      z.strictObject({
        $comment: z.unknown().optional(),
        holidays: z.array(ymd).default([]),
        workdays: z.array(ymd).default([]),
        replace: z.boolean().default(false),
        provisional: z.boolean().default(false),
      }),
    )
    .default({}),
});
export type CalendarFile = z.output<typeof calendarFileSchema>;
