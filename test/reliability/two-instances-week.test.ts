// Case 5 (PostgreSQL only): two full service instances on one database, each with its own
// ManualClock at the same simulated time, run every clock job for a simulated week: the sweep at
// each step on both at once, the 08:30 digest slot through node-cron's run coordinator
// (dbRunCoordinator) from both. Cases are filed, accepted, resolved, left overdue, revisits answered
// (fixed / not fixed) and not. Expect each reminder, escalation, revisit question/reminder and
// digest message once — counted by the fake API, by the event log and by dedupe keys.
// Surveys: not covered (their code is not committed yet; see the report).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../core/db.ts";
import { seedDemo } from "../../core/seed.ts";
import { ManualClock } from "../../core/clock.ts";
import { RevisitService } from "../../core/revisit.ts";
import { dbRunCoordinator } from "../../jobs/coordinator.ts";
import type { Services } from "../../core/app-context.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { scratchPg, type ScratchPg } from "../helpers/scratchPg.ts";
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

  it.skipIf(!BASE)("(PostgreSQL only: two instances share one server) every clock message once", async () => {
    const db = dbs[0]!.prisma;
    const [a, b] = inst as [(typeof inst)[0], (typeof inst)[0]];
    const services: Services[] = inst.map((i) => i.svc.s);
    const revisit = new RevisitService({ db, cases: a.svc.s.cases, router: a.svc.s.router, clock: a.clock });
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
      return svc.cases.apply(c.id, "accept", liaisonActor(row.liaisonId), { expect: ["routed", "reopened"], patch: (r, now) => ({ acceptedAt: r.acceptedAt ?? now }) });
    };
    const resolve = (svc: Services) => async (c: { id: number }) => {
      const row = await db.case.findUniqueOrThrow({ where: { id: c.id } });
      return svc.cases.apply(c.id, "resolve", liaisonActor(row.liaisonId), { note: "已修好", expect: ["routed", "accepted", "reopened"], patch: (r, now) => ({ resolvedAt: now, acceptedAt: r.acceptedAt ?? now }) });
    };
    // The people act at these simulated moments (hours after the start), on one instance or the other.
    const script: { at: number; run: () => Promise<unknown> }[] = [
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
      // Both instances' sweeps at once, as two processes' every-minute job would.
      await Promise.all(services.map((s) => s.sweeps.runAll()));
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
              await digestJob(i.svc.s).run();
              return;
            }
            digestRuns++;
            await digestJob(i.svc.s).run();
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
    const offices = await db.office.count({ where: { chatId: { not: null } } });
    const jobRuns = await db.jobRun.count({ where: { key: { startsWith: "digest:" } } });
    const digestTexts = new Set((await db.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "digest:" }, method: "sendMessage" } })).map((r) => `${r.chatId}|${(r.payload as { text: string }).text}`));
    const digestCalls = api.calls.filter((c) => c.method === "sendMessage" && digestTexts.has(`${c.payload.chat_id}|${c.payload.text}`)).length;
    const figures = {
      steps, seconds, digestSlots, digestRuns, jobRuns,
      reminders: kinds(/:remind:(response|resolution):/), escalationEvents: events.filter((e) => e.type === "escalate").length,
      escalationRows: kinds(/esc/), revisitAsked: events.filter((e) => e.type === "startRevisit").length, revisitReminders: events.filter((e) => e.type === "revisit_reminder").length,
      closedNoAnswer: group("C").filter((c) => c.closeReason === "no_answer").length, digestRows: kinds(/^digest:/), digestCalls,
      duplicatedEvents: dupes(escal) + dupes(revisitRemind) + dupes(revisitAsk), delivery: audit,
    };
    const duplicated = figures.duplicatedEvents + audit.duplicated + Math.max(0, digestRuns - digestSlots);
    // Lost: something due that never happened.
    const lost =
      group("E").filter((c) => c.escalationLevel !== 2).length +
      group("D").filter((c) => c.escalationLevel !== 2).length +
      group("A").filter((c) => c.state !== "closed").length +
      group("B").filter((c) => c.state !== "closed" || c.reopenCount !== 1).length +
      group("C").filter((c) => c.closeReason !== "no_answer").length +
      (digestSlots - digestRuns) +
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
  }, 300_000);
});

/** The scheduler's own digest job (what node-cron runs at the slot). */
function digestJob(s: Services): { run(): Promise<unknown> } {
  const jobs = (s.scheduler as unknown as { jobs: { name: string; run(): Promise<unknown> }[] }).jobs;
  return jobs.find((j) => j.name === "digest")!;
}
