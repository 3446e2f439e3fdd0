// Reads one office-editable JSON file from the rules folder and validates it, with errors that name
// the file and each bad field (a clerk must be able to fix it from the message alone).
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";

export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

export function parseWith<T extends z.ZodType>(schema: T, raw: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`${where}: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return r.data;
}

export function loadRuleFile<T extends z.ZodType>(rulesDir: string, name: string, schema: T): { file: string; data: z.infer<T> } {
  const file = path.join(rulesDir, name);
  return { file, data: parseWith(schema, readJsonFile(file), file) };
}
