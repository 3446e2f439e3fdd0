// Case 2, shared by the test (small burst) and bench:reliability (1,000 filings): main.ts runs as a
// child process in webhook mode against the fake Bot API here; residents file through its webhook;
// the child is SIGKILLed mid-burst and started again. Telegram's side is played faithfully: an
// update not answered 200 is delivered again until it is, so residents carry on after the restart.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { openDatabase, type Database } from "../../core/db.ts";
import { seedDemo } from "../../core/seed.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import { FakeBotApi, type ApiCall } from "../helpers/fakeBotApi.ts";
import { scratchPg } from "../helpers/scratchPg.ts";
import { fileCase } from "../helpers/residentSim.ts";
import { SECRET, auditDelivery, giveChats, postUpdate, registerResidents, sleep, until, type DeliveryAudit } from "./service.ts";

export interface KillOptions {
  filings: number;
  residents: number;
  /** Kill when this share of the filings has been told its number. */
  killAt: number;
  /** PostgreSQL server URL (a scratch database is made); else PGlite in a temp dir. */
  pgBase?: string;
  /** Wait out the real 60 s leases instead of expiring the dead process's leases by hand. */
  realLease?: boolean;
  log?: (line: string) => void;
}

export interface KillFigures {
  backend: string;
  tried: number;
  told: number;
  lost: number;
  duplicated: number;
  /** Telegram-accepted messages sent again after the restart (the documented at-least-once boundary). */
  resent: number;
  /** Rows leased ('sending') at the moment of the kill: the most that could be re-sent. */
  leasedAtKill: number;
  updatesLeasedAtKill: number;
  toldBeforeKill: number;
  webhookRetries: number;
  restartSeconds: number;
  seconds: number;
  delivery: DeliveryAudit & { resent: number };
  childLog: string;
}

