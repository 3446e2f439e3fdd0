// Dashboard: case list (filters, search, keyset pages, CSV) and the case page with its actions.
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { listCases, lateness } from "../../core/cases/case-query.ts";
import { addNote, applyOfficeAction, decideExtension } from "../../core/cases/office-actions.ts";
import { KINDS } from "../../core/cases/categories.ts";
import { parse } from "../http.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { CaseListQuery, CASE_STATES } from "../rest/schemas.ts";
import { actorOf, companiesInScope, findCaseInScope, type OfficeAppDeps } from "../office.ts";
import { collectCases, filterOf, mapOfficeError } from "../rest/v1.ts";
import { caseColumns, sendExport, type ExportFormat } from "../exports.ts";
import { csrfField, duration, esc, page, select, view, type View } from "./layout.ts";
import { photoUrl } from "./photos.ts";
import { DbId, formBody } from "../input-guard.ts";

const PAGE = 50;

export function caseListQueryOf(req: Request) {
  // Empty form fields mean "any".
  const q = Object.fromEntries(Object.entries(req.query).filter(([k, v]) => v !== "" && k !== "lang"));
  return parse(CaseListQuery, { limit: String(PAGE), ...q }, "filters");
}

export function casesPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const deps = { db, cases: d.cases, clock: d.clock };

  r.get("/cases", async (req, res) => {
    const vw = v(req, res);
    const { t } = vw;
    const q = caseListQueryOf(req);
    const scope = scopeOf(res);
    const now = d.clock.now();
    const [pg, estates, companies] = await Promise.all([
      listCases(db, filterOf(q), scope, { limit: q.limit, before: q.before }, now),
      db.estate.findMany({ where: scope.streetId !== null ? { streetId: scope.streetId } : {}, orderBy: { code: "asc" } }),
      db.company.findMany({ where: companiesInScope(scopeOf(res)), orderBy: { code: "asc" } }),
    ]);
    const qs = (extra: Record<string, string | undefined>) => {
      const p = new URLSearchParams();
      for (const [k, val] of Object.entries({ ...req.query, ...extra })) if (typeof val === "string" && val !== "" && k !== "lang") p.set(k, val);
      return p.toString();
    };
    const filters = `<form class="filters" method="get" action="/dashboard/cases">
<label>${t("state")}${select("state", CASE_STATES.map((s) => [s, t(`state_${s}`)]), q.state?.join(","), t("all"))}</label>
<label>${t("kind")}${select("kind", KINDS.map((k) => [k, t(`kind_${k}`)]), q.kind, t("all"))}</label>
<label>${t("category")}${select("category", d.categories.list.map((c) => [c.code, c.label[vw.locale]]), q.category, t("all"))}</label>
<label>${t("estate")}${select("estate", estates.map((e) => [e.code, e.name]), q.estate, t("all"))}</label>
<label>${t("company")}${select("company", companies.map((c) => [c.code, c.name]), q.company, t("all"))}</label>
<label>${t("only_overdue")}${select("overdue", [["true", t("overdue")]], q.overdue ? "true" : undefined, t("all"))}</label>
<label>${t("search")}<input name="q" id="f-q" value="${esc(q.q)}"></label>
<button type="submit" id="f-submit">${t("filter")}</button></form>`;
    const rows = pg.items
      .map((c) => {
        const late = lateness(c, now);
        return `<tr class="${late ? "late" : ""}"><td><a href="/dashboard/cases/${c.id}">${esc(c.number)}</a></td><td>${esc(t(`state_${c.state}`))}${late ? ` <span class="badge late">${esc(t("overdue"))}</span>` : ""}</td>
<td>${esc(t(`kind_${c.kind}`))}</td><td>${esc(d.categories.label(c.category, vw.locale))}</td><td>${esc(c.estate.name)}</td><td>${esc(c.company?.name ?? "—")}</td><td>${esc(c.liaison?.name ?? "—")}</td>
<td>${esc(vw.fmt(c.createdAt))}</td><td>${esc(vw.fmt(c.resolutionDueAt))}</td><td>${esc(c.description.slice(0, 60))}</td></tr>`;
      })
      .join("");
    const body = `${filters}
<p><a href="/dashboard/cases.xlsx?${qs({ before: undefined, limit: undefined })}" id="xlsx">${t("export_xlsx")}</a> · <a href="/dashboard/cases.csv?${qs({ before: undefined, limit: undefined })}" id="csv">${t("export_csv")}</a></p>
<table id="cases"><thead><tr><th>${t("number")}</th><th>${t("state")}</th><th>${t("kind")}</th><th>${t("category")}</th><th>${t("estate")}</th><th>${t("company")}</th><th>${t("liaison")}</th><th>${t("filed")}</th><th>${t("resolution_due")}</th><th>${t("description")}</th></tr></thead>
<tbody>${rows || `<tr><td colspan="10">${t("none")}</td></tr>`}</tbody></table>
<div class="pager">${q.before ? `<a href="/dashboard/cases?${qs({ before: undefined })}">${t("first_page")}</a>` : ""}${pg.nextBefore ? `<a id="next" href="/dashboard/cases?${qs({ before: String(pg.nextBefore) })}">${t("next_page")} →</a>` : ""}</div>`;
    res.type("html").send(page(vw, t("cases"), body, { res }));
  });

  // Exports in the reader's language: names, local times, the filter and date in the file name.
  const exportCases = (format: ExportFormat) => async (req: Request, res: Response) => {
    const vw = v(req, res);
    const { t } = vw;
    const q = caseListQueryOf(req);
    const now = d.clock.now();
    const [rows, estate, company] = await Promise.all([
      collectCases(db, filterOf(q), scopeOf(res), now),
      q.estate ? db.estate.findUnique({ where: { code: q.estate } }) : null,
      q.company ? db.company.findUnique({ where: { code: q.company } }) : null,
    ]);
    const name = [q.overdue ? t("overdue") : undefined, t("cases"), ...(q.state ?? []).map((s) => t(`state_${s}`)), q.kind && t(`kind_${q.kind}`), q.category && d.categories.label(q.category, vw.locale), estate?.name, company?.name, q.q];
    await sendExport(res, { format, columns: caseColumns(t, d.categories, vw.locale, now), rows, name, now, timezone: d.timezone, sheet: t("cases") });
  };
  r.get("/cases.csv", exportCases("csv"));
  r.get("/cases.xlsx", exportCases("xlsx"));

  r.get("/cases/:id", async (req, res) => {
    const vw = v(req, res);
    const id = parse(DbId, req.params.id, "case id");
    const c = await findCaseInScope(db, id, scopeOf(res));
    const liaisons = await db.liaison.findMany({ where: { active: true, company: companiesInScope(scopeOf(res)) }, include: { company: true }, orderBy: [{ companyId: "asc" }, { code: "asc" }] });
    res.type("html").send(casePage(vw, res, c, liaisons, d, typeof req.query.done === "string" ? req.query.done : undefined));
  });

  const post = (path: string, fn: (req: Request, res: Response, caseId: number) => Promise<unknown>) =>
    r.post(`/cases/:id/${path}`, formBody({ extended: false, limit: "16kb" }), auth.requireCsrf, async (req, res) => {
      const id = parse(DbId, req.params.id, "case id");
      const c = await findCaseInScope(db, id, scopeOf(res));
      try {
        await fn(req, res, c.id);
      } catch (err) {
        throw mapOfficeError(err);
      }
      res.redirect(303, `/dashboard/cases/${c.id}?done=${path.split("/")[0]}`);
    });

  post("reassign", async (req, res, id) => {
    const b = parse(z.object({ liaison: z.string().min(1), note: z.string().max(2000).optional() }).loose(), req.body, "form");
    await applyOfficeAction(deps, id, "assign", actorOf(scopeOf(res)), { liaison: b.liaison, note: b.note || undefined });
  });
  post("close", async (req, res, id) => {
    const b = parse(z.object({ note: z.string().trim().min(1).max(2000) }).loose(), req.body, "form");
    await applyOfficeAction(deps, id, "officeClose", actorOf(scopeOf(res)), { note: b.note });
  });
  post("note", async (req, res, id) => {
    const b = parse(z.object({ note: z.string().trim().min(1).max(2000) }).loose(), req.body, "form");
    await addNote(deps, id, actorOf(scopeOf(res)), b.note);
  });
  post("extension/:ext", async (req, res, id) => {
    const ext = parse(DbId, req.params.ext, "extension id");
    const b = parse(z.object({ decision: z.enum(["approve", "deny"]), note: z.string().max(2000).optional() }).loose(), req.body, "form");
    await decideExtension(deps, id, ext, b.decision === "approve", actorOf(scopeOf(res)), b.note || undefined);
  });
  return r;
}

