// The clocks: reminders before deadlines, escalation of overdue cases, revisit questions, no-answer
// closing. Everything is judged from the database at `now` — never from timers in memory — so a run
// after downtime catches up, and every run is safe to repeat or to run on several instances at once:
// escalation claims rows with a conditional UPDATE (… FOR UPDATE SKIP LOCKED), messages carry
// dedupe keys, revisit steps go through the state machine with `expect`.
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import type { CaseService, Tx } from "../cases/case-service.ts";
import { RESPONSE_OWED_STATES, TransitionError } from "../cases/lifecycle.ts";
import { addDuration, type Duration } from "./deadlines.ts";
import type { WorkCalendar } from "./work-calendar.ts";
import { enqueue, type OutMessage } from "../delivery/outbox.ts";
import { liaisonNotice } from "../delivery/liaison-channel.ts";
import { chooseChannels } from "../delivery/channels/choose.ts";
import { robotEscalations } from "../delivery/robots/robot-messages.ts";
import type { ClockSettings } from "./clock-settings.ts";
import type { CaseBrief, ClockRenderer, DeadlineKind, OfficeRef } from "./clock-notices.ts";

export interface SweepDeps {
  db: Db;
  cases: CaseService;
  clock: Clock;
  settings: () => ClockSettings;
  renderer: ClockRenderer;
  timezone: string;
  calendar: () => WorkCalendar | null;
  log?: Logger;
  afterCommit?: () => void;
  /** Rows per escalation transaction. */
  batchSize?: number;
  /** PUBLIC_BASE_URL: a liaison without Telegram gets the reminder by SMS with the workspace link (absent: no SMS). */
  workspaceBaseUrl?: string;
}

type Urgency = "emergency" | "urgent" | "normal";
const URGENCIES: Urgency[] = ["emergency", "urgent", "normal"];
// Response is owed until the case is accepted; resolution until it is resolved.
const RESPONSE_OPEN = RESPONSE_OWED_STATES;

// Column references for the reminder query (Prisma.raw keeps them out of the parameters).
// States are literals so the planner can use the partial indexes of migration 20261124203031_clocks.
const DUE_COLUMN = { response: Prisma.raw(`"responseDueAt"`), resolution: Prisma.raw(`"resolutionDueAt"`) };
const OWED = {
  response: Prisma.raw(`state IN ('received', 'routed', 'unroutable', 'reopened')`),
  resolution: Prisma.raw(`state IN ('received', 'routed', 'unroutable', 'accepted', 'reopened')`),
};

const ms = (d: Duration) => d.amount * (d.unit === "minutes" ? 60_000 : d.unit === "hours" ? 3_600_000 : 86_400_000);

interface BriefRow {
  id: number;
  number: string;
  kind: string;
  category: string;
  urgency: Urgency;
  estate: string;
  streetId: number;
  company: string | null;
  liaisonId: number | null;
  liaison: string | null;
  liaisonChatId: bigint | null;
  liaisonLanguage: string | null;
  liaisonPhone: string | null;
  responseDueAt: Date | null;
  resolutionDueAt: Date | null;
  state: string;
}

export interface SweepResult {
  reminders: number;
  escalated1: number;
  escalated2: number;
  revisitsAsked: number;
  revisitReminders: number;
  closedNoAnswer: number;
}

export class Sweeps {
  private readonly log: Logger;
  constructor(private readonly d: SweepDeps) {
    this.log = d.log ?? silentLogger;
  }

  private ctx() {
    const calendar = this.d.calendar();
    if (!calendar) throw new Error("no working-day calendar: rules not loaded");
    return { timezone: this.d.timezone, calendar };
  }

  /** One pass of every clock, as the every-minute job runs it. */
  async runAll(): Promise<SweepResult> {
    const reminders = await this.reminders();
    const { level1, level2 } = await this.escalate();
    const r = await this.revisits();
    return { reminders, escalated1: level1, escalated2: level2, ...r };
  }

  private async briefs(db: Tx | Db, ids: number[]): Promise<BriefRow[]> {
    if (ids.length === 0) return [];
    return db.$queryRaw<BriefRow[]>`
      SELECT c.id, c.number, c.kind::text, c.category, c.urgency::text, e.name AS estate, c."streetId",
             co.name AS company, c."liaisonId", l.name AS liaison, l."chatId" AS "liaisonChatId", l.language AS "liaisonLanguage",
             l.phone AS "liaisonPhone", c."responseDueAt", c."resolutionDueAt", c.state::text
      FROM "Case" c JOIN "Estate" e ON e.id = c."estateId"
      LEFT JOIN "Company" co ON co.id = c."companyId" LEFT JOIN "Liaison" l ON l.id = c."liaisonId" AND l.active
      WHERE c.id = ANY(${ids}::int[]) ORDER BY c.id`;
  }

