// core's Router backed by the rule files: routing by json-rules-engine over pre-indexed candidate
// rules, deadlines from deadlines.json through core/clocks/deadlines.ts, hot reload that keeps the last
// valid rule set in force when a changed file is invalid.
import fs from "node:fs";
import type { Clock } from "../core/clock.ts";
import { systemClock } from "../core/clock.ts";
import type { Db } from "../core/db/db.ts";
import { addDuration, clockStart, describeDuration } from "../core/clocks/deadlines.ts";
import type { Logger } from "../core/logger.ts";
import { silentLogger } from "../core/logger.ts";
import type { RouteDecision, RouteFacts, Router } from "../core/cases/routing-types.ts";
import { assertTimeZone, formatLocal, toLocal } from "../core/clocks/zoned-time.ts";
import { loadCatalogue, type Catalogue } from "./catalogue.ts";
import { failedConditions, type CompiledRule, type EngineFacts } from "./compile.ts";
import { URGENCY_RANK } from "./deadline-table.ts";
import { formatIssue, loadRuleSet, type RuleCounts, type RuleIssue, type RuleSet } from "./loader.ts";
import type { UrgencyLevel } from "./schemas.ts";
import type { WorkCalendar } from "../core/clocks/work-calendar.ts";
import type { Understander, Understanding } from "../core/cases/understanding-types.ts";

export interface RulesRouterOptions {
  /** Source of the code → id catalogue, re-read on every reload. Not needed when `catalogue` is given. */
  db?: Db;
  /** Injected catalogue (benches, tests, dry-run without a database); wins over db. */
  catalogue?: Catalogue | (() => Promise<Catalogue>);
  rulesDir: string;
  timezone?: string;
  log?: Logger;
  clock?: Clock;
  /**
   * The service (main) starts even when the first load fails — e.g. a fresh database before
   * `npm run seed` — and routes every case to the office queue until a reload succeeds.
   */
  startWithoutRules?: boolean;
}

export interface ReloadResult {
  at: Date;
  ok: boolean;
  /** One line per issue: file, rule, reason. */
  errors: string[];
  issues: RuleIssue[];
  /** Counts of the rule set in force after this reload (the old one when it failed). */
  counts: RuleCounts | null;
}

export interface RouterStatus {
  rulesDir: string;
  timezone: string;
  watching: boolean;
  /** When the rule set in force was loaded. */
  activeSince: Date | null;
  counts: RuleCounts | null;
  warnings: string[];
  /** Routing rules of the set in force left out because they name what the directory does not know. */
  refused: RuleIssue[];
  /** A rule set is in force and at least one routing rule of it is: otherwise every case waits in the office queue (/readyz says not ready). */
  routingInForce: boolean;
  lastReload: ReloadResult | null;
}

export interface CandidateTrace {
  rule: string;
  priority: number;
  fired: boolean;
  conditions: string[];
  /** Conditions that did not hold (when not fired). */
  failed: string[];
}

export interface DryRunResult {
  decision: RouteDecision;
  local: { filedAt: string; weekday: number; dayType: "workday" | "restday"; timezone: string };
  company: { code: string; name: string } | null;
  liaison: { code: string; name: string } | null;
  candidates: CandidateTrace[];
  deadlineEntry: string;
  responseDue: string | null;
  resolutionDue: string | null;
}

/**
 * Also the service's Understander: `router.understand(text, locale)` always uses the understanding.json
 * of the rule set in force, so an edited file is picked up by the same reload/watch as the others.
 */
export interface RulesRouter extends Router, Understander {
  /** understanding.json's settings.proposeAbove: from this confidence the bot proposes the category for one tap; below it, it asks. */
  proposeAbove(): number;
  reload(): Promise<ReloadResult>;
  status(): RouterStatus;
  /** The working-day calendar of the rule set in force (null before any valid load). */
  calendar(): WorkCalendar | null;
  dryRun(facts: RouteFacts): Promise<DryRunResult>;
  /** Reloads when a file in the rules folder changes; returns a function that stops watching. */
  watch(opts?: { debounceMs?: number }): () => void;
  close(): void;
}

export class RulesLoadError extends Error {
  constructor(readonly issues: RuleIssue[]) {
    super(`invalid rules:\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`);
  }
}

// A case for an estate the catalogue does not know yet triggers a reload, at most this often.
const UNKNOWN_ESTATE_RELOAD_MS = 30_000;

