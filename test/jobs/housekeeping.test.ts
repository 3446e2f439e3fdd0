// The nightly housekeeping as the service wires it: what it purges (old updates, sent messages,
// expired import previews), what it keeps, and on the
// embedded database (no autovacuum there) that it vacuums and analyzes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase, testDbKind, type TestDb } from "../helpers/db.ts";
import { skipBecause, PGLITE_ONLY, POSTGRES_ONLY } from "../helpers/skip.ts";
import { ManualClock } from "../../core/clock.ts";
import { buildServices } from "../../app-context.ts";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import type { Job } from "../../jobs/scheduler.ts";

const DAY = 24 * 3600_000;
const NOW = new Date("2026-11-25T03:17:00+08:00");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe("housekeeping", () => {
  let db: TestDb;
  let job: Job;
  let services: Awaited<ReturnType<typeof buildServices>>;
  beforeAll(async () => {
    db = await testDatabase();
    services = await buildServices(loadConfig({ LOG_LEVEL: "silent" }), silentLogger, { database: db, clock: new ManualClock(NOW) });
    job = services.scheduler.jobs.find((j) => j.name === "housekeeping")!;
  });
  afterAll(async () => {
    services.router.close();
    await db.drop();
  });

  it("purges handled updates after 7 days and sent messages after 90, and keeps everything else", async () => {
    const update = (updateId: bigint, status: "done" | "pending" | "failed", processedAt: Date | null) => ({ updateId, chatKey: "c:1", payload: {}, status, processedAt, receivedAt: processedAt ?? ago(30) });
    await db.prisma.inboundUpdate.createMany({
      data: [update(1n, "done", ago(8)), update(2n, "done", ago(6)), update(3n, "failed", ago(30)), update(4n, "pending", null)],
    });
    const message = (dedupeKey: string, status: "sent" | "failed" | "pending", sentAt: Date | null) => ({ chatId: 1n, payload: { text: dedupeKey }, dedupeKey, status, sentAt, createdAt: sentAt ?? ago(200) });
    await db.prisma.outboxMessage.createMany({
      data: [message("old-sent", "sent", ago(91)), message("recent-sent", "sent", ago(89)), message("old-failed", "failed", null), message("waiting", "pending", null)],
    });

    const preview = (actor: string, expiresAt: Date) => ({ actor, tokenHash: actor, filename: "district.xlsx", content: "UEsDBA==", expiresAt });
    await db.prisma.importPreview.createMany({ data: [preview("user:old", new Date(NOW.getTime() - 60_000)), preview("user:waiting", new Date(NOW.getTime() + 60_000))] });

    // Sign-in codes: their rows after two days, the SMS that carried one (and its code) after one.
    const code = (phone: string, at: Date) => ({ phone, purpose: "resident", codeHash: "x", createdAt: at, expiresAt: new Date(at.getTime() + 300_000) });
    await db.prisma.phoneCode.createMany({ data: [code("13900000001", ago(3)), code("13900000002", ago(1))] });
    await db.prisma.outboxMessage.createMany({ data: [{ chatId: 5n, method: "sendSms", payload: { code: "123456" }, dedupeKey: "sms:code:13900000001:1", status: "sent", sentAt: ago(2), createdAt: ago(2) }] });

    const report = (await job.run()) as Record<string, number>;

    expect(report).toMatchObject({ inboundPurged: 1, outboxPurged: 2, previewsPurged: 1, phoneCodesPurged: 1 });
    expect((await db.prisma.phoneCode.findMany()).map((c) => c.phone)).toEqual(["13900000002"]);
    expect((await db.prisma.importPreview.findMany()).map((p) => p.actor)).toEqual(["user:waiting"]);
    expect((await db.prisma.inboundUpdate.findMany({ orderBy: { updateId: "asc" } })).map((u) => u.updateId)).toEqual([2n, 3n, 4n]);
    expect((await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((m) => m.dedupeKey)).toEqual(["recent-sent", "old-failed", "waiting"]);
  });

  it.skipIf(skipBecause(testDbKind() !== "pglite", PGLITE_ONLY))("on PGlite it also vacuums and analyzes: purged rows' space is reused, and the planner has statistics", async () => {
    const size = async () => Number(((await db.sql.query(`SELECT pg_relation_size('"OutboxMessage"') AS n`))[0] as { n: number | string }).n);
    const analyzed = async () => Number(((await db.sql.query(`SELECT reltuples AS n FROM pg_class WHERE relname = 'OutboxMessage'`))[0] as { n: number | string }).n);
    const day = (tag: string) =>
      db.prisma.outboxMessage.createMany({ data: Array.from({ length: 500 }, (_, i) => ({ chatId: 2n, payload: { text: "x".repeat(200) }, dedupeKey: `${tag}-${i}`, status: "sent" as const, sentAt: ago(100) })) });
    await day("a");
    await db.prisma.outboxMessage.createMany({ data: Array.from({ length: 100 }, (_, i) => ({ chatId: 3n, payload: { i }, dedupeKey: `kept-${i}` })) });
    const filled = await size();
    const rows = async () => db.prisma.outboxMessage.count();
    expect(await analyzed()).not.toBe((await rows()) - 500); // what the planner knows is stale

    const report = (await job.run()) as Record<string, number>;
    expect(report.outboxPurged).toBe(500);
    expect(report.vacuumMs).toBeGreaterThanOrEqual(0);
    expect(await analyzed()).toBe(await rows());

    // The next 500 rows go into the space the purged ones left: the file does not grow. Without the
    // vacuum it would (PGlite has no autovacuum; the free space map would never learn of it).
    await day("b");
    expect(await size()).toBeLessThanOrEqual(filled);
  });

  it.skipIf(skipBecause(testDbKind() !== "postgres", POSTGRES_ONLY))("on PostgreSQL it leaves vacuuming to autovacuum", async () => {
    const report = (await job.run()) as Record<string, number>;
    expect(report).not.toHaveProperty("vacuumMs");
  });
});
