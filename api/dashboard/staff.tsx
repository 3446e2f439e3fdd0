// Dashboard: the staff page (admin only: every staff account, the addresses its logins are paused
// from, and a button that lifts the pauses) and the banner that tells an account holder, at their
// next login, that failed logins paused their account somewhere (core/access/login-throttle.ts).
import express, { type RequestHandler, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { currentPauses, liftPauses, markPausesSeen, unseenPauses } from "../../core/access/login-throttle.ts";
import { who, type Auth } from "../auth.ts";
import { parse } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import { renderFragment } from "../views/render.tsx";
import { Csrf } from "../views/shell.tsx";
import { page, view, type View } from "./layout.ts";

export const STAFF_PATH = "/dashboard/staff";
export const PAUSES_SEEN_PATH = "/dashboard/pauses-seen";

/** What the banner shows (formatted by the page frame, in the page's language). */
export interface PauseBanner {
  at: Date;
  address: string;
  failures: number;
}

/** Looks up pauses the logged-in holder has not dismissed yet; the page frame shows them. */
export function pauseBanner(db: Db): RequestHandler {
  return async (req, res, next) => {
    try {
      const u = who(res)?.user;
      // Pages only: not photos, exports or JSON.
      if (u && req.method === "GET" && !/\.(csv|xlsx|pdf|json)$|\/photos\//.test(req.path)) {
        const [p] = await unseenPauses(db, u);
        if (p?.pausedAt) res.locals.pauseBanner = { at: p.pausedAt, address: p.address, failures: p.failures } satisfies PauseBanner;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

const Username = z.string().regex(/^[A-Za-z0-9_.-]{1,60}$/, "a username");

export function staffPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: "1kb" });

  // The holder saw the banner: it stays away until the next pause.
  r.post("/pauses-seen", form, auth.requireCsrf, async (req, res) => {
    await markPausesSeen(db, who(res)!.user!.id, d.clock.now());
    const back = typeof req.body?.next === "string" && /^\/dashboard(\/[^/][^\s]*)?$/.test(req.body.next) ? req.body.next : "/dashboard";
    res.redirect(303, back);
  });

  r.get("/staff", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const users = await db.staffUser.findMany({ orderBy: { username: "asc" }, select: { username: true, displayName: true, role: true, lastLoginAt: true } });
    const pauses = await currentPauses(db, d.clock.now());
    const done = typeof req.query.unlocked === "string" ? req.query.unlocked : null;
    res.type("html").send(page(vw, vw.t("staff_page"), renderFragment(<StaffList vw={vw} users={users} pauses={pauses} done={done} />), { res }));
  });

  r.post("/staff/:username/unlock", form, auth.requireCsrf, async (req, res) => {
    const username = parse(Username, req.params.username, "username");
    await liftPauses(db, username);
    res.redirect(303, `${STAFF_PATH}?unlocked=${encodeURIComponent(username)}`);
  });
  return r;
}

function StaffList(p: { vw: View; users: { username: string; displayName: string; role: string; lastLoginAt: Date | null }[]; pauses: Awaited<ReturnType<typeof currentPauses>>; done: string | null }) {
  const { vw } = p;
  const { t } = vw;
  return (
    <>
      <p>{t("staff_intro")}</p>
      {p.done ? (
        <p class="ok" id="done">
          {t("staff_unlocked").replace("{username}", p.done)}
        </p>
      ) : null}
      <div class="scroll">
        <table id="staff">
          <thead>
            <tr>
              <th>{t("staff_username")}</th>
              <th>{t("staff_role")}</th>
              <th>{t("staff_last_login")}</th>
              <th>{t("staff_lock")}</th>
              <th>{t("actions")}</th>
            </tr>
          </thead>
          <tbody>
            {p.users.map((u) => {
              const mine = p.pauses.filter((x) => x.username === u.username);
              return (
                <tr id={`staff-${u.username}`}>
                  <td>
                    {`${u.displayName} `}
                    <code>{u.username}</code>
                  </td>
                  <td>{t(`role_${u.role}`)}</td>
                  <td>{vw.fmt(u.lastLoginAt)}</td>
                  <td>
                    {mine.length === 0
                      ? t("staff_lock_none")
                      : mine.map((x) => (
                          <div>
                            {t("staff_lock_until")
                              .replace("{address}", x.address)
                              .replace("{until}", vw.fmt(x.pausedUntil))
                              .replace("{failures}", String(x.failures))}
                          </div>
                        ))}
                  </td>
                  <td>
                    {mine.length === 0 ? null : (
                      <form method="post" action={`${STAFF_PATH}/${encodeURIComponent(u.username)}/unlock`} class="inline">
                        <Csrf v={vw} />
                        <button>{t("staff_unlock")}</button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
