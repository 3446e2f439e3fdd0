// The API's one rate limiter (REST /api/v1 and Open311 share it): each request passes it exactly
// once, keyed by the VERIFIED caller — a valid token or session counts against its own bucket, and
// a missing, made-up or revoked token counts against the caller's address (so random tokens do not
// buy fresh buckets). The gate is: verify the credential (remember, do not yet refuse) → count →
// refuse a bad credential with 401. The advertised limit (API_RATE_LIMIT_PER_MIN) is the real one.
import type { RequestHandler } from "express";
import rateLimit, { ipKeyGenerator } from "express-rate-limit";
import { HttpError } from "./http.ts";
import { who, type Auth } from "./auth.ts";

export interface ApiGate {
  /** verify → limit → refuse a bad credential; mount before a router's handlers. */
  handlers: RequestHandler[];
  limit: number;
}

export function apiGate(auth: Auth, perMinute: number): ApiGate {
  const verify: RequestHandler = (req, res, next) => {
    void auth.identify(req, res, (err?: unknown) => {
      res.locals.credentialError = err;
      next();
    });
  };
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const w = res.locals.credentialError ? undefined : who(res);
      return w ? `who:${w.scope.actorId}` : `ip:${ipKeyGenerator(req.ip ?? "")}`;
    },
    handler: (_req, _res, next) => next(new HttpError(429, "rate_limited", `more than ${perMinute} requests a minute; slow down`)),
  });
  const refuse: RequestHandler = (_req, res, next) => next(res.locals.credentialError);
  return { handlers: [verify, limiter, refuse], limit: perMinute };
}
