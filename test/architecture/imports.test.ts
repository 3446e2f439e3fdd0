// The layout's promises, checked on the source: no import circles (type imports count: a circle of
// types is still two files that cannot be read apart), core/ knows nothing of Telegram or HTTP, and
// no folder grows past a dozen loose files.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SKIP = new Set(["node_modules", "generated", ".git", "data", "test-results", "test-artifacts", "scratch"]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Relative module specifiers a file imports or re-exports, statically or with import(). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+["'](\.[^"']+)["']/gms),
    ...text.matchAll(/^\s*import\s+["'](\.[^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["'](\.[^"']+)["']\s*\)/g),
  ].map((match) => match[1]!);
  return specs
    .map((spec) => path.resolve(path.dirname(file), spec))
    .filter((target) => fs.existsSync(target) && fs.statSync(target).isFile());
}

const files = sourceFiles(ROOT);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const rel = (file: string) => path.relative(ROOT, file);

/** Every strongly connected group of more than one file (Tarjan). */
function circles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(rel(member));
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

describe("source layout", () => {
  it("walks the whole tree (the walker itself sees imports)", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(path.join(ROOT, "main.ts"))!.map(rel)).toContain("app-context.ts");
  });

  it("has no import circles", () => {
    expect(circles()).toEqual([]);
  });

  it("keeps core/ free of Telegram, HTTP and the folders that use it", () => {
    const offenders = files
      .filter((file) => rel(file).startsWith("core/"))
      .flatMap((file) => {
        const text = fs.readFileSync(file, "utf8");
        const outside = (graph.get(file) ?? []).map(rel).filter((target) => !target.startsWith("core/"));
        const packages = [...text.matchAll(/from\s+["'](grammy|@grammyjs\/[^"']+|express)["']/g)].map((m) => m[1]!);
        return [...outside, ...packages].map((what) => `${rel(file)} → ${what}`);
      });
    expect(offenders).toEqual([]);
  });

  // bot/features is the template's catalogue (one Composer per concern), so it may run longer.
  it("leaves at most 12 source files loose in any folder of the product", () => {
    const perFolder = new Map<string, number>();
    for (const file of files) perFolder.set(rel(path.dirname(file)), (perFolder.get(rel(path.dirname(file))) ?? 0) + 1);
    const crowded = [...perFolder].filter(([folder, count]) => count > 12 && !folder.startsWith("test/") && folder !== "bot/features").map(([f, c]) => `${f}: ${c}`);
    expect(crowded).toEqual([]);
  });
});
