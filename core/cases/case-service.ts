// Case intake and every state change. One transaction per change: the case row, its CaseEvent and
// the outbox messages (through the Notifier) commit together or not at all.
import type { CaseKind, CaseState } from "../db/generated/prisma/enums.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import { actionDef, effectsOf, nextState, routedEffects, TransitionError, type CaseAction, type TransitionInput } from "./lifecycle.ts";
import type { Router } from "./routing-types.ts";
import { prismaHotSql, type HotSql } from "../db/hot-sql.ts";
import { enqueueWith } from "../delivery/outbox.ts";
import { noNotifier, type Actor, type CaseNotice, type CaseRow, type Notifier, type ResidentNotice, type Tx } from "./case-types.ts";
import * as store from "./case-store.ts";
import { addCasePhotos, isStored, type CasePhoto } from "../attachments/case-photos.ts";

export type { Actor, CaseNotice, CasePatch, CaseRow, Notifier, ResidentNotice, Tx } from "./case-types.ts";
export { noNotifier } from "./case-types.ts";

export interface FileCaseInput {
  sourceKey: string; // idempotency: the same filing twice gives the same case
  /** Hash of the request filed under sourceKey; the caller compares it with the existing case's to tell a retry from a reused key. */
  requestHash?: string | null;
  channel?: string;
  residentId?: number | null;
  kind: CaseKind;
  category: string;
  description: string;
  urgencyHint?: boolean;
  estateId: number;
  buildingId?: number | null;
  unitId?: number | null;
  latitude?: number | null;
  longitude?: number | null;
  /** Telegram file ids and stored files alike, written with the case (core/attachments/case-photos.ts). */
  photos?: CasePhoto[];
  actor: Actor;
}

/** What apply() takes besides the action: the caller's intent, a state guard, and writes to join. */
export interface ApplyInput extends TransitionInput {
  /** Refuse unless the case is in one of these states (the state the caller's button was drawn for). */
  expect?: CaseState[];
  /** More writes that must commit with this change (e.g. the question that starts a revisit). */
  andThen?: (tx: Tx, c: CaseRow) => Promise<void>;
}

/** A committed-to-be transition as hooks see it, inside its transaction. */
export interface Transition {
  case: CaseRow;
  before: CaseRow;
  action: CaseAction;
  actor: Actor;
  input: TransitionInput;
  at: Date;
}
export type TransitionHook = (tx: Tx, t: Transition) => Promise<void>;

/** A case event recorded outside apply(): a deadline gone past (level 1) or to the district (level 2), a rating. */
export interface CaseSideEvent {
  kind: "overdue_response" | "overdue_resolution" | "district_escalation" | "unsatisfied";
  caseId: number;
  at: Date;
  /** Who caused it: "system" for the clocks, "resident:12" … */
  actor: string;
  /** For "unsatisfied": the 1–5 answer. */
  satisfaction?: number;
}
export type CaseEventsHook = (tx: Tx, events: CaseSideEvent[]) => Promise<void>;

export class CaseNotFound extends Error {}
/** A concurrent copy of the same filing committed first (rolls the losing transaction back). */
class DuplicateFiling extends Error {}

/**
 * Stands for the case number in the filing's messages while they are rendered, before the number is
 * drawn (case numbers have no gaps, so the counter is a row lock held until commit).
 */
const NUMBER_PENDING = "\u2063case-number\u2063";

export interface CaseServiceDeps {
  db: Db;
  router: Router;
  clock: Clock;
  notifier?: Notifier;
  /** Called after a commit that enqueued messages (wakes the outbox sender). */
  afterCommit?: () => void;
  /** Plain SQL for filing (Database.hot: the pg pool on PostgreSQL); Prisma's raw queries when absent. */
  sql?: HotSql;
  /** Case numbers count per calendar year in this zone. */
  timezone?: string;
  /** Writes every transition makes in its transaction (see onTransition). */
  transitionHooks?: TransitionHook[];
}

export class CaseService {
  private readonly hooks: TransitionHook[];
  private readonly eventHooks: CaseEventsHook[] = [];
  constructor(private readonly d: CaseServiceDeps) {
    this.hooks = [...(d.transitionHooks ?? [])];
  }

