// node-cron schedules, in the configured time zone. Each job judges what to do from the database
// (never from timers in memory), so a run after downtime catches up by itself.
import cron, { type RunCoordinator, type ScheduledTask } from "node-cron";
import type { Logger } from "../core/logger.ts";

export interface Job {
  name: string;
  /** cron expression, e.g. "0 3 * * *" */
  schedule: string;
  run(): Promise<unknown>;
  /** Also run once right after start (catch-up after downtime). */
  runAtStart?: boolean;
  /** Run this instead of `run` once right after start (a cheaper catch-up that first checks whether it is needed). */
  atStart?: () => Promise<unknown>;
}

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly jobs: Job[],
    private readonly opts: { timezone: string; log: Logger; coordinator?: RunCoordinator; onRun?: (job: string, outcome: "ok" | "failed") => void },
  ) {
    for (const j of jobs) if (!cron.validate(j.schedule)) throw new Error(`job ${j.name}: invalid cron expression "${j.schedule}"`);
  }

  start(): void {
    for (const job of this.jobs) {
      const task = cron.schedule(job.schedule, () => this.runJob(job), {
        timezone: this.opts.timezone,
        name: job.name,
        noOverlap: true,
        ...(this.opts.coordinator ? { distributed: true, runCoordinator: this.opts.coordinator } : {}),
      });
      this.tasks.push(task);
      if (job.atStart) void this.runJob({ ...job, run: job.atStart });
      else if (job.runAtStart) void this.runJob(job);
    }
    this.opts.log.info({ jobs: this.jobs.map((j) => `${j.name} (${j.schedule})`) }, "jobs scheduled");
  }

  async runJob(job: Job): Promise<void> {
    const started = Date.now();
    const p = job
      .run()
      .then((result) => {
        this.opts.log.info({ job: job.name, ms: Date.now() - started, result }, "job done");
        this.opts.onRun?.(job.name, "ok");
      })
      .catch((err) => {
        this.opts.log.error({ job: job.name, err }, "job failed");
        this.opts.onRun?.(job.name, "failed");
      });
    this.inFlight.add(p);
    await p;
    this.inFlight.delete(p);
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.stop();
    this.tasks = [];
    await Promise.all(this.inFlight);
  }
}
