// The demo's history: ~90 days of cases in the demo district made through the REAL services — filed
// through the case service, accepted and resolved as a liaison would, revisited (fixed / not fixed →
// reopened), rated 1–5, some left overdue so the escalation sweep escalates them — on a fake clock
// moved through the days, so figures, charts, the board, credit files and early warnings show
// something real. The three companies differ on purpose (华美 quick and liked, 安居 middling, 绿苑
// slow) so the board has both ends. Deterministic (a seeded random), and done once: a second seed
// finds the demo's cases (source keys "demo:…") and leaves them be. The notices the services queue
// for the made-up residents and groups are removed at the end: nobody real should receive them.
import type { Db } from "../core/db/db.ts";
import { ManualClock } from "../core/clock.ts";
import { CaseService, type CaseRow } from "../core/cases/case-service.ts";
import { RevisitService } from "../core/cases/revisit.ts";
import { TransitionError } from "../core/cases/lifecycle.ts";
import { Sweeps } from "../core/clocks/sweeps.ts";
import { loadClockSettings } from "../core/clocks/clock-settings.ts";
import { WorkCalendar } from "../core/clocks/work-calendar.ts";
import { loadAssessmentSettings } from "../core/assessment/assessment-settings.ts";
import { recomputeDeductions } from "../core/assessment/credit.ts";
import { createRulesRouter } from "../rules/router.ts";
import { createClockRenderer } from "../bot/render/clock-renderer.ts";
import { loadCategories } from "../core/cases/categories.ts";
import { createI18n } from "../bot/i18n.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Per company: hours to accept, hours to resolve, chance it is left overdue, chance "not fixed", ratings. */
const TEMPER: Record<string, { accept: number; resolve: number; late: number; unfixed: number; ratings: number[] }> = {
  huamei: { accept: 1, resolve: 20, late: 0.03, unfixed: 0.05, ratings: [5, 5, 4, 5, 4] },
  anju: { accept: 3, resolve: 40, late: 0.12, unfixed: 0.12, ratings: [4, 3, 4, 5, 3] },
  lvyuan: { accept: 10, resolve: 80, late: 0.35, unfixed: 0.25, ratings: [2, 3, 1, 3, 2] },
};
const PROBLEMS: { kind: "repair" | "complaint" | "suggestion"; category: string; text: string }[] = [
  { kind: "repair", category: "water", text: "卫生间水管漏水，楼下天花板渗水" },
  { kind: "repair", category: "water", text: "楼道水管爆裂，地面积水" },
  { kind: "repair", category: "lift", text: "电梯经常停在半层，按钮失灵" },
  { kind: "repair", category: "electricity", text: "楼道声控灯不亮，晚上看不清台阶" },
  { kind: "complaint", category: "noise", text: "楼上装修噪音，晚上十点后还在施工" },
  { kind: "complaint", category: "sanitation", text: "垃圾桶满了两天没人清运，有异味" },
  { kind: "complaint", category: "parking", text: "消防通道被私家车长期占用" },
  { kind: "suggestion", category: "greenery", text: "建议在小区中庭增设休息座椅" },
];