  /** Which deadline a case is (most) late on, and by how many minutes, at `now`. */
  private overdue(r: BriefRow, now: Date): CaseBrief {
    const responseLate = (RESPONSE_OPEN as readonly string[]).includes(r.state) && r.responseDueAt && r.responseDueAt < now;
    const which: DeadlineKind = responseLate ? "response" : "resolution";
    const dueAt = which === "response" ? r.responseDueAt : r.resolutionDueAt;
    return this.brief(r, which, dueAt, dueAt ? Math.round((now.getTime() - dueAt.getTime()) / 60_000) : 0);
  }

  private brief(r: BriefRow, which: DeadlineKind, dueAt: Date | null, minutes: number): CaseBrief {
    return { id: r.id, number: r.number, kind: r.kind, category: r.category, urgency: r.urgency, estate: r.estate, company: r.company, liaison: r.liaison, dueAt, which, minutes };
  }

  /** Reminds the liaison once per deadline value (an extended deadline gets its own reminder). */
  async reminders(): Promise<number> {
    const { db, renderer } = this.d;
    const now = this.d.clock.now();
    const leads = this.d.settings().reminders;
    let sent = 0;
    for (const which of ["response", "resolution"] as const) {
      const col = DUE_COLUMN[which];
      for (const u of URGENCIES) {
        const lead = ms(leads[u][which]);
        const rows = await db.$queryRaw<{ id: number }[]>`
          SELECT id FROM "Case"
          WHERE ${OWED[which]} AND "escalationLevel" < 2 AND urgency = ${u}::"Urgency"
            AND "liaisonId" IS NOT NULL AND ${col} > ${now} AND ${col} <= ${new Date(now.getTime() + lead)}`;
        if (rows.length === 0) continue;
        const briefs = await this.briefs(db, rows.map((r) => r.id));
        const messages: OutMessage[] = [];
        for (const b of briefs) {
          const dueAt = which === "response" ? b.responseDueAt! : b.resolutionDueAt!;
          if (!b.liaisonChatId) {
            // No Telegram: the same reminder by SMS with the workspace link (core/delivery/liaison-channel.ts).
            if (!this.d.workspaceBaseUrl || !b.liaisonId) continue;
            const reach = { chatId: null, phone: b.liaisonPhone, language: b.liaisonLanguage, active: true };
            const due = new Intl.DateTimeFormat("zh-CN", { timeZone: this.d.timezone, month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(dueAt);
            messages.push(...liaisonNotice(reach, "reminder", b, due, `${this.d.workspaceBaseUrl}/w/cases/${b.number}`, `case:${b.id}:remind:${which}:${dueAt.getTime()}`));
            continue;
          }
          const m = renderer.reminder(b.liaisonChatId, this.brief(b, which, dueAt, Math.round((dueAt.getTime() - now.getTime()) / 60_000)), b.liaisonLanguage);
          messages.push({ ...m, caseId: b.id, dedupeKey: `case:${b.id}:remind:${which}:${dueAt.getTime()}` });
        }
        const fresh = await db.$transaction(async (tx) => {
          const keys = await enqueue(tx, messages);
          // "case:<id>:remind:…", or "sms:liaison:case:<id>:remind:…" for an SMS reminder.
          const ids = keys.map((k) => Number(/case:(\d+):/.exec(k)?.[1]));
          if (ids.length) {
            await tx.caseEvent.createMany({
              data: ids.map((caseId) => ({ caseId, at: now, actorType: "system", type: "reminder", note: which, data: { which } })),
            });
          }
          return ids.length;
        });
        sent += fresh;
      }
    }
    if (sent) this.d.afterCommit?.();
    return sent;
  }

  /** Level 1 (street office) for every overdue open case; level 2 (district) after the grace period. */
  async escalate(): Promise<{ level1: number; level2: number }> {
    let level1 = 0;
    let level2 = 0;
    for (;;) {
      const n = await this.escalateBatch(1);
      level1 += n;
      if (n < (this.d.batchSize ?? 5000)) break;
    }
    for (;;) {
      const n = await this.escalateBatch(2);
      level2 += n;
      if (n < (this.d.batchSize ?? 5000)) break;
    }
    return { level1, level2 };
  }

  private async escalateBatch(level: 1 | 2): Promise<number> {
    const { db } = this.d;
    const now = this.d.clock.now();
    const batch = this.d.batchSize ?? 5000;
    const result = await db.$transaction(
      async (tx) => {
        let ids: number[];
        if (level === 1) {
          const rows = await tx.$queryRaw<{ id: number }[]>`
            UPDATE "Case" SET "escalationLevel" = 1, "escalatedAt" = ${now}
            WHERE id IN (
              SELECT id FROM "Case"
              WHERE "escalationLevel" = 0 AND (
                (state IN ('received', 'routed', 'unroutable', 'reopened') AND "escalationLevel" < 2 AND "responseDueAt" < ${now})
                OR (state IN ('received', 'routed', 'unroutable', 'accepted', 'reopened') AND "escalationLevel" < 2 AND "resolutionDueAt" < ${now}))
              ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
            RETURNING id`;
          ids = rows.map((r) => r.id);
        } else {
          // Still overdue at level 1: the grace period depends on urgency and may count working days.
          const candidates = await tx.$queryRaw<{ id: number; urgency: Urgency; escalatedAt: Date }[]>`
            SELECT id, urgency::text, "escalatedAt" FROM "Case"
            WHERE "escalationLevel" = 1 AND (
              (state IN ('received', 'routed', 'unroutable', 'reopened') AND "escalationLevel" < 2 AND "responseDueAt" < ${now})
              OR (state IN ('received', 'routed', 'unroutable', 'accepted', 'reopened') AND "escalationLevel" < 2 AND "resolutionDueAt" < ${now}))
            ORDER BY id FOR UPDATE SKIP LOCKED`;
          const grace = this.d.settings().escalation.districtAfter;
          const ctx = this.ctx();
          const due = candidates.filter((c) => addDuration(c.escalatedAt, grace[c.urgency], ctx) <= now).slice(0, batch).map((c) => c.id);
          if (due.length) await tx.$executeRaw`UPDATE "Case" SET "escalationLevel" = 2, "escalatedAt" = ${now} WHERE id = ANY(${due}::int[])`;
          ids = due;
        }
        if (ids.length === 0) return 0;
        const briefs = (await this.briefs(tx, ids)).map((r) => ({ row: r, brief: this.overdue(r, now) }));
        await tx.$executeRaw`
          INSERT INTO "CaseEvent" ("caseId", at, "actorType", type, note, data)
          SELECT id, ${now}, 'system', 'escalate', ${level === 1 ? "street office" : "district office"},
                 jsonb_build_object('level', ${level}::int, 'which', which, 'overdueMinutes', mins)
          FROM unnest(${briefs.map((b) => b.row.id)}::int[], ${briefs.map((b) => b.brief.which)}::text[], ${briefs.map((b) => b.brief.minutes)}::int[]) AS t(id, which, mins)`;
        await enqueue(tx, await this.escalationMessages(tx, level, briefs, now));
        // The overdue (level 1) or district escalation (level 2) event for its hooks (credit records), in this transaction
        await this.d.cases.caseEvents(tx, briefs.map((b) => ({ kind: level === 1 ? (b.brief.which === "response" ? "overdue_response" : "overdue_resolution") : "district_escalation", caseId: b.row.id, at: now, actor: "system" })));
        return ids.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    if (result) {
      this.log.info({ level, cases: result }, "cases escalated");
      this.d.afterCommit?.();
    }
    return result;
  }

  private async escalationMessages(tx: Tx, level: 1 | 2, briefs: { row: BriefRow; brief: CaseBrief }[], now: Date): Promise<OutMessage[]> {
    const { renderer } = this.d;
    const offices = await tx.office.findMany({ where: { level: level === 1 ? "street" : "district" } });
    const byOffice = new Map<number, CaseBrief[]>();
    const officeOf = (streetId: number) => (level === 1 ? offices.find((o) => o.streetId === streetId) : offices[0]);
    for (const { row, brief } of briefs) {
      const o = officeOf(row.streetId);
      if (!o) continue;
      byOffice.set(o.id, [...(byOffice.get(o.id) ?? []), brief]);
    }
    const key = `esc:${level}:${now.getTime()}`;
    const out: OutMessage[] = [];
    for (const [officeId, list] of byOffice) {
      const o = offices.find((x) => x.id === officeId)!;
      const ref: OfficeRef = { id: o.id, level: o.level as OfficeRef["level"], name: o.name, chatId: o.chatId, email: o.email, language: o.language };
      const channels = chooseChannels({ kind: "office", telegramChatId: o.chatId, wecomWebhook: o.wecomWebhook, dingtalkWebhook: o.dingtalkWebhook }, "escalation");
      if (channels.includes("telegram")) out.push(...renderer.escalationToOffice(ref, level, list, `${key}:office:${o.id}`));
      const robots = channels.filter((c): c is "wecom" | "dingtalk" => c === "wecom" || c === "dingtalk");
      if (robots.length) out.push(...robotEscalations(o, robots, level, list, `${key}:office:${o.id}`));
    }
    const byLiaison = new Map<bigint, { language: string | null; list: CaseBrief[] }>();
    for (const { row, brief } of briefs) {
      if (!row.liaisonChatId) continue;
      const to = byLiaison.get(row.liaisonChatId) ?? { language: row.liaisonLanguage, list: [] };
      to.list.push(brief);
      byLiaison.set(row.liaisonChatId, to);
    }
    for (const [chatId, to] of byLiaison) out.push(...renderer.escalationToLiaison(chatId, level, to.list, `${key}:liaison:${chatId}`, to.language));
    return out;
  }

  /** Asks resolved cases' residents, reminds once, closes unanswered ones. */
  async revisits(): Promise<{ revisitsAsked: number; revisitReminders: number; closedNoAnswer: number }> {
    const { db, cases, renderer } = this.d;
    const now = this.d.clock.now();
    const s = this.d.settings().revisit;
    const system = { type: "system" as const };

    const toAsk = await db.case.findMany({
      where: { state: "resolved", resolvedAt: { lte: new Date(now.getTime() - ms(s.askAfter)) } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 1000,
    });
    let revisitsAsked = 0;
    for (const { id } of toAsk) {
      try {
        await cases.apply(id, "startRevisit", system, {
          expect: ["resolved"],
          andThen: async (tx, c) => {
            const resident = c.residentId ? await tx.resident.findUnique({ where: { id: c.residentId } }) : null;
            // Nobody to ask in Telegram (none, blocked, or a web resident who answers on the case page): it closes as "no answer" in time.
            if (!resident || resident.blockedAt || resident.chatId === null) return;
            const note = await tx.caseEvent.findFirst({ where: { caseId: c.id, type: "resolve" }, orderBy: { id: "desc" }, select: { note: true } });
            await enqueue(tx, { ...renderer.revisitQuestion(resident.chatId, resident.language, { id: c.id, number: c.number, note: note?.note ?? null }, false), caseId: c.id, dedupeKey: `case:${c.id}:revisit:ask:${now.getTime()}` });
          },
        });
        revisitsAsked++;
      } catch (err) {
        if (!(err instanceof TransitionError)) throw err; // someone else moved it on: fine
      }
    }

    const remindBefore = new Date(now.getTime() - ms(s.remindAfter));
    const revisitReminders = await db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: number; number: string; residentId: number | null; chatId: bigint | null; language: string | null; blockedAt: Date | null }[]>`
        WITH due AS (
          UPDATE "Case" SET "revisitRemindedAt" = ${now}
          WHERE state = 'revisit' AND "revisitRemindedAt" IS NULL AND "revisitAskedAt" <= ${remindBefore}
          RETURNING id, number, "residentId")
        SELECT due.id, due.number, r.id AS "residentId", r."chatId", r.language, r."blockedAt" FROM due LEFT JOIN "Resident" r ON r.id = due."residentId"`;
      if (due.length === 0) return 0;
      await enqueue(
        tx,
        due
          .filter((r) => r.chatId !== null && !r.blockedAt)
          .map((r) => ({ ...renderer.revisitQuestion(r.chatId!, r.language ?? "zh-Hans", { id: r.id, number: r.number, note: null }, true), caseId: r.id, dedupeKey: `case:${r.id}:revisit:remind` })),
      );
      // A resident the bot cannot reach (registered on the web) hears it through the case service's
      // notifiers instead: an SMS when they agreed to them.
      for (const r of due.filter((x) => x.residentId !== null && x.chatId === null)) {
        const c = await tx.case.findUniqueOrThrow({ where: { id: r.id }, include: { estate: true, building: true, unit: true } });
        await cases.notify(tx, { type: "reminder", case: c, about: "revisit" });
      }
      await tx.caseEvent.createMany({ data: due.map((r) => ({ caseId: r.id, at: now, actorType: "system", type: "revisit_reminder" })) });
      return due.length;
    });

    const toClose = await db.case.findMany({
      where: { state: "revisit", revisitAskedAt: { lte: new Date(now.getTime() - ms(s.closeAfter)) } },
      select: { id: true },
      take: 1000,
    });
    let closedNoAnswer = 0;
    for (const { id } of toClose) {
      try {
        await cases.apply(id, "closeNoAnswer", system, { expect: ["revisit"], note: "no answer to the revisit" });
        closedNoAnswer++;
      } catch (err) {
        if (!(err instanceof TransitionError)) throw err;
      }
    }
    if (revisitReminders) this.d.afterCommit?.();
    return { revisitsAsked, revisitReminders, closedNoAnswer };
  }
}
