// bench:intake — residents file cases through the real webhook (HTTP → inbox → bot → case →
// outbox → fake Bot API), each step waiting for the bot's answer as a person would. Prints cases/s
// and webhook latency, next to plain SQL inserting the same rows in the same run.
// BENCH_N cases (default 400), BENCH_CONCURRENCY residents at once (default 40); DATABASE_URL
// selects PostgreSQL (a fresh database is created and dropped), else PGlite in a temp dir.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";
import { loadConfig } from "../core/config.ts";
import { openDatabase, type Database } from "../core/db.ts";
import { silentLogger } from "../core/logger.ts";
import { seedDemo } from "../core/seed.ts";
import { buildServices } from "../core/app-context.ts";
import { WEBHOOK_PATH } from "../api/webhook.ts";
import { FakeBotApi } from "../test/helpers/fakeBotApi.ts";
import { fileCase } from "../test/helpers/residentSim.ts";
import * as u from "../test/helpers/updates.ts";
import { percentile, freshDatabase } from "./lib.ts";

const N = Number(process.env.BENCH_N ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 40);
const SECRET = "bench-secret-0123456789";

const target = await freshDatabase("intake");
const api = new FakeBotApi();
await api.start();
const config = loadConfig({
  LOG_LEVEL: "silent",
  BOT_TOKEN: api.token,
  BOT_MODE: "webhook",
  WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: api.apiRoot,
  OUTBOX_POLL_MS: "200",
  INBOX_POLL_MS: "200",
  ...(target.url ? { DATABASE_URL: target.url } : { PGLITE_DIR: target.dir }),
});
const database: Database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 10 });
const db = database.prisma;
await seedDemo(db);
const s = await buildServices(config, silentLogger, { database, botInfo: api.botInfo as unknown as UserFromGetMe, throttle: false });
s.sender!.start();
s.inbox!.start();
const server = s.app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const port = (server.address() as AddressInfo).port;

// Residents are registered up front: the figure is about filing.
const estates = await db.estate.findMany({ include: { buildings: { include: { units: true } } } });
const people = Array.from({ length: CONCURRENCY }, (_, i) => u.person(700_000 + i));
await db.resident.createMany({
  data: people.map((p, i) => {
    const e = estates[i % estates.length]!;
    const b = e.buildings[0]!;
    return { telegramUserId: BigInt(p.user.id), chatId: BigInt(p.chat.id), name: "bench", status: "verified" as const, estateId: e.id, buildingId: b.id, unitId: b.units[0]!.id };
  }),
});

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const latencies: number[] = [];
function post(update: Update): Promise<void> {
  const body = JSON.stringify(update);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path: WEBHOOK_PATH, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-telegram-bot-api-secret-token": SECRET } },
      (res) => {
        res.resume();
        res.on("end", () => {
          latencies.push(performance.now() - t0);
          res.statusCode === 200 ? resolve() : reject(new Error(`webhook answered ${res.statusCode}`));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

// Warm-up: one case per resident slot is not counted.
await Promise.all(people.slice(0, 5).map((p) => fileCase(api, post, p)));
latencies.length = 0;
const before = await db.case.count();

let next = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  people.map(async (p) => {
    while (next < N) {
      next++;
      await fileCase(api, post, p);
    }
  }),
);
const appSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const filed = (await db.case.count()) - before;
const updates = latencies.length;

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
  updates_per_case: +(updates / filed).toFixed(1),
  cases_per_s: +(filed / appSeconds).toFixed(1),
  updates_per_s: +(updates / appSeconds).toFixed(1),
  p50_ms: +percentile(latencies, 50).toFixed(2),
  p99_ms: +percentile(latencies, 99).toFixed(2),
  // CPU of this process (bot, API, Prisma, fake Telegram) per webhook update: steadier than wall time on a shared machine
  cpu_ms_per_update: +((cpu.user + cpu.system) / 1000 / updates).toFixed(2),
  raw_cases_per_s: +rawRate.toFixed(1),
  raw_ratio: +(filed / appSeconds / rawRate).toFixed(3),
  concurrency: CONCURRENCY,
};
console.log(`filed ${filed} cases (${updates} webhook updates) in ${appSeconds.toFixed(1)} s with ${CONCURRENCY} residents at once on ${database.kind}`);
console.log(`webhook latency p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; plain SQL inserts the same rows at ${result.raw_cases_per_s} cases/s`);

server.close();
agent.destroy();
await s.inbox!.stop();
await s.sender!.stop();
s.router.close();
await database.close();
await api.stop();
await target.drop();
console.log(JSON.stringify(result));
process.exit(0);
