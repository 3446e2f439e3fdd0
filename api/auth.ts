// Who is calling: a dashboard session (cookie → WebSession by hash, CSRF token per session) or a
// bearer API token (hash lookup). Both end as a Scope in res.locals; street scopes see one street.
import crypto from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Db } from "../core/db/db.ts";
import type { Clock } from "../core/clock.ts";
import { randomToken, sha256, verifyPassword, type Scope } from "../core/directory/staff.ts";
import { scopeFields } from "../core/access/permissions.ts";
import { forgetFailures, noticePause, pausedUntil, recordFailure } from "../core/access/login-throttle.ts";
import type { StaffUser } from "../core/db/generated/prisma/client.ts";
import { HttpError } from "./http.ts";

export const SESSION_COOKIE = "efd_sid";
export const LOGIN_CSRF_COOKIE = "efd_lcsrf";

export interface AuthOptions {
  db: Db;
  clock: Clock;
  sessionTtlHours: number;
  maxFailures: number;
  /** The longest pause after repeated failed logins (LOGIN_LOCK_MINUTES). */
  lockMinutes: number;
  secureCookies: boolean;
  /** For the times in the office's notice of a pause. */
  timezone: string;
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ";

export interface Who {
  scope: Scope;
  user?: StaffUser;
  csrfToken?: string;
  sessionId?: string;
}

export function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) {
      try {
        out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        /* a malformed cookie is ignored */
      }
    }
  }
  return out;
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  return crypto.timingSafeEqual(Buffer.from(sha256(a)), Buffer.from(sha256(b)));
}

export const who = (res: Response): Who | undefined => res.locals.who as Who | undefined;
export function scopeOf(res: Response): Scope {
  const w = who(res);
  if (!w) throw new HttpError(401, "unauthorized", "log in or send Authorization: Bearer <token>");
  return w.scope;
}

export function userScope(u: StaffUser): Scope {
  return { role: u.role, ...scopeFields(u), actorId: `user:${u.username}`, name: u.displayName };
}