  private get sql(): HotSql {
    return this.d.sql ?? prismaHotSql(this.d.db);
  }

  private get notifier(): Notifier {
    return this.d.notifier ?? noNotifier;
  }

  /** Files a case: number, route, deadlines, event log, notifications. Idempotent on sourceKey. */
  async file(input: FileCaseInput): Promise<{ case: CaseRow; created: boolean }> {
    const { clock } = this.d;
    const sql = this.sql;
    const pre = await store.filingContext(sql, input.sourceKey, input.estateId, input.buildingId ?? null, input.unitId ?? null, input.residentId ?? null);
    if (!pre) throw new CaseNotFound(`estate ${input.estateId} not found`);
    if (pre.existingId !== null) return { case: await this.existing(input.sourceKey), created: false };

    const now = clock.now();
    // A resident not yet verified: the case is kept but waits for the office (release() routes it
    // then, and its clocks start then), so a QR photographed by a stranger cannot flood a liaison.
    // An emergency is never held: a gas leak reported by an unverified neighbour goes out at once.
    const routing = await this.d.router.route(this.facts(input, pre, now));
    const held = pre.residentStatus === "pending" && routing.urgency !== "emergency";
    const decision = held ? HELD(input.urgencyHint ?? false) : routing;
    const year = Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone: this.d.timezone ?? "Asia/Shanghai" }).format(now));
    const state: CaseState = held ? "awaiting_approval" : decision.routed ? "routed" : "unroutable";
    const actor = actorFields(input.actor);

    try {
      const result = await sql.transaction(async (tx) => {
        // A concurrent copy of this filing that committed first makes the insert a no-op; throwing
        // rolls everything back.
        const row = await store.insertCase(tx, {
          sourceKey: input.sourceKey,
          requestHash: input.requestHash ?? null,
          channel: input.channel ?? "telegram",
          kind: input.kind,
          category: input.category,
          description: input.description,
          urgency: decision.urgency,
          urgencyHint: input.urgencyHint ?? false,
          state,
          residentId: input.residentId ?? null,
          streetId: pre.estate.streetId,
          estateId: pre.estate.id,
          buildingId: input.buildingId ?? null,
          unitId: input.unitId ?? null,
          companyId: decision.companyId,
          liaisonId: decision.liaisonId,
          latitude: input.latitude ?? null,
          longitude: input.longitude ?? null,
          routeRule: decision.rule,
          responseDueAt: decision.responseDueAt,
          resolutionDueAt: decision.resolutionDueAt,
          createdAt: now,
        });
        if (!row) throw new DuplicateFiling();
        const photos = input.photos ?? [];
        await addCasePhotos(tx, row.id, photos, { addedBy: "resident", at: now });
        const routed = { rule: decision.rule, urgency: decision.urgency, notifyOffice: decision.notifyOffice };
        await store.insertEvents(tx, [
          { caseId: row.id, at: now, ...actor, type: "filed", toState: "received" },
          held
            ? { caseId: row.id, at: now, actorType: "system", actorId: null, type: "hold", fromState: "received", toState: state }
            : { caseId: row.id, at: now, actorType: "system", actorId: null, type: decision.routed ? "route" : "unroutable", fromState: "received", toState: state, note: decision.why.join("; ") || null, data: routed },
          // A stored photo (web form) is on the timeline as the resident's; a Telegram one travels with the card.
          ...photos.filter(isStored).map((p) => ({ caseId: row.id, at: now, ...actor, type: "photo", data: { storageKey: p.storageKey, direction: "to_liaison" } })),
        ]);
        const c: CaseRow = { ...row, number: NUMBER_PENDING, estate: pre.estate, building: pre.building, unit: pre.unit };
        const messages = await this.notifier.notify(
          tx,
          held ? { type: "transition", case: c, action: "hold", from: "received", actor: input.actor } : { type: "filed", case: c, notifyOffice: decision.notifyOffice },
        );
        // The number last (its row lock is held until commit), and the messages after it, so their
        // ids follow the commit order and a liaison gets two filings' cards in the order they were made.
        const number = await store.drawNumber(tx, row.id, year);
        await enqueueWith(tx.query, messages.map((m) => ({ ...m, payload: JSON.parse(JSON.stringify(m.payload).replaceAll(NUMBER_PENDING, number)) })));
        return { ...c, number };
      });
      this.d.afterCommit?.();
      return { case: result, created: true };
    } catch (err) {
      if (err instanceof DuplicateFiling) return { case: await this.existing(input.sourceKey), created: false };
      throw err;
    }
  }

  private facts(c: { kind: CaseKind; category: string; urgencyHint?: boolean }, pre: { estate: { code: string }; streetCode: string; building?: { name: string } | null }, at: Date) {
    return { kind: c.kind, category: c.category, estate: pre.estate.code, street: pre.streetCode, building: pre.building?.name, urgencyHint: c.urgencyHint ?? false, filedAt: at };
  }

  /**
   * An awaiting case whose resident the office approved: routed now, as a filing would have been
   * (deadlines from now), and the liaison (or the office queue) gets it like a new case.
   */
  async release(caseId: number, actor: Actor): Promise<CaseRow> {
    const { db, clock } = this.d;
    const result = await db.$transaction(async (prismaTx) => {
      const tx = prismaHotSql(prismaTx);
      const c = await store.caseById(tx, caseId);
      if (!c) throw new CaseNotFound(`case ${caseId} not found`);
      const received = nextState("release", c.state);
      const now = clock.now();
      const [place] = await tx.query<{ streetCode: string }>`SELECT s.code AS "streetCode" FROM "Street" s WHERE s.id = ${c.streetId}`;
      const decision = await this.d.router.route(this.facts(c, { estate: c.estate, streetCode: place!.streetCode, building: c.building }, now));
      const to = nextState(decision.routed ? "route" : "unroutable", received);
      if (!(await store.updateGuarded(tx, c, to, routedEffects(decision)))) throw new TransitionError("release", c.state);
      const routed = { rule: decision.rule, urgency: decision.urgency, notifyOffice: decision.notifyOffice };
      await store.insertEvents(tx, [
        { caseId: c.id, at: now, ...actorFields(actor), type: "release", fromState: c.state, toState: received },
        { caseId: c.id, at: now, actorType: "system", actorId: null, type: decision.routed ? "route" : "unroutable", fromState: received, toState: to, note: decision.why.join("; ") || null, data: routed },
      ]);
      const fresh = (await store.caseById(tx, c.id))!;
      await enqueueWith(tx.query, await this.notifier.notify(tx, { type: "filed", case: fresh, notifyOffice: decision.notifyOffice, released: true }));
      return fresh;
    });
    this.d.afterCommit?.();
    return result;
  }

  private async existing(sourceKey: string): Promise<CaseRow> {
    const c = await store.caseBySourceKey(this.sql, sourceKey);
    if (!c) throw new CaseNotFound(`no case filed as ${sourceKey}`);
    return c;
  }

  /**
   * Applies a lifecycle action: the columns it sets are the action's (core/cases/lifecycle.ts), the
   * input is the caller's intent (note, liaison, reason). `expect` refuses when the case is not in
   * a state the caller saw (a stale button); `andThen` and the registered transition hooks add writes
   * that commit with the change.
   */
  async apply(caseId: number, action: CaseAction, actor: Actor, input: ApplyInput = {}): Promise<CaseRow> {
    const { db, clock } = this.d;
    // Fresh deadlines are asked of the rules before the transaction: a router may read the database,
    // and on the embedded one a read beside an open transaction would wait for it. The guarded update
    // below still refuses if the case changed in between.
    const deadlines = actionDef(action).deadlines === "fresh" ? await this.freshDeadlines(caseId, clock.now()) : undefined;
    // A Prisma transaction, so that andThen's and the hooks' writes join it; the case's own statements are the store's.
    const result = await db.$transaction(async (prismaTx) => {
      const tx = prismaHotSql(prismaTx);
      const c = await store.caseById(tx, caseId);
      if (!c) throw new CaseNotFound(`case ${caseId} not found`);
      if (input.expect && !input.expect.includes(c.state)) throw new TransitionError(action, c.state);
      const to = nextState(action, c.state);
      const now = clock.now();
      const patch = effectsOf(action, { c, now, input, deadlines });
      // Optimistic guard: a concurrent change in between makes this update match nothing.
      if (!(await store.updateGuarded(tx, c, to, patch))) throw new TransitionError(action, c.state);
      await store.insertEvents(tx, [{ caseId: c.id, at: now, ...actorFields(actor), type: action, fromState: c.state, toState: to, note: input.note ?? null, data: input.data ?? null }]);
      const fresh = (await store.caseById(tx, c.id))!;
      await enqueueWith(tx.query, await this.notifier.notify(tx, { type: "transition", case: fresh, action, from: c.state, actor, note: input.note, data: input.data }));
      const done: Transition = { case: fresh, before: c, action, actor, input, at: now };
      for (const hook of this.hooks) await hook(prismaTx, done);
      await input.andThen?.(prismaTx, fresh);
      return fresh;
    });
    this.d.afterCommit?.();
    return result;
  }

  /**
   * Registers writes that every transition makes in its own transaction (after the case, its event
   * and its messages; a throw rolls the transition back). E.g. a credit record for a missed deadline.
   */
  onTransition(hook: TransitionHook): void {
    this.hooks.push(hook);
  }

  /** Registers writes for the case events that are not transitions (a clock's escalation, a rating). */
  onCaseEvents(hook: CaseEventsHook): void {
    this.eventHooks.push(hook);
  }

  /** Runs the case-event hooks in the caller's transaction (the clocks, the revisit), as apply() runs its own. */
  async caseEvents(tx: Tx, events: CaseSideEvent[]): Promise<void> {
    if (events.length) for (const hook of this.eventHooks) await hook(tx, events);
  }

  /** The routing rules' deadlines for this case counted from `now` (a reassignment, a reopening). */
  private async freshDeadlines(caseId: number, now: Date) {
    const c = await store.caseById(this.sql, caseId);
    if (!c) throw new CaseNotFound(`case ${caseId} not found`);
    const [place] = await this.sql.query<{ streetCode: string }>`SELECT s.code AS "streetCode" FROM "Street" s WHERE s.id = ${c.streetId}`;
    const decision = await this.d.router.route(this.facts(c, { estate: c.estate, streetCode: place!.streetCode, building: c.building }, now));
    return { responseDueAt: decision.responseDueAt, resolutionDueAt: decision.resolutionDueAt };
  }

  /** Tells people about a change in the caller's transaction (apply(), and changes made outside it: an extension decision). */
  async notify(tx: Tx, notice: CaseNotice): Promise<void> {
    const sql = prismaHotSql(tx);
    await enqueueWith(sql.query, await this.notifier.notify(sql, notice));
  }

  /**
   * A pending resident's registration decided: their status and what they are told commit together,
   * so an approval is never silent and a decision already taken (a second click) tells nobody again.
   */
  async decideResident(notice: ResidentNotice): Promise<boolean> {
    const changed = await this.d.db.$transaction(async (tx) => {
      const n = await tx.resident.updateMany({ where: { id: notice.residentId, status: "pending" }, data: { status: notice.type === "approved" ? "verified" : "rejected" } });
      if (!n.count) return false;
      const sql = prismaHotSql(tx);
      await enqueueWith(sql.query, (await this.notifier.resident?.(sql, notice)) ?? []);
      return true;
    });
    if (changed) this.d.afterCommit?.();
    return changed;
  }

  /** An event that changes no state (message, note, photo added), logged all the same. */
  async record(caseId: number, type: string, actor: Actor, note?: string, data?: Record<string, unknown>, tx?: Tx): Promise<void> {
    await store.insertEvents(prismaHotSql(tx ?? this.d.db), [{ caseId, at: this.d.clock.now(), ...actorFields(actor), type, note: note ?? null, data: data ?? null }]);
  }
}

/** What a held filing stores instead of a route: no company, no liaison, no deadlines. */
const HELD = (urgent: boolean) => ({ routed: false, companyId: null, liaisonId: null, urgency: urgent ? ("urgent" as const) : ("normal" as const), responseDueAt: null, resolutionDueAt: null, notifyOffice: false, rule: null, why: [] as string[] });

function actorFields(a: Actor): { actorType: string; actorId: string | null } {
  return { actorType: a.type, actorId: a.id === undefined ? null : String(a.id) };
}
