// The scorer behind free-text filing: finds the office's phrases (rules/understanding.json) in a
// normalised message, drops the negated ones ("不是漏水") and the ones inside a longer match,
// weighs what is left per category, and flags an emergency whenever an emergency pattern matches
// un-negated — whatever else the message says. A small scorer rather than json-rules-engine: the
// decision is a weighted sum over phrase hits, which the engine's boolean conditions cannot rank,
// and every hit must be explainable phrase by phrase in the dry-run.
import type { Locale, Understander, Understanding } from "../../core/cases/understanding-types.ts";
import { CLAUSE_BREAK, normalise, sameWord, words, type Word } from "./normalise.ts";
import type { CompiledUnderstanding, Phrase } from "./rules-file.ts";

type Kind = Understanding["kind"];
export interface Hit {
  phrase: Phrase;
  start: number;
  end: number;
  /** The negation cue in front of it, when negated. */
  negatedBy?: string;
  /** Emphasised by "主要是"/"mainly" in front of it, in the same clause. */
  emphasised?: boolean;
}
export interface Explanation {
  understanding: Understanding;
  normalised: string;
  counted: { category: string; hit: Hit; points: number }[];
  negated: { category: string; hit: Hit }[];
  emergencies: { category: string; pattern: string; matched: string[] }[];
  negatedEmergencies: { category: string; pattern: string; negatedBy: string }[];
  scores: { category: string; score: number }[];
}

export class RuleUnderstander implements Understander {
  constructor(readonly rules: CompiledUnderstanding) {}

  understand(text: string, _locale?: Locale): Understanding {
    return this.explain(text).understanding;
  }

  /** Matching does not depend on the locale: every text and phrase is normalised to one form first. */
  explain(text: string): Explanation {
    const r = this.rules;
    const s = normalise(text, r.spellings);
    const ctx = new MessageContext(s, r);

    const allHits = r.categories.map((c) => ({ c, hits: c.keywords.flatMap((p) => ctx.find(p)) }));
    const longest = allHits.flatMap((x) => x.hits);
    // A phrase inside a longer hit is not counted again ("漏水" in "大量漏水"); of hits on the very
    // same words ("lift" and "lifts" both meet "lift"), only the heaviest counts.
    const inside = (h: Hit) =>
      longest.some((o) => o !== h && o.start <= h.start && o.end >= h.end && (o.end - o.start > h.end - h.start || (o.start === h.start && o.end === h.end && (o.phrase.weight > h.phrase.weight || (o.phrase.weight === h.phrase.weight && longest.indexOf(o) < longest.indexOf(h))))));

    const counted: Explanation["counted"] = [];
    const negated: Explanation["negated"] = [];
    const scores = new Map<string, number>();
    for (const { c, hits } of allHits) {
      const seen = new Set<Phrase>();
      // A phrase counts once; when it occurs twice, the occurrence said to be the main problem wins.
      hits.sort((a, b) => Number(b.emphasised ?? false) - Number(a.emphasised ?? false));
      for (const h of hits) {
        if (inside(h) || seen.has(h.phrase)) continue;
        if (h.negatedBy) {
          negated.push({ category: c.code, hit: h });
          continue;
        }
        seen.add(h.phrase);
        const points = h.phrase.weight * (h.emphasised ? r.settings.emphasisFactor : 1);
        counted.push({ category: c.code, hit: h, points });
        scores.set(c.code, (scores.get(c.code) ?? 0) + points);
      }
    }

    const emergencies: Explanation["emergencies"] = [];
    const negatedEmergencies: Explanation["negatedEmergencies"] = [];
    for (const c of r.categories)
      for (const p of c.emergency) {
        const matched: string[] = [];
        let negatedBy: string | undefined;
        for (const part of p.parts) {
          const hits = part.flatMap((alt) => ctx.find(alt));
          const live = hits.find((h) => !h.negatedBy);
          if (live) matched.push(s.slice(live.start, live.end));
          else if (hits.length) negatedBy ??= hits[0]!.negatedBy;
        }
        if (matched.length === p.parts.length) emergencies.push({ category: c.code, pattern: p.source, matched });
        else if (negatedBy && matched.length + 1 >= p.parts.length) negatedEmergencies.push({ category: c.code, pattern: p.source, negatedBy });
      }

    const ranked = [...scores].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([category, score]) => ({ category, score: round(score) }));
    const why: string[] = [];
    for (const x of counted) why.push(`"${x.hit.phrase.source}" → ${x.category} ${sign(x.points)}${x.hit.emphasised ? ` (×${r.settings.emphasisFactor}: said to be the main problem)` : ""}`);
    for (const x of negated) why.push(`"${x.hit.phrase.source}" not counted for ${x.category}: negated by "${x.hit.negatedBy}"`);

