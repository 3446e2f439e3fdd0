// Case 5 (PostgreSQL only): two full service instances on one database, each with its own
// ManualClock at the same simulated time, run every clock job for a simulated week: the sweep at
// each step on both at once, the 08:30 digest slot through node-cron's run coordinator
// (dbRunCoordinator) from both. Cases are filed, accepted, resolved, left overdue, revisits answered
// (fixed / not fixed) and not. Expect each reminder, escalation, revisit question/reminder and
// digest message once — counted by the fake API, by the event log and by dedupe keys.
// Surveys: a questionnaire is pushed to the whole district from both instances at once (a double
// "push now"), and both instances run the every-minute survey job (survey-pump: first questions,
// then the one reminder before closing) at every step, uncoordinated — worse than production, where
// node-cron's coordinator lets one instance run each minute. Residents answer through the webhook of
// either instance (some press twice, once on each): all questions, some and stop (then finish after
// the reminder), or none. Expect each resident to get each question, the reminder and the thanks
// that are due exactly once, and each answer stored once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { ManualClock } from "../../core/clock.ts";
import { RevisitService } from "../../core/cases/revisit.ts";
import { dbRunCoordinator } from "../../jobs/coordinator.ts";
import type { Services } from "../../app-context.ts";
import { FakeBotApi, type ApiCall } from "../helpers/fakeBotApi.ts";
import * as u from "../helpers/updates.ts";
import { scratchPg, type ScratchPg } from "../helpers/scratchPg.ts";
import { skipBecause, POSTGRES_ONLY } from "../helpers/skip.ts";
import { auditDelivery, giveChats, quiet, registerResidents, report, startService, until, type Running } from "./service.ts";

const BASE = process.env.TEST_DATABASE_URL;
const START = new Date("2026-11-23T09:00:00+08:00"); // Monday
const STEP_MS = 15 * 60_000;
const DAYS = 7;

let scratch: ScratchPg;
let dbs: Database[] = [];
let api: FakeBotApi;
let inst: { svc: Running; clock: ManualClock; coord: ReturnType<typeof dbRunCoordinator> }[] = [];

