// Finding an estate (or a building) by what a resident types: part of its name ("和平"), its pinyin
// ("heping") or its pinyin initials ("hpxq" for 和平小区). A district has hundreds of estates; a
// paged list of buttons alone is not enough. Pinyin by pinyin-pro (polyphones resolved in context).
import { pinyin } from "pinyin-pro";

interface Keys {
  name: string;
  spelled: string;
  initials: string;
}

const cache = new Map<string, Keys>();

function keysOf(name: string): Keys {
  let k = cache.get(name);
  if (!k) {
    const lower = name.toLowerCase().replace(/\s+/g, "");
    const spelled = pinyin(name, { toneType: "none", type: "array", nonZh: "consecutive" }).join("").toLowerCase().replace(/\s+/g, "");
    const initials = pinyin(name, { pattern: "first", toneType: "none", type: "array", nonZh: "consecutive" }).join("").toLowerCase().replace(/\s+/g, "");
    k = { name: lower, spelled, initials };
    if (cache.size > 10_000) cache.clear();
    cache.set(name, k);
  }
  return k;
}

/** How well a name answers the query: 0 no match; higher is better (whole name, start, anywhere). */
function score(name: string, query: string): number {
  const k = keysOf(name);
  const latin = /^[a-z0-9]+$/.test(query);
  let best = 0;
  const rate = (hay: string, weight: number) => {
    if (hay === query) best = Math.max(best, 3 * weight);
    else if (hay.startsWith(query)) best = Math.max(best, 2 * weight);
    else if (hay.includes(query)) best = Math.max(best, weight);
  };
  rate(k.name, 3);
  if (latin) {
    rate(k.initials, 2);
    rate(k.spelled, 2);
  }
  return best;
}

/** The places matching the typed text, best first (ties keep the given order). */
export function searchPlaces<T extends { name: string }>(places: T[], typed: string, limit = 8): T[] {
  const query = typed.toLowerCase().replace(/\s+/g, "");
  if (query === "") return [];
  return places
    .map((p, i) => ({ p, i, s: score(p.name, query) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.p);
}
