// Retention: handled webhook updates are kept 7 days (Telegram re-delivers for at most 24 h, so
// dedupe stays safe), sent outbox rows 90 days (the office may ask what was sent); import previews
// nobody confirmed go once expired (each holds a whole uploaded file), Mini App launch hashes and web
// link codes too (a replay or a code past its time is refused anyway), and sign-in codes by SMS after
// two days (their SMS rows, which carry the code, after one).
// Maintenance: PGlite has no autovacuum (it is PostgreSQL without its background workers), so on the
// embedded database the same nightly run vacuums and analyzes: without it the space of purged and
// updated rows is never reused (the files only grow) and the planner never gets statistics.
// PostgreSQL's autovacuum does this by itself; there the job only purges.
import type { Db } from "../core/db/db.ts";
import type { Clock } from "../core/clock.ts";
import type { Job } from "./scheduler.ts";
import { purgeExpiredPreviews } from "../core/directory/import/previews.ts";
import { dropExpiredLinkCodes } from "../core/residents/link-codes.ts";

const DAY = 24 * 3600_000;

export function housekeepingJob(db: Db, clock: Clock, vacuum?: () => Promise<void>): Job {
  return {
    name: "housekeeping",
    schedule: "17 3 * * *",
    async run() {
      const now = clock.now().getTime();
      const inbound = await db.inboundUpdate.deleteMany({ where: { status: "done", processedAt: { lt: new Date(now - 7 * DAY) } } });
      const outbox = await db.outboxMessage.deleteMany({ where: { status: "sent", sentAt: { lt: new Date(now - 90 * DAY) } } });
      const previews = await purgeExpiredPreviews(db, new Date(now));
      const launches = await db.miniAppLaunch.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
      const linkCodes = await dropExpiredLinkCodes(db, new Date(now));
      // Sign-in codes: the rows count for the per-day limit, so a day and a bit; the SMS that carried a
      // code (its text holds it) goes the same night, sent or not — expired long before.
      const phoneCodes = await db.phoneCode.deleteMany({ where: { createdAt: { lt: new Date(now - 2 * DAY) } } });
      const codeSms = await db.outboxMessage.deleteMany({ where: { dedupeKey: { startsWith: "sms:code:" }, createdAt: { lt: new Date(now - DAY) } } });
      const report: Record<string, number> = { inboundPurged: inbound.count, outboxPurged: outbox.count + codeSms.count, previewsPurged: previews, miniAppLaunchesPurged: launches.count, linkCodesPurged: linkCodes, phoneCodesPurged: phoneCodes.count };
      if (vacuum) {
        const t0 = performance.now();
        await vacuum();
        report.vacuumMs = Math.round(performance.now() - t0);
      }
      return report;
    },
  };
}
