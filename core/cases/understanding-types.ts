// The contract between a resident's free text and filing: what the bot (and the web form) ask the
// understanding rules (rules/understanding.json, run by rules/) to propose. Core only names it.
import type { CaseKind } from "../db/generated/prisma/enums.ts";

export type Locale = "zh-Hans" | "zh-Hant" | "en";

export interface Understanding {
  kind: CaseKind;
  /** Best category code from rules/categories.json, or null when nothing matched well enough. */
  category: string | null;
  /** True when any emergency pattern matched: such a message is always treated as an emergency. */
  emergency: boolean;
  /** 0..1: how sure the top category is (a question back below the office's threshold). */
  confidence: number;
  /** Other likely categories, best first, for "change the category" buttons. */
  alternatives: { category: string; score: number }[];
  /** Why, in words an office clerk reads in the dry-run: matched phrases and their weights. */
  why: string[];
}

export interface Understander {
  understand(text: string, locale?: Locale): Understanding;
}
