// The dry-run's account of one understanding decision, for the clerk who edits
// rules/understanding.json: what the message became after normalising, each phrase counted with its
// weight, the negated ones, why it is (not) an emergency, the score table, and the words of the
// message that no rule knows — cut with jieba, so the clerk sees "天花板" rather than loose
// characters and can add a phrase. jieba is not used for scoring: it splits "漏水滴到" as 漏/水滴,
// where plain substring matching of the office's phrases finds 漏水; it only suggests words here.
import { createRequire } from "node:module";
import type { Categories } from "../../core/cases/categories.ts";
import type { Explanation } from "./understander.ts";

interface JiebaLike {
  cut(text: string, hmm?: boolean): string[];
}
let jieba: JiebaLike | null | undefined;

/** jieba's dictionary takes ~1.5 s to load: only the dry-run pays for it, once. */
function segmenter(): JiebaLike | null {
  if (jieba === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const { Jieba } = require("@node-rs/jieba") as { Jieba: { withDict(d: Uint8Array): JiebaLike } };
      const { dict } = require("@node-rs/jieba/dict") as { dict: Uint8Array };
      jieba = Jieba.withDict(dict);
    } catch {
      jieba = null;
    }
  }
  return jieba;
}

/** Chinese words of two characters or more that no counted, negated or emergency phrase covers. */
export function unknownWords(ex: Explanation, known: ReadonlySet<string>): string[] {
  const seg = segmenter();
  if (!seg) return [];
  const covered = new Array<boolean>(ex.normalised.length).fill(false);
  for (const { hit } of [...ex.counted, ...ex.negated]) for (let i = hit.start; i < hit.end; i++) covered[i] = true;
  const words: string[] = [];
  let at = 0;
  for (const w of seg.cut(ex.normalised, true)) {
    const start = ex.normalised.indexOf(w, at);
    at = start >= 0 ? start + w.length : at;
    if (start < 0 || w.length < 2 || known.has(w) || !/^[\u3400-\u9fff]+$/.test(w)) continue;
    if (!covered.slice(start, start + w.length).some(Boolean) && !ex.emergencies.some((e) => e.matched.includes(w))) words.push(w);
  }
  return [...new Set(words)];
}

export function renderExplanation(text: string, ex: Explanation, categories: Categories, known: ReadonlySet<string>, rulesFile: string): string {
  const u = ex.understanding;
  const label = (code: string | null) => (code ? `${code} (${categories.label(code, "zh-Hans")} / ${categories.label(code, "en")})` : "none — the bot asks the resident");
  const unknown = unknownWords(ex, known);
  const lines = [
    `rules:       ${rulesFile}`,
    `message:     ${text}`,
    `normalised:  ${ex.normalised}`,
    "",
    "phrases counted:",
    ...(ex.counted.length ? ex.counted.map((c) => `  + ${c.points.toString().padStart(2)}  "${c.hit.phrase.source}" (${c.hit.phrase.locale}) → ${c.category}${c.hit.emphasised ? "   ×emphasis: said to be the main problem" : ""}`) : ["  (none)"]),
    ...(ex.negated.length ? ["negated, not counted:", ...ex.negated.map((n) => `  -     "${n.hit.phrase.source}" → ${n.category}, after "${n.hit.negatedBy}"`)] : []),
    "",
    "emergency:",
    ...(ex.emergencies.length
      ? ex.emergencies.map((e) => `  YES  ${e.category}: pattern "${e.pattern}" matched ${e.matched.map((m) => `"${m}"`).join(" + ")}`)
      : ["  no   no emergency pattern matched"]),
    ...ex.negatedEmergencies.map((e) => `  (negated) ${e.category}: pattern "${e.pattern}" after "${e.negatedBy}"`),
    "",
    "scores:",
    ...(ex.scores.length ? ex.scores.map((s) => `  ${s.score.toString().padStart(5)}  ${s.category}`) : ["  (none)"]),
    "",
    `decision:    ${u.emergency ? "EMERGENCY — the office is told at once; " : ""}${label(u.category)}`,
    `kind:        ${u.kind}`,
    `confidence:  ${u.confidence}`,
    `alternatives: ${u.alternatives.map((a) => `${a.category} (${a.score})`).join(", ") || "none"}`,
    "",
    "why:",
    ...u.why.map((w) => `  - ${w}`),
    ...(unknown.length ? ["", `words no phrase knows (jieba): ${unknown.join(" ")}`, "  add one to a category's keywords in understanding.json if it should count"] : []),
  ];
  return `${lines.join("\n")}\n`;
}
