// Saving a rule file from the dashboard: the checked text is written (atomically) and a RuleVersion row
// keeps who, when, why and both texts, so any version can be looked at and written back.
import type { Db } from "../../core/db/db.ts";
import { fileName, readRuleFile, writeRuleFileAtomically, type EditableFile } from "./draft.ts";

export interface Saver {
  staffId: number | null;
  staffName: string;
}

export async function saveRuleFile(db: Db, rulesDir: string, f: EditableFile, text: string, by: Saver, reason: string, at: Date, rollbackOf: number | null = null) {
  const previous = readRuleFile(rulesDir, f);
  // The row first: a save whose history could not be stored is not written at all.
  const row = await db.ruleVersion.create({ data: { file: fileName(f), content: text, previous, staffId: by.staffId, staffName: by.staffName, reason, rollbackOf, createdAt: at } });
  try {
    writeRuleFileAtomically(rulesDir, f, text);
  } catch (err) {
    await db.ruleVersion.delete({ where: { id: row.id } });
    throw err;
  }
  return row;
}

export function listVersions(db: Db, f: EditableFile, take = 50) {
  return db.ruleVersion.findMany({ where: { file: fileName(f) }, orderBy: { id: "desc" }, take });
}
