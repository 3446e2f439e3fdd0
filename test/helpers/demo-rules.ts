// The rules folder as `npm run seed` leaves it for the demo district: a copy of the shipped rules/
// with the demo's own routing rules added (withDemoRules, the seed's code). Tests of the demo district
// route with it; the shipped folder itself must route any district (test/rules/any-district.test.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { withDemoRules } from "../../core/directory/demo-district.ts";

export const SHIPPED_RULES_DIR = path.resolve(import.meta.dirname, "../../rules");

let made: string | null = null;

/** One copy per test process, removed when it exits. */
export function demoRulesDir(): string {
  if (made) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-rules-"));
  fs.cpSync(SHIPPED_RULES_DIR, dir, { recursive: true, filter: (src) => !src.endsWith(".ts") && !src.endsWith(".md") });
  const text = withDemoRules(fs.readFileSync(path.join(dir, "routing.json"), "utf8"));
  if (text) fs.writeFileSync(path.join(dir, "routing.json"), text);
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  made = dir;
  return dir;
}
