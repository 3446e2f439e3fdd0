// The manuals' links work in a clone: every relative link in every Markdown file the project keeps
// (README.md, docs/, the READMEs beside the code) names a file inside the repository, and every
// #anchor a heading there.
// Links out of the repository may only be absolute (public documentation), never ../ past the root.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SKIP = new Set(["node_modules", ".git", "data", "test-artifacts", "test-results", "coverage"]);
function markdownFiles(dir = ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(full);
    return e.name.endsWith(".md") ? [path.relative(ROOT, full)] : [];
  });
}
const MANUALS = markdownFiles();

/** Markdown links outside fenced code blocks: [text](target). */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  return [...prose.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");

function anchorsOf(file: string): Set<string> {
  const text = fs.readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => slug(match[1]!)));
}

describe("links in the manuals", () => {
  for (const manual of MANUALS) {
    it(`${manual}: every relative link resolves inside the repository`, () => {
      const from = path.join(ROOT, manual);
      const broken: string[] = [];
      for (const link of linksOf(fs.readFileSync(from, "utf8"))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // absolute: public documentation
        const [target = "", anchor] = link.split("#");
        const file = target ? path.resolve(path.dirname(from), decodeURIComponent(target)) : from;
        if (path.relative(ROOT, file).startsWith("..")) broken.push(`${link}: leaves the repository`);
        else if (!fs.existsSync(file)) broken.push(`${link}: no such file`);
        else if (anchor && !(file.endsWith(".md") && anchorsOf(file).has(anchor))) broken.push(`${link}: no such heading`);
      }
      expect(broken).toEqual([]);
    });
  }

  it("finds the manuals beside the code too", () => {
    expect(MANUALS).toEqual(expect.arrayContaining(["README.md", "bench/README.md", "test/reliability/README.md", "docs/operating.md", "rules/README.md"]));
  });

  it("the slug rule matches GitHub's on a heading with punctuation", () => {
    expect(slug("Clocks: reminders, revisits, escalation, digests")).toBe("clocks-reminders-revisits-escalation-digests");
    expect(slug("Long runs: bench:reliability")).toBe("long-runs-benchreliability");
  });
});
