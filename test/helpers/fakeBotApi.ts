// A local fake Telegram Bot API server. grammY talks to it through `client.apiRoot`, so tests and
// benches see exactly which calls the bot made, and can script failures (5xx, 429, 403) per call.
import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  at: number;
}

/** Decides a reply for a call: return undefined to answer normally. */
/** A string body is sent as is (text/html), like a proxy's error page in front of the Bot API. */
export type Fault = (call: ApiCall) => { status: number; body: Record<string, unknown> | string } | undefined;

export interface FakeBotApiOptions {
  /** Enforce Telegram's limits: global messages/s and per-chat spacing, answering 429 beyond. */
  limits?: { globalPerSecond: number; perChatMs: number };
  latencyMs?: number;
}

const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendMediaGroup", "sendLocation", "copyMessage", "forwardMessage", "sendDocument"]);

export class FakeBotApi extends EventEmitter {
  readonly calls: ApiCall[] = [];
  readonly faults: Fault[] = [];
  count429 = 0;
  private server: http.Server;
  private nextMessageId = 1000;
  private windowStart = 0;
  private windowCount = 0;
  private lastPerChat = new Map<string, number>();
  /** Files getFile knows and /file/bot<token>/<path> serves (addFile). */
  private readonly files = new Map<string, { bytes: Buffer; path: string }>();
  token = "123456:TEST-TOKEN-abcdefghijklmnopqrstu";
  botInfo = { id: 42, is_bot: true, first_name: "Estate Bot", username: "estate_test_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

  constructor(private readonly opts: FakeBotApiOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.server = http.createServer((req, res) => this.handle(req, res));
    // Outlive the client's keep-alive (undici: 4 s), so the client always closes an idle socket
    // first; otherwise a request can race the server's close and fail as a network error.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    return this.apiRoot;
  }

  get apiRoot(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.length = 0;
    this.count429 = 0;
  }

  /** Registers a file: getFile answers its file_path and size, the download route serves the bytes. */
  addFile(fileId: string, bytes: Buffer | Uint8Array, path = `photos/${fileId}.jpg`): void {
    this.files.set(fileId, { bytes: Buffer.from(bytes), path });
  }

  /** GET /file/bot<token>/<file_path>: the registered bytes, 404 otherwise (as Telegram). */
  private serveFile(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const m = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url ?? "");
    if (!m) return false;
    const f = m[1] === this.token ? [...this.files.values()].find((x) => x.path === decodeURI(m[2]!)) : undefined;
    req.resume();
    if (!f) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }));
    } else {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(f.bytes.length) });
      res.end(f.bytes);
    }
    return true;
  }

  /** Calls that send something to a chat, optionally one chat only. */
  sent(chatId?: number | bigint | string): ApiCall[] {
    return this.calls.filter((c) => SEND_METHODS.has(c.method) && (chatId === undefined || String(c.payload.chat_id) === String(chatId)));
  }

  /** Texts (or captions) sent to a chat, in order. */
  texts(chatId?: number | bigint | string): string[] {
    return this.sent(chatId).map((c) => String(c.payload.text ?? c.payload.caption ?? ""));
  }

  /** How long next() waits for a matching call unless told. */
  patienceMs = 10_000;

  /** Resolves with the first call (from now on) that matches, e.g. the bot's next reply to a chat. */
  next(match: (c: ApiCall) => boolean, timeoutMs = this.patienceMs): Promise<ApiCall> {
    return new Promise((resolve, reject) => {
      const onCall = (c: ApiCall) => {
        if (!match(c)) return;
        clearTimeout(t);
        this.off("call", onCall);
        resolve(c);
      };
      const t = setTimeout(() => {
        this.off("call", onCall);
        reject(new Error(`fake Bot API: no matching call within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on("call", onCall);
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.serveFile(req, res)) return;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const m = /\/bot([^/]+)\/(\w+)/.exec(req.url ?? "");
      const method = m?.[2] ?? "unknown";
      let payload: Record<string, any> = {};
      const raw = Buffer.concat(chunks).toString("utf8");
      if (raw) {
        try {
          payload = JSON.parse(raw);
        } catch {
          payload = { raw };
        }
      }
      const call: ApiCall = { method, payload, at: Date.now() };
      const reply = (status: number, body: unknown) => {
        const send = () => {
          const raw = typeof body === "string";
          res.writeHead(status, { "content-type": raw ? "text/html" : "application/json" });
          res.end(raw ? body : JSON.stringify(body));
        };
        if (this.opts.latencyMs) setTimeout(send, this.opts.latencyMs);
        else send();
      };
      for (const f of this.faults) {
        const r = f(call);
        if (r) return reply(r.status, r.body);
      }
      if (method === "getFile" && !this.files.has(String(payload.file_id))) {
        return reply(400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
      }
      if (this.opts.limits && SEND_METHODS.has(method)) {
        const now = Date.now();
        if (now - this.windowStart >= 1000) {
          this.windowStart = now;
          this.windowCount = 0;
        }
        const chat = String(payload.chat_id);
        const last = this.lastPerChat.get(chat) ?? -Infinity;
        if (this.windowCount >= this.opts.limits.globalPerSecond || now - last < this.opts.limits.perChatMs) {
          this.count429++;
          return reply(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
        }
        this.windowCount++;
        this.lastPerChat.set(chat, now);
      }
      this.calls.push(call);
      this.emit("call", call);
      reply(200, { ok: true, result: this.result(method, payload) });
    });
  }

  private result(method: string, payload: Record<string, any>): unknown {
    const chat = { id: Number(payload.chat_id ?? 0), type: Number(payload.chat_id) < 0 ? "group" : "private" };
    const message = (extra: Record<string, unknown> = {}) => ({
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat,
      from: this.botInfo,
      ...extra,
    });
    switch (method) {
      case "getMe":
        return this.botInfo;
      case "sendMessage":
        return message({ text: payload.text });
      case "sendPhoto":
        return message({ caption: payload.caption, photo: [{ file_id: payload.photo, file_unique_id: "u" + payload.photo, width: 1, height: 1 }] });
      case "sendMediaGroup":
        return (payload.media as unknown[]).map(() => message());
      case "sendLocation":
        return message({ location: { latitude: payload.latitude, longitude: payload.longitude } });
      case "editMessageText":
      case "editMessageReplyMarkup":
        return message({ text: payload.text, message_id: payload.message_id });
      case "getFile": {
        const f = this.files.get(String(payload.file_id))!;
        return { file_id: payload.file_id, file_unique_id: "u" + payload.file_id, file_size: f.bytes.length, file_path: f.path };
      }
      case "getUpdates":
        return [];
      default:
        return true;
    }
  }
}

/** Fault helpers for scripted outages. */
export const faults = {
  status(status: number, times: number, description = "Internal Server Error", parameters?: Record<string, unknown>): Fault {
    let left = times;
    return (call) => {
      if (!SEND_METHODS.has(call.method) || left <= 0) return undefined;
      left--;
      return { status, body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) } };
    };
  },
  blocked(chatId: number): Fault {
    return (call) =>
      String(call.payload.chat_id) === String(chatId)
        ? { status: 403, body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" } }
        : undefined;
  },
};
