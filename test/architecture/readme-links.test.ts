// The manuals' links work in a clone: every relative link in README.md, bench/README.md and
// test/reliability/README.md names a file inside the repository, and every #anchor a heading there.
// Links out of the repository may only be absolute (public documentation), never ../ past the root.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MANUALS = ["README.md", "bench/README.md", "test/reliability/README.md"];

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

  it("the slug rule matches GitHub's on a heading with punctuation", () => {
    expect(slug("Clocks: reminders, revisits, escalation, digests")).toBe("clocks-reminders-revisits-escalation-digests");
    expect(slug("Long runs: bench:reliability")).toBe("long-runs-benchreliability");
  });
});
