// The clock jobs: the sweep (reminders, escalation, revisits) every minute and at start (catch-up
// after downtime), and the daily digest.
import type { Sweeps } from "../core/clocks/sweeps.ts";
import type { ClockSettings } from "../core/clocks/clock-settings.ts";
import type { Job } from "./scheduler.ts";

export function clockJobs(d: { sweeps: Sweeps; settings: ClockSettings; digest: () => Promise<number> }): Job[] {
  return [
    { name: "clock-sweep", schedule: d.settings.sweep.cron, runAtStart: true, run: () => d.sweeps.runAll() },
    { name: "digest", schedule: d.settings.digest.cron, run: async () => ({ messages: await d.digest() }) },
  ];
}