    let category: string | null = null;
    let confidence = 0;
    const emergency = emergencies.length > 0;
    if (emergency) {
      const byCategory = new Map<string, number>();
      for (const e of emergencies) byCategory.set(e.category, (byCategory.get(e.category) ?? 0) + 10 + (scores.get(e.category) ?? 0));
      category = [...byCategory].sort((a, b) => b[1] - a[1])[0]![0];
      for (const e of emergencies) why.push(`EMERGENCY (${e.category}): pattern "${e.pattern}" matched ${e.matched.map((m) => `"${m}"`).join(" + ")}`);
      confidence = Math.max(0.9, confidenceOf(ranked, category));
    } else {
      for (const e of negatedEmergencies) why.push(`no emergency: pattern "${e.pattern}" (${e.category}) is negated by "${e.negatedBy}"`);
      const top = ranked[0];
      if (top && top.score >= r.settings.minScore) {
        category = top.category;
        confidence = confidenceOf(ranked, category);
      } else {
        confidence = top ? round(Math.min(0.3, top.score / (top.score + 1.5))) : 0;
        why.push(top ? `best category ${top.category} has only ${top.score} point(s), below the minimum ${r.settings.minScore}: ask the resident` : "no phrase of the rules matched: ask the resident");
      }
    }
    if (category) {
      const next = ranked.find((x) => x.category !== category);
      why.push(`category ${category}: ${ranked.find((x) => x.category === category)?.score ?? 0} point(s)${next ? `, next ${next.category} ${next.score}` : ""}; confidence ${confidence}`);
    }
    const kind = this.kindOf(ctx, category, why);
    const alternatives = ranked.filter((x) => x.category !== category).slice(0, 3);
    return {
      understanding: { kind, category, emergency, confidence, alternatives, why },
      normalised: s,
      counted,
      negated,
      emergencies,
      negatedEmergencies,
      scores: ranked,
    };
  }

  private kindOf(ctx: MessageContext, category: string | null, why: string[]): Kind {
    const allowed = (category ? this.rules.categories.find((c) => c.code === category)?.allowedKinds : undefined) ?? ["complaint", "repair", "suggestion"];
    const scored = this.rules.kinds
      .map(({ kind, phrases }) => {
        const hits = phrases.filter((p) => ctx.find(p).some((h) => !h.negatedBy));
        return { kind, score: hits.reduce((t, p) => t + p.weight, 0), hits };
      })
      .filter((k) => k.score > 0)
      .sort((a, b) => b.score - a.score);
    const best = scored.find((k) => allowed.includes(k.kind));
    if (best) {
      why.push(`kind ${best.kind}: ${best.hits.map((p) => `"${p.source}" ${sign(p.weight)}`).join(", ")}`);
      return best.kind;
    }
    const fallback = (category ? allowed[0] : "complaint") as Kind;
    why.push(scored[0] ? `kind ${fallback}: "${scored[0].kind}" was hinted, but ${category} does not take it` : `kind ${fallback}: the usual kind for ${category ?? "an unclear message"}`);
    return fallback;
  }
}

