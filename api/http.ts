// Request validation and error answers: zod failures become 400 with the offending fields, known
// domain errors become 404/409, anything else 500 with no detail (the log has it).
import type { ErrorRequestHandler, Request, Response } from "express";
import { z } from "zod";
import { TransitionError } from "../core/cases/lifecycle.ts";
import { CaseNotFound } from "../core/cases/case-service.ts";
import type { Logger } from "../core/logger.ts";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** More of the answer's body (e.g. a refusal's reason code and parameters). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function parse<T extends z.ZodType>(schema: T, data: unknown, where = "request"): z.infer<T> {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message }));
    throw new HttpError(400, "invalid_request", `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues);
  }
  return r.data;
}

/** Maps an error to what the client may see. */
export function toHttp(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof TransitionError) return new HttpError(409, "conflict", err.message);
  if (err instanceof CaseNotFound) return new HttpError(404, "not_found", err.message);
  const e = err as { status?: number; type?: string; message?: string };
  if (e?.type === "entity.parse.failed") return new HttpError(400, "bad_request", "malformed JSON");
  if (e?.type === "entity.too.large") return new HttpError(413, "too_large", "body too large");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new HttpError(e.status, "bad_request", String(e.message ?? "bad request"));
  return new HttpError(500, "internal_error", "internal error");
}

export const wantsHtml = (req: Request) => !req.path.startsWith("/api/") && !req.path.startsWith("/open311/") && req.accepts(["json", "html"]) === "html";

export function errorHandler(log: Logger, renderHtml?: (req: Request, e: HttpError, res: Response) => string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toHttp(err);
    if (e.status >= 500) log.error({ err, path: req.path }, "request failed");
    if (res.headersSent) return;
    if (renderHtml && wantsHtml(req)) {
      res.status(e.status).type("html").send(renderHtml(req, e, res));
      return;
    }
    res.status(e.status).json({ error: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}), ...e.detail });
  };
}
