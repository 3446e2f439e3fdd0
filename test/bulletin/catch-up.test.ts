// The monthly bulletin catches up: a service that was down on the 1st, or whose run failed, makes the
// past month's bulletins when it next starts or runs, exactly once per scope and office, also with two
// processes at once (each scope is claimed in the database first).
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";
import { catchUpBulletins, dueMonth, makeMonthlyBulletins, CLAIM_MS, type BulletinDeps } from "../../core/bulletin/monthly.ts";
import { CJK_FONT_CANDIDATES } from "../../core/bulletin/pdf.ts";
import { bulletinJobs } from "../../jobs/bulletins.ts";
import { Scheduler } from "../../jobs/scheduler.ts";
import { silentLogger } from "../../core/logger.ts";

const fontPresent = CJK_FONT_CANDIDATES.some((f) => fs.existsSync(f));
const TZ = "Asia/Shanghai";

describe.skipIf(!fontPresent)("monthly bulletin catch-up", () => {
  let f: OfficeFixture;
  let deps: BulletinDeps;
  const at = (s: string) => f.clock.set(new Date(`${s}+08:00`));
  const count = (month: string) => f.db.prisma.bulletin.count({ where: { month } });
  const sent = (month: string) => f.db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "bulletin:" }, payload: { path: ["document", "filename"], string_contains: month } }, select: { chatId: true } });
  let scopes: number;

  beforeAll(async () => {
    f = await officeApp();
    deps = { db: f.db.prisma, clock: f.clock, timezone: TZ, categories: f.office.categories, defaultLocale: "zh-Hans", minSample: () => 5, dashboardUrl: "http://localhost:3000/dashboard", email: false };
    await f.db.prisma.office.updateMany({ where: { level: "district" }, data: { chatId: -2001 } });
    // Cases from September to November 2026, the first on 2026-09-07.
    for (const day of ["2026-09-07", "2026-09-20", "2026-10-08", "2026-10-21", "2026-11-04", "2026-11-18"]) {
      at(`${day}T10:00:00`);
      await f.file(day.endsWith("7") || day.endsWith("8") ? "heping" : "jinxiu");
    }
    scopes = (await f.db.prisma.street.count()) + 1;
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("knows which month is due: the one before from 07:00 on the 1st, else the one before that", () => {
    const due = (s: string) => dueMonth(new Date(`${s}+08:00`), TZ);
    expect(due("2026-12-01T06:59:00")).toBe("2026-10");
    expect(due("2026-12-01T07:00:00")).toBe("2026-11");
    expect(due("2026-12-03T10:00:00")).toBe("2026-11");
    expect(due("2027-01-01T08:00:00")).toBe("2026-12");
    expect(due("2027-01-01T03:00:00")).toBe("2026-11");
  });

  it("makes nothing for a month that ended before the first case (a new installation)", async () => {
    at("2026-09-10T10:00:00");
    expect(await catchUpBulletins(deps)).toEqual({ month: "2026-08", made: 0, queued: 0 });
    expect(await count("2026-08")).toBe(0);
  });

  it("after a failed run, the next run makes the month: the failure released its claims", async () => {
    at("2026-10-01T07:00:00");
    await expect(catchUpBulletins({ ...deps, font: "/nonexistent/font.ttc" })).rejects.toThrow(/nonexistent/);
    expect(await count("2026-09")).toBe(0);
    expect(await f.db.prisma.jobRun.count({ where: { key: { startsWith: "bulletin:2026-09:" } } })).toBe(0);
    at("2026-10-01T08:00:00");
    expect(await catchUpBulletins(deps)).toMatchObject({ month: "2026-09", made: scopes });
    expect(await count("2026-09")).toBe(scopes);
    expect((await sent("2026-09")).map((m) => m.chatId)).toEqual([-2001n]);
  });

  it("down on the 1st: the service's start makes the past month once; the next hourly run adds nothing", async () => {
    at("2026-12-03T10:00:00");
    expect(await count("2026-11")).toBe(0);
    const runs: unknown[] = [];
    const [job] = bulletinJobs(() => catchUpBulletins(deps).then((r) => (runs.push(r), r)));
    const scheduler = new Scheduler([job!], { timezone: TZ, log: silentLogger });
    scheduler.start();
    await scheduler.stop(); // waits for the run at start
    expect(runs).toEqual([{ month: "2026-11", made: scopes, queued: 1 }]);
    expect(await count("2026-11")).toBe(scopes);
    expect(await sent("2026-11")).toHaveLength(1);

    at("2026-12-03T11:00:00");
    await scheduler.runJob(job!);
    expect(runs[1]).toEqual({ month: "2026-11", made: 0, queued: 0 });
    expect(await count("2026-11")).toBe(scopes);
    expect(await sent("2026-11")).toHaveLength(1);
  });

  it("two processes at once: each scope is made by one of them, each office's copy queued once", async () => {
    at("2026-11-01T07:00:00");
    const [a, b] = await Promise.all([makeMonthlyBulletins({ ...deps, owner: "process-a" }, "2026-10"), makeMonthlyBulletins({ ...deps, owner: "process-b" }, "2026-10")]);
    expect(a.made + b.made).toBe(scopes);
    expect(a.queued + b.queued).toBe(1);
    expect(await count("2026-10")).toBe(scopes);
    expect(await sent("2026-10")).toHaveLength(1);
    const claims = await f.db.prisma.jobRun.findMany({ where: { key: { startsWith: "bulletin:2026-10:" } } });
    expect(claims).toHaveLength(scopes);
    expect(claims.every((c) => c.finishedAt !== null)).toBe(true);
  });

  it("leaves a live claim alone and takes over one whose owner died, after the lease", async () => {
    at("2026-11-01T09:00:00");
    const key = "bulletin:2026-08:district";
    await f.db.prisma.jobRun.create({ data: { key, owner: "died", startedAt: f.clock.now() } });
    const first = await makeMonthlyBulletins(deps, "2026-08");
    expect(first.made).toBe(scopes - 1);
    expect(await f.db.prisma.bulletin.count({ where: { month: "2026-08", scopeKey: "district" } })).toBe(0);
    f.clock.set(new Date(f.clock.now().getTime() + CLAIM_MS + 60_000));
    expect(await makeMonthlyBulletins(deps, "2026-08")).toEqual({ made: 1, queued: 1 });
    expect(await f.db.prisma.bulletin.count({ where: { month: "2026-08", scopeKey: "district" } })).toBe(1);
    expect(await makeMonthlyBulletins(deps, "2026-08")).toEqual({ made: 0, queued: 0 });
  });
});