function confidenceOf(ranked: { category: string; score: number }[], category: string): number {
  const s1 = ranked.find((x) => x.category === category)?.score ?? 0;
  const s2 = ranked.find((x) => x.category !== category)?.score ?? 0;
  if (s1 <= 0) return 0;
  const strength = s1 / (s1 + 1.5);
  const margin = Math.max(0, (s1 - s2) / s1);
  return round(strength * (0.5 + 0.5 * margin));
}

const round = (n: number) => Math.round(n * 100) / 100;
const sign = (n: number) => (n >= 0 ? `+${round(n)}` : `${round(n)}`);

const NONE: Hit[] = [];

/** One message: where its clauses start, its words, and which spans are not negations. */
class MessageContext {
  private readonly wordList: Word[];
  private readonly clauseStart: number[];
  private readonly doubt: [number, number][];
  private readonly emphasisAt: number[];
  private readonly cache = new Map<Phrase, Hit[]>();
  private readonly cueCache = new Map<Phrase, Hit[]>();

  constructor(
    readonly s: string,
    private readonly r: CompiledUnderstanding,
  ) {
    this.wordList = words(s);
    this.clauseStart = new Array<number>(s.length + 1);
    let start = 0;
    for (let i = 0; i <= s.length; i++) {
      this.clauseStart[i] = start;
      if (i < s.length && CLAUSE_BREAK.test(s[i]!)) start = i + 1;
    }
    this.doubt = r.notNegations.flatMap((p) => this.raw(p).map((h) => [h.start, h.end] as [number, number]));
    this.emphasisAt = r.emphasis.flatMap((p) => this.raw(p).map((h) => h.end));
  }

  find(p: Phrase): Hit[] {
    let hits = this.cache.get(p);
    if (!hits) {
      const raw = this.raw(p);
      if (raw === NONE) return NONE;
      hits = raw.map((h) => ({ ...h, negatedBy: this.negation(h.start, p.latin), emphasised: this.emphasisAt.some((e) => e <= h.start && this.clauseStart[e] === this.clauseStart[h.start]) }));
      this.cache.set(p, hits);
    }
    return hits;
  }

  // Most of the ~700 phrases are absent from a message: they return the shared NONE, so that a
  // message allocates only for what it contains (fewer collections, a steadier p99).
  private raw(p: Phrase): Hit[] {
    let out: Hit[] = NONE;
    if (p.latin) {
      const ws = this.wordList;
      if (!ws.length) return NONE;
      const pw = (p.words ??= p.text.split(" "));
      for (let i = 0; i + pw.length <= ws.length; i++)
        if (pw.every((w, k) => sameWord(w, ws[i + k]!))) (out === NONE ? (out = []) : out).push({ phrase: p, start: ws[i]!.start, end: ws[i + pw.length - 1]!.end });
      return out;
    }
    for (let i = this.s.indexOf(p.text); i >= 0; i = this.s.indexOf(p.text, i + 1)) (out === NONE ? (out = []) : out).push({ phrase: p, start: i, end: i + p.text.length });
    return out;
  }

  /**
   * A cue that ends at most `reach` characters before the phrase, in the same clause, and is not part
   * of a doubt ("是不是"). A one-character Chinese cue (不, 没) must touch the phrase: "不清理狗屎"
   * negates the cleaning, not the dog mess.
   */
  private negation(start: number, latin: boolean): string | undefined {
    const from = this.clauseStart[start]!;
    for (const cue of this.r.negations) {
      if (cue.latin !== latin) continue;
      const reach = latin ? this.r.settings.negationReach.english : cue.text.length > 1 ? this.r.settings.negationReach.chinese : 0;
      let cueHits = this.cueCache.get(cue);
      if (!cueHits) this.cueCache.set(cue, (cueHits = this.raw(cue)));
      for (const h of cueHits) {
        if (h.start < from || h.end > start || start - h.end > reach) continue;
        if (this.doubt.some(([a, b]) => a <= h.start && b >= h.end)) continue;
        return cue.source;
      }
    }
    return undefined;
  }
}
