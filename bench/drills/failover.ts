// bench:failover — the failover drill: 2 web + 2 worker processes (`main.ts` as child processes,
// PROCESS_ROLE=web|worker) on one PostgreSQL, a fake Bot API that records every message per chat,
// BENCH_N filings (default 1,000) through both web processes' REST API at BENCH_RATE cases/s
// (default 8.5, the 12345 hotline's city peak), open loop. At 40 % of the filings one worker and one
// web process are killed with SIGKILL; at 60 % both are started again. The client plays the load
// balancer: a filing whose connection fails (or answers 502/503) is sent again, with the same
// Idempotency-Key, to the other web process. Prints acknowledged vs stored cases, messages lost /
// duplicated / out of order per chat (the fake API's calls against the outbox, test/reliability's
// audit), time to drain, and filing p99 before / during / after; then one JSON line.
// Needs DATABASE_URL (a PostgreSQL server: a scratch database is made and dropped); the embedded
// database belongs to one process, so there is no failover to drill on it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { openDatabase } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createApiToken } from "../../core/directory/staff.ts";
import { FakeBotApi } from "../../test/helpers/fakeBotApi.ts";
import { scratchPg } from "../../test/helpers/scratchPg.ts";
import { auditDelivery, childServiceEnv, giveChats } from "../../test/reliability/service.ts";

const BASE = process.env.DATABASE_URL;
if (!BASE) {
  console.error("bench:failover needs DATABASE_URL (PostgreSQL): web and worker processes share one database; the embedded one has a single owner.");
  console.log(JSON.stringify({ ok: false, reason: "DATABASE_URL not set" }));
  process.exit(2);
}
const N = Number(process.env.BENCH_N ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 8.5);
const ROOT = path.resolve(import.meta.dirname, "../..");
// Ordinary work (no emergency), repairs and complaints, so every company and liaison gets cards.
const FILINGS = [
  { kind: "repair", category: "water" },
  { kind: "repair", category: "electricity" },
  { kind: "repair", category: "lift" },
  { kind: "complaint", category: "sanitation" },
  { kind: "complaint", category: "noise" },
  { kind: "complaint", category: "parking" },
];
const ESTATES = ["heping", "xingfu", "jinxiu", "chunhui"];

interface Proc {
  role: "web" | "worker";
  port: number;
  child: ChildProcess;
  out: string;
}

