// Case intake and every state change. One transaction per change: the case row, its CaseEvent and
// the outbox messages (through the Notifier) commit together or not at all.
import type { Prisma } from "./generated/prisma/client.ts";
import type { CaseKind, CaseState } from "./generated/prisma/enums.ts";
import type { Db } from "./db.ts";
import type { Clock } from "./clock.ts";
import { nextState, TransitionError, type CaseAction } from "./lifecycle.ts";
import type { Router } from "./routing-types.ts";

export type Tx = Prisma.TransactionClient;
export type CaseRow = Prisma.CaseGetPayload<{ include: { estate: true; building: true; unit: true } }>;

/** Columns an action sets besides the state; plain foreign keys (liaisonId: null) work, relation writes do not (updateMany). */
export type CasePatch = Prisma.CaseUpdateInput | Prisma.CaseUncheckedUpdateManyInput;

export interface Actor {
  type: "resident" | "liaison" | "office" | "system" | "api";
  id?: string | number | bigint;
}

export type CaseNotice =
  | { type: "filed"; case: CaseRow; notifyOffice: boolean }
  | { type: "transition"; case: CaseRow; action: CaseAction; from: CaseState; actor: Actor; note?: string; data?: Record<string, unknown> }
  | { type: "extension"; case: CaseRow; approved: boolean; requestedDueAt: Date; requestedBy: string; actor: Actor; note?: string };

/** Turns domain notices into outbox rows (the bot renders them); runs inside the transaction. */
export interface Notifier {
  notify(tx: Tx, notice: CaseNotice): Promise<void>;
}
export const noNotifier: Notifier = { notify: async () => {} };

export interface FileCaseInput {
  sourceKey: string; // idempotency: the same filing twice gives the same case
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
  photos?: { fileId: string; fileUniqueId?: string }[];
  actor: Actor;
}

export const MAX_DESCRIPTION = 4000;
const caseInclude = { estate: true, building: true, unit: true } as const;

export class CaseNotFound extends Error {}

export interface CaseServiceDeps {
  db: Db;
  router: Router;
  clock: Clock;
  notifier?: Notifier;
  /** Called after a commit that enqueued messages (wakes the outbox sender). */
  afterCommit?: () => void;
  /** Case numbers count per calendar year in this zone. */
  timezone?: string;
}

export class CaseService {
  constructor(private readonly d: CaseServiceDeps) {}

  private get notifier(): Notifier {
    return this.d.notifier ?? noNotifier;
  }

