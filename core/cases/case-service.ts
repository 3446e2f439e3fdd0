// Case intake and every state change. One transaction per change: the case row, its CaseEvent and
// the outbox messages (through the Notifier) commit together or not at all.
import type { Building, Estate, Prisma, Unit } from "../db/generated/prisma/client.ts";
import type { CaseKind, CaseState } from "../db/generated/prisma/enums.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import { nextState, TransitionError, type CaseAction } from "./lifecycle.ts";
import type { Router } from "./routing-types.ts";
import { prismaHotSql, type HotSql } from "../db/hot-sql.ts";
import { enqueueWith, type OutMessage } from "../delivery/outbox.ts";

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
  | { type: "extension"; case: CaseRow; approved: boolean; requestedDueAt: Date; requestedBy: string; actor: Actor; note?: string }
  /** The resident's 1–5 answer at the revisit: the liaison hears it. */
  | { type: "rated"; case: CaseRow; score: number };

/**
 * Renders domain notices as outbox rows (the bot's texts); reads what it needs through the case's
 * transaction (plain SQL). The case service stores the rows in that transaction.
 */
export interface Notifier {
  notify(tx: HotSql, notice: CaseNotice): Promise<OutMessage[]>;
}
export const noNotifier: Notifier = { notify: async () => [] };

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
/** A concurrent copy of the same filing committed first (rolls the losing transaction back). */
class DuplicateFiling extends Error {}

/**
 * Stands for the case number in the filing's messages while they are rendered, before the number is
 * drawn (case numbers have no gaps, so the counter is a row lock held until commit).
 */
const NUMBER_PENDING = "\u2063case-number\u2063";

/** What file() reads before routing, in one statement. */
interface FilingContext {
  existingId: number | null;
  estate: Estate;
  streetCode: string;
  building: Building | null;
  unit: Unit | null;
}

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
}

export class CaseService {
  constructor(private readonly d: CaseServiceDeps) {}

  private get sql(): HotSql {
    return this.d.sql ?? prismaHotSql(this.d.db);
  }

  private get notifier(): Notifier {
    return this.d.notifier ?? noNotifier;
  }

