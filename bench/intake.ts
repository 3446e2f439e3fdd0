// bench:intake — residents file cases through the real webhook (HTTP → inbox → bot → case →
// outbox → Telegram), each step waiting for the bot's answer as a person would. Telegram and the
// residents run in a child process (bench/intake/telegram.ts), so this process's CPU is the
// service's alone. Prints cases/s and webhook latency, next to plain SQL inserting the same rows.
// BENCH_PATH=free (default: two taps, the resident just writes; read by the rules'
// understanding.json) or guided (/new and the buttons): every phase, the floor's recording included, files
// that way. BENCH_N cases (default 400), BENCH_CONCURRENCY residents at once (default 40); DATABASE_URL
// selects PostgreSQL (a fresh database is created and dropped), else PGlite in a temp dir.
// On PostgreSQL a second phase runs the same filings against PROCESS_ROLE=web (here) plus
// PROCESS_ROLE=worker (main.ts in a child process), side by side with the one-process figures.
// A last phase runs them against the transport floor (bench/intake/floor.ts): no database, no bot,
// only the HTTP exchanges the flow needs, which bounds what any implementation reaches here.
// Between the first phase and the recording, an open-loop phase offers BENCH_RATE filings/s (default
// 8.5) for BENCH_SECONDS (default 30) to the one-process service: p50/p99 per webhook update.
import { fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { AddressInfo } from "node:net";
import type { UserFromGetMe } from "grammy/types";
import { loadConfig } from "../core/config.ts";
import { openDatabase, type Database } from "../core/db/db.ts";
import { silentLogger } from "../core/logger.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { buildServices } from "../app-context.ts";
import { WEBHOOK_PATH } from "../api/webhook.ts";
import { listen } from "../api/listen.ts";
import { percentile, freshDatabase } from "./support/lib.ts";
import { registerResidents } from "../test/helpers/residentSim.ts";
import { floorBot, type Script } from "./intake/floor.ts";

const N = Number(process.env.BENCH_N ?? 400);
const FREE_TEXT = (process.env.BENCH_PATH ?? "free") !== "guided";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 40);
// The open-loop phase: filings offered at a fixed rate (default: Beijing 12345's whole-city peak
// hour, 8.5 cases/s) for BENCH_SECONDS, each by a resident of its own.
const RATE = Number(process.env.BENCH_RATE ?? 8.5);
const OPEN_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP = Math.min(5, CONCURRENCY);
const SECRET = "bench-secret-0123456789";

const child = fork(new URL("./intake/telegram.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
// The residents' side failing (a resident who never got an answer) ends the bench with its reason
// instead of leaving it waiting for a "done" that will not come.
let finished = false;
child.once("exit", (code) => {
  if (finished) return;
  console.error(`bench:intake: the Telegram/residents process exited (code ${code}) before the bench finished`);
  process.exit(1);
});
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
// Served as main.ts serves it (api/listen.ts: the same keep-alive settings).
const server = await listen(s.app, 0, "127.0.0.1");
const port = (server.address() as AddressInfo).port;

// Residents are registered up front: the figure is about filing.
const people = Array.from({ length: CONCURRENCY }, (_, i) => 700_000 + i);
/** resets: posts sent again after the server closed an idle kept-alive connection under them. */
type Done = { seconds: number; latencies: number[]; numbers: string[]; callsPerCase: number; resets: number };
await registerResidents(db, people);
/** Residents file N cases through `webhook`; returns what the Telegram side saw. */
const file = (webhook: string, residents: number[]): Promise<Done> => {
  child.send({ type: "go", webhook, secret: SECRET, people: residents, cases: N, warmup: WARMUP, freeText: FREE_TEXT });
  return new Promise((r) => {
    const on = (m: { type: string }) => {
      if (m.type !== "done") return;
      child.off("message", on);
      r(m as never);
    };
    child.on("message", on);
  });
};

// Where a filing's CPU goes on this machine: the service, PostgreSQL (every local postgres process)
// and the simulated Telegram + residents (the child). With the cores, that bounds cases/s from above.
/** CPU a process has used, in ms (utime + stime from /proc, counted in 1/100 s). */
const cpuMsOf = (pid: number | string): number => {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0; // exited meanwhile
  }
};
const postgresCpuMs = (): Map<string, number> =>
  new Map(
    fs.readdirSync("/proc").flatMap((pid) => {
      if (!/^\d+$/.test(pid)) return [];
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres" ? [[pid, cpuMsOf(pid)] as [string, number]] : [];
      } catch {
        return [];
      }
    }),
  );