  /** Files a case: number, route, deadlines, event log, notifications. Idempotent on sourceKey. */
  async file(input: FileCaseInput): Promise<{ case: CaseRow; created: boolean }> {
    const { db, clock } = this.d;
    const existing = await db.case.findUnique({ where: { sourceKey: input.sourceKey }, include: caseInclude });
    if (existing) return { case: existing, created: false };

    const estate = await db.estate.findUniqueOrThrow({ where: { id: input.estateId }, include: { street: true } });
    const building = input.buildingId ? await db.building.findUnique({ where: { id: input.buildingId } }) : null;
    const now = clock.now();
    const decision = await this.d.router.route({
      kind: input.kind,
      category: input.category,
      estate: estate.code,
      street: estate.street.code,
      building: building?.name,
      urgencyHint: input.urgencyHint ?? false,
      filedAt: now,
    });
    const year = Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone: this.d.timezone ?? "Asia/Shanghai" }).format(now));

    try {
      const result = await db.$transaction(async (tx) => {
        const [{ last }] = await tx.$queryRaw<{ last: number }[]>`
          INSERT INTO "CaseCounter" (year, last) VALUES (${year}, 1)
          ON CONFLICT (year) DO UPDATE SET last = "CaseCounter".last + 1 RETURNING last` as [{ last: number }];
        const number = `${year}-${String(last).padStart(6, "0")}`;
        const state: CaseState = decision.routed ? "routed" : "unroutable";
        const c = await tx.case.create({
          data: {
            number,
            sourceKey: input.sourceKey,
            channel: input.channel ?? "telegram",
            kind: input.kind,
            category: input.category,
            description: input.description.slice(0, MAX_DESCRIPTION),
            urgency: decision.urgency,
            urgencyHint: input.urgencyHint ?? false,
            state,
            residentId: input.residentId ?? null,
            streetId: estate.streetId,
            estateId: estate.id,
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
            attachments: input.photos?.length
              ? {
                  create: input.photos.map((p) => ({ fileId: p.fileId, fileUniqueId: p.fileUniqueId ?? null, addedBy: "resident", createdAt: now })),
                }
              : undefined,
          },
          include: caseInclude,
        });
        const actor = actorFields(input.actor);
        await tx.caseEvent.createMany({
          data: [
            { caseId: c.id, at: now, ...actor, type: "filed", fromState: null, toState: "received" },
            {
              caseId: c.id,
              at: now,
              actorType: "system",
              actorId: null,
              type: decision.routed ? "route" : "unroutable",
              fromState: "received",
              toState: state,
              note: decision.why.join("; ") || null,
              data: { rule: decision.rule, urgency: decision.urgency, notifyOffice: decision.notifyOffice } as Prisma.InputJsonValue,
            },
          ],
        });
        await this.notifier.notify(tx, { type: "filed", case: c, notifyOffice: decision.notifyOffice });
        return c;
      });
      this.d.afterCommit?.();
      return { case: result, created: true };
    } catch (err) {
      // A concurrent duplicate of the same filing lost the race on sourceKey: return the winner.
      if ((err as { code?: string }).code === "P2002") {
        const again = await db.case.findUnique({ where: { sourceKey: input.sourceKey }, include: caseInclude });
        if (again) return { case: again, created: false };
      }
      throw err;
    }
  }

  /**
   * Applies a lifecycle action. `patch` sets extra columns (acceptedAt, liaisonId…); `expect`
   * refuses when the case is not in the state the caller saw (a stale button).
   */
  async apply(
    caseId: number,
    action: CaseAction,
    actor: Actor,
    opts: {
      note?: string;
      data?: Record<string, unknown>;
      patch?: (c: CaseRow, now: Date) => CasePatch;
      expect?: CaseState[];
      /** More writes that must commit with this change (e.g. the question that starts a revisit). */
      andThen?: (tx: Tx, c: CaseRow) => Promise<void>;
    } = {},
  ): Promise<CaseRow> {
    const { db, clock } = this.d;
    const result = await db.$transaction(async (tx) => {
      const c = await tx.case.findUnique({ where: { id: caseId }, include: caseInclude });
      if (!c) throw new CaseNotFound(`case ${caseId} not found`);
      if (opts.expect && !opts.expect.includes(c.state)) throw new TransitionError(action, c.state);
      const to = nextState(action, c.state);
      const now = clock.now();
      const patch = opts.patch?.(c, now) ?? {};
      // Optimistic guard: a concurrent change in between makes this update match nothing.
      const updated = await tx.case.updateMany({ where: { id: c.id, state: c.state, updatedAt: c.updatedAt }, data: { ...(patch as Prisma.CaseUpdateManyMutationInput), state: to } });
      if (updated.count !== 1) throw new TransitionError(action, c.state);
      await tx.caseEvent.create({
        data: {
          caseId: c.id,
          at: now,
          ...actorFields(actor),
          type: action,
          fromState: c.state,
          toState: to,
          note: opts.note ?? null,
          data: (opts.data ?? undefined) as Prisma.InputJsonValue | undefined,
        },
      });
      const fresh = await tx.case.findUniqueOrThrow({ where: { id: c.id }, include: caseInclude });
      await this.notifier.notify(tx, { type: "transition", case: fresh, action, from: c.state, actor, note: opts.note, data: opts.data });
      await opts.andThen?.(tx, fresh);
      return fresh;
    });
    this.d.afterCommit?.();
    return result;
  }

  /** Tells people about a change made outside apply() (an extension decision), in the caller's transaction. */
  async notify(tx: Tx, notice: CaseNotice): Promise<void> {
    await this.notifier.notify(tx, notice);
  }

  /** An event that changes no state (message, note, photo added), logged all the same. */
  async record(caseId: number, type: string, actor: Actor, note?: string, data?: Record<string, unknown>, tx?: Tx): Promise<void> {
    await (tx ?? this.d.db).caseEvent.create({
      data: { caseId, at: this.d.clock.now(), ...actorFields(actor), type, note: note ?? null, data: (data ?? undefined) as Prisma.InputJsonValue | undefined },
    });
  }
}

function actorFields(a: Actor): { actorType: string; actorId: string | null } {
  return { actorType: a.type, actorId: a.id === undefined ? null : String(a.id) };
}
