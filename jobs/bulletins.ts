// The monthly bulletin (定期通报): at 07:00 on the 1st, for the month before. A run stores each
// bulletin once and sends it once, so a second instance or a repeated run adds nothing. Not run at
// start: a service down at 07:00 on the 1st misses the month (make it with `npm run bulletin`).
import type { Job } from "./scheduler.ts";

export const BULLETIN_CRON = "0 7 1 * *";

export function bulletinJobs(make: () => Promise<{ made: number; queued: number }>): Job[] {
  return [{ name: "monthly-bulletin", schedule: BULLETIN_CRON, run: make }];
}
