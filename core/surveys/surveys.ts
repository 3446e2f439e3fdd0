// Surveys (每半年一次问卷调查): define, push, answer, remind, report progress and results.
//
// A push first materialises its recipients (one INSERT … SELECT, skipping anyone already asked this
// survey: @@unique([surveyId, residentId])), then the every-minute job tops the outbox up in small
// batches. Each batch enqueues the first questions and marks the recipients sent in ONE
// transaction, and every message has a dedupe key `survey:<recipientId>:q<n>`, so a crash resumes
// where it stopped: nobody asked twice, nobody skipped. Only `pacing.window` survey messages wait in
// the outbox at a time, so case notifications never queue behind a district-wide push (the sender
// delivers in id order).
//
// Undeliverable: the OutboxSender marks a 403 row undeliverable and calls onUndeliverable(chatId);
// `surveyOnUndeliverable` turns that chat's failed `survey:<id>:q0` rows into recipient status
// undeliverable, and every pump step reconciles the same way (a crash between the two is healed).
//
// Answers are anonymous: a SurveyAnswer row has estate/street/company but no resident, and its time
// is cut to the local day so it cannot be matched to the recipient's progress.
import fs from "node:fs";
import path from "node:path";
import { Prisma } from "../db/generated/prisma/client.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { enqueue, type OutMessage } from "../delivery/outbox.ts";
import { fromLocal, toLocal } from "../clocks/zoned-time.ts";
import { loadQuestionnaire, parseQuestionnaire, SurveyDefinitionError, type Question, type Questionnaire, type SurveySettings } from "./survey-settings.ts";
import type { QuestionView, SurveyRef, SurveyRenderer } from "./survey-notices.ts";

export type PushScope = "district" | "street" | "estate";

