// Impossible input is refused with 400 before it reaches a query: a NUL character (PostgreSQL text
// cannot hold it), a lone UTF-16 surrogate (not text at all), a malformed %-escape in the path, and
// a database id outside PostgreSQL's int4 (in a path, or in a body's id-named field). Every surface uses these: the URL and query of every
// request (guardUrl, mounted first), parsed bodies (jsonBody / formBody instead of express.json /
// express.urlencoded), and the webhook's update (impossibleText).
import express, { type RequestHandler } from "express";
import { z } from "zod";
import { HttpError } from "./http.ts";

/** The largest id an `Int` column holds (PostgreSQL int4). */
export const MAX_DB_ID = 2_147_483_647;

/** A database id from a path or query string: digits, 1…2147483647. */
export const DbId = z.coerce
  .number({ message: "an id must be a number" })
  .int("an id must be a whole number")
  .positive("an id must be positive")
  .max(MAX_DB_ID, `an id is at most ${MAX_DB_ID}`);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where in `v` (a string, or arrays/objects of them) is text no database can store, and why; null when none. */
export function impossibleText(v: unknown, at = "(root)", depth = 0): string | null {
  if (typeof v === "string") {
    if (v.includes("\u0000")) return `${at}: contains a NUL character`;
    if (LONE_SURROGATE.test(v)) return `${at}: contains a lone UTF-16 surrogate (not valid Unicode text)`;
    return null;
  }
  if (depth > 32 || v === null || typeof v !== "object") return null;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const bad = impossibleText(k, at, depth + 1) ?? impossibleText(x, at === "(root)" ? k : `${at}.${k}`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

const refuse = (where: string, why: string) => new HttpError(400, "invalid_request", `invalid ${where}: ${why}`, [{ path: why.split(":")[0]!, message: why.slice(why.indexOf(":") + 2) }]);

/** Path and query of every request. Mounted before any router. */
export const guardUrl: RequestHandler = (req, _res, next) => {
  const raw = req.path;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return next(new HttpError(400, "invalid_request", "invalid path: malformed %-escape"));
  }
  const badPath = impossibleText(path, "path");
  if (badPath) return next(refuse("path", badPath));
  const badQuery = impossibleText(req.query, "query");
  if (badQuery) return next(refuse("query", badQuery.replace(/^query\.?/, "") || "query"));
  next();
};

// A field named like a database id (id, ids, unitId…); chat and Telegram ids are BigInt. Open311's
// snake_case ids (device_id, account_id, address_id, service_request_id) are text, so not these.
const ID_KEY = /^(id|ids)$|[a-z]Ids?$/;
const BIG_ID_KEY = /chat|telegram|update/i;

/** Where in a body an id-named field holds a number past int4 (or below 1), and why; null when none. */
export function impossibleId(v: unknown, at = "", depth = 0): string | null {
  if (depth > 32 || v === null || typeof v !== "object") return null;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const where = Array.isArray(v) ? at : at ? `${at}.${k}` : k;
    const idField = Array.isArray(v) ? ID_KEY.test(at.split(".").at(-1) ?? "") : ID_KEY.test(k);
    const n = typeof x === "number" ? x : typeof x === "string" && /^-?\d{10,}$/.test(x) ? Number(x) : null;
    if (idField && !BIG_ID_KEY.test(where) && n !== null && Number.isInteger(n) && (n > MAX_DB_ID || n < -MAX_DB_ID)) return `${where}: an id is at most ${MAX_DB_ID}`;
    const inner = impossibleId(x, where, depth + 1);
    if (inner) return inner;
  }
  return null;
}

/** The body, once a parser has read it. */
export const guardBody: RequestHandler = (req, _res, next) => {
  const bad = impossibleText(req.body) ?? impossibleId(req.body);
  next(bad ? refuse("body", bad) : undefined);
};

/** A body parser followed by the body guard, as one handler (so route handlers keep their types). */
const guarded =
  (parser: RequestHandler): RequestHandler =>
  (req, res, next) =>
    parser(req, res, (err?: unknown) => (err ? next(err) : guardBody(req, res, next)));

/** express.json followed by the body guard. */
export const jsonBody = (o: Parameters<typeof express.json>[0]): RequestHandler => guarded(express.json(o));
/** express.urlencoded followed by the body guard. */
export const formBody = (o: Parameters<typeof express.urlencoded>[0]): RequestHandler => guarded(express.urlencoded(o));
