// The demo's history: ~90 days of cases in the demo district made through the REAL services — filed
// through the case service, accepted and resolved as a liaison would, revisited (fixed / not fixed →
// reopened), rated 1–5, some left overdue so the escalation sweep escalates them — on a fake clock
// moved through the days, so figures, charts, the board, credit files and early warnings show
// something real. The three companies differ on purpose (华美 quick and liked, 安居 middling, 绿苑
// slow) so the board has both ends. Forty days back the district answers the owner satisfaction
// survey (the shipped questionnaire, pushed and answered through the survey service, scores by
// company), and two bursts of complaints — one past, one in the last week — trip the nightly early
// warning, which runs every day of the history as its job would. Deterministic (a seeded random), and done once: a second seed
// finds the demo's cases (source keys "demo:…") and leaves them be. The notices the services queue
// for the made-up residents and groups are removed at the end: nobody real should receive them.
import type { Db } from "../../core/db/db.ts";
import { ManualClock } from "../../core/clock.ts";
import { CaseService, type CaseRow } from "../../core/cases/case-service.ts";
import { RevisitService } from "../../core/cases/revisit.ts";
import { TransitionError } from "../../core/cases/lifecycle.ts";
import { Sweeps } from "../../core/clocks/sweeps.ts";
import { loadClockSettings } from "../../core/clocks/clock-settings.ts";
import { WorkCalendar } from "../../core/clocks/work-calendar.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { recomputeDeductions } from "../../core/assessment/credit.ts";
import { createRulesRouter } from "../../rules/router.ts";
import { createClockRenderer } from "../../bot/render/clock-renderer.ts";
import { loadCategories } from "../../core/cases/categories.ts";
import { createI18n } from "../../bot/i18n.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadSurveySettings } from "../../core/surveys/survey-settings.ts";
import { createSurveyRenderer } from "../../bot/render/survey-renderer.ts";
import { zhAssessmentRenderer } from "../../core/surveys/survey-notices.ts";
import { checkEarlyWarnings } from "../../core/assessment/early-warning.ts";

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

/** Survey scores per company (1–5, drawn at random) and the share of residents who answer. */
const SURVEY: Record<string, { scores: number[]; answer: number }> = {
  huamei: { scores: [5, 5, 4, 4, 5, 3], answer: 0.9 },
  anju: { scores: [4, 3, 4, 5, 3, 4], answer: 0.85 },
  lvyuan: { scores: [2, 3, 2, 4, 1, 3], answer: 0.8 },
};
/** Bursts that trip the early warning: estate, days before today, cases, what they say. */
const BURSTS = [
  { estate: "chunhui", daysAgo: 25, cases: 7, kind: "repair" as const, category: "water", text: "3号楼主水管破裂，整栋楼停水" },
  { estate: "jinxiu", daysAgo: 5, cases: 8, kind: "complaint" as const, category: "lift", text: "2号楼电梯一周内多次困人，至今未彻底修好" },
];
const RESIDENTS_PER_ESTATE = 8;

