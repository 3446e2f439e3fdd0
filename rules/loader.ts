// Reads, validates and compiles the rule files of a folder: categories.json, routing.json,
// deadlines.json, understanding.json, calendar.json (optional). Either every file is valid and a RuleSet comes back, or
// a list of issues naming the file, the rule and the reason; the caller keeps the old set in force.
// A routing rule that names an estate, street, building, company or liaison the directory does not
// know is refused alone (`refused`): the directory is the office's own and changes under the rules
// (an import, a deactivation), and one stale rule must not stop routing for the whole district.
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { loadCategories, type Categories } from "../core/cases/categories.ts";
import type { Logger } from "../core/logger.ts";
import { checkCalendarYear, WorkCalendar } from "../core/clocks/work-calendar.ts";
import { afterHoursStartSchema, DEFAULT_AFTER_HOURS_START } from "../core/clocks/clock-settings.ts";
import type { AfterHoursStart } from "../core/clocks/deadlines.ts";
import type { Catalogue } from "./catalogue.ts";
import { compileRule, RoutingIndex, type CompiledRule } from "./compile.ts";
import { DeadlineTable } from "./deadline-table.ts";
import { checkUnderstanding } from "./understanding/rules-file.ts";
import { RuleUnderstander } from "./understanding/understander.ts";
import {
  calendarFileSchema,
  deadlineEntrySchema,
  deadlinesFileSchema,
  routingFileSchema,
  routingRuleSchema,
  type CalendarFile,
  type DeadlineEntry,
  type RoutingRule,
} from "./schemas.ts";

export const RULE_FILES = { categories: "categories.json", routing: "routing.json", deadlines: "deadlines.json", understanding: "understanding.json", calendar: "calendar.json" } as const;

export interface RuleIssue {
  file: string;
  /** Rule or entry id (or "#3" when it has none). */
  rule?: string;
  /** Where in the file, e.g. rules[2].then.liaison. */
  at?: string;
  reason: string;
}

export function formatIssue(i: RuleIssue): string {
  return `${i.file}${i.rule ? `, rule "${i.rule}"` : ""}${i.at ? ` (${i.at})` : ""}: ${i.reason}`;
}

export interface RuleCounts {
  routingRules: number;
  enabledRoutingRules: number;
  deadlineEntries: number;
  calendarYears: number;
  categories: number;
  engines: number;
  /** Keywords and emergency patterns of understanding.json (after zh-Hans/zh-Hant forms that normalise alike are merged). */
  understandingPhrases: number;
}

export interface RuleSet {
  dir: string;
  categories: Categories;
  catalogue: Catalogue;
  routing: RoutingIndex;
  deadlines: DeadlineTable;
  calendar: WorkCalendar;
  /** clocks.json afterHoursStart: which cases filed after hours start their clocks at the next opening. */
  afterHoursStart: AfterHoursStart;
  /** Free-text understanding from understanding.json. */
  understander: RuleUnderstander;
  counts: RuleCounts;
  /** Not errors, but worth a look (uncovered estate/category pairs, provisional calendars). */
  warnings: string[];
  /** Routing rules left out because they name what the directory does not know; the rest are in force. */
  refused: RuleIssue[];
}

export type LoadResult = { ok: true; ruleSet: RuleSet } | { ok: false; issues: RuleIssue[] };

export interface LoadOptions {
  log?: Pick<Logger, "warn">;
}