/** Loads the rules once (throws RulesLoadError when invalid: there is nothing older to fall back on). */
export async function createRulesRouter(opts: RulesRouterOptions): Promise<RulesRouter> {
  const timezone = opts.timezone ?? "Asia/Shanghai";
  assertTimeZone(timezone);
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? systemClock;
  if (!opts.catalogue && !opts.db) throw new Error("createRulesRouter: give db or catalogue");

  const readCatalogue = async (): Promise<Catalogue> => {
    const c = opts.catalogue;
    if (c) return typeof c === "function" ? c() : c;
    return loadCatalogue(opts.db!);
  };

  let active: RuleSet | null = null;
  let activeSince: Date | null = null;
  let lastReload: ReloadResult | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let lastUnknownEstateReload = 0;
  let watcher: { stop: () => void } | null = null;

  const doReload = async (): Promise<ReloadResult> => {
    const at = clock.now();
    let result: ReloadResult;
    try {
      const catalogue = await readCatalogue();
      const loaded = loadRuleSet(opts.rulesDir, catalogue, { log });
      if (loaded.ok) {
        active = loaded.ruleSet;
        activeSince = at;
        result = { at, ok: true, errors: [], issues: [], counts: active.counts };
        log.info({ rulesDir: opts.rulesDir, ...active.counts, refused: active.refused.length }, "rules loaded");
        for (const i of active.refused) log.warn({ rulesDir: opts.rulesDir }, `routing rule left out: ${formatIssue(i)}`);
        for (const w of active.warnings) log.warn({ rulesDir: opts.rulesDir }, w);
      } else {
        result = { at, ok: false, errors: loaded.issues.map(formatIssue), issues: loaded.issues, counts: active?.counts ?? null };
        log.error({ rulesDir: opts.rulesDir, errors: result.errors }, active ? "rules rejected; the previous rules stay in force" : "rules rejected");
      }
    } catch (err) {
      const issue: RuleIssue = { file: opts.rulesDir, reason: `cannot reload: ${(err as Error).message}` };
      result = { at, ok: false, errors: [formatIssue(issue)], issues: [issue], counts: active?.counts ?? null };
      log.error({ err }, "rules reload failed; the previous rules stay in force");
    }
    lastReload = result;
    return result;
  };
  // Reloads never overlap: a second call waits for the first.
  const reload = (): Promise<ReloadResult> => {
    const next = chain.then(doReload, doReload);
    chain = next;
    return next;
  };

  const first = await reload();
  if (!first.ok && !opts.startWithoutRules) throw new RulesLoadError(first.issues);

  const decide = async (facts: RouteFacts, trace: boolean): Promise<DryRunResult | { decision: RouteDecision }> => {
    if (!active?.catalogue.estates.has(facts.estate) && (opts.db || typeof opts.catalogue === "function")) {
      const now = clock.now().getTime();
      if (now - lastUnknownEstateReload >= UNKNOWN_ESTATE_RELOAD_MS) {
        lastUnknownEstateReload = now;
        await reload();
      }
    }
    if (!active) return { decision: noRulesDecision(lastReload) };
    return decideWith(active, facts, timezone, trace);
  };

  return {
    async route(facts) {
      return (await decide(facts, false)).decision;
    },
    async dryRun(facts) {
      return (await decide(facts, true)) as DryRunResult;
    },
    reload,
    understand(text, locale) {
      return active ? active.understander.understand(text, locale) : noRulesUnderstanding();
    },
    proposeAbove: () => active?.understander.rules.settings.proposeAbove ?? 1,
    calendar: () => active?.calendar ?? null,
    status() {
      return {
        rulesDir: opts.rulesDir,
        timezone,
        watching: watcher !== null,
        activeSince,
        counts: active?.counts ?? null,
        warnings: active?.warnings ?? [],
        refused: active?.refused ?? [],
        routingInForce: (active?.counts.enabledRoutingRules ?? 0) > 0,
        lastReload,
      };
    },
    watch({ debounceMs = 300 } = {}) {
      watcher?.stop();
      let timer: NodeJS.Timeout | undefined;
      // Editors save by write or by rename; both show up as events on the folder.
      const w = fs.watch(opts.rulesDir, (_event, name) => {
        if (name && !String(name).endsWith(".json")) return;
        clearTimeout(timer);
        timer = setTimeout(() => void reload(), debounceMs);
      });
      w.on("error", (err) => log.error({ err, rulesDir: opts.rulesDir }, "watching the rules folder failed"));
      const stop = () => {
        clearTimeout(timer);
        w.close();
        if (watcher?.stop === stop) watcher = null;
      };
      watcher = { stop };
      return stop;
    },
    close() {
      watcher?.stop();
    },
  };
}

