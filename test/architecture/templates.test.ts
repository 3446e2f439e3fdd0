// Pages render through Preact (api/views/render.tsx), which escapes text and attributes by default;
// a page built as an HTML template string needs a hand-written escape at every value, and one
// forgotten call is an XSS. This fails when such string building comes back into api/.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const API = path.resolve(import.meta.dirname, "../../api");
// No file is exempt any more (the old rules page went with the rules editor).
const LEGACY = new Set<string>();
// The doctype, which Preact cannot write.
const EXPECTED = ["views/render.tsx: HTML in a string: return \"<!doctype html>\""];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

/** Lines that escape by hand or build markup in a template string. */
export function handBuiltHtml(code: string): string[] {
  const out: string[] = [];
  code.split("\n").forEach((line, i) => {
    if (/\besc\(|\bescapeHtml\(|&#\$\{|\.replace\(\/\[&<>/.test(line)) out.push(`${i + 1}: escapes by hand: ${line.trim().slice(0, 90)}`);
    if (/`\s*<\/?(html|!doctype|body|div|p|table|tr|td|th|form|input|select|option|a|span|ul|li|h[1-6]|main|section|button|label|textarea|b|small|code)\b|<\/?[a-z][a-z0-9]*\b[^<>{}]*>\$\{/i.test(line)) out.push(`${i + 1}: HTML in a template string: ${line.trim().slice(0, 90)}`);
    if (/["']<(html|!doctype|div|table|tr|td|form|p|ul|li)\b/i.test(line)) out.push(`${i + 1}: HTML in a string: ${line.trim().slice(0, 90)}`);
  });
  return out;
}

describe("no hand-built HTML in api/", () => {
  it("the check catches escaping by hand and markup in strings, and passes JSX", () => {
    expect(handBuiltHtml("const row = `<tr><td>${esc(name)}</td></tr>`;")).toHaveLength(2);
    expect(handBuiltHtml('res.send("<div>" + text + "</div>")')).toHaveLength(1);
    expect(handBuiltHtml("return <td class=\"num\">{x.cases}</td>;")).toEqual([]);
  });

  it("every page renders through Preact", () => {
    const found = sources(API)
      .filter((f) => !LEGACY.has(path.relative(API, f).split(path.sep).join("/")))
      .flatMap((f) => handBuiltHtml(fs.readFileSync(f, "utf8")).map((x) => `${path.relative(API, f)}:${x}`))
      .filter((x) => !EXPECTED.some((e) => x.replace(/:\d+:/, ":").startsWith(e)));
    expect(found).toEqual([]);
    // Nobody escapes by hand.
    const callers = sources(API).filter((f) => /\besc\(/.test(fs.readFileSync(f, "utf8")) && !LEGACY.has(path.relative(API, f).split(path.sep).join("/")));
    expect(callers.map((f) => path.relative(API, f))).toEqual([]);
  });
});