type CpuUsed = { self: number; postgres: number; simulator: number };
/** Starts a CPU reading; calling the result gives the ms used since by this process, PostgreSQL and the simulator. */
const cpuSince = (): (() => CpuUsed) => {
  const pg0 = postgresCpuMs();
  const sim0 = cpuMsOf(child.pid!);
  const self0 = process.cpuUsage();
  return () => {
    const self = process.cpuUsage(self0);
    let postgres = 0;
    for (const [pid, ms] of postgresCpuMs()) postgres += ms - (pg0.get(pid) ?? 0);
    return { self: (self.user + self.system) / 1000, postgres, simulator: cpuMsOf(child.pid!) - sim0 };
  };
};
const budget = (serviceMs: number, used: CpuUsed, cases: number) => {
  const perCase = (ms: number) => +(ms / cases).toFixed(1);
  const total = serviceMs + (target.url ? used.postgres : 0) + used.simulator;
  return {
    perCase: { service: perCase(serviceMs), postgres: target.url ? perCase(used.postgres) : null, simulator: perCase(used.simulator) },
    ceiling: +((os.availableParallelism() * 1000 * cases) / total).toFixed(0),
  };
};

const before = await db.case.count();
const phase1 = cpuSince();
const done = await file(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, people);
const used1 = phase1();
// The CPU readings include the warm-up filings.
const cpuPerCase = budget(used1.self, used1, done.numbers.length + WARMUP);
const filed = (await db.case.count()) - before - WARMUP;
const updates = done.latencies.length;
// Every number a resident was told is a stored case.
const stored = await db.case.count({ where: { number: { in: done.numbers } } });
// Open loop on the same service: arrivals do not wait for answers, so the latency includes any queue.
type Opened = { offered: number; offeredSeconds: number; seconds: number; latencies: number[]; numbers: string[]; stalled: number; stalls: string[] };
const openPeople = Array.from({ length: Math.round(RATE * OPEN_SECONDS) }, (_, i) => 1_000_000 + i);
await registerResidents(db, openPeople);
child.send({ type: "open", webhook: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, secret: SECRET, people: openPeople, rate: RATE, seconds: OPEN_SECONDS, freeText: FREE_TEXT });
const opened = await new Promise<Opened>((r) => {
  const on = (m: { type: string }) => m.type === "opened" && (child.off("message", on), r(m as never));
  child.on("message", on);
});
const openStored = await db.case.count({ where: { number: { in: opened.numbers } } });
// One filing alone, its Telegram calls per step: the script the transport floor replays.
const RECORDER = 699_999;
await registerResidents(db, [RECORDER]);
child.send({ type: "record", webhook: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, secret: SECRET, person: RECORDER, freeText: FREE_TEXT });
const script = await new Promise<Script>((r) => {
  const on = (m: { type: string }) => m.type === "script" && (child.off("message", on), r(m as never));
  child.on("message", on);
});
server.close();
await s.inbox!.stop();
await s.sender!.stop();