export function createAuth(o: AuthOptions) {
  const cookieAttrs = `Path=/; HttpOnly; SameSite=Lax${o.secureCookies ? "; Secure" : ""}`;

  /** Reads the session cookie or bearer token when present; never refuses by itself. */
  const identify: RequestHandler = async (req, res, next) => {
    try {
      const auth = req.header("authorization");
      if (auth) {
        const m = /^Bearer\s+(\S+)$/i.exec(auth);
        if (!m) throw new HttpError(401, "unauthorized", "Authorization must be: Bearer <token>");
        const t = await o.db.apiToken.findUnique({ where: { tokenHash: sha256(m[1]!) } });
        if (!t || t.revokedAt) throw new HttpError(401, "unauthorized", "unknown or revoked API token");
        const now = o.clock.now();
        // One write a minute at most: the hot path stays read-only.
        if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > 60_000) {
          void o.db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: now } }).catch(() => {});
        }
        res.locals.who = { scope: { role: t.role, ...scopeFields(t), actorId: `token:${t.id}`, name: t.name } } satisfies Who;
        return next();
      }
      const sid = cookies(req)[SESSION_COOKIE];
      if (sid) {
        const id = sha256(sid);
        const s = await o.db.webSession.findUnique({ where: { id }, include: { user: true } });
        const now = o.clock.now();
        // A pause of failed logins never ends a session that is already open.
        if (s && s.expiresAt > now) {
          if (now.getTime() - s.lastSeenAt.getTime() > 5 * 60_000) {
            void o.db.webSession.update({ where: { id }, data: { lastSeenAt: now } }).catch(() => {});
          }
          res.locals.who = { scope: userScope(s.user), user: s.user, csrfToken: s.csrfToken, sessionId: id } satisfies Who;
        }
      }
      next();
    } catch (err) {
      next(err);
    }
  };

  /** Pages: redirect to the login page. */
  const requirePage: RequestHandler = (req, res, next) => {
    if (who(res)?.user) return next();
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  };

  /** API: 401 JSON. A session may call the API too, with its CSRF token on writes. */
  const requireApi: RequestHandler = (req, res, next) => {
    const w = who(res);
    if (!w) return next(new HttpError(401, "unauthorized", "send Authorization: Bearer <token>"));
    if (w.user && !["GET", "HEAD", "OPTIONS"].includes(req.method) && !sameToken(req.header("x-csrf-token"), w.csrfToken)) {
      return next(new HttpError(403, "csrf", "missing or wrong X-CSRF-Token"));
    }
    next();
  };

  /** Dashboard form posts: the session's token in the _csrf field. */
  const requireCsrf: RequestHandler = (req, res, next) => {
    const w = who(res);
    const given = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!w?.csrfToken || !sameToken(typeof given === "string" ? given : undefined, w.csrfToken)) {
      return next(new HttpError(403, "csrf", "the form expired or came from elsewhere (CSRF); reload the page and try again"));
    }
    next();
  };

  const requireRole =
    (...roles: Scope["role"][]): RequestHandler =>
    (_req, res, next) => {
      const s = who(res)?.scope;
      if (!s) return next(new HttpError(401, "unauthorized", "not logged in"));
      if (!roles.includes(s.role)) return next(new HttpError(403, "forbidden", `needs role ${roles.join(" or ")}`));
      next();
    };

  type LoginResult = { ok: true; cookie: string; user: StaffUser } | { ok: false; reason: "bad" | "locked"; until?: Date };
  const throttle = { maxFailures: o.maxFailures, maxPauseMinutes: o.lockMinutes };

  /**
   * Failures are counted per username + address (core/access/login-throttle.ts): a pause stops that
   * name from that address only, never the account, and never ends its open sessions.
   */
  async function login(username: string, password: string, address = "unknown"): Promise<LoginResult> {
    const now = o.clock.now();
    const paused = await pausedUntil(o.db, username, address, now);
    if (paused) return { ok: false, reason: "locked", until: paused };
    const u = await o.db.staffUser.findUnique({ where: { username } });
    // Same work either way, so timing does not tell which usernames exist.
    const good = u ? await verifyPassword(u.passwordHash, password) : (await verifyPassword(DUMMY_HASH, password), false);
    if (!u || !good) {
      const f = await recordFailure(o.db, username, address, now, throttle);
      if (u && f.until && f.firstPause) await noticePause(o.db, u, { address, failures: f.failures, until: f.until, now }, o.timezone);
      return f.until ? { ok: false, reason: "locked", until: f.until } : { ok: false, reason: "bad" };
    }
    const sid = randomToken();
    await forgetFailures(o.db, username, address);
    await o.db.$transaction([
      o.db.staffUser.update({ where: { id: u.id }, data: { lastLoginAt: now } }),
      o.db.webSession.deleteMany({ where: { userId: u.id, expiresAt: { lt: now } } }),
      o.db.webSession.create({
        data: { id: sha256(sid), userId: u.id, csrfToken: randomToken(), createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + o.sessionTtlHours * 3_600_000) },
      }),
    ]);
    return { ok: true, user: u, cookie: `${SESSION_COOKIE}=${sid}; ${cookieAttrs}; Max-Age=${o.sessionTtlHours * 3600}` };
  }

  async function logout(res: Response): Promise<void> {
    const id = who(res)?.sessionId;
    if (id) await o.db.webSession.deleteMany({ where: { id } });
    res.append("Set-Cookie", `${SESSION_COOKIE}=; ${cookieAttrs}; Max-Age=0`);
  }

  const loginCsrfCookie = (token: string) => `${LOGIN_CSRF_COOKIE}=${token}; ${cookieAttrs}; Max-Age=3600`;

  return { identify, requirePage, requireApi, requireCsrf, requireRole, login, logout, loginCsrfCookie };
}
export type Auth = ReturnType<typeof createAuth>;

export const asyncH =
  (fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res, next).catch(next);
  };