/** mulberry32: the same demo every time. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryResult {
  cases: number;
  rated: number;
  escalations: number;
}

/** Writes the history once; null when the demo's cases are there already. */
export async function seedHistory(db: Db, o: { now: Date; timezone: string; rulesDir: string; days?: number; perDay?: number }): Promise<HistoryResult | null> {
  if (await db.case.count({ where: { sourceKey: { startsWith: "demo:" } } })) return null;
  const days = o.days ?? 90;
  const rnd = random(20261202);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const start = new Date(Math.floor((o.now.getTime() - days * DAY) / DAY) * DAY);
  const clock = new ManualClock(start);
  const router = await createRulesRouter({ db, rulesDir: o.rulesDir, timezone: o.timezone, clock });
  const cases = new CaseService({ db, router, clock, timezone: o.timezone });
  const revisit = new RevisitService({ db, cases, router, clock });
  const clockSettings = loadClockSettings(o.rulesDir);
  const calendar = new WorkCalendar();
  const renderer = createClockRenderer({ i18n: createI18n("zh-Hans"), categories: loadCategories(o.rulesDir), defaultLocale: "zh-Hans", timezone: o.timezone, dashboardUrl: "" });
  const sweeps = new Sweeps({ db, cases, clock, settings: () => clockSettings, renderer, timezone: o.timezone, calendar: () => calendar });
  const outboxBefore = (await db.outboxMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;

  // Three residents per estate, registered at their first building's first unit.
  const estates = await db.estate.findMany({ where: { active: true }, include: { company: true, buildings: { include: { units: true }, orderBy: { id: "asc" } } }, orderBy: { id: "asc" } });
  const residents = new Map<number, { id: number }[]>();
  let tg = 880_000_000;
  for (const e of estates) {
    const list = [];
    for (let i = 0; i < 3; i++) {
      const b = e.buildings[i % Math.max(1, e.buildings.length)];
      const id = BigInt(tg++);
      const r = await db.resident.upsert({
        where: { telegramUserId: id },
        update: {},
        create: { telegramUserId: id, chatId: id, name: `${e.name}居民${i + 1}`, status: "verified", estateId: e.id, buildingId: b?.id ?? null, unitId: b?.units[0]?.id ?? null },
      });
      list.push({ id: r.id });
    }
    residents.set(e.id, list);
  }

  // Every step of every case, then run in time order on the fake clock (with a daily sweep).
  type Step = { at: number; run: () => Promise<void> };
  const steps: Step[] = [];
  const perDay = o.perDay ?? 1;
  let n = 0;
  for (let d = 0; d < days; d++) {
    const count = Math.floor(rnd() * (perDay * 2 + 1));
    for (let i = 0; i < count; i++) {
      const e = pick(estates);
      const temper = TEMPER[e.company?.code ?? ""] ?? TEMPER.anju!;
      const who = pick(residents.get(e.id)!);
      const problem = pick(PROBLEMS);
      const filedAt = start.getTime() + d * DAY + (1 + rnd() * 11) * HOUR; // 09:00–20:00 in China
      const late = rnd() < temper.late;
      const unfixed = rnd() < temper.unfixed;
      const rating = pick(temper.ratings);
      const key = `demo:${++n}`;
      let row: CaseRow | null = null;
      const accept = filedAt + (late ? 30 : temper.accept * (0.5 + rnd())) * HOUR;
      const resolve = accept + temper.resolve * (0.5 + rnd()) * HOUR;
      const answer = resolve + (4 + rnd() * 30) * HOUR;
      steps.push({
        at: filedAt,
        run: async () => {
          row = (await cases.file({ sourceKey: key, channel: "telegram", residentId: who.id, kind: problem.kind, category: problem.category, description: problem.text, estateId: e.id, buildingId: null, actor: { type: "resident", id: who.id } })).case;
        },
      });
      const liaison = { type: "liaison" as const, id: `demo:${e.company?.code ?? "none"}` };
      steps.push({ at: accept, run: async () => void (row && (await cases.apply(row.id, "accept", liaison, { expect: ["routed", "reopened"], patch: (c, now) => ({ acceptedAt: c.acceptedAt ?? now }) }))) });
      steps.push({ at: resolve, run: async () => void (row && (await cases.apply(row.id, "resolve", liaison, { note: "已处理完毕", expect: ["routed", "accepted", "reopened"], patch: (c, now) => ({ resolvedAt: now, acceptedAt: c.acceptedAt ?? now }) }))) });
      steps.push({
        at: answer,
        run: async () => {
          if (!row) return;
          await revisit.answerFixed(row.id, who.id, !unfixed);
          if (!unfixed) await revisit.rate(row.id, who.id, rating);
        },
      });
      if (unfixed) {
        // Reopened: handled again, then fixed, with a lower rating.
        steps.push({ at: answer + 2 * HOUR, run: async () => void (row && (await cases.apply(row.id, "accept", liaison, { expect: ["reopened"], patch: (c, now) => ({ acceptedAt: c.acceptedAt ?? now }) }))) });
        steps.push({ at: answer + 2 * HOUR + temper.resolve * HOUR, run: async () => void (row && (await cases.apply(row.id, "resolve", liaison, { note: "返工处理", expect: ["accepted", "reopened"], patch: (_c, now) => ({ resolvedAt: now }) }))) });
        steps.push({
          at: answer + 30 * HOUR + temper.resolve * HOUR,
          run: async () => {
            if (!row) return;
            await revisit.answerFixed(row.id, who.id, true);
            await revisit.rate(row.id, who.id, Math.max(1, rating - 1));
          },
        });
      }
    }
    steps.push({ at: start.getTime() + d * DAY + 10 * HOUR, run: async () => void (await sweeps.escalate()) }); // 18:00 in China
  }
  const until = o.now.getTime();
  steps.sort((a, b) => a.at - b.at);
  for (const s of steps) {
    if (s.at > until) continue; // the future: these cases are still open today
    clock.set(new Date(s.at));
    try {
      await s.run();
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err; // a step the case has moved past
    }
  }
  clock.set(o.now);
  await recomputeDeductions(db, { settings: loadAssessmentSettings(o.rulesDir), now: o.now, since: start });
  await db.outboxMessage.deleteMany({ where: { id: { gt: outboxBefore } } });
  const [made, rated, escalations] = await Promise.all([
    db.case.count({ where: { sourceKey: { startsWith: "demo:" } } }),
    db.case.count({ where: { sourceKey: { startsWith: "demo:" }, satisfaction: { not: null } } }),
    db.caseEvent.count({ where: { type: "escalate", case: { sourceKey: { startsWith: "demo:" } } } }),
  ]);
  return { cases: made, rated, escalations };
}