/** No valid rule set was ever loaded: the bot asks the resident (guided filing) instead of proposing. */
function noRulesUnderstanding(): Understanding {
  return { kind: "complaint", category: null, emergency: false, confidence: 0, alternatives: [], why: ["no valid rules are loaded: the message was not read; file it step by step"] };
}

/** No valid rule set was ever loaded: the case still gets stored and goes to the office queue. */
function noRulesDecision(last: ReloadResult | null): RouteDecision {
  return {
    routed: false,
    companyId: null,
    liaisonId: null,
    urgency: "normal",
    responseDueAt: null,
    resolutionDueAt: null,
    notifyOffice: true,
    rule: null,
    why: [`no valid rules in force (${last?.errors.length ?? 0} errors at the last load): the case goes to the street office queue`],
  };
}

/** Routes one case with a given rule set (not the one in force), with the trace of every rule tried. */
export async function routeWithRuleSet(rs: RuleSet, facts: RouteFacts, timezone: string): Promise<DryRunResult> {
  return (await decideWith(rs, facts, timezone, true)) as DryRunResult;
}

/** The decision alone (no trace): the rules editor compares a draft with the rules in force case by case. */
export async function decideWithRuleSet(rs: RuleSet, facts: RouteFacts, timezone: string): Promise<RouteDecision> {
  return (await decideWith(rs, facts, timezone, false)).decision;
}

