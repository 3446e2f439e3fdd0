// Telegram webhook: checks the secret token, stores the update in the inbox and answers 200 at once.
// Handling happens in the inbox worker, never on the request path.
import crypto from "node:crypto";
import express, { type Request, type Router } from "express";
import { z } from "zod";
import type { InboxWorker, Update } from "../core/delivery/inbox.ts";
import type { Logger } from "../core/logger.ts";
import type { Metrics } from "./metrics.ts";
import { impossibleText } from "./input-guard.ts";
import { HttpError } from "./http.ts";

export const WEBHOOK_PATH = "/telegram/webhook";
export const MAX_UPDATE_BYTES = 1024 * 1024; // Telegram updates are far smaller; anything bigger is not Telegram

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Every Telegram update comes through here, so it is lean: mounted ahead of the rest of the app
 * (helmet's headers and the generic timing middleware mean nothing to Telegram), it reads its own
 * body and times itself with a prepared metric. Answers are the same as the app's error handler gives.
 */
export function webhookRouter(opts: { inbox: InboxWorker; secret: string; log: Logger; metrics?: Metrics }): Router {
  const r = express.Router();
  const timers = new Map<number, (seconds: number) => void>();
  const observe = (status: number, seconds: number) => {
    let t = timers.get(status);
    if (!t) {
      const child = opts.metrics?.httpDuration.labels({ method: "POST", route: WEBHOOK_PATH, status: String(status) });
      t = child ? (s) => child.observe(s) : () => {};
      timers.set(status, t);
    }
    t(seconds);
  };
  r.post(WEBHOOK_PATH, async (req, res) => {
    const started = performance.now();
    res.once("finish", () => observe(res.statusCode, (performance.now() - started) / 1000));
    // Secret first: a forged call is refused before its body is even read.
    if (!sameSecret(req.header("x-telegram-bot-api-secret-token"), opts.secret)) {
      opts.log.warn({ ip: req.ip }, "webhook: missing or wrong secret token");
      res.status(401).json({ error: "unauthorized", message: "missing or wrong X-Telegram-Bot-Api-Secret-Token" });
      return;
    }
    const body = await readBody(req, MAX_UPDATE_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      throw new HttpError(400, "bad_request", "malformed JSON");
    }
    const impossible = impossibleText(json);
    if (impossible) throw new HttpError(400, "bad_request", `update holds text no database can store: ${impossible}`);
    const parsed = updateSchema.safeParse(json);
    if (!parsed.success) throw new HttpError(400, "bad_request", "body is not a Telegram Update (needs an integer update_id)");
    const stored = await opts.inbox.accept(parsed.data as Update);
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(stored ? ACCEPTED : DUPLICATE);
  });
  return r;
}

const ACCEPTED = JSON.stringify({ ok: true, duplicate: false });
const DUPLICATE = JSON.stringify({ ok: true, duplicate: true });

/** The raw body, refused with 413 past `limit` (declared or streamed) without reading the rest. */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.removeAllListeners("data");
      req.resume(); // discard the rest; the answer goes out meanwhile
      reject(new HttpError(413, "too_large", "body too large"));
    };
    if (Number(req.headers["content-length"]) > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}
