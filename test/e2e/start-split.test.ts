// `npm start` twice on one PostgreSQL, as PROCESS_ROLE=web and PROCESS_ROLE=worker: the web process
// registers the webhook and serves the webhook, API and dashboard; the worker answers the resident
// and serves only health, readiness and metrics; both stop on SIGTERM. PostgreSQL only: the embedded database belongs to one process.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { scratchPg, type ScratchPg } from "../helpers/scratchPg.ts";
import { skipBecause, POSTGRES_ONLY } from "../helpers/skip.ts";
import * as u from "../helpers/updates.ts";

const BASE = process.env.TEST_DATABASE_URL;
const SECRET = "start-split-0123456789";

function start(env: NodeJS.ProcessEnv): { child: ChildProcess; out: () => string; waitFor: (text: string, ms?: number) => Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], { env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", ...env }, cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const waitFor = (text: string, ms = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no "${text}" within ${ms} ms:\n${out}`)), ms);
      const check = () => (out.includes(text) ? (clearTimeout(t), resolve()) : setTimeout(check, 100));
      check();
      child.once("exit", (code) => reject(new Error(`exited ${code} before "${text}":\n${out}`)));
    });
  return { child, out: () => out, waitFor };
}

describe.skipIf(skipBecause(!BASE, POSTGRES_ONLY))("npm start as a web process and a worker process (PostgreSQL only)", () => {
  let scratch: ScratchPg;
  let api: FakeBotApi;
  beforeAll(async () => {
    api = new FakeBotApi();
    await api.start();
    scratch = await scratchPg(BASE!, "startsplit");
  });
  afterAll(async () => {
    await scratch?.drop();
    await api?.stop();
  });

  it("web registers the webhook and stores updates; the worker answers; both stop on SIGTERM", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const common = { DATABASE_URL: scratch.url, BOT_TOKEN: api.token, BOT_MODE: "webhook", WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: api.apiRoot, PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, INBOX_POLL_MS: "60000", OUTBOX_POLL_MS: "60000" };
    const web = start({ ...common, PROCESS_ROLE: "web", PORT: String(port), HOST: "127.0.0.1" });
    const workerPort = port + 1;
    const worker = start({ ...common, PROCESS_ROLE: "worker", PORT: String(workerPort), HOST: "127.0.0.1" });
    try {
      await web.waitFor("bot on (webhook)");
      await worker.waitFor("wake-up listener ready");
      await worker.waitFor("bot on (webhook updates from the web process)");
      expect(api.calls.filter((c) => c.method === "setWebhook")).toHaveLength(1);
      expect(String(api.calls.find((c) => c.method === "setWebhook")!.payload.url)).toBe(`http://127.0.0.1:${port}/telegram/webhook`);
      // The worker's HTTP: health and readiness for the orchestrator, nothing a resident or clerk uses.
      const w = `http://127.0.0.1:${workerPort}`;
      expect((await fetch(`${w}/healthz`)).status).toBe(200);
      expect((await fetch(`${w}/readyz`)).status).toBe(200);
      expect((await fetch(`${w}/api/v1/cases`)).status).toBe(404);
      expect((await fetch(`${w}/telegram/webhook`, { method: "POST", headers: { "x-telegram-bot-api-secret-token": SECRET } })).status).toBe(404);
      expect((await fetch(`${w}/dashboard/cases`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/cases`)).status).toBe(401);

      const p = u.person(820_001);
      const reply = api.next((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === 820_001, 15_000);
      const res = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(u.command(p, "start")) });
      expect(res.status).toBe(200);
      // Polls are a minute apart: an answer within 15 s came through the NOTIFY wake-up.
      expect(String((await reply).payload.text).length).toBeGreaterThan(0);
      expect(web.out()).toContain("scheduled jobs and sending run in the worker process");

      for (const p of [web, worker]) {
        const exit = new Promise<number | null>((r) => p.child.once("exit", r));
        p.child.kill("SIGTERM");
        expect(await exit).toBe(0);
        expect(p.out()).toContain("stopped");
      }
    } finally {
      web.child.kill("SIGKILL");
      worker.child.kill("SIGKILL");
    }
  }, 120_000);
});
