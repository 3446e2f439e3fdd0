// A rule file edited in the dashboard, checked exactly as the loader checks the folder: the draft is
// put into a scratch copy of the rules folder and the whole folder is loaded (a changed categories.json
// can break routing.json, so one file is never checked alone). Nothing in the real folder changes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Catalogue } from "../catalogue.ts";
import { loadRuleSet, RULE_FILES, type RuleIssue, type RuleSet } from "../loader.ts";

/** The files clerks edit in the dashboard (understanding.json stays with the operator: it has its own CLI). */
export const EDITABLE = ["routing", "deadlines", "categories", "calendar"] as const;
export type EditableFile = (typeof EDITABLE)[number];
export const fileName = (f: EditableFile) => RULE_FILES[f];

/** A rule file is a few kilobytes; this refuses a pasted novel before any parsing. */
export const MAX_RULE_FILE_BYTES = 256 * 1024;

export type DraftCheck = { ok: true; ruleSet: RuleSet } | { ok: false; issues: RuleIssue[] };

export function readRuleFile(rulesDir: string, f: EditableFile): string | null {
  try {
    return fs.readFileSync(path.join(rulesDir, fileName(f)), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

export function checkDraft(rulesDir: string, catalogue: Catalogue, f: EditableFile, text: string): DraftCheck {
  const name = fileName(f);
  if (Buffer.byteLength(text, "utf8") > MAX_RULE_FILE_BYTES) return { ok: false, issues: [{ file: name, reason: `too large (over ${MAX_RULE_FILE_BYTES / 1024} KB)` }] };
  if (text.includes("\u0000")) return { ok: false, issues: [{ file: name, reason: "contains a NUL character" }] };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rules-draft-"));
  try {
    fs.cpSync(rulesDir, scratch, { recursive: true });
    fs.writeFileSync(path.join(scratch, name), text);
    const r = loadRuleSet(scratch, catalogue);
    // Issues name the scratch folder; the clerk knows the file by its name.
    if (!r.ok) return { ok: false, issues: r.issues.map((i) => ({ ...i, file: path.basename(i.file) })) };
    // The loader leaves a rule naming an unknown estate out and routes with the rest; a clerk saving
    // routing.json is told instead, next to the row, and nothing is written.
    if (f === "routing" && r.ruleSet.refused.length) return { ok: false, issues: r.ruleSet.refused.map((i) => ({ ...i, file: path.basename(i.file) })) };
    return { ok: true, ruleSet: { ...r.ruleSet, dir: rulesDir } };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the file so a reader (the running service, its folder watch) sees the old or the new text, never half. */
export function writeRuleFileAtomically(rulesDir: string, f: EditableFile, text: string): void {
  const target = path.join(rulesDir, fileName(f));
  const tmp = path.join(rulesDir, `.${fileName(f)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, target);
}
