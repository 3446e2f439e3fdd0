// Telegram webhook: checks the secret token, stores the update in the inbox and answers 200 at once.
// Handling happens in the inbox worker, never on the request path.
import crypto from "node:crypto";
import express, { type Router } from "express";
import { z } from "zod";
import type { InboxWorker, Update } from "../core/inbox.ts";
import type { Logger } from "../core/logger.ts";

export const WEBHOOK_PATH = "/telegram/webhook";
export const MAX_UPDATE_BYTES = 1024 * 1024; // Telegram updates are far smaller; anything bigger is not Telegram

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function webhookRouter(opts: { inbox: InboxWorker; secret: string; log: Logger }): Router {
  const r = express.Router();
  r.post(
    WEBHOOK_PATH,
    // Secret first: a forged call is refused before its body is even parsed.
    (req, res, next) => {
      if (!sameSecret(req.header("x-telegram-bot-api-secret-token"), opts.secret)) {
        opts.log.warn({ ip: req.ip }, "webhook: missing or wrong secret token");
        res.status(401).json({ error: "unauthorized", message: "missing or wrong X-Telegram-Bot-Api-Secret-Token" });
        return;
      }
      next();
    },
    express.json({ limit: MAX_UPDATE_BYTES, type: () => true }),
    async (req, res) => {
      const parsed = updateSchema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: "bad_request", message: "body is not a Telegram Update (needs an integer update_id)" });
        return;
      }
      const stored = await opts.inbox.accept(parsed.data as Update);
      res.status(200).json({ ok: true, duplicate: !stored });
    },
  );
  return r;
}
