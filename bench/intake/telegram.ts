// The other side of bench:intake, in its own process so its CPU is not counted as the service's:
// a fake Telegram (Bot API server) plus residents who file cases through the service's webhook,
// each waiting for the bot's answer before the next step. Talks to the parent over IPC.
import http from "node:http";
import type { Update } from "grammy/types";
import { FakeBotApi, type ApiCall } from "../../test/helpers/fakeBotApi.ts";
import { fileCase } from "../../test/helpers/residentSim.ts";
import * as u from "../../test/helpers/updates.ts";

type Go = { type: "go"; webhook: string; secret: string; people: number[]; cases: number; warmup: number; freeText: boolean };
type Record_ = { type: "record"; webhook: string; secret: string; person: number; freeText: boolean };
/** Open loop: a filing starts every 1/rate s for `seconds`, whether or not earlier ones finished. */
type Open = { type: "open"; webhook: string; secret: string; people: number[]; rate: number; seconds: number; freeText: boolean };

const api = new FakeBotApi();
await api.start();
process.send!({ type: "ready", apiRoot: api.apiRoot, token: api.token, botInfo: api.botInfo });

/** Posts updates to the webhook over keep-alive connections, timing each answer. */
function poster(webhook: string, secret: string, sockets: number) {
  const url = new URL(webhook);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const latencies: number[] = [];
  const resets = { n: 0 };
  const once = (body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-telegram-bot-api-secret-token": secret } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  // A kept-alive connection the server closed after its idle timeout just as it was reused fails
  // with ECONNRESET; like Telegram, post the same update again (the webhook dedupes by update_id).
  const post = async (update: Update): Promise<void> => {
    const body = JSON.stringify(update);
    const t0 = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const status = await once(body);
        latencies.push(performance.now() - t0);
        if (status !== 200) throw new Error(`webhook answered ${status}`);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (attempt >= 3 || (code !== "ECONNRESET" && code !== "EPIPE")) throw err;
        resets.n++;
      }
    }
  };
  return { post, latencies, agent, resets };
}

// One filing alone, every Telegram call tagged with the step (the update posted last) it answers:
// the script bench:intake's transport floor replays.
async function record(m: Record_): Promise<void> {
  const { post, agent } = poster(m.webhook, m.secret, 1);
  const steps: ApiCall[][] = [];
  const onCall = (c: ApiCall) => steps[steps.length - 1]!.push(c);
  api.on("call", onCall);
  const p = u.person(m.person);
  const number = await fileCase(api, (update) => (steps.push([]), post(update)), p, { freeText: m.freeText });
  await new Promise((r) => setTimeout(r, 500)); // the liaison's card may follow the resident's number
  api.off("call", onCall);
  agent.destroy();
  process.send!({ type: "script", steps, chat: m.person, number });
}

// Offered load as Beijing 12345's peak hour brings it: arrivals on a fixed clock, each a fresh
// resident (m.people has rate × seconds of them), latency per webhook update. A filing that stalls
// is counted, not fatal: past saturation the queue grows, and that is the figure.
async function openLoop(m: Open): Promise<void> {
  const { post, latencies, agent } = poster(m.webhook, m.secret, 256);
  const filing = { freeText: m.freeText };
  const total = Math.min(m.people.length, Math.round(m.rate * m.seconds));
  const numbers: string[] = [];
  const stalls: string[] = [];
  const running: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / m.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(
      fileCase(api, post, u.person(m.people[i]!), filing).then(
        (n) => void numbers.push(n),
        (err: unknown) => void stalls.push((err as Error).message),
      ),
    );
  }
  const offeredSeconds = (performance.now() - t0) / 1000;
  await Promise.all(running);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  process.send!({ type: "opened", offered: total, offeredSeconds, seconds, latencies, numbers, stalls: stalls.slice(0, 3), stalled: stalls.length });
}

process.on("message", async (m: Go | Record_ | Open) => {
  if (m.type === "record") return record(m);
  if (m.type === "open") return openLoop(m);
  if (m.type !== "go") return;
  const { post, latencies, agent, resets } = poster(m.webhook, m.secret, m.people.length);
  const people = m.people.map((id) => u.person(id));
  const calls0 = api.calls.length;
  const filing = { freeText: m.freeText };
  await Promise.all(people.slice(0, m.warmup).map((p) => fileCase(api, post, p, filing)));
  latencies.length = 0;
  let next = 0;
  const numbers: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    people.map(async (p) => {
      while (next < m.cases) {
        next++;
        numbers.push(await fileCase(api, post, p, filing));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  // Telegram calls per filing (warm-up included), so the phases can be compared call for call.
  const callsPerCase = (api.calls.length - calls0) / (numbers.length + m.warmup);
  process.send!({ type: "done", seconds, latencies, numbers, callsPerCase, resets: resets.n });
});
