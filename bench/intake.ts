// bench:intake — residents file cases through the real webhook (HTTP → inbox → bot → case →
// outbox → Telegram), each step waiting for the bot's answer as a person would. Telegram and the
// residents run in a child process (bench/intake-telegram.ts), so this process's CPU is the
// service's alone. Prints cases/s and webhook latency, next to plain SQL inserting the same rows.
// BENCH_N cases (default 400), BENCH_CONCURRENCY residents at once (default 40); DATABASE_URL
// selects PostgreSQL (a fresh database is created and dropped), else PGlite in a temp dir.
import { fork } from "node:child_process";
import type { AddressInfo } from "node:net";
import type { UserFromGetMe } from "grammy/types";
import { loadConfig } from "../core/config.ts";
import { openDatabase, type Database } from "../core/db.ts";
import { silentLogger } from "../core/logger.ts";
import { seedDemo } from "../core/seed.ts";
import { buildServices } from "../core/app-context.ts";
import { WEBHOOK_PATH } from "../api/webhook.ts";
import { percentile, freshDatabase } from "./lib.ts";

const N = Number(process.env.BENCH_N ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 40);
const WARMUP = Math.min(5, CONCURRENCY);
const SECRET = "bench-secret-0123456789";

const child = fork(new URL("./intake-telegram.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
const ready = await new Promise<{ apiRoot: string; token: string; botInfo: UserFromGetMe }>((r) => child.once("message", (m) => r(m as never)));

const target = await freshDatabase("intake");
const config = loadConfig({
  LOG_LEVEL: "silent",
  BOT_TOKEN: ready.token,
  BOT_MODE: "webhook",
  WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: ready.apiRoot,
  OUTBOX_POLL_MS: "200",
  INBOX_POLL_MS: "200",
});
const database: Database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 10 });
const db = database.prisma;
await seedDemo(db);
// Telegram's own rate limits are off: this measures the service, not the published limits.
const s = await buildServices(config, silentLogger, { database, botInfo: ready.botInfo, throttle: false });
s.sender!.start();
s.inbox!.start();
const server = s.app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const port = (server.address() as AddressInfo).port;

// Residents are registered up front: the figure is about filing.
const estates = await db.estate.findMany({ include: { buildings: { include: { units: true } } } });
const people = Array.from({ length: CONCURRENCY }, (_, i) => 700_000 + i);
await db.resident.createMany({
  data: people.map((id, i) => {
    const e = estates[i % estates.length]!;
    const b = e.buildings[0]!;
    return { telegramUserId: BigInt(id), chatId: BigInt(id), name: "bench", status: "verified" as const, estateId: e.id, buildingId: b.id, unitId: b.units[0]!.id };
  }),
});

const before = await db.case.count();
const cpu0 = process.cpuUsage();
child.send({ type: "go", webhook: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, secret: SECRET, people, cases: N, warmup: WARMUP });
const done = await new Promise<{ seconds: number; latencies: number[]; numbers: string[] }>((r) => child.on("message", (m: { type: string }) => m.type === "done" && r(m as never)));
const cpu = process.cpuUsage(cpu0);
const filed = (await db.case.count()) - before - WARMUP;
const updates = done.latencies.length;
// Every number a resident was told is a stored case.
const stored = await db.case.count({ where: { number: { in: done.numbers } } });

// Same rows with plain SQL: counter, case, two events, two outbox rows, in one transaction each.
const estate = estates[0]!;
const raw = async (n: number): Promise<number> => {
  const one = async (i: number, q: (sql: string, p?: unknown[]) => Promise<unknown>) => {
    await q("BEGIN");
    const [{ last }] = (await q(`INSERT INTO "CaseCounter"(year,last) VALUES (2099,1) ON CONFLICT (year) DO UPDATE SET last="CaseCounter".last+1 RETURNING last`)) as [{ last: number }];
    const [{ id }] = (await q(
      `INSERT INTO "Case"(number,"sourceKey",kind,category,description,state,"streetId","estateId","updatedAt") VALUES ($1,$2,'repair','water','raw','routed',$3,$4,now()) RETURNING id`,
      [`2099-${last}`, `raw:${i}`, estate.streetId, estate.id],
    )) as [{ id: number }];
    await q(`INSERT INTO "CaseEvent"("caseId","actorType",type,"toState") VALUES ($1,'resident','filed','received'),($1,'system','route','routed')`, [id]);
    await q(`INSERT INTO "OutboxMessage"("chatId",payload,"dedupeKey") VALUES (1,'{"text":"x"}',$1),(2,'{"text":"y"}',$2)`, [`raw:${i}:a`, `raw:${i}:b`]);
    await q("COMMIT");
  };
  let k = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: target.url ? CONCURRENCY : 1 }, () =>
      database.sql.withClient(async (c) => {
        while (k < n) await one(k++, (sql, p) => c.query(sql, p));
      }),
    ),
  );
  return n / ((performance.now() - t) / 1000);
};
const rawRate = await raw(Math.max(N, 1000));

const result = {
  bench: "intake",
  db: database.kind,
  cases: filed,
  told_and_stored: `${stored}/${done.numbers.length}`,
  updates_per_case: +(updates / done.numbers.length).toFixed(1),
  cases_per_s: +(done.numbers.length / done.seconds).toFixed(1),
  updates_per_s: +(updates / done.seconds).toFixed(1),
  p50_ms: +percentile(done.latencies, 50).toFixed(2),
  p99_ms: +percentile(done.latencies, 99).toFixed(2),
  // CPU of the service process per webhook update (Telegram and residents are in the child)
  cpu_ms_per_update: +((cpu.user + cpu.system) / 1000 / updates).toFixed(2),
  raw_cases_per_s: +rawRate.toFixed(1),
  raw_ratio: +(done.numbers.length / done.seconds / rawRate).toFixed(3),
  concurrency: CONCURRENCY,
};
console.log(`filed ${done.numbers.length} cases (${updates} webhook updates) in ${done.seconds.toFixed(1)} s with ${CONCURRENCY} residents at once on ${database.kind}; every number told is stored: ${result.told_and_stored}`);
console.log(`webhook latency p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; service CPU ${result.cpu_ms_per_update} ms per update; plain SQL inserts the same rows at ${result.raw_cases_per_s} cases/s`);

server.close();
child.kill();
await s.inbox!.stop();
await s.sender!.stop();
s.router.close();
await database.close();
await target.drop();
console.log(JSON.stringify(result));
process.exit(0);
