// Loads rules/understanding.json (checked against categories.json) without the routing rules or a
// database: for the CLI, the bench and the dry-run's --text. The service gets the same rules through
// the RuleSet of rules/loader.ts, so they hot-reload with the other files.
import path from "node:path";
import { loadCategories, type Categories } from "../../core/cases/categories.ts";
import { checkUnderstanding, UNDERSTANDING_FILE, type UnderstandingIssue } from "./rules-file.ts";
import { RuleUnderstander } from "./understander.ts";

export type UnderstandingLoad = { ok: true; understander: RuleUnderstander; categories: Categories } | { ok: false; issues: UnderstandingIssue[] };

export function loadUnderstanding(rulesDir: string): UnderstandingLoad {
  let categories: Categories;
  try {
    categories = loadCategories(rulesDir);
  } catch (err) {
    return { ok: false, issues: [{ file: path.join(rulesDir, "categories.json"), reason: (err as Error).message }] };
  }
  const issues: UnderstandingIssue[] = [];
  const compiled = checkUnderstanding(path.join(rulesDir, UNDERSTANDING_FILE), categories, issues);
  return compiled ? { ok: true, understander: new RuleUnderstander(compiled), categories } : { ok: false, issues };
}

export function formatUnderstandingIssue(i: UnderstandingIssue): string {
  return `${i.file}${i.at ? ` (${i.at})` : ""}: ${i.reason}`;
}
