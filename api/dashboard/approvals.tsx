// Dashboard: residents awaiting approval (registered on the web front door without the estate's
// invite code) and the cases they filed meanwhile, which wait unrouted (core/residents/approval.ts).
// Approve → verified, the cases routed now through the case service; reject (with a reason) → the
// waiting cases closed and the resident told. Admin and district everywhere, a street office in its street.
import { z } from "zod";
import express, { type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import { approveResident, ApprovalError, countPending, listPending, rejectResident, type PendingResident } from "../../core/residents/approval.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { HttpError, parse } from "../http.ts";
import { DbId, formBody } from "../input-guard.ts";
import { actorOf, type OfficeAppDeps } from "../office.ts";
import { renderFragment } from "../views/render.tsx";
import { page, view, type View } from "./layout.ts";

export const APPROVALS_PATH = "/dashboard/residents/pending";

export function approvalPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const staff = auth.requireRole("admin", "district", "street");

  r.get("/residents/pending", staff, async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const rows = await listPending(db, scopeOf(res));
    const done = typeof req.query.done === "string" && ["approved", "rejected"].includes(req.query.done) ? req.query.done : null;
    res.type("html").send(page(vw, vw.t("ap_title"), renderFragment(<Pending vw={vw} rows={rows} done={done} categories={(c) => d.categories.label(c, vw.locale)} />), { res }));
  });

  const decide = (path: "approve" | "reject") =>
    r.post(`/residents/:id/${path}`, formBody({ extended: false, limit: "4kb" }), auth.requireCsrf, staff, async (req, res) => {
      const id = parse(DbId, req.params.id, "resident id");
      const scope = scopeOf(res);
      try {
        if (path === "approve") await approveResident({ db, cases: d.cases }, id, actorOf(scope), scope);
        else {
          const b = parse(z.object({ reason: z.string().trim().min(1, "give the reason the resident will read").max(500) }).loose(), req.body, "form");
          await rejectResident({ db, cases: d.cases }, id, b.reason, actorOf(scope), scope);
        }
      } catch (err) {
        if (err instanceof ApprovalError) throw new HttpError(err.code === "not_found" ? 404 : 409, err.code, err.message);
        throw err;
      }
      res.redirect(303, `${APPROVALS_PATH}?done=${path === "approve" ? "approved" : "rejected"}`);
    });
  decide("approve");
  decide("reject");
  return r;
}

/** The line on the office's overview (the case list): how many wait, and where to decide. */
export async function pendingBanner(db: Db, vw: View, scope: Parameters<typeof countPending>[1]) {
  const n = await countPending(db, scope);
  if (n.residents === 0 && n.cases === 0) return null;
  return (
    <p class="notice" id="pending-approvals">
      {vw.t("ap_banner").replace("{residents}", String(n.residents)).replace("{cases}", String(n.cases))} <a href={APPROVALS_PATH}>{vw.t("ap_go")}</a>
    </p>
  );
}

function Pending({ vw, rows, done, categories }: { vw: View; rows: PendingResident[]; done: string | null; categories: (code: string) => string }) {
  const { t } = vw;
  return (
    <>
      <p>{t("ap_intro")}</p>
      {done && (
        <p class="ok" id="notice">
          {t(done === "approved" ? "ap_approved" : "ap_rejected")}
        </p>
      )}
      {rows.length === 0 ? <p id="none">{t("ap_none")}</p> : null}
      {rows.map((r) => (
        <section class="card" id={`resident-${r.id}`}>
          <h2>
            {r.name} · {[r.estate, r.building, r.unit].filter(Boolean).join(" ")}
          </h2>
          <p>
            <span class="badge">{t(r.channel === "web" ? "ap_channel_web" : "ap_channel_telegram")}</span> {t("ap_registered")}: {vw.fmt(r.createdAt)}
          </p>
          {r.cases.length === 0 ? (
            <p>{t("ap_no_cases")}</p>
          ) : (
            <ul>
              {r.cases.map((c) => (
                <li>
                  <a href={`/dashboard/cases/${c.id}`}>{c.number}</a> {t(`kind_${c.kind}`)} · {categories(c.category)}
                  {c.urgencyHint ? <b> · {t("urgency_urgent")}</b> : null} · {vw.fmt(c.createdAt)}
                  <div>{c.description.length > 140 ? `${c.description.slice(0, 139)}…` : c.description}</div>
                </li>
              ))}
            </ul>
          )}
          <form method="post" action={`/dashboard/residents/${r.id}/approve`} class="inline">
            <input type="hidden" name="_csrf" value={vw.csrf} />
            <button>{t(r.cases.length ? "ap_approve_release" : "ap_approve")}</button>
          </form>
          {r.status === "pending" ? (
            <form method="post" action={`/dashboard/residents/${r.id}/reject`} class="inline">
              <input type="hidden" name="_csrf" value={vw.csrf} />
              <label>
                {t("ap_reason")} <input name="reason" required maxLength={500} />
              </label>
              <button class="secondary">{t("ap_reject")}</button>
            </form>
          ) : null}
        </section>
      ))}
    </>
  );
}