// Phase 2 (PostgreSQL only): a web process that only stores updates and a worker process that
// handles them, woken by NOTIFY. The worker is the real main.ts; its CPU is read from /proc.
let split: Record<string, unknown> | null = null;
if (target.url) {
  const roleEnv = { DATABASE_URL: target.url, BOT_TOKEN: ready.token, BOT_MODE: "webhook", WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: ready.apiRoot, OUTBOX_POLL_MS: "200", INBOX_POLL_MS: "200", TELEGRAM_RATE_LIMITS: "false" };
  const worker = spawn(process.execPath, ["--import", "tsx", "main.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...roleEnv, PROCESS_ROLE: "worker", JOBS_ENABLED: "false", LOG_LEVEL: "info", PORT: "0", HOST: "127.0.0.1" },
    cwd: new URL("..", import.meta.url).pathname,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let workerOut = "";
  worker.stdout!.on("data", (d) => (workerOut += d));
  const t0 = Date.now();
  while (!workerOut.includes("bot on") || !workerOut.includes("wake-up listener ready")) {
    if (Date.now() - t0 > 60_000 || worker.exitCode !== null) throw new Error(`worker did not start:\n${workerOut}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const webDb = await openDatabase({ databaseUrl: target.url, poolMax: 10 });
  const web = await buildServices(loadConfig({ ...roleEnv, LOG_LEVEL: "silent", PROCESS_ROLE: "web" }), silentLogger, { database: webDb, botInfo: ready.botInfo, throttle: false });
  const webServer = await listen(web.app, 0, "127.0.0.1");
  const residents2 = people.map((id) => id + 100_000);
  await registerResidents(db, residents2);
  const phase2 = cpuSince();
  const worker0 = cpuMsOf(worker.pid!);
  const d2 = await file(`http://127.0.0.1:${(webServer.address() as AddressInfo).port}${WEBHOOK_PATH}`, residents2);
  const used2 = phase2();
  const workerMs = cpuMsOf(worker.pid!) - worker0;
  const splitBudget = budget(used2.self + workerMs, used2, d2.numbers.length + WARMUP);
  const stored2 = await db.case.count({ where: { number: { in: d2.numbers } } });
  const u2 = d2.latencies.length;
  split = {
    split_told_and_stored: `${stored2}/${d2.numbers.length}`,
    split_telegram_calls_per_case: +d2.callsPerCase.toFixed(2),
    split_cases_per_s: +(d2.numbers.length / d2.seconds).toFixed(1),
    split_p50_ms: +percentile(d2.latencies, 50).toFixed(2),
    split_p99_ms: +percentile(d2.latencies, 99).toFixed(2),
    split_web_cpu_ms_per_update: +(used2.self / u2).toFixed(2),
    split_worker_cpu_ms_per_update: +(workerMs / u2).toFixed(2),
    split_cpu_ms_per_case: splitBudget.perCase,
    split_ceiling_cases_per_s: splitBudget.ceiling,
  };
  webServer.close();
  worker.kill("SIGTERM");
  await new Promise((r) => worker.once("exit", r));
  web.router.close();
  await webDb.close();
}

// Phase 3: the transport floor (bench/intake/floor.ts). The same residents' filings against a server
// that stores and decides nothing and only makes the recorded Telegram calls: its CPU per case,
// with the simulator's, is spent by any implementation of this flow on this machine.
const floor = floorBot(script, { apiRoot: ready.apiRoot, token: ready.token, secret: SECRET });
floor.server.listen(0, "127.0.0.1");
await new Promise((r) => floor.server.once("listening", r));
const phase3 = cpuSince();
const d3 = await file(`http://127.0.0.1:${(floor.server.address() as AddressInfo).port}${WEBHOOK_PATH}`, people.map((id) => id + 200_000));
const used3 = phase3();
const floorCases = d3.numbers.length + WARMUP;
const floorMs = { server: used3.self / floorCases, simulator: used3.simulator / floorCases };
floor.server.close();
if (floor.failures() > 0) throw new Error(`transport floor: ${floor.failures()} Telegram calls failed`);

// Same rows with plain SQL: counter, case, two events, two outbox rows, in one transaction each.
const estate = await db.estate.findFirstOrThrow({ orderBy: { id: "asc" } });
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
    // No more writers than the pool's connections (10): the rest would only wait for one and time out.
    Array.from({ length: target.url ? Math.min(CONCURRENCY, 8) : 1 }, () =>
      database.sql.withClient(async (c) => {
        while (k < n) await one(k++, (sql, p) => c.query(sql, p));
      }),
    ),
  );
  return n / ((performance.now() - t) / 1000);
};
const rawN = Math.max(N, 1000);
const phase4 = cpuSince();
const rawRate = await raw(rawN);
const used4 = phase4();
// CPU per case of the rows alone (client + PostgreSQL), and the most this flow could reach with
// nothing but its HTTP calls and those rows: the floor for every design of the service.
const rawMsPerCase = (used4.self + used4.postgres) / rawN;
const floorMsPerCase = floorMs.server + floorMs.simulator;
const cores = os.availableParallelism();

const result = {
  path: FREE_TEXT ? "free text (two taps)" : "guided",
  bench: "intake",
  db: database.kind,
  cases: filed,
  told_and_stored: `${stored}/${done.numbers.length}`,
  updates_per_case: +(updates / done.numbers.length).toFixed(1),
  telegram_calls_per_case: +done.callsPerCase.toFixed(2),
  cases_per_s: +(done.numbers.length / done.seconds).toFixed(1),
  updates_per_s: +(updates / done.seconds).toFixed(1),
  p50_ms: +percentile(done.latencies, 50).toFixed(2),
  p99_ms: +percentile(done.latencies, 99).toFixed(2),
  // CPU of the service process per webhook update (Telegram and residents are in the child)
  cpu_ms_per_update: +(used1.self / updates).toFixed(2),
  cpu_ms_per_case: cpuPerCase.perCase,
  ceiling_cases_per_s: cpuPerCase.ceiling,
  raw_cases_per_s: +rawRate.toFixed(1),
  raw_ratio: +(done.numbers.length / done.seconds / rawRate).toFixed(3),
  concurrency: CONCURRENCY,
  webhook_resets: done.resets,
  open_offered_cases_per_s: +(opened.offered / opened.offeredSeconds).toFixed(2),
  open_cases_per_s: +(opened.numbers.length / opened.seconds).toFixed(2),
  open_told_and_stored: `${openStored}/${opened.numbers.length}`,
  open_stalled: opened.stalled,
  open_p50_ms: +percentile(opened.latencies, 50).toFixed(2),
  open_p99_ms: +percentile(opened.latencies, 99).toFixed(2),
  ...split,
  floor_cases_per_s: +(d3.numbers.length / d3.seconds).toFixed(1),
  // The issue's figure: this path's closed-loop cases/s over the floor's replaying the same calls.
  floor_ratio: +(done.numbers.length / done.seconds / (d3.numbers.length / d3.seconds)).toFixed(3),
  floor_p99_ms: +percentile(d3.latencies, 99).toFixed(2),
  floor_cpu_ms_per_case: { server: +floorMs.server.toFixed(1), simulator: +floorMs.simulator.toFixed(1) },
  floor_telegram_calls_per_case: +d3.callsPerCase.toFixed(2),
  raw_cpu_ms_per_case: +rawMsPerCase.toFixed(2),
  floor_ceiling_cases_per_s: +((cores * 1000) / floorMsPerCase).toFixed(0),
  floor_with_rows_ceiling_cases_per_s: +((cores * 1000) / (floorMsPerCase + rawMsPerCase)).toFixed(0),
};
console.log(`filed ${done.numbers.length} cases (${updates} webhook updates) in ${done.seconds.toFixed(1)} s with ${CONCURRENCY} residents at once on ${database.kind}; every number told is stored: ${result.told_and_stored}`);
console.log(`webhook latency p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; service CPU ${result.cpu_ms_per_update} ms per update; plain SQL inserts the same rows at ${result.raw_cases_per_s} cases/s`);
console.log(
  `CPU per case: service ${cpuPerCase.perCase.service} ms, PostgreSQL ${cpuPerCase.perCase.postgres ?? "n/a (in-process)"} ms, simulated Telegram + residents ${cpuPerCase.perCase.simulator} ms → at most ${cpuPerCase.ceiling} cases/s on ${os.availableParallelism()} cores with everything busy`,
);
console.log(
  `open loop: ${result.open_offered_cases_per_s} cases/s offered for ${OPEN_SECONDS} s (${opened.offered} filings), ${result.open_cases_per_s} cases/s filed, ${opened.stalled} stalled${opened.stalled ? ` (${opened.stalls[0]})` : ""}; webhook latency per update p50 ${result.open_p50_ms} ms, p99 ${result.open_p99_ms} ms; told and stored ${result.open_told_and_stored}`,
);
if (split) {
  console.log(`web + worker processes: ${split.split_cases_per_s} cases/s, webhook latency p50 ${split.split_p50_ms} ms, p99 ${split.split_p99_ms} ms; CPU per update: web ${split.split_web_cpu_ms_per_update} ms, worker ${split.split_worker_cpu_ms_per_update} ms (ceiling ${split.split_ceiling_cases_per_s} cases/s); told and stored ${split.split_told_and_stored}`);
}
console.log(`closed loop over the transport floor: ${result.cases_per_s} / ${result.floor_cases_per_s} = ${result.floor_ratio}`);
console.log(
  `transport floor (no database, no bot framework; ${result.floor_telegram_calls_per_case} Telegram calls and ${result.updates_per_case} webhook updates per case): ${result.floor_cases_per_s} cases/s, webhook p99 ${result.floor_p99_ms} ms; CPU per case: server ${result.floor_cpu_ms_per_case.server} ms, simulator ${result.floor_cpu_ms_per_case.simulator} ms → at most ${result.floor_ceiling_cases_per_s} cases/s on ${cores} cores; with the rows in plain SQL (${result.raw_cpu_ms_per_case} ms CPU per case) at most ${result.floor_with_rows_ceiling_cases_per_s} cases/s`,
);

finished = true;
child.kill();
s.router.close();
await database.close();
await target.drop();
console.log(JSON.stringify(result));
process.exit(0);
