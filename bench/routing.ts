// Routing decisions per second and latency with a 200-rule set over a synthetic district, next to a
// hand-written lookup of the same table and to one json-rules-engine holding all 200 rules (what
// the estate × category index avoids). No database: the router gets an injected catalogue.
// BENCH_N decisions (default 20000). Last line: one JSON object.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Engine } from "json-rules-engine";
import type { RouteFacts } from "../core/cases/routing-types.ts";
import { addDuration } from "../core/clocks/deadlines.ts";
import { toLocal } from "../core/clocks/zoned-time.ts";
import { WorkCalendar } from "../core/clocks/work-calendar.ts";
import type { Catalogue } from "../rules/catalogue.ts";
import { compileRule } from "../rules/compile.ts";
import { createRulesRouter } from "../rules/router.ts";
import { routingRuleSchema, type RoutingRule } from "../rules/schemas.ts";

const N = Number(process.env.BENCH_N ?? 20_000);
const RULES = 200;
const TZ = "Asia/Shanghai";
const SRC = path.resolve(import.meta.dirname, "../rules");

// Deterministic pseudo-random numbers, so runs are comparable.
let seed = 42;
const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;

// Synthetic district: 6 streets, 60 estates, 20 companies with 1–3 liaisons, 4 buildings an estate.
const categories = (JSON.parse(fs.readFileSync(path.join(SRC, "categories.json"), "utf8")) as { categories: { code: string; kinds: string[] }[] }).categories;
const cat: Catalogue = { streets: new Set(), estates: new Map(), companies: new Map(), liaisons: new Map() };
let id = 1;
for (let c = 0; c < 20; c++) {
  const code = `co${c}`;
  const liaisons = Array.from({ length: 1 + (c % 3) }, (_, i) => `co${c}-l${i}`);
  cat.companies.set(code, { id: id++, name: code, liaisons });
  for (const l of liaisons) cat.liaisons.set(l, { id: id++, name: l, company: code, active: true });
}
for (let s = 0; s < 6; s++) cat.streets.add(`st${s}`);
for (let e = 0; e < 60; e++) {
  const buildings = new Map(Array.from({ length: 4 }, (_, b) => [`${b + 1}号楼`, id++] as [string, number]));
  cat.estates.set(`es${e}`, { id: id++, name: `es${e}`, street: `st${e % 6}`, company: `co${e % 20}`, buildings });
}
const estates = [...cat.estates.keys()];
const companies = [...cat.companies.keys()];

// 199 specific rules of mixed shapes + the estate-default fallback = 200.
const raw: unknown[] = [];
for (let i = 0; raw.length < RULES - 1; i++) {
  const co = pick(companies);
  const then = { company: co, liaison: pick(cat.companies.get(co)!.liaisons) };
  const shape = i % 5;
  const when: Record<string, unknown> =
    shape === 0 ? { estates: [pick(estates)], categories: [pick(categories).code] }
    : shape === 1 ? { estates: [pick(estates), pick(estates)], kinds: [pick(["repair", "complaint", "suggestion"])] }
    : shape === 2 ? { streets: [pick([...cat.streets])], categories: [pick(categories).code, pick(categories).code] }
    : shape === 3 ? { estates: [pick(estates)], categories: [pick(categories).code], time: { from: "18:00", to: "08:00" } }
    : { estates: [pick(estates)], buildings: ["2号楼"], dayType: pick(["workday", "restday"]) };
  raw.push({ id: `r${i}`, priority: 10 + Math.floor(rnd() * 80), when, then });
}
raw.push({ id: "estate-default-company", priority: 1, when: {}, then: { company: "$estate" } });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-rules-"));
// Every file the loader reads (understanding.json was missing: the bench failed at once).
for (const f of ["categories.json", "deadlines.json", "calendar.json", "understanding.json", "clocks.json"]) fs.copyFileSync(path.join(SRC, f), path.join(dir, f));
fs.writeFileSync(path.join(dir, "routing.json"), JSON.stringify({ rules: raw }));

const router = await createRulesRouter({ catalogue: cat, rulesDir: dir, timezone: TZ });
const rules: RoutingRule[] = raw.map((r) => routingRuleSchema.parse(r));

// The hand-written lookup: the same table as plain predicates in a Map keyed by estate|category,
// candidates pre-sorted by rank; first match wins.
const calendar = new WorkCalendar();
type Pred = (f: RouteFacts, minute: number, workday: boolean) => boolean;
const predicate = (r: RoutingRule): Pred => {
  const w = r.when;
  const from = w.time ? Number(w.time.from.slice(0, 2)) * 60 + Number(w.time.from.slice(3)) : 0;
  const to = w.time ? Number(w.time.to.slice(0, 2)) * 60 + Number(w.time.to.slice(3)) : 0;
  return (f, minute, workday) =>
    (!w.kinds || w.kinds.includes(f.kind)) &&
    (!w.buildings || (f.building !== undefined && w.buildings.includes(f.building))) &&
    (!w.time || (from < to ? minute >= from && minute < to : minute >= from || minute < to)) &&
    (!w.dayType || (w.dayType === "workday") === workday);
};
const table = new Map<string, { rule: RoutingRule; test: Pred }[]>();
const ranked = rules.map((rule, order) => ({ rule, order, test: predicate(rule) })).sort((a, b) => b.rule.priority - a.rule.priority || a.order - b.order);
for (const [code, e] of cat.estates)
  for (const c of categories) {
    const list = ranked.filter(({ rule: { when: w } }) => (!w.estates || w.estates.includes(code)) && (!w.streets || w.streets.includes(e.street)) && (!w.categories || w.categories.includes(c.code)));
    table.set(`${code}|${c.code}`, list);
  }