describe("reliability: two instances, one simulated week", () => {
  beforeAll(async () => {
    if (!BASE) return;
    api = new FakeBotApi();
    await api.start();
    scratch = await scratchPg(BASE, "week");
    for (let i = 0; i < 2; i++) {
      const d = await openDatabase({ databaseUrl: scratch.url, poolMax: 4 });
      dbs.push(d);
      if (i === 0) {
        await seedDemo(d.prisma);
        await giveChats(d.prisma);
      }
      const clock = new ManualClock(START);
      const svc = await startService(d, api, { clock });
      inst.push({ svc, clock, coord: dbRunCoordinator(d.prisma, `instance-${i}`) });
    }
  });
  afterAll(async () => {
    if (!BASE) return;
    for (const i of inst) await i.svc.close();
    for (const d of dbs) await d.close();
    await scratch?.drop();
    await api?.stop();
  });

  it.skipIf(skipBecause(!BASE, POSTGRES_ONLY))("(PostgreSQL only: two instances share one server) every clock message once", async () => {
    const db = dbs[0]!.prisma;
    const [a, b] = inst as [(typeof inst)[0], (typeof inst)[0]];
    const services: Services[] = inst.map((i) => i.svc.s);
    const revisit = new RevisitService({ db, cases: a.svc.s.cases, clock: a.clock });
    const people = await registerResidents(db, Array.from({ length: 16 }, (_, i) => 670_000 + i));
    const residents = await db.resident.findMany({ where: { telegramUserId: { in: people.map((p) => BigInt(p.user.id)) } }, orderBy: { telegramUserId: "asc" } });
    // Groups: A resolved then fixed, B resolved then not fixed (reopened, then resolved and fixed),
    // C resolved and never answered, D accepted and never resolved, E left untouched (overdue).
    const plan = ["A", "A", "A", "B", "B", "C", "C", "C", "D", "D", "D", "E", "E", "E", "E", "E"];
    const ids: { id: number; group: string; residentId: number }[] = [];
    const fileAll = async (svc: Services, k0: number) => {
      for (let k = k0; k < plan.length; k += 2) {
        const r = residents[k]!;
        const c = await svc.cases.file({ sourceKey: `week:${k}`, kind: "repair", category: "water", description: `week case ${k} (${plan[k]})`, estateId: r.estateId!, buildingId: r.buildingId, unitId: r.unitId, residentId: r.id, actor: { type: "resident", id: r.id } });
        ids.push({ id: c.case.id, group: plan[k]!, residentId: r.id });
      }
    };
    await Promise.all([fileAll(services[0]!, 0), fileAll(services[1]!, 1)]);
    const liaisonActor = (caseLiaison: number | null) => ({ type: "liaison" as const, id: caseLiaison ?? 0 });
    const act = async (group: string, f: (c: { id: number; residentId: number }) => Promise<unknown>) => {
      for (const c of ids.filter((x) => x.group === group)) await f(c);
    };
    const accept = (svc: Services) => async (c: { id: number }) => {
      const row = await db.case.findUniqueOrThrow({ where: { id: c.id } });
      return svc.cases.apply(c.id, "accept", liaisonActor(row.liaisonId), { expect: ["routed", "reopened"] });
    };
    const resolve = (svc: Services) => async (c: { id: number }) => {
      const row = await db.case.findUniqueOrThrow({ where: { id: c.id } });
      return svc.cases.apply(c.id, "resolve", liaisonActor(row.liaisonId), { note: "已修好", expect: ["routed", "accepted", "reopened"] });
    };
    // The survey: a draft closing 5 days in, so its one reminder (3 days before closing) falls mid-week.
    const SURVEY = "week-satisfaction";
    const template = a.svc.s.surveys.template("owner-satisfaction");
    const QUESTIONS = template.questions.length;
    await a.svc.s.surveys.create({ ...template, code: SURVEY }, { closesAt: new Date(START.getTime() + 5 * 86_400_000) });
    // How far each resident answers: all at once, two then (after the reminder) the rest, or never.
    const surveyPlan = people.map((_, k) => (k < 6 ? "all" : k < 11 ? "some" : "none"));
    const pushes: { total: number }[] = [];
    let doublePresses = 0;
    const surveyButtons = (c: ApiCall) =>
      ((c.payload.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][]).flat().map((x) => x.callback_data ?? "").filter((d) => d.startsWith("v1:sva:"));
    /** The resident presses an answer to question `q` on the newest message asking it, via instance `via`. */
    const press = async (k: number, q: number, via: number, twice: boolean) => {
      const p = people[k]!;
      await until(() => quiet(db), 20_000, 20);
      const asked = api.calls.filter((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === p.chat.id && surveyButtons(c).some((d) => d.split(":")[3] === String(q))).at(-1);
      if (!asked) throw new Error(`resident ${k} was never asked question ${q}`);
      const options = surveyButtons(asked);
      const data = options[(k + q) % options.length]!;
      expect(await inst[via % 2]!.svc.post(u.callback(p, data))).toBe(200);
      if (twice) {
        // The same button pressed again at once, landing on the other instance: stored once.
        expect(await inst[(via + 1) % 2]!.svc.post(u.callback(p, data))).toBe(200);
        doublePresses++;
      }
    };
    const answer = async (group: string, from: number, to: number) => {
      await Promise.all(
        people.map(async (_, k) => {
          if (surveyPlan[k] !== group) return;
          for (let q = from; q < to; q++) await press(k, q, k + q, k % 3 === 0 && q === from);
        }),
      );
      await until(() => quiet(db), 20_000, 20);
    };
    // The people act at these simulated moments (hours after the start), on one instance or the other.
    const script: { at: number; run: () => Promise<unknown> }[] = [
      // "Push now" pressed on both instances at once: one push asks everybody, the other nobody again.
      { at: 2, run: async () => pushes.push(...(await Promise.all(inst.map((i) => i.svc.s.surveys.push({ survey: SURVEY, scope: "district", createdBy: "week" }))))) },
      { at: 4, run: () => Promise.all([answer("all", 0, QUESTIONS), answer("some", 0, 2)]) },
      // After the reminder (due from day 2, 09:00): the "some" group finishes from the reminder's question.
      { at: 60, run: () => answer("some", 2, QUESTIONS) },
      { at: 1, run: () => Promise.all([act("A", accept(services[0]!)), act("B", accept(services[1]!)), act("C", accept(services[0]!)), act("D", accept(services[1]!))]) },
      { at: 6, run: () => Promise.all([act("A", resolve(services[1]!)), act("B", resolve(services[0]!)), act("C", resolve(services[1]!))]) },
      { at: 8, run: () => act("A", (c) => revisit.answerFixed(c.id, c.residentId, true)) },
      { at: 9, run: () => act("B", (c) => revisit.answerFixed(c.id, c.residentId, false)) },
      { at: 26, run: () => act("B", resolve(services[1]!)) },
      { at: 30, run: () => act("B", (c) => revisit.answerFixed(c.id, c.residentId, true)) },
    ];

    let steps = 0;
    let digestSlots = 0;
    let digestRuns = 0;
    // The start (Mon 09:00) is past that day's slot: the first slot is Tuesday 08:30.
    let lastDigestDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(START);
    const t0 = Date.now();
    for (let t = START.getTime(); t <= START.getTime() + DAYS * 86_400_000; t += STEP_MS) {
      for (const i of inst) i.clock.set(new Date(t));
      const hours = (t - START.getTime()) / 3_600_000;
      while (script[0] && script[0].at <= hours) await script.shift()!.run();
      // Both instances' sweeps at once, as two processes' every-minute job would; the survey job too.
      await Promise.all(services.map((s) => s.sweeps.runAll()));
      await Promise.all(services.map((s) => job(s, "survey-pump").run()));
      // The digest slot (08:30 local): node-cron asks the coordinator on each instance.
      const local = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(t));
      const [day, hm] = local.split(", ") as [string, string];
      if (hm >= "08:30" && day !== lastDigestDay) {
        lastDigestDay = day;
        digestSlots++;
        const key = `digest:${day}T08:30`;
        await Promise.all(
          inst.map(async (i) => {
            if (!(await i.coord.shouldRun(key, 60_000))) {
              // As if this instance ran without the coordinator: the dedupe keys must still hold.
              await job(i.svc.s, "digest").run();
              return;
            }
            digestRuns++;
            await job(i.svc.s, "digest").run();
            await i.coord.onComplete?.(key);
          }),
        );
      }
      // Deliver before the clock moves on (leases are stamped on the manual clock).
      await until(() => quiet(db), 20_000, 20);
      steps++;
    }
    const seconds = (Date.now() - t0) / 1000;

    const audit = await auditDelivery(db, api.calls);
    const events = await db.caseEvent.findMany({ where: { caseId: { in: ids.map((c) => c.id) } }, orderBy: { id: "asc" } });
    const countBy = (f: (e: (typeof events)[0]) => string | null) => {
      const m = new Map<string, number>();
      for (const e of events) {
        const k = f(e);
        if (k) m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    };
    const dupes = (m: Map<string, number>) => [...m.values()].filter((n) => n > 1).length;
    const escal = countBy((e) => (e.type === "escalate" ? `${e.caseId}:${(e.data as { level?: number })?.level}` : null));
    const revisitAsk = countBy((e) => (e.type === "startRevisit" ? `${e.caseId}:${e.id}` : null));
    const revisitRemind = countBy((e) => (e.type === "revisit_reminder" ? `${e.caseId}` : null));
    const keys = await db.outboxMessage.findMany({ where: { dedupeKey: { not: null } }, select: { dedupeKey: true, status: true } });
    const kinds = (re: RegExp) => keys.filter((k) => re.test(k.dedupeKey!)).length;
    const cases = await db.case.findMany({ where: { id: { in: ids.map((c) => c.id) } } });
    const group = (g: string) => cases.filter((c) => ids.find((x) => x.id === c.id)!.group === g);
    // Digests go to the street and district offices (the committees only read).
    const offices = await db.office.count({ where: { chatId: { not: null }, level: { in: ["district", "street"] } } });
    const jobRuns = await db.jobRun.count({ where: { key: { startsWith: "digest:" } } });
    const digestTexts = new Set((await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "digest:" }, method: "sendMessage" } })).map((r) => `${r.chatId}|${(r.payload as { text: string }).text}`));
    const digestCalls = api.calls.filter((c) => c.method === "sendMessage" && digestTexts.has(`${c.payload.chat_id}|${c.payload.text}`)).length;
    // Surveys: per recipient, the keys due for how far they answered; each row sent, each call once.
    const survey = await db.survey.findUniqueOrThrow({ where: { code: SURVEY } });
    const recipients = await db.surveyRecipient.findMany({ where: { surveyId: survey.id }, orderBy: { id: "asc" } });
    const surveyRows = await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "survey:" } }, orderBy: { id: "asc" } });
    const planOf = new Map(residents.map((r, k) => [r.id, surveyPlan[k]!]));
    const expectedKeys = (plan: string) => {
      const q = (n: number) => Array.from({ length: n }, (_, i) => `q${i}`);
      return plan === "all" ? [...q(QUESTIONS), "thanks"] : plan === "some" ? [...q(3), "remind", ...q(QUESTIONS).slice(3), "thanks"] : ["q0", "remind"];
    };
    const callCount = (row: (typeof surveyRows)[0]) => {
      const pl = row.payload as { text: string; reply_markup?: unknown };
      return api.calls.filter((c) => c.method === row.method && String(c.payload.chat_id) === String(row.chatId) && c.payload.text === pl.text && JSON.stringify(c.payload.reply_markup ?? null) === JSON.stringify(pl.reply_markup ?? null)).length;
    };
    const surveyWrong: string[] = [];
    let surveyLost = 0;
    let surveyDuplicated = 0;
    for (const r of recipients) {
      const mine = surveyRows.filter((x) => x.dedupeKey!.startsWith(`survey:${r.id}:`));
      const got = mine.map((x) => x.dedupeKey!.split(":")[2]).sort();
      const want = expectedKeys(planOf.get(r.residentId) ?? "?").sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) surveyWrong.push(`recipient ${r.id} (${planOf.get(r.residentId)}): ${got.join(",")} ≠ ${want.join(",")}`);
      surveyLost += want.filter((k) => !got.includes(k)).length;
      for (const row of mine) {
        const n = callCount(row);
        if (row.status !== "sent" || n === 0) surveyLost++;
        if (n > 1) surveyDuplicated += n - 1;
      }
    }
    const surveyAnswers = await db.surveyAnswer.count({ where: { surveyId: survey.id } });
    const answersDue = surveyPlan.filter((x) => x !== "none").length * QUESTIONS;
    const surveyFigures = {
      recipients: recipients.length, pushes: pushes.map((x) => x.total), questionsSent: surveyRows.filter((x) => /:q\d+$/.test(x.dedupeKey!)).length,
      reminders: surveyRows.filter((x) => x.dedupeKey!.endsWith(":remind")).length, thanks: surveyRows.filter((x) => x.dedupeKey!.endsWith(":thanks")).length,
      answers: surveyAnswers, answersDue, doublePresses, status: survey.status, lost: surveyLost, duplicated: surveyDuplicated, wrong: surveyWrong.slice(0, 5),
    };
    const figures = {
      steps, seconds, digestSlots, digestRuns, jobRuns,
      reminders: kinds(/:remind:(response|resolution):/), escalationEvents: events.filter((e) => e.type === "escalate").length,
      escalationRows: kinds(/esc/), revisitAsked: events.filter((e) => e.type === "startRevisit").length, revisitReminders: events.filter((e) => e.type === "revisit_reminder").length,
      closedNoAnswer: group("C").filter((c) => c.closeReason === "no_answer").length, digestRows: kinds(/^digest:/), digestCalls,
      duplicatedEvents: dupes(escal) + dupes(revisitRemind) + dupes(revisitAsk), survey: surveyFigures, delivery: audit,
    };
    const duplicated = figures.duplicatedEvents + audit.duplicated + Math.max(0, digestRuns - digestSlots) + surveyDuplicated + Math.max(0, surveyAnswers - answersDue);
    // Lost: something due that never happened.
    const lost =
      group("E").filter((c) => c.escalationLevel !== 2).length +
      group("D").filter((c) => c.escalationLevel !== 2).length +
      group("A").filter((c) => c.state !== "closed").length +
      group("B").filter((c) => c.state !== "closed" || c.reopenCount !== 1).length +
      group("C").filter((c) => c.closeReason !== "no_answer").length +
      (digestSlots - digestRuns) +
      surveyLost +
      Math.max(0, answersDue - surveyAnswers) +
      audit.lost;
    report("two-instances-week", { tried: ids.length, lost, duplicated, ...figures });

    expect(steps).toBe(DAYS * 96 + 1);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(audit).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, unexplained: 0 });
    expect(digestSlots).toBe(DAYS);
    expect(jobRuns).toBe(DAYS);
    expect(figures.reminders).toBeGreaterThan(0);
    expect(figures.revisitReminders).toBe(group("C").length);
    // Each remind/escalate event has its one message: no event without, none twice.
    expect(figures.escalationEvents).toBeGreaterThanOrEqual((group("D").length + group("E").length) * 2);
    expect(figures.digestRows).toBeGreaterThanOrEqual(DAYS * offices);
    expect(digestCalls).toBe(digestTexts.size);
    // Surveys: everybody asked once (the second push found nobody new), each due message once.
    expect(recipients.length).toBe(people.length);
    expect(pushes.map((x) => x.total).sort((x, y) => x - y)).toEqual([0, people.length]);
    expect(surveyWrong).toEqual([]);
    expect(surveyFigures.reminders).toBe(surveyPlan.filter((x) => x !== "all").length);
    expect(surveyFigures.thanks).toBe(surveyPlan.filter((x) => x !== "none").length);
    expect(surveyAnswers).toBe(answersDue);
    expect(doublePresses).toBeGreaterThan(0);
    expect(survey.status).toBe("closed");
  }, 300_000);
});

/** One of the scheduler's own jobs (what node-cron runs at its slot), by name. */
function job(s: Services, name: string): { run(): Promise<unknown> } {
  const jobs = (s.scheduler as unknown as { jobs: { name: string; run(): Promise<unknown> }[] }).jobs;
  const j = jobs.find((x) => x.name === name);
  if (!j) throw new Error(`no job ${name} in ${jobs.map((x) => x.name).join(", ")}`);
  return j;
}
