// Survey and assessment jobs. Each judges what to do from the database, so a restart resumes an
// unfinished push, a missed scheduled date is caught up, and reruns change nothing twice.
import type { Db } from "../core/db/db.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { SurveyService } from "../core/surveys/surveys.ts";
import type { SurveySettings } from "../core/surveys/survey-settings.ts";
import type { AssessmentSettings } from "../core/assessment/assessment-settings.ts";
import type { AssessmentRenderer } from "../core/surveys/survey-notices.ts";
import { recomputeDeductions } from "../core/assessment/credit.ts";
import { classifyEstates } from "../core/assessment/classification.ts";
import { checkEarlyWarnings } from "../core/assessment/early-warning.ts";
import { fromLocal, toLocal } from "../core/clocks/zoned-time.ts";
import { periodOf } from "../core/assessment/assessment.ts";
import type { Job } from "./scheduler.ts";

export interface SurveyJobDeps {
  db: Db;
  clock: Clock;
  surveys: SurveyService;
  surveySettings: () => SurveySettings;
  assessmentSettings: () => AssessmentSettings;
  renderer: AssessmentRenderer;
  timezone: string;
  log?: Logger;
  afterCommit?: () => void;
}

export function surveyJobs(d: SurveyJobDeps): Job[] {
  return [
    // Pushes and reminders, paced through the outbox; every minute and at start (resumes a push).
    { name: "survey-pump", schedule: "* * * * *", runAtStart: true, run: () => d.surveys.pump() },
    { name: "survey-schedule", schedule: d.surveySettings().schedule.cron, runAtStart: true, run: () => d.surveys.runSchedule() },
    {
      name: "assessment-nightly",
      schedule: d.assessmentSettings().classification.cron,
      // The board reads stored classifications: after a start with none for the current period yet
      // (fresh install, new half-year while down), rate the estates now instead of at 02:30.
      atStart: async () => {
        const now = d.clock.now();
        const settings = d.assessmentSettings();
        const period = periodOf(now, settings.classification.period, d.timezone);
        if (await d.db.estateClassification.findFirst({ where: { period }, select: { id: true } })) return { skipped: `already rated for ${period}` };
        const classes = await classifyEstates(d.db, { settings, now, timezone: d.timezone });
        return { period, rated: classes.length };
      },
      run: async () => {
        const now = d.clock.now();
        const settings = d.assessmentSettings();
        // Since the start of last year: late revisits and escalations of older cases still count.
        const since = fromLocal(toLocal(now, d.timezone).year - 1, 1, 1, 0, 0, d.timezone);
        const deducted = await recomputeDeductions(d.db, { settings, now, since });
        const classes = await classifyEstates(d.db, { settings, now, timezone: d.timezone });
        const tally = classes.reduce<Record<string, number>>((a, c) => ((a[c.klass] = (a[c.klass] ?? 0) + 1), a), {});
        return { deducted, classes: tally };
      },
    },
    {
      name: "early-warning",
      schedule: d.assessmentSettings().earlyWarning.cron,
      runAtStart: true, // once per estate per day: a restart after the slot still checks today
      run: async () => {
        const r = await checkEarlyWarnings(d.db, { settings: d.assessmentSettings(), now: d.clock.now(), timezone: d.timezone, renderer: d.renderer, afterCommit: d.afterCommit });
        return { day: r.day, flagged: r.flagged.map((f) => f.estate), notified: r.notified };
      },
    },
  ];
}