export class SurveyError extends Error {
  constructor(
    readonly code: "not_found" | "conflict" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

export interface SurveyDeps {
  db: Db;
  clock: Clock;
  renderer: SurveyRenderer;
  settings: () => SurveySettings;
  rulesDir: string;
  timezone: string;
  log?: Logger;
  /** Wakes the outbox sender after messages were committed. */
  afterCommit?: () => void;
  /** Pause between pump steps (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
}

export interface Progress {
  total: number;
  pending: number;
  sent: number;
  delivered: number;
  answered: number;
  partial: number;
  undeliverable: number;
}

export type AnswerOutcome =
  | { kind: "next"; index: number }
  | { kind: "done" }
  | { kind: "stale" }
  | { kind: "closed" }
  | { kind: "not_found" }
  | { kind: "invalid"; message: string };

interface SurveyRow {
  id: number;
  code: string;
  title: Record<string, string>;
  questions: Question[];
  status: "draft" | "open" | "closed";
  opensAt: Date | null;
  closesAt: Date | null;
}

// Prisma reports P2002, the driver adapter (inside some calls) a DriverAdapterError with cause kind.
const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { kind?: string; code?: string; originalCode?: string } };
  return e?.code === "P2002" || e?.cause?.kind === "UniqueConstraintViolation" || e?.cause?.code === "23505" || e?.cause?.originalCode === "23505";
};

const KEY = (recipientId: number, suffix: string) => `survey:${recipientId}:${suffix}`;
const DAY = 86_400_000;
// Batches share the pool with a busy outbox sender: wait for a connection rather than fail.
const TX = { maxWait: 15_000, timeout: 60_000 };

export class SurveyService {
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly cache = new Map<number, SurveyRow>();

  constructor(private readonly d: SurveyDeps) {
    this.log = d.log ?? silentLogger;
    this.sleep = d.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  // ---- definition -------------------------------------------------------------------------

  /** Validates and stores a questionnaire (draft unless `open`); a used code is a conflict. */
  async create(raw: unknown, o: { open?: boolean; closesAt?: Date; createdBy?: string } = {}): Promise<SurveyRow> {
    const q = parseQuestionnaire(raw);
    return this.store(q, o);
  }

  private async store(q: Questionnaire, o: { open?: boolean; closesAt?: Date; createdBy?: string; code?: string }): Promise<SurveyRow> {
    const now = this.d.clock.now();
    if (o.closesAt && o.closesAt <= now) throw new SurveyError("invalid", "closesAt must be in the future");
    try {
      const s = await this.d.db.survey.create({
        data: {
          code: o.code ?? q.code,
          title: q.title,
          questions: q.questions,
          status: o.open ? "open" : "draft",
          opensAt: o.open ? now : null,
          closesAt: o.closesAt ?? (o.open ? new Date(now.getTime() + this.d.settings().schedule.openDays * DAY) : null),
          createdBy: o.createdBy ?? null,
        },
      });
      return s as unknown as SurveyRow;
    } catch (err) {
      if (isUniqueViolation(err)) throw new SurveyError("conflict", `a survey with code "${o.code ?? q.code}" exists`);
      throw err;
    }
  }

  /**
   * Moves the closing date of a draft or open survey; only to a future moment, and not once the
   * survey closed (or its closing time has passed). The reminder follows the new date.
   */
  async setClosesAt(idOrCode: number | string, closesAt: Date): Promise<SurveyRow> {
    const now = this.d.clock.now();
    if (!(closesAt.getTime() > now.getTime())) throw new SurveyError("invalid", "closesAt must be in the future");
    const s = await this.get(idOrCode);
    if (s.status === "closed" || (s.closesAt && s.closesAt <= now)) throw new SurveyError("conflict", `survey ${s.code} is closed`);
    // Guarded by the same condition, so a concurrent closeExpired wins cleanly.
    const n = await this.d.db.survey.updateMany({
      where: { id: s.id, status: { not: "closed" }, OR: [{ closesAt: null }, { closesAt: { gt: now } }] },
      data: { closesAt },
    });
    if (n.count !== 1) throw new SurveyError("conflict", `survey ${s.code} is closed`);
    this.cache.delete(s.id);
    this.log.info({ survey: s.code, closesAt }, "survey: closing date changed");
    return { ...s, closesAt };
  }

  /** Names (file names without .json) of the questionnaires shipped in rules/surveys/. */
  templates(): string[] {
    try {
      return fs
        .readdirSync(path.join(this.d.rulesDir, "surveys"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort();
    } catch {
      return [];
    }
  }

  /** One shipped questionnaire, validated (SurveyDefinitionError if the file is not valid). */
  template(name: string): Questionnaire {
    if (!this.templates().includes(name)) throw new SurveyError("not_found", `no questionnaire file "${name}"`);
    return loadQuestionnaire(this.d.rulesDir, name);
  }

  /** The half-yearly schedule in force (rules/surveys.json). */
  schedule(): SurveySettings["schedule"] {
    return this.d.settings().schedule;
  }

  async list(): Promise<(SurveyRow & { createdAt: Date })[]> {
    return (await this.d.db.survey.findMany({ orderBy: { id: "desc" } })) as unknown as (SurveyRow & { createdAt: Date })[];
  }

  async get(idOrCode: number | string, client: Pick<Db, "survey"> = this.d.db): Promise<SurveyRow> {
    const s = await client.survey.findFirst({ where: typeof idOrCode === "number" ? { id: idOrCode } : { code: idOrCode } });
    if (!s) throw new SurveyError("not_found", `no survey ${idOrCode}`);
    return s as unknown as SurveyRow;
  }

  /** Cached definition (questions never change once stored); pass `tx` inside a transaction. */
  private async survey(id: number, client: Pick<Db, "survey"> = this.d.db): Promise<SurveyRow> {
    let s = this.cache.get(id);
    if (!s) {
      s = await this.get(id, client);
      this.cache.set(id, s);
    }
    return s;
  }

  // ---- push -------------------------------------------------------------------------------

  /** "Push now": opens the survey if it is a draft and materialises the target's recipients. */
  async push(o: { survey: number | string; scope: PushScope; scopeId?: number | null; createdBy?: string }): Promise<{ pushId: number; total: number }> {
    const { db } = this.d;
    const now = this.d.clock.now();
    const s = await this.get(o.survey);
    if (s.status === "closed" || (s.closesAt && s.closesAt <= now)) throw new SurveyError("conflict", `survey ${s.code} is closed`);
    const scopeId = o.scope === "district" ? null : (o.scopeId ?? null);
    if (o.scope !== "district") {
      if (scopeId === null) throw new SurveyError("invalid", `scope ${o.scope} needs an id`);
      const found = o.scope === "street" ? await db.street.findUnique({ where: { id: scopeId } }) : await db.estate.findUnique({ where: { id: scopeId } });
      if (!found) throw new SurveyError("not_found", `no ${o.scope} ${scopeId}`);
    }
    const target =
      o.scope === "district" ? Prisma.empty : o.scope === "street" ? Prisma.sql`AND e."streetId" = ${scopeId}` : Prisma.sql`AND e.id = ${scopeId}`;
    const result = await db.$transaction(
      async (tx) => {
        if (s.status === "draft") {
          await tx.survey.update({
            where: { id: s.id },
            data: { status: "open", opensAt: now, closesAt: s.closesAt ?? new Date(now.getTime() + this.d.settings().schedule.openDays * DAY) },
          });
        }
        const push = await tx.surveyPush.create({ data: { surveyId: s.id, scope: o.scope, scopeId, createdBy: o.createdBy ?? null, createdAt: now } });
        // Blocked residents are left out (they cannot be reached); they are asked in a later push
        // if they come back, because nobody was recorded for them. Web-only residents (no chat) are
        // not asked in Telegram either.
        const total = await tx.$executeRaw`
          INSERT INTO "SurveyRecipient" ("surveyId", "pushId", "residentId")
          SELECT ${s.id}, ${push.id}, r.id FROM "Resident" r JOIN "Estate" e ON e.id = r."estateId"
          WHERE r.status = 'verified' AND r."blockedAt" IS NULL AND r."chatId" IS NOT NULL ${target}
          ORDER BY r.id
          ON CONFLICT ("surveyId", "residentId") DO NOTHING`;
        await tx.surveyPush.update({ where: { id: push.id }, data: { total, ...(total === 0 ? { status: "done", finishedAt: now } : {}) } });
        return { pushId: push.id, total };
      },
      { timeout: 120_000 },
    );
    this.cache.delete(s.id);
    this.log.info({ survey: s.code, scope: o.scope, scopeId, ...result }, "survey: push created");
    return result;
  }

  /** Enqueues first questions for up to `limit` pending recipients of running pushes. */
  async sendBatch(limit: number): Promise<{ sent: number; skipped: number }> {
    const { db } = this.d;
    const now = this.d.clock.now();
    const pushes = await db.$queryRaw<{ id: number; surveyId: number }[]>`
      SELECT p.id, p."surveyId" FROM "SurveyPush" p JOIN "Survey" s ON s.id = p."surveyId"
      WHERE p.status IN ('pending', 'running') AND s.status = 'open' AND (s."closesAt" IS NULL OR s."closesAt" > ${now})
      ORDER BY p.id`;
    let sent = 0;
    let skipped = 0;
    for (const p of pushes) {
      if (sent + skipped >= limit) break;
      const s = await this.survey(p.surveyId);
      const r = await db.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE "SurveyPush" SET status = 'running', "startedAt" = ${now} WHERE id = ${p.id} AND status = 'pending'`;
        const rows = await tx.$queryRaw<{ id: number; chatId: bigint; language: string; gone: boolean }[]>`
          SELECT r.id, res."chatId", res.language, (res."blockedAt" IS NOT NULL OR res.status <> 'verified') AS gone
          FROM "SurveyRecipient" r JOIN "Resident" res ON res.id = r."residentId"
          WHERE r."pushId" = ${p.id} AND r.status = 'pending'
          ORDER BY r.id LIMIT ${limit - sent - skipped}
          FOR UPDATE OF r SKIP LOCKED`;
        const live = rows.filter((x) => !x.gone);
        const gone = rows.filter((x) => x.gone).map((x) => x.id);
        const messages: OutMessage[] = live.map((x) => ({
          ...this.d.renderer.question(BigInt(x.chatId), x.language, this.view(s, x.id, 0), "first"),
          dedupeKey: KEY(x.id, "q0"),
        }));
        await enqueue(tx, messages);
        if (live.length) {
          await tx.$executeRaw`UPDATE "SurveyRecipient" SET status = 'sent', "sentAt" = ${now} WHERE id = ANY(${live.map((x) => x.id)}::int[])`;
        }
        if (gone.length) await tx.$executeRaw`UPDATE "SurveyRecipient" SET status = 'undeliverable' WHERE id = ANY(${gone}::int[])`;
        if (rows.length < limit - sent - skipped) {
          const done = await tx.$executeRaw`UPDATE "SurveyPush" SET status = 'done', "finishedAt" = ${now}
            WHERE id = ${p.id} AND NOT EXISTS (SELECT 1 FROM "SurveyRecipient" r WHERE r."pushId" = ${p.id} AND r.status = 'pending')`;
          if (done) this.log.info({ pushId: p.id, survey: s.code }, "survey: push fully enqueued");
        }
        return { sent: live.length, skipped: gone.length };
      }, TX);
      sent += r.sent;
      skipped += r.skipped;
    }
    if (sent) this.d.afterCommit?.();
    return { sent, skipped };
  }

  private view(s: SurveyRow, recipientId: number, index: number): QuestionView {
    return { recipientId, survey: this.ref(s), index, total: s.questions.length, question: s.questions[index]! };
  }

  private ref(s: SurveyRow): SurveyRef {
    return { id: s.id, code: s.code, title: s.title, closesAt: s.closesAt };
  }

  /** First questions the outbox could not deliver (403): recipient → undeliverable. */
  async reconcileUndeliverable(chatId?: bigint): Promise<number> {
    const chat = chatId === undefined ? Prisma.empty : Prisma.sql`AND o."chatId" = ${chatId}`;
    return this.d.db.$executeRaw`
      UPDATE "SurveyRecipient" r SET status = 'undeliverable'
      FROM "OutboxMessage" o
      WHERE o.status = 'undeliverable' AND o."dedupeKey" LIKE 'survey:%:q0' ${chat}
        AND r.id = split_part(o."dedupeKey", ':', 2)::int AND r.status = 'sent'`;
  }

  /** Survey messages waiting in the outbox (the pacing window). */
  private async inFlight(): Promise<number> {
    const [r] = await this.d.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "OutboxMessage" WHERE status IN ('pending', 'sending') AND "dedupeKey" LIKE 'survey:%'`;
    return r?.n ?? 0;
  }

  private async hasWork(): Promise<boolean> {
    const now = this.d.clock.now();
    const rows = await this.d.db.$queryRaw<{ x: number }[]>`
      SELECT 1 AS x FROM "SurveyPush" p JOIN "Survey" s ON s.id = p."surveyId"
      WHERE p.status IN ('pending', 'running') AND s.status = 'open' AND (s."closesAt" IS NULL OR s."closesAt" > ${now}) LIMIT 1`;
    return rows.length > 0 || (await this.remindersDue(1)).length > 0;
  }

  /** One top-up of the pacing window: first questions, then reminders. */
  async step(): Promise<{ sent: number; reminded: number; undeliverable: number; closed: number; full: boolean }> {
    const undeliverable = await this.reconcileUndeliverable();
    const closed = await this.closeExpired();
    let room = this.d.settings().pacing.window - (await this.inFlight());
    let sent = 0;
    let reminded = 0;
    if (room > 0) {
      const b = await this.sendBatch(room);
      sent = b.sent;
      room -= b.sent + b.skipped;
    }
    if (room > 0) {
      reminded = await this.remind(room);
      room -= reminded;
    }
    return { sent, reminded, undeliverable, closed, full: room <= 0 };
  }

  /** The every-minute job: keeps the window topped up for up to pacing.budgetSeconds. */
  async pump(): Promise<{ sent: number; reminded: number; undeliverable: number }> {
    const until = performance.now() + this.d.settings().pacing.budgetSeconds * 1000;
    const total = { sent: 0, reminded: 0, undeliverable: 0 };
    for (;;) {
      let r: Awaited<ReturnType<SurveyService["step"]>>;
      try {
        r = await this.step();
      } catch (err) {
        // Nothing half-done: each batch is one transaction. The next run (a minute later) goes on.
        this.log.error({ err }, "survey: pump step failed");
        break;
      }
      total.sent += r.sent;
      total.reminded += r.reminded;
      total.undeliverable += r.undeliverable;
      const more = r.full ? await this.hasWork() : r.sent + r.reminded > 0;
      if (!more || performance.now() >= until) break;
      await this.sleep(1000);
    }
    if (total.sent + total.reminded + total.undeliverable > 0) {
      for (const p of await this.d.db.surveyPush.findMany({ where: { status: { in: ["running", "done"] }, finishedAt: null }, select: { id: true } })) {
        this.log.info({ pushId: p.id, ...(await this.progress({ pushId: p.id })) }, "survey: push progress");
      }
      this.log.info(total, "survey: pump");
    }
    return total;
  }

  // ---- progress and results ---------------------------------------------------------------

  /** Counts for a push or a whole survey, optionally one street's residents. */
  async progress(o: { pushId?: number; surveyId?: number; streetId?: number | null }): Promise<Progress> {
    const where = o.pushId !== undefined ? Prisma.sql`r."pushId" = ${o.pushId}` : Prisma.sql`r."surveyId" = ${o.surveyId ?? -1}`;
    const street =
      o.streetId != null
        ? Prisma.sql`AND r."residentId" IN (SELECT res.id FROM "Resident" res JOIN "Estate" e ON e.id = res."estateId" WHERE e."streetId" = ${o.streetId})`
        : Prisma.empty;
    const [r] = await this.d.db.$queryRaw<Progress[]>`
      SELECT count(*)::int AS total,
        count(*) FILTER (WHERE r.status = 'pending')::int AS pending,
        count(*) FILTER (WHERE r.status IN ('sent', 'partial', 'answered'))::int AS sent,
        count(o.id)::int AS delivered,
        count(*) FILTER (WHERE r.status = 'answered')::int AS answered,
        count(*) FILTER (WHERE r.status = 'partial')::int AS partial,
        count(*) FILTER (WHERE r.status = 'undeliverable')::int AS undeliverable
      FROM "SurveyRecipient" r
      LEFT JOIN "OutboxMessage" o ON o."dedupeKey" = 'survey:' || r.id || ':q0' AND o.status = 'sent'
      WHERE ${where} ${street}`;
    return r!;
  }

  /** Aggregates per question, overall or per estate/street/company; groups under `minGroup` answers are hidden. */
  async results(surveyId: number, o: { by?: "estate" | "street" | "company"; streetId?: number | null; minGroup?: number } = {}) {
    const s = await this.get(surveyId);
    const key = o.by === "estate" ? Prisma.sql`a."estateId"` : o.by === "street" ? Prisma.sql`a."streetId"` : o.by === "company" ? Prisma.sql`a."companyId"` : Prisma.sql`NULL::int`;
    const street = o.streetId != null ? Prisma.sql`AND a."streetId" = ${o.streetId}` : Prisma.empty;
    const rows = await this.d.db.$queryRaw<{ grp: number | null; questionId: string; score: number | null; choice: string | null; n: number }[]>`
      SELECT ${key} AS grp, a."questionId", a.score, a.choice, count(*)::int AS n
      FROM "SurveyAnswer" a WHERE a."surveyId" = ${s.id} ${street}
      GROUP BY 1, 2, 3, 4`;
    const minGroup = o.by ? (o.minGroup ?? 5) : 0;
    const groups = new Map<number | null, typeof rows>();
    for (const r of rows) groups.set(r.grp, [...(groups.get(r.grp) ?? []), r]);
    const out = [];
    for (const [grp, list] of groups) {
      const questions = s.questions.map((q) => {
        const mine = list.filter((r) => r.questionId === q.id);
        const n = mine.reduce((a, r) => a + r.n, 0);
        if (q.type === "scale") {
          const dist = [1, 2, 3, 4, 5].map((v) => mine.filter((r) => r.score === v).reduce((a, r) => a + r.n, 0));
          const sum = dist.reduce((a, c, i) => a + c * (i + 1), 0);
          const satisfied = dist[3]! + dist[4]!;
          return { id: q.id, type: q.type, answers: n, mean: n ? sum / n : null, satisfiedRate: n ? satisfied / n : null, distribution: dist };
        }
        return { id: q.id, type: q.type, answers: n, choices: Object.fromEntries(q.options.map((op) => [op.value, mine.filter((r) => r.choice === op.value).reduce((a, r) => a + r.n, 0)])) };
      });
      const size = Math.max(0, ...questions.map((q) => q.answers));
      if (size < minGroup) continue;
      out.push({ group: grp, questions });
    }
    return { survey: { id: s.id, code: s.code, title: s.title, status: s.status, closesAt: s.closesAt }, by: o.by ?? null, groups: out };
  }

  // ---- answering --------------------------------------------------------------------------

  /**
   * Stores one answer. The recipient row moves on only if it is still at `index` (same
   * transaction as the answer row), so a double press or an old button stores nothing.
   */
  async answer(a: { recipientId: number; residentId: number; index: number; /** scale: the score; choice: option index or value */ value: string | number }): Promise<AnswerOutcome> {
    const { db } = this.d;
    const now = this.d.clock.now();
    const out = await db.$transaction(async (tx) => {
      const [r] = await tx.$queryRaw<
        { surveyId: number; nextQuestion: number; chatId: bigint; language: string; estateId: number | null; streetId: number | null; companyId: number | null }[]
      >`
        SELECT r."surveyId", r."nextQuestion", res."chatId", res.language, e.id AS "estateId", e."streetId", e."companyId"
        FROM "SurveyRecipient" r JOIN "Resident" res ON res.id = r."residentId" LEFT JOIN "Estate" e ON e.id = res."estateId"
        WHERE r.id = ${a.recipientId} AND r."residentId" = ${a.residentId}`;
      if (!r || r.estateId === null || r.streetId === null) return { outcome: { kind: "not_found" } as AnswerOutcome };
      const s = await this.get(r.surveyId, tx);
      if (s.status !== "open" || (s.closesAt && s.closesAt <= now)) return { outcome: { kind: "closed" } as AnswerOutcome };
      if (a.index !== r.nextQuestion) return { outcome: { kind: "stale" } as AnswerOutcome };
      const q = s.questions[a.index];
      if (!q) return { outcome: { kind: "stale" } as AnswerOutcome };
      let score: number | null = null;
      let choice: string | null = null;
      if (q.type === "scale") {
        const v = Number(a.value);
        if (!Number.isInteger(v) || v < 1 || v > 5) return { outcome: { kind: "invalid", message: "score must be 1–5" } as AnswerOutcome };
        score = v;
      } else {
        // Buttons carry the option's index (short callback data); the API may give the value.
        const opt = typeof a.value === "number" ? q.options[a.value] : q.options.find((o) => o.value === a.value);
        if (!opt) return { outcome: { kind: "invalid", message: "unknown option" } as AnswerOutcome };
        choice = opt.value;
      }
      const last = a.index + 1 >= s.questions.length;
      const moved = await tx.$executeRaw`
        UPDATE "SurveyRecipient" SET "nextQuestion" = ${a.index + 1},
          status = ${last ? "answered" : "partial"}::"RecipientStatus", "answeredAt" = ${last ? now : null}
        WHERE id = ${a.recipientId} AND "nextQuestion" = ${a.index}`;
      if (moved !== 1) return { outcome: { kind: "stale" } as AnswerOutcome };
      await tx.surveyAnswer.create({
        data: { surveyId: s.id, questionId: q.id, score, choice, estateId: r.estateId, streetId: r.streetId, companyId: r.companyId, createdAt: this.localDay(now) },
      });
      const chat = BigInt(r.chatId);
      const m: OutMessage = last
        ? { ...this.d.renderer.thanks(chat, r.language, this.ref(s)), dedupeKey: KEY(a.recipientId, "thanks") }
        : { ...this.d.renderer.question(chat, r.language, this.view(s, a.recipientId, a.index + 1), "next"), dedupeKey: KEY(a.recipientId, `q${a.index + 1}`) };
      await enqueue(tx, m);
      return { outcome: (last ? { kind: "done" } : { kind: "next", index: a.index + 1 }) as AnswerOutcome };
    });
    if (out.outcome.kind === "next" || out.outcome.kind === "done") this.d.afterCommit?.();
    return out.outcome;
  }

  /** Local midnight of `t`: answers carry the day, not the moment (anonymity). */
  private localDay(t: Date): Date {
    const l = toLocal(t, this.d.timezone);
    return fromLocal(l.year, l.month, l.day, 0, 0, this.d.timezone);
  }

  /** /survey: sends the resident's current question of an open survey again; false if none. */
  async resume(residentId: number): Promise<boolean> {
    const { db } = this.d;
    const now = this.d.clock.now();
    const rows = await db.$queryRaw<{ id: number; surveyId: number; nextQuestion: number; chatId: bigint; language: string }[]>`
      SELECT r.id, r."surveyId", r."nextQuestion", res."chatId", res.language
      FROM "SurveyRecipient" r JOIN "Survey" s ON s.id = r."surveyId" JOIN "Resident" res ON res.id = r."residentId"
      WHERE r."residentId" = ${residentId} AND r.status IN ('sent', 'partial', 'undeliverable')
        AND s.status = 'open' AND (s."closesAt" IS NULL OR s."closesAt" > ${now})
        AND r."nextQuestion" < jsonb_array_length(s.questions)
      ORDER BY r.id DESC LIMIT 1`;
    const r = rows[0];
    if (!r) return false;
    const s = await this.get(r.surveyId);
    // A resend on request: keyed by the moment so each /survey gets its answer.
    await enqueue(db, { ...this.d.renderer.question(BigInt(r.chatId), r.language, this.view(s, r.id, r.nextQuestion), "resume"), dedupeKey: KEY(r.id, `q${r.nextQuestion}:resume:${now.getTime()}`) });
    this.d.afterCommit?.();
    return true;
  }

  // ---- reminder and closing ---------------------------------------------------------------

  private async remindersDue(limit: number, tx: Pick<Db, "$queryRaw"> = this.d.db, lock = false) {
    const now = this.d.clock.now();
    const before = new Date(now.getTime() + this.d.settings().schedule.remindBeforeDays * DAY);
    return tx.$queryRaw<{ id: number; surveyId: number; nextQuestion: number; chatId: bigint; language: string }[]>`
      SELECT r.id, r."surveyId", r."nextQuestion", res."chatId", res.language
      FROM "SurveyRecipient" r JOIN "Survey" s ON s.id = r."surveyId" JOIN "Resident" res ON res.id = r."residentId"
      WHERE s.status = 'open' AND s."closesAt" > ${now} AND s."closesAt" <= ${before}
        AND r.status IN ('sent', 'partial') AND r."remindedAt" IS NULL AND res."blockedAt" IS NULL
      ORDER BY r.id LIMIT ${limit} ${lock ? Prisma.sql`FOR UPDATE OF r SKIP LOCKED` : Prisma.empty}`;
  }

  /** One reminder, once, to whoever has not finished, `remindBeforeDays` before closing. */
  async remind(limit: number): Promise<number> {
    const now = this.d.clock.now();
    const n = await this.d.db.$transaction(async (tx) => {
      const rows = await this.remindersDue(limit, tx, true);
      if (!rows.length) return 0;
      const messages: OutMessage[] = [];
      for (const r of rows) {
        const s = await this.survey(r.surveyId, tx);
        messages.push({ ...this.d.renderer.question(BigInt(r.chatId), r.language, this.view(s, r.id, r.nextQuestion), "reminder"), dedupeKey: KEY(r.id, "remind") });
      }
      await enqueue(tx, messages);
      await tx.$executeRaw`UPDATE "SurveyRecipient" SET "remindedAt" = ${now} WHERE id = ANY(${rows.map((r) => r.id)}::int[])`;
      return rows.length;
    }, TX);
    if (n) this.d.afterCommit?.();
    return n;
  }

  /** Closes surveys past closesAt and cancels what of their pushes was not sent. */
  async closeExpired(): Promise<number> {
    const now = this.d.clock.now();
    const closed = await this.d.db.$queryRaw<{ id: number }[]>`
      UPDATE "Survey" SET status = 'closed' WHERE status = 'open' AND "closesAt" <= ${now} RETURNING id`;
    if (closed.length) {
      const ids = closed.map((c) => c.id);
      await this.d.db.$executeRaw`UPDATE "SurveyPush" SET status = 'cancelled', "finishedAt" = ${now}
        WHERE "surveyId" = ANY(${ids}::int[]) AND status IN ('pending', 'running')`;
      for (const id of ids) this.cache.delete(id);
      this.log.info({ surveys: ids }, "survey: closed");
    }
    return closed.length;
  }

  // ---- schedule ---------------------------------------------------------------------------

  /**
   * The half-yearly push: on (or, after downtime, up to catchUpDays after) a scheduled date, the
   * template becomes survey `<template>-<YYYY>-<MMDD>` and is pushed to the district — once,
   * whichever instance or run gets there first (unique code, one push per survey).
   */
  async runSchedule(): Promise<{ code: string; pushId: number; total: number } | null> {
    const cfg = this.d.settings().schedule;
    if (!cfg.enabled) return null;
    const now = this.d.clock.now();
    const today = toLocal(now, this.d.timezone);
    let best: { y: number; md: string; at: Date } | null = null;
    for (const y of [today.year - 1, today.year]) {
      for (const md of cfg.dates) {
        const [m, d] = md.split("-").map(Number) as [number, number];
        const at = fromLocal(y, m, d, 0, 0, this.d.timezone);
        if (at <= now && (!best || at > best.at)) best = { y, md, at };
      }
    }
    if (!best || now.getTime() - best.at.getTime() >= (cfg.catchUpDays + 1) * DAY) return null;
    const code = `${cfg.template}-${best.y}-${best.md.replace("-", "")}`;
    let s = await this.d.db.survey.findUnique({ where: { code } });
    if (!s) {
      const q = loadQuestionnaire(this.d.rulesDir, cfg.template);
      try {
        await this.store(q, { open: true, code, createdBy: "schedule" });
      } catch (err) {
        if (!(err instanceof SurveyError && err.code === "conflict")) throw err;
      }
      s = await this.d.db.survey.findUnique({ where: { code } });
    }
    if (!s || (await this.d.db.surveyPush.count({ where: { surveyId: s.id } })) > 0) return null;
    const r = await this.push({ survey: s.id, scope: "district", createdBy: "schedule" });
    return { code, ...r };
  }
}

/** For OutboxSender's onUndeliverable (next to markResidentBlocked): the chat's survey recipients. */
export function surveyOnUndeliverable(surveys: SurveyService): (chatId: bigint) => Promise<void> {
  return async (chatId) => {
    await surveys.reconcileUndeliverable(chatId);
  };
}

export { SurveyDefinitionError };