export function loadRuleSet(dir: string, catalogue: Catalogue, opts: LoadOptions = {}): LoadResult {
  const issues: RuleIssue[] = [];
  const file = (name: string) => path.join(dir, name);

  let categories: Categories | undefined;
  try {
    categories = loadCategories(dir);
  } catch (err) {
    const msg = (err as Error).message;
    issues.push({ file: file(RULE_FILES.categories), reason: msg.startsWith(file(RULE_FILES.categories)) ? msg.slice(file(RULE_FILES.categories).length + 2) : msg });
  }

  const routingRaw = readJson(file(RULE_FILES.routing), issues);
  const deadlinesRaw = readJson(file(RULE_FILES.deadlines), issues);
  const calendarRaw = fs.existsSync(file(RULE_FILES.calendar)) ? readJson(file(RULE_FILES.calendar), issues) : {};

  const refused: RuleIssue[] = [];
  const checked = routingRaw === undefined ? [] : checkRouting(file(RULE_FILES.routing), routingRaw, catalogue, categories, issues, refused);
  const deadlines = deadlinesRaw === undefined ? undefined : checkDeadlines(file(RULE_FILES.deadlines), deadlinesRaw, categories, issues);
  const calendarFile = calendarRaw === undefined ? undefined : checkCalendar(file(RULE_FILES.calendar), calendarRaw, issues);
  const understanding = categories ? checkUnderstanding(file(RULE_FILES.understanding), categories, issues) : undefined;
  const afterHoursStart = checkAfterHoursStart(file("clocks.json"), issues);

  // Failing anyway: the rules that would be left out are listed too, so one look shows every problem.
  if (issues.length || !categories || !deadlines || !calendarFile || !understanding) return { ok: false, issues: [...issues, ...refused] };

  const compiled: CompiledRule[] = [];
  for (const { rule, index } of checked) if (rule.enabled && !refused.some((x) => x.rule === rule.id)) compiled.push(compileRule(rule, index));
  const categoryCodes = categories.list.map((c) => c.code);
  const routing = new RoutingIndex(compiled, catalogue, categoryCodes);
  const calendar = new WorkCalendar({ years: calendarFile.years, officeHours: calendarFile.officeHours, log: opts.log });
  const warnings: string[] = [];
  const uncovered = routing.uncovered(catalogue, categoryCodes);
  if (uncovered.length) warnings.push(`${uncovered.length} estate/category pairs have no routing rule (office queue): ${uncovered.slice(0, 10).join(", ")}${uncovered.length > 10 ? ", …" : ""}`);
  for (const [y, c] of Object.entries(calendarFile.years)) if (c.provisional) warnings.push(`calendar ${y} is provisional`);
  for (const r of compiled) {
    if (r.rule.then.company === "$estate") {
      const without = [...catalogue.estates].filter(([code, e]) => !e.company && (!r.rule.when.estates || r.rule.when.estates.includes(code))).map(([c]) => c);
      if (without.length) warnings.push(`rule "${r.rule.id}": estates without a company of their own: ${without.join(", ")}`);
    }
  }
  return {
    ok: true,
    ruleSet: {
      dir,
      categories,
      catalogue,
      routing,
      deadlines: new DeadlineTable(deadlines.entries, deadlines.residentHintRaisesTo, categories),
      calendar,
      afterHoursStart,
      understander: new RuleUnderstander(understanding),
      counts: {
        routingRules: checked.length,
        enabledRoutingRules: compiled.length,
        deadlineEntries: deadlines.entries.length,
        calendarYears: Object.keys(calendarFile.years).length,
        categories: categories.list.length,
        engines: routing.engines,
        understandingPhrases: understanding.phraseCount,
      },
      warnings,
      refused,
    },
  };
}

/** Only the key the deadlines need from clocks.json (the rest is the sweeps', core/clocks/clock-settings.ts). */
function checkAfterHoursStart(file: string, issues: RuleIssue[]): AfterHoursStart {
  if (!fs.existsSync(file)) return DEFAULT_AFTER_HOURS_START;
  const raw = readJson(file, issues) as { afterHoursStart?: unknown } | undefined;
  if (!raw || raw.afterHoursStart === undefined) return DEFAULT_AFTER_HOURS_START;
  const parsed = afterHoursStartSchema.safeParse(raw.afterHoursStart);
  if (parsed.success) return parsed.data;
  for (const i of parsed.error.issues) issues.push({ file, at: ["afterHoursStart", ...i.path].join("."), reason: i.message });
  return DEFAULT_AFTER_HOURS_START;
}

function readJson(file: string, issues: RuleIssue[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    issues.push({ file, reason: (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message });
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = "";
    if (pos && !/line \d+/.test(msg)) {
      const before = text.slice(0, Number(pos[1]));
      where = ` (line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")})`;
    }
    issues.push({ file, reason: `not valid JSON: ${msg}${where}` });
    return undefined;
  }
}

function zodIssues(file: string, err: z.ZodError, rule: string | undefined, prefix: string): RuleIssue[] {
  return err.issues.map((i) => ({ file, rule, at: pathString(prefix, i.path), reason: i.message }));
}

function pathString(prefix: string, p: readonly PropertyKey[]): string {
  let s = prefix;
  for (const k of p) s += typeof k === "number" ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s || "(top level)";
}

function ruleLabel(raw: unknown, i: number): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" && id ? id : `#${i + 1}`;
}