function startProc(role: Proc["role"], port: number, api: FakeBotApi, url: string): Promise<Proc> {
  const env = childServiceEnv(api, port, { DATABASE_URL: url, PROCESS_ROLE: role, LOG_LEVEL: "info", OUTBOX_POLL_MS: "200", INBOX_POLL_MS: "200", JOBS_ENABLED: "false" });
  const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const p: Proc = { role, port, child, out: "" };
  procs.push(p); // killed at the end even if it never became ready
  child.stdout!.on("data", (d) => (p.out += d));
  child.stderr!.on("data", (d) => (p.out += d));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${role}:${port} did not start:\n${p.out.slice(-3000)}`)), 300_000);
    const check = async () => {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) {
          clearTimeout(t);
          return resolve(p);
        }
      } catch {
        /* not yet listening */
      }
      if (child.exitCode !== null) return reject(new Error(`${role}:${port} exited ${child.exitCode}:\n${p.out.slice(-3000)}`));
      setTimeout(check, 200);
    };
    void check();
  });
}

const pct = (xs: number[], q: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]!);
};

const procs: Proc[] = [];
const api = new FakeBotApi();
await api.start();
const scratch = await scratchPg(BASE, "failover", { fresh: true });
try {
  // The first web process migrates the fresh database; the others start after it.
  const port0 = 30000 + Math.floor(Math.random() * 20000);
  const ports = { webA: port0, webB: port0 + 1, workerA: port0 + 2, workerB: port0 + 3 };
  const webA = await startProc("web", ports.webA, api, scratch.url);
  const setup = await openDatabase({ databaseUrl: scratch.url, poolMax: 2 });
  await seedDemo(setup.prisma);
  await giveChats(setup.prisma);
  const token = (await createApiToken(setup.prisma, { name: "failover", role: "district" })).token;
  const [webB, workerA, workerB] = await Promise.all([startProc("web", ports.webB, api, scratch.url), startProc("worker", ports.workerA, api, scratch.url), startProc("worker", ports.workerB, api, scratch.url)]);
  console.error(`failover: 2 web (${ports.webA}, ${ports.webB}) + 2 workers on one PostgreSQL; ${N} filings at ${RATE}/s`);

  const webs = [webA, webB];
  type Phase = "before" | "during" | "after";
  let phase = "before" as Phase;
  const latency: Record<Phase, number[]> = { before: [], during: [], after: [] };
  const acknowledged = new Map<string, string>(); // idempotency key → case number
  let retries = 0;
  let failed = 0;

  async function file(i: number): Promise<void> {
    const key = `failover-${i}`;
    const body = JSON.stringify({ ...FILINGS[i % FILINGS.length], description: `演练 ${i}: 楼道报修`, estate: ESTATES[i % ESTATES.length] });
    const started = Date.now();
    const at = phase;
    for (let attempt = 0; attempt < 10; attempt++) {
      const web = webs[(i + attempt) % 2]!;
      try {
        const res = await fetch(`http://127.0.0.1:${web.port}/api/v1/cases`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        if (res.status === 502 || res.status === 503) throw new Error(`status ${res.status}`);
        const json = (await res.json()) as { number?: string };
        if (res.status < 300 && json.number) {
          acknowledged.set(key, json.number);
          latency[at].push(Date.now() - started);
          return;
        }
        failed++;
        console.error(`failover: filing ${i} answered ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
        return;
      } catch {
        retries++;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
    failed++;
  }

  const t0 = Date.now();
  const inFlight: Promise<void>[] = [];
  const killAt = Math.floor(N * 0.4);
  const restartAt = Math.floor(N * 0.6);
  let killedWeb: Proc | undefined;
  let killedWorker: Proc | undefined;
  for (let i = 0; i < N; i++) {
    const due = t0 + (i * 1000) / RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    if (i === killAt) {
      killedWeb = webB;
      killedWorker = workerA;
      killedWeb.child.kill("SIGKILL");
      killedWorker.child.kill("SIGKILL");
      phase = "during";
      console.error(`failover: SIGKILL web ${killedWeb.port} and worker ${killedWorker.port} at filing ${i}`);
    }
    if (i === restartAt && killedWeb && killedWorker) {
      const [w, k] = [killedWeb, killedWorker];
      // Started in the background, as an orchestrator would; filings go on meanwhile.
      inFlight.push(
        Promise.all([startProc("web", w.port, api, scratch.url), startProc("worker", k.port, api, scratch.url)]).then(([nw, nk]) => {
          webs[1] = nw;
          phase = "after";
          console.error(`failover: web ${nw.port} and worker ${nk.port} back at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        }),
      );
    }
    inFlight.push(file(i));
  }
  await Promise.all(inFlight);
  const lastAck = Date.now();

  // Drain: every case's messages out (nothing pending or sending in the outbox), 180 s at most.
  let drainedAt: number | null = null;
  while (Date.now() - lastAck < 180_000) {
    const waiting = await setup.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] }, method: { not: "sendEmail" } } });
    if (waiting === 0) {
      drainedAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const stored = await setup.prisma.case.count({ where: { channel: "api" } });
  const storedNumbers = new Set((await setup.prisma.case.findMany({ where: { channel: "api" }, select: { number: true } })).map((c) => c.number));
  const lost = [...acknowledged.values()].filter((n) => !storedNumbers.has(n)).length;
  const audit = await auditDelivery(setup.prisma, api.calls);
  await setup.close();

  const figures = {
    backend: "postgres",
    filings: N,
    rate: RATE,
    acknowledged: acknowledged.size,
    stored,
    lost_cases: lost,
    failed_filings: failed,
    client_retries: retries,
    messages_due: audit.due,
    messages_sent: audit.sent,
    messages_lost: audit.lost,
    messages_duplicated: audit.duplicated,
    chats_out_of_order: audit.outOfOrder,
    drain_s: drainedAt ? Number(((drainedAt - lastAck) / 1000).toFixed(1)) : null,
    p99_ms: { before: pct(latency.before, 0.99), during: pct(latency.during, 0.99), after: pct(latency.after, 0.99) },
    p50_ms: { before: pct(latency.before, 0.5), during: pct(latency.during, 0.5), after: pct(latency.after, 0.5) },
    seconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
  };
  console.error(
    `failover: ${figures.acknowledged} acknowledged, ${stored} stored, ${lost} lost, ${failed} failed; messages ${audit.sent}/${audit.due} sent, lost ${audit.lost}, duplicated ${audit.duplicated}, chats out of order ${audit.outOfOrder}; ` +
      `drained ${figures.drain_s ?? "not"} s after the last filing; p99 before/during/after ${figures.p99_ms.before}/${figures.p99_ms.during}/${figures.p99_ms.after} ms; ${figures.client_retries} client retries`,
  );
  const ok = lost === 0 && failed === 0 && audit.lost === 0 && audit.duplicated === 0 && audit.outOfOrder === 0 && drainedAt !== null;
  console.log(JSON.stringify({ ok, ...figures }));
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await new Promise((r) => setTimeout(r, 500));
  await scratch.drop().catch(() => {});
  await api.stop();
}