const lookup = (f: RouteFacts): number | null => {
  const l = toLocal(f.filedAt, TZ);
  const workday = calendar.isWorkday(l);
  for (const { rule, test } of table.get(`${f.estate}|${f.category}`) ?? []) {
    if (!test(f, l.hour * 60 + l.minute, workday)) continue;
    const co = rule.then.company === "$estate" ? cat.estates.get(f.estate)!.company! : rule.then.company!;
    return cat.liaisons.get(rule.then.liaison ?? cat.companies.get(co)!.liaisons[0]!)!.id;
  }
  return null;
};

// One engine over all 200 rules, no index.
const whole = new Engine([], { allowUndefinedFacts: true });
rules.forEach((r, i) => whole.addRule(compileRule(r, i).engineRule));

// Cases: random estate/category/kind/building/time in Oct–Nov 2026 (holidays and 调休 included).
const cases: RouteFacts[] = Array.from({ length: 4096 }, () => {
  const estate = pick(estates);
  const c = pick(categories);
  return {
    kind: pick(c.kinds) as RouteFacts["kind"],
    category: c.code,
    estate,
    street: cat.estates.get(estate)!.street,
    building: pick(["1号楼", "2号楼", "3号楼", undefined]),
    urgencyHint: rnd() < 0.1,
    filedAt: new Date(Date.parse("2026-10-01T00:00:00+08:00") + Math.floor(rnd() * 61 * 86_400_000)),
  };
});

let mismatches = 0;
for (const f of cases) if ((await router.route(f)).liaisonId !== lookup(f)) mismatches++;

async function measure(n: number, fn: (f: RouteFacts) => unknown): Promise<{ perSec: number; p50: number; p99: number }> {
  for (let i = 0; i < Math.min(2000, n); i++) await fn(cases[i % cases.length]!);
  const lat = new Float64Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(cases[i % cases.length]!);
    lat[i] = performance.now() - s;
  }
  const total = performance.now() - t0;
  lat.sort();
  return { perSec: n / (total / 1000), p50: lat[Math.floor(n * 0.5)]!, p99: lat[Math.floor(n * 0.99)]! };
}

const routed = await measure(N, (f) => router.route(f));
const plain = await measure(N, lookup);
// What the router does besides routing: two due times (workdays walk the calendar).
const ctx = { timezone: TZ, calendar };
const dueOnly = await measure(N, (f) => [addDuration(f.filedAt, { amount: 4, unit: "workhours" }, ctx), addDuration(f.filedAt, { amount: 5, unit: "workdays" }, ctx)]);
const nWhole = Math.max(200, Math.floor(N / 10));
const unindexed = await measure(nWhole, (f) => {
  const l = toLocal(f.filedAt, TZ);
  return whole.run({ ...f, street: cat.estates.get(f.estate)!.street, minuteOfDay: l.hour * 60 + l.minute, weekday: l.weekday, dayType: calendar.isWorkday(l) ? "workday" : "restday", urgent: f.urgencyHint });
});
const st = router.status();
fs.rmSync(dir, { recursive: true, force: true });

const f3 = (x: number) => Math.round(x * 1000) / 1000;
console.log(`rules: ${RULES} (${st.counts?.engines} distinct engines over ${cat.estates.size} estates × ${categories.length} categories); decisions: ${N}`);
console.log(`rules router (full decision incl. deadlines): ${Math.round(routed.perSec)}/s  p50 ${f3(routed.p50)} ms  p99 ${f3(routed.p99)} ms`);
console.log(`hand-written Map lookup (route only):       ${Math.round(plain.perSec)}/s  p50 ${f3(plain.p50)} ms  p99 ${f3(plain.p99)} ms`);
console.log(`of which deadlines alone (2 × addDuration):  ${Math.round(dueOnly.perSec)}/s  p50 ${f3(dueOnly.p50)} ms  p99 ${f3(dueOnly.p99)} ms`);
console.log(`one engine with all ${RULES} rules (route only): ${Math.round(unindexed.perSec)}/s  p50 ${f3(unindexed.p50)} ms  p99 ${f3(unindexed.p99)} ms  (${nWhole} runs)`);
console.log(`lookup is ${f3(plain.perSec / routed.perSec)}× the router's throughput; the index makes the engine ${f3(routed.perSec / unindexed.perSec)}× faster than one big engine`);
console.log(`router vs lookup disagreements on ${cases.length} cases: ${mismatches}`);
console.log(`p99 target < 1 ms: ${routed.p99 < 1 ? "met" : "MISSED"}`);
console.log(
  JSON.stringify({
    bench: "routing",
    rules: RULES,
    n: N,
    decisions_per_s: Math.round(routed.perSec),
    p50_ms: f3(routed.p50),
    p99_ms: f3(routed.p99),
    lookup_decisions_per_s: Math.round(plain.perSec),
    lookup_p99_ms: f3(plain.p99),
    lookup_ratio: f3(plain.perSec / routed.perSec),
    deadlines_p99_ms: f3(dueOnly.p99),
    unindexed_engine_p99_ms: f3(unindexed.p99),
    index_speedup: f3(routed.perSec / unindexed.perSec),
    mismatches,
  }),
);
