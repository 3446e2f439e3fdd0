// rules/understanding.json: its zod schema, the checks against categories.json (every category
// covered, emergency patterns only on emergency categories), and its compiled, normalised form.
// Issues name the file and the place ("categories.lift.keywords.en"), like the other rule files.
import fs from "node:fs";
import { z } from "zod";
import type { Categories } from "../../core/cases/categories.ts";
import { isLatinPhrase, normalise } from "./normalise.ts";

export const UNDERSTANDING_FILE = "understanding.json";
const LOCALES = ["zh-Hans", "zh-Hant", "en"] as const;
const phrase = z.string().trim().min(1, "empty phrase").max(60, "phrase longer than 60 characters");
const weight = z.number().min(-10).max(10);
/** Per locale: { "漏水": 2, "渗水": 2 }. */
const weighted = z.strictObject({ "zh-Hans": z.record(phrase, weight), "zh-Hant": z.record(phrase, weight), en: z.record(phrase, weight) });
const listed = z.strictObject({ "zh-Hans": z.array(phrase), "zh-Hant": z.array(phrase), en: z.array(phrase) });
const pattern = z.string().trim().min(1, "empty pattern").max(300, "pattern longer than 300 characters");
const patterns = z.strictObject({ "zh-Hans": z.array(pattern), "zh-Hant": z.array(pattern), en: z.array(pattern) });

const categoryRules = z.strictObject({
  $comment: z.unknown().optional(),
  keywords: weighted,
  /** "A+B": both must appear; "A|B": either. Matched and not negated ⇒ emergency. */
  emergency: patterns.optional(),
});

export const understandingFileSchema = z.strictObject({
  $comment: z.unknown().optional(),
  settings: z.strictObject({
    $comment: z.unknown().optional(),
    minScore: z.number().positive().default(1),
    proposeAbove: z.number().min(0).max(1).default(0.5),
    negationReach: z.strictObject({ chinese: z.number().int().min(0).max(10), english: z.number().int().min(0).max(30) }),
    emphasisFactor: z.number().min(1).max(5).default(2),
  }),
  spellings: z.record(phrase, phrase).default({}),
  negations: listed,
  notNegations: listed,
  emphasis: listed,
  kinds: z.strictObject({ complaint: weighted, repair: weighted, suggestion: weighted }),
  categories: z.record(z.string(), categoryRules),
});
export type UnderstandingFile = z.output<typeof understandingFileSchema>;
type Locale = (typeof LOCALES)[number];

export interface Phrase {
  /** As the office wrote it, for the explanation. */
  source: string;
  locale: Locale;
  /** Normalised; Latin phrases are matched word by word. */
  text: string;
  latin: boolean;
  weight: number;
  /** The words of a Latin phrase, split once on first use. */
  words?: string[];
}
export interface EmergencyPattern {
  source: string;
  locale: Locale;
  /** All parts must match; each part is any of its alternatives. */
  parts: Phrase[][];
}
export interface CompiledUnderstanding {
  settings: UnderstandingFile["settings"];
  spellings: [string, string][];
  negations: Phrase[];
  notNegations: Phrase[];
  emphasis: Phrase[];
  kinds: { kind: "complaint" | "repair" | "suggestion"; phrases: Phrase[] }[];
  categories: { code: string; allowedKinds: string[]; isEmergency: boolean; keywords: Phrase[]; emergency: EmergencyPattern[] }[];
  phraseCount: number;
  /** Every normalised phrase of the file, for the dry-run's "words no phrase knows". */
  known: Set<string>;
}

export interface UnderstandingIssue {
  file: string;
  at?: string;
  reason: string;
}

