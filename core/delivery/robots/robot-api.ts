// The two group-robot HTTP APIs behind one interface. WeCom group robot: POST JSON
// {msgtype:"markdown",markdown:{content}} to the webhook → {errcode:0,errmsg:"ok"}; 45009 = over
// 20 messages a minute, 93000 = invalid key, 40058 = content over 4096 bytes. DingTalk custom robot:
// POST {msgtype:"markdown",markdown:{title,text}} to the webhook plus &timestamp=<ms>&sign=<url-encoded
// base64 HMAC-SHA256 of "timestamp\nsecret" keyed by the secret>; 310000 = signature/security refused,
// 130101 = sending too fast (past 20 a minute the robot is banned for 10 minutes).
import crypto from "node:crypto";
import { DeliveryError } from "../outbox.ts";
import type { RobotProvider } from "./robot-url.ts";

export interface RobotTarget {
  provider: RobotProvider;
  url: string;
  /** DingTalk's signing secret (a robot set up with 加签). */
  secret?: string | null;
}

export interface RobotMarkdown {
  title: string;
  text: string;
}

/** Bytes one message may carry: WeCom refuses markdown content over 4096 bytes; DingTalk is held to the same. */
export const ROBOT_MAX_BYTES = 4096;
/** Both providers allow 20 messages a minute per robot; we stay under it. */
export const ROBOT_PER_MINUTE = 18;

export type RobotFetch = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ status: number; text(): Promise<string> }>;

export function dingtalkSign(timestamp: number, secret: string): string {
  return crypto.createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
}

/** The URL a message is posted to (DingTalk: signed with the time now). */
export function robotPostUrl(t: RobotTarget, nowMs: number): string {
  if (t.provider !== "dingtalk" || !t.secret) return t.url;
  const u = new URL(t.url);
  u.searchParams.set("timestamp", String(nowMs));
  u.searchParams.set("sign", dingtalkSign(nowMs, t.secret));
  return u.toString();
}

export function robotBody(t: RobotTarget, m: RobotMarkdown): Record<string, unknown> {
  return t.provider === "wecom"
    ? { msgtype: "markdown", markdown: { content: m.text } }
    : { msgtype: "markdown", markdown: { title: m.title, text: m.text } };
}

const RATE = new Set([45009, 130101]);
const REFUSED = new Set([93000, 310000, 300001, 300005, 400013, 40058, 40008, 460101]);

/** Posts one message; throws a DeliveryError that keeps the provider's whole answer. */
export async function postRobot(fetcher: RobotFetch, t: RobotTarget, m: RobotMarkdown, nowMs: number): Promise<void> {
  const method = t.provider === "wecom" ? "wecom" : "dingtalk";
  let status: number;
  let body: string;
  try {
    const res = await fetcher(robotPostUrl(t, nowMs), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(robotBody(t, m)) });
    status = res.status;
    body = await res.text();
  } catch (err) {
    throw new DeliveryError("transient", `${method}: ${(err as Error).message}`);
  }
  let answer: { errcode?: number; errmsg?: string } = {};
  try {
    answer = JSON.parse(body);
  } catch {
    /* not JSON: judged by the status */
  }
  const code = answer.errcode;
  if (status === 200 && code === 0) return;
  const detail = { status, description: answer.errmsg, body };
  const what = `${method}: ${status} errcode ${code ?? "?"} ${answer.errmsg ?? ""}`.trim();
  if (code !== undefined && RATE.has(code)) throw new DeliveryError("retry_after", what, /ban|10 ?min/i.test(answer.errmsg ?? "") ? 600 : 60, detail);
  if (code !== undefined && REFUSED.has(code)) throw new DeliveryError("rejected", what, undefined, detail);
  if (status >= 400 && status < 500) throw new DeliveryError("rejected", what, undefined, detail);
  throw new DeliveryError("transient", what, undefined, detail);
}
