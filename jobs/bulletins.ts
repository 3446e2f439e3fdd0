// The monthly bulletin (定期通报): due at 07:00 on the 1st for the month before. The job looks every
// hour and once at start for the due month's missing bulletins (core/bulletin/monthly.ts
// catchUpBulletins), so a service that was down on the 1st, or a run that failed, makes them when it
// next runs; each is claimed in the database and stored once, so instances and repeats add nothing.
import type { Job } from "./scheduler.ts";

export const BULLETIN_CRON = "0 * * * *";

export function bulletinJobs(catchUp: () => Promise<{ month: string; made: number; queued: number }>): Job[] {
  return [{ name: "monthly-bulletin", schedule: BULLETIN_CRON, run: catchUp, runAtStart: true }];
}