export function checkUnderstanding(file: string, categories: Categories, issues: UnderstandingIssue[]): CompiledUnderstanding | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    issues.push({ file, reason: e.code === "ENOENT" ? "file not found" : `not valid JSON: ${e.message}` });
    return undefined;
  }
  const parsed = understandingFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ file, at: i.path.map(String).join(".") || "(top level)", reason: i.message });
    return undefined;
  }
  const before = issues.length;
  const f = parsed.data;
  for (const code of Object.keys(f.categories)) if (!categories.get(code)) issues.push({ file, at: `categories.${code}`, reason: `unknown category "${code}" (see categories.json)` });
  for (const c of categories.list) {
    const rules = f.categories[c.code];
    if (!rules) {
      issues.push({ file, at: "categories", reason: `category "${c.code}" of categories.json has no rules: residents' messages could never be filed under it` });
      continue;
    }
    for (const l of LOCALES)
      if (!Object.values(rules.keywords[l]).some((w) => w > 0)) issues.push({ file, at: `categories.${c.code}.keywords.${l}`, reason: "needs at least one phrase with a positive weight" });
    if (c.emergency && !rules.emergency) issues.push({ file, at: `categories.${c.code}`, reason: `"${c.code}" is an emergency category: it needs emergency patterns so that such messages are never missed` });
    if (!c.emergency && rules.emergency) issues.push({ file, at: `categories.${c.code}.emergency`, reason: `"${c.code}" is not an emergency category in categories.json: emergency patterns are not allowed here` });
    if (rules.emergency)
      for (const l of LOCALES) {
        if (!rules.emergency[l].length) issues.push({ file, at: `categories.${c.code}.emergency.${l}`, reason: "needs at least one pattern" });
        rules.emergency[l].forEach((p, i) => {
          if (p.split("+").some((part) => part.split("|").some((alt) => !alt.trim()))) issues.push({ file, at: `categories.${c.code}.emergency.${l}[${i}]`, reason: `"${p}": an empty part around "+" or "|"` });
        });
      }
  }
  return issues.length === before ? compile(f, categories) : undefined;
}

function compile(f: UnderstandingFile, categories: Categories): CompiledUnderstanding {
  const spellings = Object.entries(f.spellings).map(([w, r]) => [normalise(w), normalise(r)] as [string, string]);
  const make = (source: string, locale: Locale, weight = 1): Phrase => {
    const text = normalise(source, spellings).replace(/\s+/g, " ").trim();
    return { source, locale, text, latin: isLatinPhrase(text), weight };
  };
  const fromWeighted = (w: z.output<typeof weighted>) => LOCALES.flatMap((l) => Object.entries(w[l]).map(([p, wt]) => make(p, l, wt)));
  const fromListed = (w: z.output<typeof listed>) => LOCALES.flatMap((l) => w[l].map((p) => make(p, l)));
  let phraseCount = 0;
  const cats = categories.list.map((c) => {
    const r = f.categories[c.code]!;
    const keywords = dedupe(fromWeighted(r.keywords));
    const patterns = r.emergency
      ? LOCALES.flatMap((l) => r.emergency![l].map((p) => ({ source: p, locale: l, parts: p.split("+").map((part) => part.split("|").map((alt) => make(alt.trim(), l))) })))
      : [];
    // A zh-Hant pattern that normalises to a zh-Hans one is the same pattern: keep it once.
    const key = (p: EmergencyPattern) => p.parts.map((alts) => alts.map((a) => a.text).join("|")).join("+");
    const emergency = [...new Map(patterns.map((p) => [key(p), p])).values()];
    phraseCount += keywords.length + emergency.length;
    return { code: c.code, allowedKinds: c.kinds, isEmergency: c.emergency, keywords, emergency };
  });
  const negations = dedupe(fromListed(f.negations));
  const notNegations = dedupe(fromListed(f.notNegations));
  const emphasis = dedupe(fromListed(f.emphasis));
  const kinds = (["complaint", "repair", "suggestion"] as const).map((kind) => ({ kind, phrases: dedupe(fromWeighted(f.kinds[kind])) }));
  const known = new Set([...negations, ...notNegations, ...emphasis, ...kinds.flatMap((k) => k.phrases), ...cats.flatMap((c) => c.keywords)].map((p) => p.text));
  return {
    settings: f.settings,
    spellings,
    known,
    negations,
    notNegations,
    emphasis,
    kinds,
    categories: cats,
    phraseCount,
  };
}

/** zh-Hans and zh-Hant spellings of one phrase often normalise alike: count it once. */
function dedupe(list: Phrase[]): Phrase[] {
  const seen = new Map<string, Phrase>();
  for (const p of list) if (!seen.has(p.text) || Math.abs(p.weight) > Math.abs(seen.get(p.text)!.weight)) seen.set(p.text, p);
  return [...seen.values()];
}
