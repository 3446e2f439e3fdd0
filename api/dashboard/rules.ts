// Dashboard: active routing rules, a dry-run form, reload and its last result.
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { KINDS } from "../../core/cases/categories.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { parse } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import { estateInScope } from "../rest/v1.ts";
import { csrfField, esc, page, select, view, type View } from "./layout.ts";
import type { DryRunResult } from "../../rules/router.ts";
import { formBody } from "../input-guard.ts";

const DryRunForm = z
  .object({
    kind: z.enum(KINDS),
    category: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
    estate: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/),
    building: z.string().max(40).optional(),
    urgent: z.literal("on").optional(),
    filedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/).optional(),
  })
  .loose();

export function rulesPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const render = async (req: Request, res: Response, dry?: { form: z.infer<typeof DryRunForm>; result: DryRunResult }) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const { t } = vw;
    const st = d.router.status();
    const scope = scopeOf(res);
    const estates = await db.estate.findMany({ where: scope.streetId !== null ? { streetId: scope.streetId } : {}, orderBy: { code: "asc" } });
    const lr = st.lastReload;
    const body = `<div class="grid"><div class="card" id="active"><h2>${t("active_rules")}</h2>
<p>${esc(st.rulesDir)} · ${esc(st.timezone)} · ${esc(vw.fmt(st.activeSince))}</p><pre>${esc(JSON.stringify(st.counts, null, 2))}</pre>
${st.warnings.length ? `<ul>${st.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : ""}</div>
<div class="card" id="last-reload"><h2>${t("last_reload")}</h2>${
      lr ? `<p class="${lr.ok ? "ok" : "err"}">${esc(vw.fmt(lr.at))} · ${lr.ok ? t("ok") : t("failed")}</p>${lr.errors.length ? `<ul>${lr.errors.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>` : ""}` : "—"
    }
<form method="post" action="/dashboard/rules/reload">${csrfField(vw)}<button id="reload">${t("reload")}</button></form></div></div>
<div class="card"><h2>${t("dry_run")}</h2>${dryForm(vw, d, estates, dry?.form)}</div>
${dry ? dryResult(vw, dry.result) : ""}`;
    res.type("html").send(page(vw, t("rules"), body, { res }));
  };

  r.get("/rules", (req, res) => render(req, res));
  r.post("/rules/dry-run", formBody({ extended: false, limit: "8kb" }), auth.requireCsrf, async (req, res) => {
    const f = parse(DryRunForm, Object.fromEntries(Object.entries(req.body as Record<string, string>).filter(([, x]) => x !== "")), "form");
    const estate = await estateInScope(db, f.estate, scopeOf(res));
    // The form's time is local to the district.
    const filedAt = f.filedAt ? new Date(`${f.filedAt}:00${offsetOf(d.timezone, d.clock.now())}`) : d.clock.now();
    const result = await d.router.dryRun({ kind: f.kind, category: f.category, estate: estate.code, street: estate.street.code, building: f.building, urgencyHint: f.urgent === "on", filedAt });
    await render(req, res, { form: f, result });
  });
  r.post("/rules/reload", formBody({ extended: false, limit: "1kb" }), auth.requireCsrf, auth.requireRole("admin", "district"), async (_req, res) => {
    await d.router.reload();
    res.redirect(303, "/dashboard/rules");
  });
  return r;
}

function offsetOf(tz: string, at: Date): string {
  const name = new Intl.DateTimeFormat("en", { timeZone: tz, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m ? m[1]! : "Z";
}

function dryForm(vw: View, d: OfficeAppDeps, estates: { code: string; name: string }[], f?: z.infer<typeof DryRunForm>) {
  const { t } = vw;
  return `<form class="filters" method="post" action="/dashboard/rules/dry-run" id="dry-run">${csrfField(vw)}
<label>${t("kind")}${select("kind", KINDS.map((k) => [k, t(`kind_${k}`)]), f?.kind)}</label>
<label>${t("category")}${select("category", d.categories.list.map((c) => [c.code, c.label[vw.locale]]), f?.category)}</label>
<label>${t("estate")}${select("estate", estates.map((e) => [e.code, e.name]), f?.estate)}</label>
<label>${t("building")}<input name="building" value="${esc(f?.building)}" placeholder="1号楼"></label>
<label>${t("filed_at")}<input type="datetime-local" name="filedAt" value="${esc(f?.filedAt)}"></label>
<label>${t("urgent_hint")}<input type="checkbox" name="urgent"${f?.urgent ? " checked" : ""}></label>
<button>${t("run")}</button></form>`;
}

function dryResult(vw: View, r: DryRunResult) {
  const { t } = vw;
  return `<div class="card" id="dry-result"><h2>${t("result")}</h2>
<p>${esc(r.company ? `${r.company.name} · ${r.liaison?.name ?? "—"}` : t("state_unroutable"))} · ${esc(t(`urgency_${r.decision.urgency}`))}</p>
<p>${t("response_due")}: ${esc(r.responseDue ?? "—")} · ${t("resolution_due")}: ${esc(r.resolutionDue ?? "—")}</p>
<ol>${r.decision.why.map((w) => `<li>${esc(w)}</li>`).join("")}</ol>
<table><tbody>${r.candidates.map((c) => `<tr><td>${c.fired ? "✓" : "✗"}</td><td>${esc(c.rule)}</td><td class="num">${c.priority}</td><td>${esc(c.conditions.join("; "))}</td><td>${esc(c.failed.join("; "))}</td></tr>`).join("")}</tbody></table></div>`;
}