async function decideWith(rs: RuleSet, facts: RouteFacts, timezone: string, trace: boolean): Promise<DryRunResult | { decision: RouteDecision }> {
  const why: string[] = [];
  const local = toLocal(facts.filedAt, timezone);
  const dayType = rs.calendar.isWorkday(local) ? "workday" : "restday";
  const category = rs.categories.get(facts.category);
  const estate = rs.catalogue.estates.get(facts.estate);
  if (!category) why.push(`unknown category "${facts.category}"`);

  // Routing.
  const bucket = estate ? rs.routing.bucket(facts.estate, facts.category) : undefined;
  const fired: CompiledRule[] = [];
  const candidates: CandidateTrace[] = [];
  if (bucket) {
    const engineFacts: EngineFacts = {
      kind: facts.kind,
      category: facts.category,
      estate: facts.estate,
      street: estate!.street,
      building: facts.building,
      minuteOfDay: local.hour * 60 + local.minute,
      weekday: local.weekday,
      dayType,
      urgent: facts.urgencyHint,
    };
    const res = await bucket.engine.run(engineFacts);
    const firedNames = new Set(res.results.map((r) => r.name));
    for (const r of bucket.rules) if (firedNames.has(r.rule.id)) fired.push(r);
    fired.sort((a, b) => b.rule.priority - a.rule.priority || a.order - b.order);
    if (trace) {
      const failedBy = new Map(res.failureResults.map((r) => [r.name, failedConditions(r.conditions)]));
      for (const r of [...bucket.rules].sort((a, b) => b.rule.priority - a.rule.priority || a.order - b.order))
        candidates.push({ rule: r.rule.id, priority: r.rule.priority, fired: firedNames.has(r.rule.id), conditions: r.conditions, failed: failedBy.get(r.rule.id) ?? [] });
    }
  }

  let winner: CompiledRule | null = null;
  let companyCode: string | null = null;
  let liaisonCode: string | null = null;
  for (const r of fired) {
    const t = r.rule.then;
    if (t.toOffice) {
      winner = r;
      why.push(`rule "${r.rule.id}" (priority ${r.rule.priority}) fired: ${r.conditions.join("; ")} → street office queue by rule`);
      break;
    }
    const co = t.company === "$estate" ? estate?.company ?? null : t.company!;
    const company = co ? rs.catalogue.companies.get(co) : undefined;
    if (!co || !company) {
      why.push(`rule "${r.rule.id}" fired but ${t.company === "$estate" ? `estate "${facts.estate}" has no company of its own` : `company "${t.company}" no longer exists`}; trying the next rule`);
      continue;
    }
    let li = t.liaison ?? null;
    if (li && !rs.catalogue.liaisons.get(li)?.active) {
      why.push(`liaison "${li}" is inactive or gone; using the company's first active liaison`);
      li = null;
    }
    // The estate's own company: its project manager for this estate first (the office's register names them).
    const manager = t.company === "$estate" ? estate?.projectManager : null;
    if (!li && manager && rs.catalogue.liaisons.get(manager)?.active && rs.catalogue.liaisons.get(manager)?.company === co) li = manager;
    li ??= company.liaisons.find((c) => rs.catalogue.liaisons.get(c)?.active) ?? null;
    if (!li) {
      why.push(`rule "${r.rule.id}" fired but company "${co}" has no active liaison; trying the next rule`);
      continue;
    }
    winner = r;
    companyCode = co;
    liaisonCode = li;
    why.push(`rule "${r.rule.id}" (priority ${r.rule.priority}) fired: ${r.conditions.join("; ")} → ${co} / ${li}`);
    break;
  }
  const others = fired.filter((r) => r !== winner).map((r) => `"${r.rule.id}" (${r.rule.priority})`);
  if (others.length) why.push(`also fired, lower in rank: ${others.join(", ")}`);
  const routed = companyCode !== null;
  if (!winner) {
    why.push(
      !estate
        ? `unknown estate "${facts.estate}": street office queue`
        : `no routing rule matched (estate ${facts.estate}, ${facts.kind}/${facts.category}, ${formatLocal(facts.filedAt, timezone)} ${dayType}): street office queue`,
    );
  }

  // Urgency: the category sets the floor; a rule or the resident's hint may raise it, never lower it.
  let urgency: UrgencyLevel = category?.emergency ? "emergency" : "normal";
  let urgencyWhy = category?.emergency ? "emergency category" : "normal";
  const raise = (to: UrgencyLevel | null | undefined, because: string) => {
    if (to && URGENCY_RANK[to] > URGENCY_RANK[urgency]) {
      urgency = to;
      urgencyWhy = because;
    }
  };
  if (facts.urgencyHint) raise(rs.deadlines.residentHintRaisesTo, "the resident marked it urgent");
  raise(winner?.rule.then.urgency, `rule "${winner?.rule.id}" raises it`);
  why.push(`urgency ${urgency}: ${urgencyWhy}`);

  // Deadlines, routed or not: the office queue works to them too.
  const pick = rs.deadlines.pick(facts.kind, facts.category, urgency);
  const ctx = { timezone, calendar: rs.calendar };
  const start = clockStart(facts.filedAt, { kind: facts.kind, urgency }, rs.afterHoursStart, ctx);
  if (start !== facts.filedAt) why.push(`filed outside office hours: the clocks start at the next opening, ${formatLocal(start, timezone)} (clocks.json afterHoursStart)`);
  const responseDueAt = addDuration(start, pick.level.respond, ctx);
  const resolutionDueAt = addDuration(start, pick.level.resolve, ctx);
  why.push(
    `deadlines "${pick.entry.id}"/${urgency}: respond ${describeDuration(pick.level.respond)} → ${formatLocal(responseDueAt, timezone)}, resolve ${describeDuration(pick.level.resolve)} → ${formatLocal(resolutionDueAt, timezone)}${pick.level.notifyOffice ? ", office notified" : ""}`,
  );

  const decision: RouteDecision = {
    routed,
    companyId: companyCode ? rs.catalogue.companies.get(companyCode)!.id : null,
    liaisonId: liaisonCode ? rs.catalogue.liaisons.get(liaisonCode)!.id : null,
    urgency,
    responseDueAt,
    resolutionDueAt,
    notifyOffice: pick.level.notifyOffice,
    rule: winner?.rule.id ?? null,
    why,
  };
  if (!trace) return { decision };
  return {
    decision,
    local: { filedAt: formatLocal(facts.filedAt, timezone), weekday: local.weekday, dayType, timezone },
    company: companyCode ? { code: companyCode, name: rs.catalogue.companies.get(companyCode)!.name } : null,
    liaison: liaisonCode ? { code: liaisonCode, name: rs.catalogue.liaisons.get(liaisonCode)!.name } : null,
    candidates,
    deadlineEntry: pick.entry.id,
    responseDue: formatLocal(responseDueAt, timezone),
    resolutionDue: formatLocal(resolutionDueAt, timezone),
  };
}
