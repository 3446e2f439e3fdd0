// The HTTP side: webhook, health, a status page. Errors come back as short JSON, never a stack.
import express, { type ErrorRequestHandler, type Express } from "express";
import type { Db } from "../core/db.ts";
import type { InboxWorker } from "../core/inbox.ts";
import type { Logger } from "../core/logger.ts";
import { webhookRouter } from "./webhook.ts";
import { statusRouter } from "./status.ts";

export interface AppDeps {
  db: Db;
  log: Logger;
  /** Present in webhook mode. */
  webhook?: { inbox: InboxWorker; secret: string };
  botOn: boolean;
  botMode: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

  if (deps.webhook) app.use(webhookRouter({ ...deps.webhook, log: deps.log }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await deps.db.$queryRaw`SELECT 1`;
      res.json({ status: "ready", database: "ok" });
    } catch (err) {
      deps.log.warn({ err }, "readyz: database unreachable");
      res.status(503).json({ status: "not_ready", database: "unreachable" });
    }
  });
  app.use(statusRouter(deps));

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const status = typeof err?.status === "number" && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) deps.log.error({ err, path: req.path }, "request failed");
    const message =
      err?.type === "entity.parse.failed"
        ? "malformed JSON"
        : err?.type === "entity.too.large"
          ? "body too large"
          : status < 500
            ? String(err?.message ?? "bad request")
            : "internal error";
    if (!res.headersSent) res.status(status).json({ error: status < 500 ? "bad_request" : "internal_error", message });
  };
  app.use(onError);
  return app;
}
