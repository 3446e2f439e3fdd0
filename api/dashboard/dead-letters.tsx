// Dashboard: dead letters — outgoing messages the outbox gave up on (core/delivery/dead-letters.ts),
// with their full error, and a button that queues one again. Admin and district staff only: the
// rows are district-wide and name who each message was for (resident, liaison, office group, office
// member, e-mail address) with its case. Rendered with Preact (escaped by default) in the shared page frame.
import express, { type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { isSmsChat } from "../../core/delivery/sms/sms-provider.ts";
import { listDeadLetters, preview, retryDeadLetter, type DeadLetter, type Recipient } from "../../core/delivery/dead-letters.ts";
import type { Auth } from "../auth.ts";
import { parse } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import { renderFragment } from "../views/render.tsx";
import { page, view, type View } from "./layout.ts";

export const DEAD_LETTERS_PATH = "/dashboard/dead-letters";

export function deadLetterPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const staff = auth.requireRole("admin", "district");

  r.get("/dead-letters", staff, async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const { rows, total } = await listDeadLetters(db, { limit: 200 });
    const notice = req.query.retried ? "retried" : req.query.gone ? "gone" : null;
    res.type("html").send(page(vw, vw.t("dead_letters"), renderFragment(<DeadLetters vw={vw} rows={rows} total={total} notice={notice} />), { res }));
  });

  r.post("/dead-letters/:id/retry", express.urlencoded({ extended: false, limit: "1kb" }), auth.requireCsrf, staff, async (req, res) => {
    const id = Number(parse(z.string().regex(/^\d{1,10}$/), req.params.id, "message id"));
    const ok = await retryDeadLetter(db, id, d.clock.now());
    if (ok) d.wakeOutbox?.();
    res.redirect(303, `${DEAD_LETTERS_PATH}?${ok ? "retried" : "gone"}=${id}`);
  });
  return r;
}

function DeadLetters({ vw, rows, total, notice }: { vw: View; rows: DeadLetter[]; total: number; notice: "retried" | "gone" | null }) {
  const { t } = vw;
  return (
    <>
      <p>{t("dl_intro")}</p>
      {notice && <p class={notice === "retried" ? "ok" : "err"} id="notice">{t(notice === "retried" ? "dl_retried" : "dl_gone")}</p>}
      {rows.length === 0 ? (
        <p id="none">{t("dl_none")}</p>
      ) : (
        <>
          <p>{t("dl_total").replace("{n}", String(total))}</p>
          <div class="scroll">
            <table id="dead-letters">
              <thead>
                <tr>
                  <th>{t("dl_message")}</th>
                  <th>{t("dl_recipient")}</th>
                  <th>{t("dl_error")}</th>
                  <th class="num">{t("dl_attempts")}</th>
                  <th>{t("dl_dead")}</th>
                  <th>{t("actions")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <Row vw={vw} row={row} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function Row({ vw, row }: { vw: View; row: DeadLetter }) {
  const { t } = vw;
  const [head, ...rest] = (row.lastError ?? "—").split("\n");
  return (
    <tr id={`dl-${row.id}`}>
      <td>
        <span class="badge">{t(`dl_kind_${row.kind}`)}</span> <span class="badge">{t(`dl_method_${row.method}`)}</span>
        <div>{preview(row.payload)}</div>
        {row.fallbackFrom && <small class="err">{t("dl_fallback")}</small>}
        <small>
          {t("dl_queued")}: {vw.fmt(row.queuedAt)}
        </small>
      </td>
      <td>
        {isSmsChat(row.chatId) ? t("dl_sms").replace("{phone}", maskPhone(row.payload.to)) : <RecipientText vw={vw} r={row.recipient} />}
        {row.caseId && (
          <div>
            <a href={`/dashboard/cases/${row.caseId}`}>{row.caseNumber ?? `#${row.caseId}`}</a>
          </div>
        )}
      </td>
      <td class="error">
        <code>{head}</code>
        {rest.length > 0 && (
          <details>
            <summary>{t("dl_body")}</summary>
            <pre>{rest.join("\n")}</pre>
          </details>
        )}
      </td>
      <td class="num">{row.attempts}</td>
      <td>{vw.fmt(row.deadAt)}</td>
      <td>
        <form method="post" action={`${DEAD_LETTERS_PATH}/${row.id}/retry`}>
          <input type="hidden" name="_csrf" value={vw.csrf} />
          <button>{t("dl_retry")}</button>
        </form>
      </td>
    </tr>
  );
}

/** Who it was for, in words; a chat the directory does not know (left, or not linked) says so. */
function RecipientText({ vw, r }: { vw: View; r: Recipient }) {
  const { t } = vw;
  switch (r.kind) {
    case "resident":
      return (
        <>
          <span class="badge">{t("dl_to_resident")}</span> {r.name}
          {r.estate && <small>{` · ${r.estate}${r.building ? ` ${r.building}` : ""}`}</small>}
        </>
      );
    case "liaison":
      return (
        <>
          <span class="badge">{t("dl_to_liaison")}</span> {r.name} <small>· {r.company}</small>
        </>
      );
    case "office":
      return (
        <>
          <span class="badge">{t("dl_to_office")}</span> {r.name}
        </>
      );
    case "staff":
      return (
        <>
          <span class="badge">{t("dl_to_staff")}</span> {r.name} <small>· {r.office}</small>
        </>
      );
    case "email":
      return (
        <>
          <span class="badge">{t("dl_email")}</span> {r.to ?? ""}
        </>
      );
    case "unknown":
      return <span class="muted">{t("dl_to_unknown")}</span>;
  }
}

/** A resident's number as staff need to tell rows apart, not to call it: +86 139****5678. */
function maskPhone(to: unknown): string {
  const s = typeof to === "string" ? to : "";
  return s.length > 8 ? `${s.slice(0, -8)}****${s.slice(-4)}` : "—";
}
