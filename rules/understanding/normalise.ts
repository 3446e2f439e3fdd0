// Puts a resident's message and the office's phrases into one comparable form, so that a phrase
// written once matches every way residents type it: full-width → half-width (NFKC), lowercase,
// traditional → simplified (opencc-js, so "樓上漏水" meets "楼上漏水"), the office's own spelling
// fixes (电悌 → 电梯), and English words compared by stem with one typo allowed.
import * as OpenCC from "opencc-js";

// Hong Kong forms first: residents in the zh-Hant set write Cantonese as often as Taiwanese forms.
// Built on first use (~0.5 s): the CLI and tests that never see Chinese do not pay for it.
let toSimplified: ((s: string) => string) | null = null;
const HAN = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;

export function normalise(text: string, spellings: ReadonlyArray<[string, string]> = []): string {
  let s = text.normalize("NFKC").toLowerCase();
  if (HAN.test(s)) {
    const convert = (toSimplified ??= OpenCC.Converter({ from: "hk", to: "cn" }));
    s = convert(s);
  }
  for (const [wrong, right] of spellings) if (s.includes(wrong)) s = s.split(wrong).join(right);
  return s;
}

/** Clause boundaries: a negation or "mainly" never reaches across them. */
export const CLAUSE_BREAK = /[,.;!?，。；！？、\n]/;

export function isLatinPhrase(phrase: string): boolean {
  return /^[a-z0-9 '\-]+$/.test(phrase);
}

/** Word stem good enough for phrase matching: leaking/leaks/leaked → leak. */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith("es")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** One insertion, deletion, substitution or swap of neighbours apart (elevater, brokn, stariwell). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export interface Word {
  text: string;
  stem: string;
  start: number;
  end: number;
}

export function words(s: string): Word[] {
  const out: Word[] = [];
  for (const m of s.matchAll(/[a-z0-9]+(?:'[a-z]+)?/g)) out.push({ text: m[0], stem: stem(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Same stem, or one typo in a word of six letters or more: shorter words are too close to each other
 * ("floor"/"flood", "park"/"spark", "trip"/"trap") for a typo to be told from another word.
 */
export function sameWord(phraseWord: string, w: Word): boolean {
  if (phraseWord === w.text || stem(phraseWord) === w.stem) return true;
  return phraseWord.length >= 6 && w.text.length >= 6 && withinOneEdit(phraseWord, w.text);
}