  /** Files a case: number, route, deadlines, event log, notifications. Idempotent on sourceKey. */
  async file(input: FileCaseInput): Promise<{ case: CaseRow; created: boolean }> {
    // Plain SQL throughout: this runs for every filing, and as Prisma model queries it cost ~15 ms
    // of CPU per case — a third of a whole Telegram filing (scratch measurement, bench/intake).
    const { clock } = this.d;
    const sql = this.sql;
    const [pre] = await sql.query<FilingContext>`
      SELECT (SELECT id FROM "Case" WHERE "sourceKey" = ${input.sourceKey}) AS "existingId",
        to_jsonb(e) AS estate, s.code AS "streetCode", to_jsonb(b) AS building, to_jsonb(u) AS unit
      FROM "Estate" e JOIN "Street" s ON s.id = e."streetId"
        LEFT JOIN "Building" b ON b.id = ${input.buildingId ?? null}::int
        LEFT JOIN "Unit" u ON u.id = ${input.unitId ?? null}::int
      WHERE e.id = ${input.estateId}`;
    if (!pre) throw new CaseNotFound(`estate ${input.estateId} not found`);
    if (pre.existingId !== null) return { case: await this.existing(input.sourceKey), created: false };

    const now = clock.now();
    const decision = await this.d.router.route({
      kind: input.kind,
      category: input.category,
      estate: pre.estate.code,
      street: pre.streetCode,
      building: pre.building?.name,
      urgencyHint: input.urgencyHint ?? false,
      filedAt: now,
    });
    const year = Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone: this.d.timezone ?? "Asia/Shanghai" }).format(now));
    const state: CaseState = decision.routed ? "routed" : "unroutable";
    const photos = input.photos ?? [];
    const actor = actorFields(input.actor);

    try {
      const result = await sql.transaction(async (tx) => {
        // The number comes last (see NUMBER_PENDING); a concurrent copy of this filing that committed
        // first makes this insert a no-op, and throwing rolls everything back.
        const [row] = await tx.query<CaseRow>`
          INSERT INTO "Case" (number, "sourceKey", channel, kind, category, description, urgency, "urgencyHint", state,
            "residentId", "streetId", "estateId", "buildingId", "unitId", "companyId", "liaisonId", latitude, longitude,
            "routeRule", "responseDueAt", "resolutionDueAt", "createdAt", "updatedAt")
          VALUES (${`pending:${input.sourceKey}`}, ${input.sourceKey}, ${input.channel ?? "telegram"}, ${input.kind}::"CaseKind", ${input.category},
            ${input.description.slice(0, MAX_DESCRIPTION)}, ${decision.urgency}::"Urgency", ${input.urgencyHint ?? false}, ${state}::"CaseState",
            ${input.residentId ?? null}::int, ${pre.estate.streetId}, ${pre.estate.id}, ${input.buildingId ?? null}::int, ${input.unitId ?? null}::int,
            ${decision.companyId}::int, ${decision.liaisonId}::int, ${input.latitude ?? null}::float8, ${input.longitude ?? null}::float8,
            ${decision.rule}, ${decision.responseDueAt}::timestamp, ${decision.resolutionDueAt}::timestamp, ${now}::timestamp, ${new Date()}::timestamp)
          ON CONFLICT ("sourceKey") DO NOTHING
          RETURNING *`;
        if (!row) throw new DuplicateFiling();
        if (photos.length > 0) {
          await tx.exec`
            INSERT INTO "Attachment" ("caseId", "fileId", "fileUniqueId", "addedBy", "createdAt")
            SELECT ${row.id}, f.id, f.uid, 'resident', ${now}::timestamp
            FROM unnest(${photos.map((p) => p.fileId)}::text[], ${photos.map((p) => p.fileUniqueId ?? null)}::text[]) WITH ORDINALITY AS f(id, uid, n)
            ORDER BY f.n`;
        }
        const routed = { rule: decision.rule, urgency: decision.urgency, notifyOffice: decision.notifyOffice };
        await tx.exec`
          INSERT INTO "CaseEvent" ("caseId", at, "actorType", "actorId", type, "fromState", "toState", note, data)
          VALUES (${row.id}, ${now}::timestamp, ${actor.actorType}, ${actor.actorId}, 'filed', NULL, 'received'::"CaseState", NULL, NULL),
                 (${row.id}, ${now}::timestamp, 'system', NULL, ${decision.routed ? "route" : "unroutable"}, 'received'::"CaseState", ${state}::"CaseState",
                  ${decision.why.join("; ") || null}, ${JSON.stringify(routed)}::jsonb)`;
        const c: CaseRow = { ...row, number: NUMBER_PENDING, estate: pre.estate, building: pre.building, unit: pre.unit };
        const messages = await this.notifier.notify(tx, { type: "filed", case: c, notifyOffice: decision.notifyOffice });
        // Every filing takes the year's counter row lock until it commits, so it is taken as late as
        // possible: after the reads and rendering (first, it was ~44 ms of waiting per filing at 40
        // residents). The messages are stored after it, so their ids still follow the commit order
        // and a liaison gets the cards of two filings in the order they were made.
        const [{ number }] = (await tx.query<{ number: string }>`
          WITH n AS (
            INSERT INTO "CaseCounter" (year, last) VALUES (${year}, 1)
            ON CONFLICT (year) DO UPDATE SET last = "CaseCounter".last + 1 RETURNING last
          )
          UPDATE "Case" SET number = ${`${year}-`} || lpad(n.last::text, 6, '0') FROM n WHERE id = ${row.id} RETURNING number`) as [{ number: string }];
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

  private async existing(sourceKey: string): Promise<CaseRow> {
    return this.d.db.case.findUniqueOrThrow({ where: { sourceKey }, include: caseInclude });
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
      await this.notify(tx, { type: "transition", case: fresh, action, from: c.state, actor, note: opts.note, data: opts.data });
      await opts.andThen?.(tx, fresh);
      return fresh;
    });
    this.d.afterCommit?.();
    return result;
  }

  /** Tells people about a change in the caller's transaction (apply(), and changes made outside it: an extension decision). */
  async notify(tx: Tx, notice: CaseNotice): Promise<void> {
    const sql = prismaHotSql(tx);
    await enqueueWith(sql.query, await this.notifier.notify(sql, notice));
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