export async function runKillScenario(o: KillOptions): Promise<KillFigures> {
  const log = o.log ?? (() => {});
  const api = new FakeBotApi();
  await api.start();
  const next = api.next.bind(api);
  // A resident waits as long as a restart (and, with realLease, a lease) may take.
  api.next = (match) => next(match, o.realLease ? 150_000 : 60_000);
  const dir = o.pgBase ? null : fs.mkdtempSync(path.join(os.tmpdir(), "kill-"));
  const scratch = o.pgBase ? await scratchPg(o.pgBase, "kill") : null;
  const open = (): Promise<Database> => openDatabase(scratch ? { databaseUrl: scratch.url, poolMax: 3 } : { pgliteDir: path.join(dir!, "db") });
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  const ids = Array.from({ length: o.residents }, (_, i) => 640_000 + i);
  let database = await open();
  await seedDemo(database.prisma);
  await giveChats(database.prisma);
  const people = await registerResidents(database.prisma, ids);
  if (!scratch) await database.close(); // PGlite: one process at a time

  let childLog = "";
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // A burst at Telegram's real pace (1 message/s per chat) would take minutes; the fake has no limits.
    TELEGRAM_RATE_LIMITS: "false",
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    BOT_TOKEN: api.token,
    BOT_MODE: "webhook",
    WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
    LOG_LEVEL: "warn",
    OUTBOX_POLL_MS: "50",
    INBOX_POLL_MS: "50",
    ...(scratch ? { DATABASE_URL: scratch.url } : { PGLITE_DIR: path.join(dir!, "db") }),
  };
  const startChild = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], { env, cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    // Never leave the service running when this process ends early (a failed run).
    const reap = () => child.kill("SIGKILL");
    process.once("exit", reap);
    child.once("exit", () => process.off("exit", reap));
    child.stdout!.on("data", (d) => (childLog += d));
    child.stderr!.on("data", (d) => (childLog += d));
    const webhookSet = api.next((c) => c.method === "setWebhook");
    const up = await Promise.race([webhookSet.then(() => true), new Promise<boolean>((r) => child.once("exit", () => r(false)))]);
    if (!up) throw new Error(`child exited before start:\n${childLog}`);
    return child;
  };

  const webhook = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
  let webhookRetries = 0;
  // Telegram: an update that was not answered 200 is delivered again, until it is.
  const post = async (update: Update) => {
    for (;;) {
      if ((await postUpdate(webhook, update)) === 200) return;
      webhookRetries++;
      await sleep(100);
    }
  };
  const isTold = (c: ApiCall) => c.method === "sendMessage" && Number(c.payload.chat_id) >= 640_000 && /\d{4}-\d{6}/.test(String(c.payload.text));
  const t0 = Date.now();
  let child = await startChild();
  log(`child up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const told: { chat: number; number: string }[] = [];
  let left = o.filings;
  let killed = false;
  const killedAt = { told: 0 };
  const burst = Promise.all(
    people.map(async (p) => {
      while (left > 0) {
        left--;
        const number = await fileCase(api, post, p, { description: `kill test ${p.chat.id}` });
        told.push({ chat: p.chat.id, number });
      }
    }),
  );
  // Counted as calls arrive: re-scanning thousands of calls every few ms would starve the fake API.
  let toldCount = api.calls.filter(isTold).length;
  api.on("call", (c: ApiCall) => {
    if (isTold(c)) toldCount++;
  });
  await until(() => toldCount >= o.filings * o.killAt, 300_000, 5);
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
  killed = true;
  killedAt.told = toldCount;
  const tKill = Date.now();
  log(`killed after ${killedAt.told} numbers told`);

  // What the dead process held: leased outbox rows (maybe already accepted by Telegram) and updates.
  if (!scratch) database = await open();
  const leased = await database.prisma.outboxMessage.findMany({ where: { status: "sending" }, select: { id: true } });
  const updatesLeased = await database.prisma.inboundUpdate.count({ where: { status: "processing" } });
  if (!o.realLease) {
    // The process is gone (exit seen), so its leases are void: expire them now instead of in 60 s.
    await database.prisma.$executeRaw`UPDATE "OutboxMessage" SET "leaseUntil" = now() - interval '1 second' WHERE status = 'sending'`;
    await database.prisma.$executeRaw`UPDATE "InboundUpdate" SET "leaseUntil" = now() - interval '1 second' WHERE status = 'processing'`;
  }
  if (!scratch) await database.close();

  child = await startChild();
  const restartSeconds = (Date.now() - tKill) / 1000;
  log(`restarted in ${restartSeconds.toFixed(1)} s`);
  await burst;
  // Let the restarted service finish what is queued, then stop it cleanly and look.
  if (scratch) await until(async () => (await database.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0, 120_000, 100);
  else await sleep(1500);
  let lastCalls = -1;
  await until(() => {
    const same = api.calls.length === lastCalls;
    lastCalls = api.calls.length;
    return same;
  }, 120_000, 1000);
  const exit = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exit;
  const seconds = (Date.now() - t0) / 1000;

  if (!scratch) database = await open();
  const db = database.prisma;
  const cases = await db.case.findMany({ select: { number: true, sourceKey: true, resident: { select: { chatId: true } } } });
  const byNumber = new Map(cases.map((c) => [c.number, c]));
  let lost = o.filings - told.length;
  for (const t of told) if (byNumber.get(t.number)?.resident?.chatId !== BigInt(t.chat)) lost++;
  // Every case is one filing: a number told twice for one case, or more cases than filings, is a duplicate.
  const toldCalls = api.calls.filter(isTold);
  const notices = new Map<string, number>();
  for (const c of toldCalls) {
    const n = /\d{4}-\d{6}/.exec(String(c.payload.text))![0];
    notices.set(n, (notices.get(n) ?? 0) + 1);
  }
  const delivery = await auditDelivery(db, api.calls, new Set(leased.map((r) => r.id)));
  const pendingUpdates = await db.inboundUpdate.count({ where: { status: { not: "done" } } });
  const duplicated = Math.max(0, cases.length - o.filings) + delivery.duplicated;
  lost += delivery.lost + pendingUpdates;
  await database.close();
  await scratch?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await api.stop();
  void killed;
  return {
    backend: scratch ? "postgres" : "pglite",
    tried: o.filings,
    told: told.length,
    lost,
    duplicated,
    resent: delivery.resent,
    leasedAtKill: leased.length,
    updatesLeasedAtKill: updatesLeased,
    toldBeforeKill: killedAt.told,
    webhookRetries,
    restartSeconds,
    seconds,
    delivery,
    childLog: childLog.slice(-4000),
  };
}
