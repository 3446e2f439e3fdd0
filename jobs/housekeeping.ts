// Retention: handled webhook updates are kept 7 days (Telegram re-delivers for at most 24 h, so
// dedupe stays safe), sent outbox rows 90 days (the office may ask what was sent).
import type { Db } from "../core/db.ts";
import type { Clock } from "../core/clock.ts";
import type { Job } from "./scheduler.ts";

const DAY = 24 * 3600_000;

export function housekeepingJob(db: Db, clock: Clock): Job {
  return {
    name: "housekeeping",
    schedule: "17 3 * * *",
    async run() {
      const now = clock.now().getTime();
      const inbound = await db.inboundUpdate.deleteMany({ where: { status: "done", processedAt: { lt: new Date(now - 7 * DAY) } } });
      const outbox = await db.outboxMessage.deleteMany({ where: { status: "sent", sentAt: { lt: new Date(now - 90 * DAY) } } });
      return { inboundPurged: inbound.count, outboxPurged: outbox.count };
    },
  };
}
