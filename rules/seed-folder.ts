// A rules folder outside the code (RULES_DIR=/data/rules in the container image and the deploy
// files) starts as a copy of the shipped defaults: the office edits its copy on the dashboard, and
// an upgraded image never overwrites those edits. An existing folder is left as it is.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../core/logger.ts";

export const SHIPPED_RULES_DIR = path.dirname(fileURLToPath(import.meta.url));

function copyJson(from: string, to: string): number {
  let n = 0;
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    if (e.isDirectory()) n += copyJson(src, path.join(to, e.name));
    else if (e.name.endsWith(".json")) {
      fs.copyFileSync(src, path.join(to, e.name));
      n++;
    }
  }
  return n;
}

/** Copies the shipped rule files into `dir` when it is missing or holds no rule file yet. */
export function seedRulesFolder(dir: string, log?: Logger, shipped = SHIPPED_RULES_DIR): { seeded: number } {
  const target = path.resolve(dir);
  if (target === path.resolve(shipped)) return { seeded: 0 };
  const hasRules = fs.existsSync(target) && fs.readdirSync(target).some((f) => f.endsWith(".json"));
  if (hasRules) return { seeded: 0 };
  const seeded = copyJson(shipped, target);
  log?.info({ dir: target, files: seeded }, "rules folder was empty: seeded it with the shipped rule files (edits on the dashboard are kept there)");
  return { seeded };
}