function checkRouting(file: string, raw: unknown, cat: Catalogue, categories: Categories | undefined, issues: RuleIssue[], refused: RuleIssue[]): { rule: RoutingRule; index: number }[] {
  const top = routingFileSchema.safeParse(raw);
  if (!top.success) {
    issues.push(...zodIssues(file, top.error, undefined, ""));
    return [];
  }
  const out: { rule: RoutingRule; index: number }[] = [];
  const seen = new Map<string, number>();
  top.data.rules.forEach((rawRule, i) => {
    const label = ruleLabel(rawRule, i);
    const at = `rules[${i}]`;
    const parsed = routingRuleSchema.safeParse(rawRule);
    if (!parsed.success) {
      issues.push(...zodIssues(file, parsed.error, label, at));
      return;
    }
    const r = parsed.data;
    const add = (where: string, reason: string) => issues.push({ file, rule: label, at: `${at}.${where}`, reason });
    // What the directory does not know refuses this rule only (see the top of the file).
    const unknown = (where: string, reason: string) => refused.push({ file, rule: label, at: `${at}.${where}`, reason });
    if (seen.has(r.id)) add("id", `duplicate id (also rule #${seen.get(r.id)! + 1})`);
    seen.set(r.id, i);
    if (categories) for (const c of r.when.categories ?? []) if (!categories.get(c)) add("when.categories", `unknown category "${c}" (see categories.json)`);
    for (const s of r.when.streets ?? []) if (!cat.streets.has(s)) unknown("when.streets", `unknown street "${s}"`);
    for (const e of r.when.estates ?? []) {
      const estate = cat.estates.get(e);
      if (!estate) unknown("when.estates", `unknown estate "${e}"`);
      else if (r.when.streets && !r.when.streets.includes(estate.street)) unknown("when.estates", `estate "${e}" is in street "${estate.street}", not in ${r.when.streets.join("/")}: the rule can never fire for it`);
    }
    if (r.when.buildings) {
      if (!r.when.estates) add("when.buildings", "buildings need estates: building names repeat across estates");
      else
        for (const e of r.when.estates) {
          const estate = cat.estates.get(e);
          if (!estate) continue;
          for (const b of r.when.buildings) if (!estate.buildings.has(b)) unknown("when.buildings", `building "${b}" does not exist in estate "${e}" (it has ${[...estate.buildings.keys()].join(", ") || "no buildings"})`);
        }
    }
    const { company, liaison } = r.then;
    if (company && company !== "$estate" && !cat.companies.has(company)) unknown("then.company", `unknown company "${company}"`);
    if (liaison) {
      const l = cat.liaisons.get(liaison);
      if (!l) unknown("then.liaison", `unknown liaison "${liaison}"`);
      else if (company && company !== "$estate" && l.company !== company) unknown("then.liaison", `liaison "${liaison}" belongs to company "${l.company}", not "${company}"`);
    }
    out.push({ rule: r, index: i });
  });
  return out;
}

function checkDeadlines(file: string, raw: unknown, categories: Categories | undefined, issues: RuleIssue[]) {
  const top = deadlinesFileSchema.safeParse(raw);
  if (!top.success) {
    issues.push(...zodIssues(file, top.error, undefined, ""));
    return undefined;
  }
  const entries: DeadlineEntry[] = [];
  const before = issues.length;
  const seen = new Set<string>();
  top.data.entries.forEach((rawEntry, i) => {
    const label = ruleLabel(rawEntry, i);
    const at = `entries[${i}]`;
    const parsed = deadlineEntrySchema.safeParse(rawEntry);
    if (!parsed.success) {
      issues.push(...zodIssues(file, parsed.error, label, at));
      return;
    }
    const e = parsed.data;
    if (seen.has(e.id)) issues.push({ file, rule: label, at: `${at}.id`, reason: "duplicate id" });
    seen.add(e.id);
    if (categories) for (const c of e.when.categories ?? []) if (!categories.get(c)) issues.push({ file, rule: label, at: `${at}.when.categories`, reason: `unknown category "${c}" (see categories.json)` });
    entries.push(e);
  });
  const last = entries[entries.length - 1];
  if (issues.length === before && last) {
    const catchAll = !last.when.categories && !last.when.kinds && last.when.emergency === undefined;
    const missing = (["normal", "urgent", "emergency"] as const).filter((l) => !last.levels[l]);
    if (!catchAll || missing.length)
      issues.push({
        file,
        rule: last.id,
        at: `entries[${entries.length - 1}]`,
        reason: `the last entry must match every case (empty "when") and set normal, urgent and emergency, so that every case gets deadlines${missing.length ? ` (missing: ${missing.join(", ")})` : ""}`,
      });
  }
  return issues.length === before ? { entries, residentHintRaisesTo: top.data.residentHintRaisesTo } : undefined;
}

function checkCalendar(file: string, raw: unknown, issues: RuleIssue[]): CalendarFile | undefined {
  const parsed = calendarFileSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map((i) => ({ file, rule: i.path[0] === "years" && i.path[1] !== undefined ? String(i.path[1]) : undefined, at: pathString("", i.path), reason: i.message })));
    return undefined;
  }
  const before = issues.length;
  for (const [year, c] of Object.entries(parsed.data.years)) for (const reason of checkCalendarYear(year, c)) issues.push({ file, rule: year, at: `years.${year}`, reason });
  return issues.length === before ? parsed.data : undefined;
}
