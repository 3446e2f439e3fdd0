// Turns validated routing rules into json-rules-engine rules and indexes them by estate × category,
// so a decision runs the engine over the handful of rules that can apply, not the whole file
// (json-rules-engine evaluates every rule it holds on every run).
import { Engine, type NestedCondition, type RuleProperties, type TopLevelConditionResult } from "json-rules-engine";
import { hhmm, parseHhmm } from "../core/clocks/zoned-time.ts";
import type { Catalogue } from "./catalogue.ts";
import type { RoutingRule } from "./schemas.ts";

export interface CompiledRule {
  rule: RoutingRule;
  /** Position in routing.json: breaks priority ties (higher up wins). */
  order: number;
  engineRule: RuleProperties;
  /** Human-readable conditions, e.g. "estate ∈ {heping}". */
  conditions: string[];
}

/** What the engine sees for one case (computed by the router from RouteFacts). */
export interface EngineFacts {
  kind: string;
  category: string;
  estate: string;
  street: string;
  building: string | undefined;
  minuteOfDay: number;
  weekday: number;
  dayType: "workday" | "restday";
  urgent: boolean;
}

export interface Bucket {
  engine: Engine;
  rules: CompiledRule[];
}

const WEEKDAY_NAMES = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export function compileRule(rule: RoutingRule, order: number): CompiledRule {
  const w = rule.when;
  const all: NestedCondition[] = [];
  const names: string[] = [];
  const inList = (fact: string, label: string, values: readonly (string | number)[] | undefined, show?: (v: string | number) => string) => {
    if (!values) return;
    const name = `${label} ∈ {${values.map((v) => (show ? show(v) : String(v))).join(", ")}}`;
    all.push({ fact, operator: "in", value: [...values], name });
    names.push(name);
  };
  inList("category", "category", w.categories);
  inList("kind", "kind", w.kinds);
  inList("street", "street", w.streets);
  inList("estate", "estate", w.estates);
  inList("building", "building", w.buildings);
  inList("weekday", "weekday", w.weekdays, (v) => WEEKDAY_NAMES[Number(v)] ?? String(v));
  if (w.time) {
    const from = parseHhmm(w.time.from)!;
    const to = parseHhmm(w.time.to)!;
    const name = `time ${hhmm(from)}–${hhmm(to)}`;
    const after = { fact: "minuteOfDay", operator: "greaterThanInclusive", value: from };
    const before = { fact: "minuteOfDay", operator: "lessThan", value: to };
    // A window past midnight (18:00–08:00) is "after from OR before to".
    all.push(from < to ? { all: [after, before], name } : { any: [after, before], name });
    names.push(name);
  }
  if (w.dayType) {
    const name = `day is a ${w.dayType}`;
    all.push({ fact: "dayType", operator: "equal", value: w.dayType, name });
    names.push(name);
  }
  if (w.urgent !== undefined) {
    const name = w.urgent ? "resident marked it urgent" : "resident did not mark it urgent";
    all.push({ fact: "urgent", operator: "equal", value: w.urgent, name });
    names.push(name);
  }
  return {
    rule,
    order,
    engineRule: { name: rule.id, priority: rule.priority, conditions: { all }, event: { type: "route", params: { ...rule.then } } },
    conditions: names.length ? names : ["(no conditions: matches every case)"],
  };
}

/** Estate × category index over the enabled rules; buckets with the same rules share one engine. */
export class RoutingIndex {
  private readonly buckets = new Map<string, Bucket>();
  readonly engines: number;

  constructor(
    readonly rules: CompiledRule[],
    catalogue: Catalogue,
    categories: readonly string[],
  ) {
    const lists = new Map<string, CompiledRule[]>();
    for (const r of rules) {
      const w = r.rule.when;
      for (const [code, e] of catalogue.estates) {
        if (w.estates && !w.estates.includes(code)) continue;
        if (w.streets && !w.streets.includes(e.street)) continue;
        for (const c of w.categories ?? categories) {
          const key = bucketKey(code, c);
          let l = lists.get(key);
          if (!l) lists.set(key, (l = []));
          l.push(r);
        }
      }
    }
    const shared = new Map<string, Bucket>();
    for (const [key, l] of lists) {
      const sig = l.map((r) => r.order).join(",");
      let b = shared.get(sig);
      if (!b) {
        const engine = new Engine([], { allowUndefinedFacts: true });
        for (const r of l) engine.addRule(r.engineRule);
        shared.set(sig, (b = { engine, rules: l }));
      }
      this.buckets.set(key, b);
    }
    this.engines = shared.size;
  }

  bucket(estate: string, category: string): Bucket | undefined {
    return this.buckets.get(bucketKey(estate, category));
  }

  /** Estate × category pairs no enabled rule covers: those cases would go to the office queue. */
  uncovered(catalogue: Catalogue, categories: readonly string[]): string[] {
    const out: string[] = [];
    for (const e of catalogue.estates.keys()) for (const c of categories) if (!this.buckets.has(bucketKey(e, c))) out.push(`${e}/${c}`);
    return out;
  }
}

const bucketKey = (estate: string, category: string) => `${estate}\u0000${category}`;

/** Names of the leaf (or time-window) conditions that failed, for the dry-run. */
export function failedConditions(c: TopLevelConditionResult | undefined): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (!n || typeof n !== "object") return;
    const node = n as { name?: string; result?: boolean; all?: unknown[]; any?: unknown[] };
    if (node.name && node.result === false) {
      out.push(node.name);
      return;
    }
    for (const child of node.all ?? node.any ?? []) walk(child);
  };
  walk(c);
  return out;
}