type CaseFull = Awaited<ReturnType<typeof findCaseInScope>>;

function casePage(vw: View, res: Response, c: CaseFull, liaisons: { code: string; name: string; company: { name: string } }[], d: OfficeAppDeps, done?: string): string {
  const { t } = vw;
  const now = d.clock.now();
  const late = lateness(c, now);
  const events = c.events
    .map(
      (e) =>
        `<tr><td>${esc(vw.fmt(e.at))}</td><td>${esc(e.actorType)}${e.actorId ? ` ${esc(e.actorId)}` : ""}</td><td>${esc(e.type)}</td><td>${e.fromState ? `${esc(t(`state_${e.fromState}`))} → ` : ""}${e.toState ? esc(t(`state_${e.toState}`)) : ""}</td><td>${esc(e.note ?? "")}</td></tr>`,
    )
    .join("");
  const messages = c.events.filter((e) => e.type === "message" || e.type.startsWith("message"));
  const photos = c.attachments
    .map((a) => {
      const by = a.addedBy === "resident" || a.addedBy === "liaison" ? t(`photo_by_${a.addedBy}`) : a.addedBy;
      // Stored photos come from the attachment store; pending ones from Telegram while the bot is on.
      const shown = (a.storeStatus === "stored" && d.attachments) || (a.storeStatus === "pending" && d.files);
      const img = shown ? `<a href="${photoUrl(c.id, a.id)}" target="_blank" rel="noopener"><img loading="lazy" src="${photoUrl(c.id, a.id)}" alt="${esc(a.caption ?? t("photos"))}" style="max-width:160px;max-height:160px;display:block"></a>` : "";
      const status = a.storeStatus === "stored" ? "" : `<span class="badge${a.storeStatus === "pending" ? "" : " late"}">${esc(t(`photo_${a.storeStatus}`))}</span>${a.storeStatus !== "pending" && a.fetchError ? ` <small class="err">${esc(a.fetchError)}</small>` : ""}<br>`;
      return `<li class="photo" style="display:inline-block;vertical-align:top;margin:0 .6rem .6rem 0;max-width:160px">${img}${status}<small>${a.caption ? `${esc(a.caption)}<br>` : ""}${esc(by)} · ${esc(vw.fmt(a.createdAt))}</small></li>`;
    })
    .join("");
  const exts = c.extensions
    .map(
      (x) => `<tr><td>${esc(x.reason)}</td><td>${esc(vw.fmt(x.requestedDueAt))}</td><td>${esc(t(`ext_${x.status}`))}</td><td>${
        x.status === "pending"
          ? `<form method="post" action="/dashboard/cases/${c.id}/extension/${x.id}" class="inline">${csrfField(vw)}<input name="note" placeholder="${esc(t("note"))}"><button name="decision" value="approve">${t("approve")}</button> <button name="decision" value="deny">${t("deny")}</button></form>`
          : esc(x.decisionNote ?? "")
      }</td></tr>`,
    )
    .join("");
  const open = !["closed"].includes(c.state);
  const body = `${done ? `<p class="ok" id="done">${esc(t("done"))}</p>` : ""}
<div class="grid"><div class="card" id="summary">
<p><b>${esc(c.number)}</b> · <span id="state">${esc(t(`state_${c.state}`))}</span> ${late ? `<span class="badge late">${esc(t("overdue"))} ${esc(duration(late.lateMs, t))}</span>` : ""}</p>
<p>${esc(t(`kind_${c.kind}`))} · ${esc(d.categories.label(c.category, vw.locale))} · ${esc(t(`urgency_${c.urgency}`))}</p>
<p>${esc(c.street.name)} · ${esc(c.estate.name)}${c.building ? ` · ${esc(c.building.name)}` : ""}${c.unit ? ` ${esc(c.unit.name)}` : ""}</p>
<p>${esc(t("company"))}: ${esc(c.company?.name ?? "—")} · ${esc(t("liaison"))}: <span id="liaison">${esc(c.liaison?.name ?? "—")}</span></p>
<pre>${esc(c.description)}</pre></div>
<div class="card" id="deadlines"><h2>${t("deadlines")}</h2>
<p>${t("filed")}: ${esc(vw.fmt(c.createdAt))}</p><p>${t("response_due")}: ${esc(vw.fmt(c.responseDueAt))} ${c.acceptedAt ? `✓ ${esc(vw.fmt(c.acceptedAt))}` : ""}</p>
<p>${t("resolution_due")}: ${esc(vw.fmt(c.resolutionDueAt))} ${c.resolvedAt ? `✓ ${esc(vw.fmt(c.resolvedAt))}` : ""}</p><p>${t("escalation")}: ${c.escalationLevel}</p></div></div>
<div class="card"><h2>${t("actions")}</h2>${
    open
      ? `<form method="post" action="/dashboard/cases/${c.id}/reassign" id="reassign">${csrfField(vw)}<label>${t("reassign")} ${select("liaison", liaisons.map((l) => [l.code, `${l.company.name} · ${l.name}`]), c.liaison?.code)}</label> <input name="note" placeholder="${esc(t("reason"))}"> <button>${t("reassign")}</button></form>
<form method="post" action="/dashboard/cases/${c.id}/close" id="close" style="margin-top:.6rem">${csrfField(vw)}<input name="note" required placeholder="${esc(t("reason"))}"> <button>${t("close_dispute")}</button></form>`
      : ""
  }
<form method="post" action="/dashboard/cases/${c.id}/note" id="note" style="margin-top:.6rem">${csrfField(vw)}<input name="note" required size="50" placeholder="${esc(t("note"))}"> <button>${t("add_note")}</button></form></div>
<h2>${t("extensions")}</h2><table><tbody>${exts || `<tr><td>${t("none")}</td></tr>`}</tbody></table>
<h2>${t("photos")}</h2>${c.attachments.some((a) => a.storeStatus === "pending") && !d.files ? `<p class="err">${t("photos_bot_off")}</p>` : ""}<ul id="photos" style="list-style:none;padding:0">${photos || `<li>${t("none")}</li>`}</ul>
<h2>${t("messages")}</h2><ul>${messages.map((m) => `<li>${esc(vw.fmt(m.at))} ${esc(m.actorType)}: ${esc(m.note ?? "")}</li>`).join("") || `<li>${t("none")}</li>`}</ul>
<h2>${t("timeline")}</h2><table id="timeline"><tbody>${events}</tbody></table>
<p><a href="/dashboard/cases">← ${t("back")}</a></p>`;
  return page(vw, `${t("cases")} ${c.number}`, body, { res });
}
