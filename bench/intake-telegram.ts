// The other side of bench:intake, in its own process so its CPU is not counted as the service's:
// a fake Telegram (Bot API server) plus residents who file cases through the service's webhook,
// each waiting for the bot's answer before the next step. Talks to the parent over IPC.
import http from "node:http";
import type { Update } from "grammy/types";
import { FakeBotApi } from "../test/helpers/fakeBotApi.ts";
import { fileCase } from "../test/helpers/residentSim.ts";
import * as u from "../test/helpers/updates.ts";

type Go = { type: "go"; webhook: string; secret: string; people: number[]; cases: number; warmup: number };

const api = new FakeBotApi();
await api.start();
process.send!({ type: "ready", apiRoot: api.apiRoot, token: api.token, botInfo: api.botInfo });

process.on("message", async (m: Go) => {
  if (m.type !== "go") return;
  const url = new URL(m.webhook);
  const agent = new http.Agent({ keepAlive: true, maxSockets: m.people.length });
  const latencies: number[] = [];
  const post = (update: Update): Promise<void> => {
    const body = JSON.stringify(update);
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-telegram-bot-api-secret-token": m.secret } },
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
  };
  const people = m.people.map((id) => u.person(id));
  await Promise.all(people.slice(0, m.warmup).map((p) => fileCase(api, post, p)));
  latencies.length = 0;
  let next = 0;
  const numbers: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    people.map(async (p) => {
      while (next < m.cases) {
        next++;
        numbers.push(await fileCase(api, post, p));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  process.send!({ type: "done", seconds, latencies, numbers });
});
