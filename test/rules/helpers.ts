// Shared by the rules tests: a temp copy of rules/ to break on purpose, and case facts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RouteFacts } from "../../core/cases/routing-types.ts";
import { demoRulesDir } from "../helpers/demo-rules.ts";

/** The rules as the demo seed leaves them (the shipped files plus the demo's own routing rules). */
export const RULES_DIR = demoRulesDir();

/** A temp folder with a copy of the real rule files. */
export function tempRules(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-"));
  for (const f of fs.readdirSync(RULES_DIR)) if (f.endsWith(".json")) fs.copyFileSync(path.join(RULES_DIR, f), path.join(dir, f));
  return dir;
}

export function readRules(dir: string, file: string): any {
  return JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
}

export function writeRules(dir: string, file: string, value: unknown): void {
  fs.writeFileSync(path.join(dir, file), typeof value === "string" ? value : JSON.stringify(value, null, 2));
}

/** Edits one file of the folder in place. */
export function editRules(dir: string, file: string, edit: (json: any) => void): void {
  const j = readRules(dir, file);
  edit(j);
  writeRules(dir, file, j);
}

export function facts(over: Partial<RouteFacts> = {}): RouteFacts {
  return {
    kind: "repair",
    category: "water",
    estate: "heping",
    street: "dongcheng",
    urgencyHint: false,
    filedAt: new Date("2026-11-24T10:00:00+08:00"),
    ...over,
  };
}
