// bench:intake's transport floor: the same filings with no database and no bot framework. A plain
// HTTP server takes each webhook update, answers 200, then replays the Telegram calls the real bot
// made for that step of one recorded filing, through grammY's own HTTP client (as production).
// What this costs per case, any implementation of this flow pays on this machine before it stores
// or decides anything: the update's HTTP request in, one HTTP call out per message, edit and ack.
import http from "node:http";
import { Api } from "grammy";
import type { Update } from "grammy/types";
import { KEEP_ALIVE_MS } from "../../api/listen.ts";

export interface Script {
  /** Telegram calls per step of the recorded filing, in the order the bot made them. */
  steps: { method: string; payload: Record<string, unknown> }[][];
  chat: number;
  number: string;
}

// The recorded filing's flow token: the third field of "v1:<action>:<tok>:…" in its first keyboard.
function recordedToken(script: Script): string {
  const data = /"callback_data":"v1:\w+:([^:"]+)/.exec(JSON.stringify(script.steps[0]))?.[1];
  if (!data) throw new Error("transport floor: the recorded first step has no flow button");
  return data;
}

export function floorBot(script: Script, o: { apiRoot: string; token: string; secret: string }): { server: http.Server; failures: () => number } {
  const api = new Api(o.token, { apiRoot: o.apiRoot });
  const raw = api.raw as unknown as Record<string, (p: Record<string, unknown>) => Promise<unknown>>;
  const tok = recordedToken(script);
  const templates = script.steps.map((calls) => calls.map((c) => ({ method: c.method, json: JSON.stringify(c.payload) })));
  const chats = new Map<number, { step: number; tok: string }>();
  let filed = 0;
  let failed = 0;

  const answer = (update: Update) => {
    const chat = update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? 0;
    const prev = chats.get(chat);
    // A chat's next filing starts after its last step: with /new on the guided path, with the
    // resident's plain message on the two-tap path (no command to recognise it by).
    const fresh = !prev || prev.step >= templates.length - 1 || update.message?.text === "/new";
    const st = fresh ? { step: 0, tok: `f${update.update_id.toString(36)}` } : { step: prev.step + 1, tok: prev.tok };
    chats.set(chat, st);
    const number = st.step === templates.length - 1 ? `${script.number.slice(0, 4)}-${String(++filed).padStart(6, "0")}` : script.number;
    const calls = (templates[st.step] ?? []).map((t) => {
      const payload = JSON.parse(
        t.json.replaceAll(`"chat_id":${script.chat}`, `"chat_id":${chat}`).replaceAll(tok, st.tok).replaceAll(script.number, number),
      ) as Record<string, unknown>;
      if (update.callback_query && "callback_query_id" in payload) payload.callback_query_id = update.callback_query.id;
      return { method: t.method, payload };
    });
    // One after another, as the outbox sends one chat's messages; chats in parallel.
    void (async () => {
      for (const c of calls) await raw[c.method]!(c.payload).catch(() => failed++);
    })();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.headers["x-telegram-bot-api-secret-token"] !== o.secret) return void res.writeHead(401).end();
      let update: Update;
      try {
        update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Update;
      } catch {
        return void res.writeHead(400).end();
      }
      res.writeHead(200, { "content-length": "0" }).end();
      answer(update);
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS; // as production serves the webhook (api/listen.ts)
  return { server, failures: () => failed };
}
