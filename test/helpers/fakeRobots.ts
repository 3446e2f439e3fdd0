// Local stand-ins for the WeCom group robot and the DingTalk custom robot on 127.0.0.1. They do what
// the providers' documents say, with their own checks (not the client's): 20 messages a minute per
// robot (WeCom answers 45009; DingTalk answers 130101 and then bans the robot for 10 minutes),
// markdown content ≤ 4096 bytes (WeCom 40058), the key/token known (WeCom 93000, DingTalk 300001),
// and DingTalk's signature: base64 HMAC-SHA256 of "timestamp\nsecret" keyed by the secret, the
// timestamp within an hour (310000 otherwise). Time comes from the given clock, so tests and the bench
// can run minutes in milliseconds. `fetch` posts to this server whatever host the URL names.
import http from "node:http";
import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../core/clock.ts";
import { systemClock } from "../../core/clock.ts";
import type { RobotFetch } from "../../core/delivery/robots/robot-api.ts";

export interface RobotPost {
  provider: "wecom" | "dingtalk";
  key: string;
  at: number;
  title?: string;
  content: string;
}

export class FakeRobots {
  readonly received: RobotPost[] = [];
  /** Every answer given, accepted or not. */
  readonly answers: { provider: string; key: string; errcode: number; at: number }[] = [];
  readonly wecomKeys = new Set<string>();
  /** DingTalk access_token → signing secret (null: a robot without 加签). */
  readonly dingtalk = new Map<string, string | null>();
  /** A forced answer for the next posts (e.g. {errcode: 45009, errmsg: "..."}). */
  force: { errcode: number; errmsg: string }[] = [];
  private readonly times = new Map<string, number[]>();
  private readonly bannedUntil = new Map<string, number>();
  private server?: http.Server;
  port = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const out = this.answer(req.method ?? "", new URL(req.url ?? "/", "http://x"), Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
      });
    });
    this.server.listen(0, "127.0.0.1");
    await new Promise((r) => this.server!.once("listening", r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  /** Posts go here, whatever the URL's host (as a DNS override would). */
  readonly fetch: RobotFetch = async (url, init) => {
    const u = new URL(url);
    const res = await fetch(`http://127.0.0.1:${this.port}${u.pathname}${u.search}`, { ...init, headers: { ...init.headers, "x-host": u.hostname } });
    return { status: res.status, text: () => res.text() };
  };

  /** Messages a robot was posted per minute window, the busiest one. */
  peakPerMinute(key: string): number {
    const ts = this.received.filter((r) => r.key === key).map((r) => r.at).sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < ts.length; i++) {
      while (ts[i]! - ts[j]! >= 60_000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    return peak;
  }

  private answer(method: string, url: URL, raw: string): { errcode: number; errmsg: string } {
    const now = this.clock.now().getTime();
    const wecom = url.pathname === "/cgi-bin/webhook/send";
    const provider = wecom ? "wecom" : "dingtalk";
    const key = (wecom ? url.searchParams.get("key") : url.searchParams.get("access_token")) ?? "";
    const reply = (errcode: number, errmsg: string) => {
      this.answers.push({ provider, key, errcode, at: now });
      return { errcode, errmsg };
    };
    if (method !== "POST") return reply(wecom ? 40001 : 43002, "require POST");
    if (!wecom && url.pathname !== "/robot/send") return reply(404, "not found");
    if (wecom ? !this.wecomKeys.has(key) : !this.dingtalk.has(key)) return wecom ? reply(93000, "invalid webhook url, hint: [fake]") : reply(300001, "token is not exist");
    if (!wecom) {
      const secret = this.dingtalk.get(key);
      if (secret) {
        const ts = Number(url.searchParams.get("timestamp"));
        const sign = url.searchParams.get("sign") ?? "";
        const want = createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
        if (!ts || Math.abs(now - ts) > 3_600_000) return reply(310000, "sign not match, more: [timestamp is invalid]");
        if (sign !== want) return reply(310000, "sign not match, more: [sign not match]");
      }
      if ((this.bannedUntil.get(key) ?? 0) > now) return reply(130101, "send too fast, exceed 20 times per minute, banned for 10 minutes");
    }
    const forced = this.force.shift();
    if (forced) return reply(forced.errcode, forced.errmsg);
    const recent = (this.times.get(key) ?? []).filter((t) => now - t < 60_000);
    this.times.set(key, recent);
    if (recent.length >= 20) {
      if (wecom) return reply(45009, "api freq out of limit");
      this.bannedUntil.set(key, now + 10 * 60_000);
      return reply(130101, "send too fast, exceed 20 times per minute, banned for 10 minutes");
    }
    let body: { msgtype?: string; markdown?: { content?: string; title?: string; text?: string } };
    try {
      body = JSON.parse(raw);
    } catch {
      return reply(wecom ? 40035 : 40035, "invalid json");
    }
    const content = wecom ? body.markdown?.content : body.markdown?.text;
    if (body.msgtype !== "markdown" || typeof content !== "string" || (!wecom && typeof body.markdown?.title !== "string")) return reply(40008, "invalid message type");
    if (Buffer.byteLength(content, "utf8") > 4096) return reply(wecom ? 40058 : 460101, "markdown.content exceed max length 4096");
    recent.push(now);
    this.received.push({ provider, key, at: now, content, ...(wecom ? {} : { title: body.markdown!.title }) });
    return reply(0, "ok");
  }
}
