// Request validation and error answers: zod failures become 400 with the offending fields, known
// domain errors become 404/409, a database that is down or out of disk 503 with Retry-After (and a
// log line saying what to do), anything else 500 with no detail (the log has it).
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

export type Outage = "disk_full" | "database";

/** How long a client is told to wait, and how long /readyz stays false after a disk-full error. */
export const RETRY_AFTER_S = 30;

// SQLSTATE classes: 08 connection exception, 53 insufficient resources (53100 disk full), 57P01–03
// the server shutting down or starting; the driver adapters' kinds and Prisma's codes for the same.
// A transaction the server dropped (P2028, TransactionAlreadyClosed) is the same gap seen mid-transaction.
const OUTAGE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseDoesNotExist", "TransactionAlreadyClosed"]);
const OUTAGE_PRISMA = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028", "P2037"]);
const OUTAGE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "EAI_AGAIN"]);
const OUTAGE_TEXT = /Connection terminated|connection error|terminating connection|timeout exceeded when trying to connect|Can't reach database server|Server has closed the connection|the database system is (starting up|shutting down)/i;
const DISK_TEXT = /No space left on device|ENOSPC|could not extend file/i;

/** `err` and what caused it (Prisma wraps the driver adapter's error, which wraps PostgreSQL's). */
function causes(err: unknown): { code: string; message: string; kind: string; name: string }[] {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  const out: { code: string; message: string; kind: string; name: string }[] = [];
  while (queue.length && seen.size < 12) {
    const e = queue.shift() as Record<string, unknown> | null | undefined;
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const str = (x: unknown) => (typeof x === "string" ? x : "");
    out.push({ code: str(e.code), message: str(e.message), kind: str(e.kind), name: str(e.name) || str(e.constructor?.name) });
    const meta = e.meta as Record<string, unknown> | undefined;
    queue.push(e.cause, meta?.driverAdapterError, e.originalError);
  }
  return out;
}

/** Whether `err` (or what caused it) says the database is out of disk or unreachable. */
export function outageOf(err: unknown): Outage | null {
  const chain = causes(err);
  if (chain.some((e) => e.code === "53100" || e.code === "ENOSPC" || DISK_TEXT.test(e.message))) return "disk_full";
  const down = chain.some((e) => /^08|^53|^57P0[123]$/.test(e.code) || OUTAGE_PRISMA.has(e.code) || OUTAGE_ERRNO.has(e.code) || OUTAGE_KINDS.has(e.kind) || OUTAGE_TEXT.test(e.message));
  return down ? "database" : null;
}

/** A number that does not fit its column (an id past int4 that no schema caught): the caller's mistake. */
const outOfRange = (err: unknown) =>
  causes(err).some((e) => e.code === "22003" || (e.name === "PrismaClientValidationError" && /Unable to fit|out of range/i.test(e.message)));

const OUTAGE_WORDS: Record<Outage, string> = {
  disk_full: "the database's disk is full; try again in a minute",
  database: "the database is not answering; try again in a minute",
};

/** What the operator reads in the log. */
export const OUTAGE_ADVICE: Record<Outage, string> = {
  disk_full: "database disk full: free space on the disk holding the database (PGLITE_DIR, or the PostgreSQL server's data directory); requests answer 503 with Retry-After and /readyz is false meanwhile",
  database: "database unavailable: check that PostgreSQL is running and reachable at DATABASE_URL; requests answer 503 with Retry-After until it answers, and the service reconnects by itself",
};

/** Maps an error to what the client may see. */
export function toHttp(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const outage = outageOf(err);
  if (outage) return new HttpError(503, outage === "disk_full" ? "disk_full" : "database_unavailable", OUTAGE_WORDS[outage]);
  if (outOfRange(err)) return new HttpError(400, "invalid_request", "a number in the request is too large for its field (ids are at most 2147483647)");
  if (err instanceof TransitionError) return new HttpError(409, "conflict", err.message);
  if (err instanceof CaseNotFound) return new HttpError(404, "not_found", err.message);
  const e = err as { status?: number; type?: string; message?: string };
  if (e?.type === "entity.parse.failed") return new HttpError(400, "bad_request", "malformed JSON");
  if (e?.type === "entity.too.large") return new HttpError(413, "too_large", "body too large");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new HttpError(e.status, "bad_request", String(e.message ?? "bad request"));
  return new HttpError(500, "internal_error", "internal error");
}

export const wantsHtml = (req: Request) => !req.path.startsWith("/api/") && !req.path.startsWith("/open311/") && req.accepts(["json", "html"]) === "html";

/** Remembers the last outage an answer met, for /readyz and to log the advice once a minute, not per request. */
export class OutageWatch {
  private last: { kind: Outage; at: number } | null = null;
  private logged = new Map<Outage, number>();
  constructor(private readonly now: () => number = Date.now) {}

  saw(kind: Outage, log: Logger, err: unknown, path: string): void {
    const t = this.now();
    this.last = { kind, at: t };
    if (t - (this.logged.get(kind) ?? -Infinity) < 60_000) return;
    this.logged.set(kind, t);
    log.error({ err: err instanceof Error ? err.message : String(err), path }, OUTAGE_ADVICE[kind]);
  }

  /** A disk-full error within RETRY_AFTER_S: not ready even though a SELECT answers. */
  recentDiskFull(): boolean {
    return this.last?.kind === "disk_full" && this.now() - this.last.at < RETRY_AFTER_S * 1000;
  }
}

export function errorHandler(log: Logger, renderHtml?: (req: Request, e: HttpError, res: Response) => string, outages = new OutageWatch()): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toHttp(err);
    const outage = e.status === 503 ? outageOf(err) : null;
    if (outage) outages.saw(outage, log, err, req.path);
    else if (e.status >= 500) log.error({ err, path: req.path }, "request failed");
    if (res.headersSent) return;
    if (e.status === 503) res.setHeader("Retry-After", String(RETRY_AFTER_S));
    if (renderHtml && wantsHtml(req)) {
      res.status(e.status).type("html").send(renderHtml(req, e, res));
      return;
    }
    res.status(e.status).json({ error: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}), ...e.detail });
  };
}