export interface HistoryResult {
  cases: number;
  rated: number;
  escalations: number;
  surveyAnswers: number;
  warnings: number;
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
  const revisit = new RevisitService({ db, cases, clock });
  const clockSettings = loadClockSettings(o.rulesDir);
  const calendar = new WorkCalendar();
  const renderer = createClockRenderer({ i18n: createI18n("zh-Hans"), categories: loadCategories(o.rulesDir), defaultLocale: "zh-Hans", timezone: o.timezone, dashboardUrl: "" });
  const sweeps = new Sweeps({ db, cases, clock, settings: () => clockSettings, renderer, timezone: o.timezone, calendar: () => calendar });
  const surveySettings = loadSurveySettings(o.rulesDir);
  const surveys = new SurveyService({
    db,
    clock,
    renderer: createSurveyRenderer({ i18n: createI18n("zh-Hans"), defaultLocale: "zh-Hans", timezone: o.timezone }),
    settings: () => surveySettings,
    rulesDir: o.rulesDir,
    timezone: o.timezone,
    sleep: async () => {},
  });
  const assessmentSettings = loadAssessmentSettings(o.rulesDir);
  const outboxBefore = (await db.outboxMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;

  // Eight residents per estate (enough for the survey's per-estate results, which hide groups under
  // five), each at a unit of the estate's buildings in turn.
  const estates = await db.estate.findMany({ where: { active: true }, include: { company: true, buildings: { include: { units: true }, orderBy: { id: "asc" } } }, orderBy: { id: "asc" } });
  const residents = new Map<number, { id: number }[]>();
  let tg = 880_000_000;
  for (const e of estates) {
    const list = [];
    for (let i = 0; i < RESIDENTS_PER_ESTATE; i++) {
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
  /** One case's life: filed, accepted, resolved, revisited and rated — late or reopened by temper. */
  const plan = (e: (typeof estates)[number], filedAt: number, problem: (typeof PROBLEMS)[number]) => {
    const temper = TEMPER[e.company?.code ?? ""] ?? TEMPER.anju!;
    const who = pick(residents.get(e.id)!);
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
    steps.push({ at: accept, run: async () => void (row && (await cases.apply(row.id, "accept", liaison, { expect: ["routed", "reopened"] }))) });
    steps.push({ at: resolve, run: async () => void (row && (await cases.apply(row.id, "resolve", liaison, { note: "已处理完毕", expect: ["routed", "accepted", "reopened"] }))) });
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
      steps.push({ at: answer + 2 * HOUR, run: async () => void (row && (await cases.apply(row.id, "accept", liaison, { expect: ["reopened"] }))) });
      steps.push({ at: answer + 2 * HOUR + temper.resolve * HOUR, run: async () => void (row && (await cases.apply(row.id, "resolve", liaison, { note: "返工处理", expect: ["accepted", "reopened"] }))) });
      steps.push({
        at: answer + 30 * HOUR + temper.resolve * HOUR,
        run: async () => {
          if (!row) return;
          await revisit.answerFixed(row.id, who.id, true);
          await revisit.rate(row.id, who.id, Math.max(1, rating - 1));
        },
      });
    }
  };
  for (let d = 0; d < days; d++) {
    const count = Math.floor(rnd() * (perDay * 2 + 1));
    for (let i = 0; i < count; i++) plan(pick(estates), start.getTime() + d * DAY + (1 + rnd() * 11) * HOUR, pick(PROBLEMS)); // 09:00–20:00 in China
    steps.push({ at: start.getTime() + d * DAY + 10 * HOUR, run: async () => void (await sweeps.escalate()) }); // 18:00 in China
  }
  // The bursts, spread over three days each; the early-warning job at 08:00 every day, as scheduled,
  // once the history holds the 8 weeks its baseline needs (before that any busy week would trip it).
  for (const burst of BURSTS) {
    const e = estates.find((x) => x.code === burst.estate);
    if (!e || burst.daysAgo >= days) continue;
    for (let i = 0; i < burst.cases; i++) plan(e, o.now.getTime() - burst.daysAgo * DAY + (i % 3) * DAY + (1 + rnd() * 11) * HOUR - (o.now.getTime() % DAY), { kind: burst.kind, category: burst.category, text: burst.text });
  }
  for (let d = 57; d <= days; d++) {
    steps.push({ at: start.getTime() + d * DAY, run: async () => void (await checkEarlyWarnings(db, { settings: assessmentSettings, now: clock.now(), timezone: o.timezone, renderer: zhAssessmentRenderer })) });
  }
  // The owner satisfaction survey, pushed to the whole district 40 days ago (10:00) and answered
  // over the following days by most residents, scores by company; it closes after openDays.
  const surveyAt = start.getTime() + (days - 40) * DAY + 2 * HOUR;
  let surveyId = 0;
  if (days > 40) {
    steps.push({
      at: surveyAt,
      run: async () => {
        const s = await surveys.create({ ...surveys.template(surveySettings.schedule.template), code: `${surveySettings.schedule.template}-demo` }, { open: true, createdBy: "seed" });
        surveyId = s.id;
        await surveys.push({ survey: s.id, scope: "district", createdBy: "seed" });
        while ((await surveys.sendBatch(500)).sent) {}
      },
    });
    const questions = surveys.template(surveySettings.schedule.template).questions;
    for (const e of estates) {
      const mood = SURVEY[e.company?.code ?? ""] ?? SURVEY.anju!;
      for (const r of residents.get(e.id)!) {
        if (rnd() >= mood.answer) continue;
        const values = questions.map((q) => (q.type === "scale" ? pick(mood.scores) : pick(q.options).value));
        steps.push({
          at: surveyAt + (2 + rnd() * 9 * 24) * HOUR,
          run: async () => {
            const recipient = await db.surveyRecipient.findFirst({ where: { surveyId, residentId: r.id } });
            if (!recipient) return;
            for (let i = 0; i < values.length; i++) await surveys.answer({ recipientId: recipient.id, residentId: r.id, index: i, value: values[i]! });
          },
        });
      }
    }
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
  await surveys.closeExpired();
  await recomputeDeductions(db, { settings: assessmentSettings, now: o.now, since: start });
  await db.outboxMessage.deleteMany({ where: { id: { gt: outboxBefore } } });
  const [made, rated, escalations, surveyAnswers, warnings] = await Promise.all([
    db.case.count({ where: { sourceKey: { startsWith: "demo:" } } }),
    db.case.count({ where: { sourceKey: { startsWith: "demo:" }, satisfaction: { not: null } } }),
    db.caseEvent.count({ where: { type: "escalate", case: { sourceKey: { startsWith: "demo:" } } } }),
    db.surveyAnswer.count({ where: { surveyId } }),
    db.earlyWarning.count(),
  ]);
  return { cases: made, rated, escalations, surveyAnswers, warnings };
}
