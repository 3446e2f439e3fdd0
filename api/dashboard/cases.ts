// Dashboard: case list (filters, search, keyset pages, CSV) and the case page with its actions.
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { listCases } from "../../core/cases/case-query.ts";
import { acknowledgeEscalation, addNote, applyOfficeAction, decideExtension, urgeLiaison } from "../../core/cases/office-actions.ts";
import { HttpError, parse } from "../http.ts";
import { fromLocal, toLocal } from "../../core/clocks/zoned-time.ts";
import { scopeOf, type Auth } from "../auth.ts";
import { estateWhereOf, may } from "../../core/access/permissions.ts";
import { CaseListQuery } from "../rest/schemas.ts";
import { actorOf, companiesInScope, findCaseInScope, type OfficeAppDeps } from "../office.ts";
import { collectCases, filterOf, mapOfficeError } from "../rest/v1.ts";
import { caseColumns, sendExport, type ExportFormat } from "../exports.ts";
import { page, view } from "./layout.ts";
import { CaseList, CasePage, type ActorNames } from "../views/case-pages.tsx";
import { DbId, formBody } from "../input-guard.ts";
import { Fragment, h } from "preact";
import { pendingBanner } from "./approvals.tsx";

const PAGE = 50;

export function caseListQueryOf(req: Request) {
  // Empty form fields mean "any".
  const q = Object.fromEntries(Object.entries(req.query).filter(([k, v]) => v !== "" && k !== "lang"));
  return parse(CaseListQuery, { limit: String(PAGE), ...q }, "filters");
}

export function casesPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const deps = { db, cases: d.cases, clock: d.clock, ...(d.workspaceBaseUrl ? { workspaceBaseUrl: d.workspaceBaseUrl } : {}) };

  r.get("/cases", async (req, res) => {
    const vw = v(req, res);
    const { t } = vw;
    const q = caseListQueryOf(req);
    const scope = scopeOf(res);
    const now = d.clock.now();
    const [pg, estates, companies] = await Promise.all([
      listCases(db, filterOf(q, d.timezone), scope, { limit: q.limit, before: q.before }, now),
      db.estate.findMany({ where: estateWhereOf(scope), orderBy: { code: "asc" } }),
      db.company.findMany({ where: companiesInScope(scopeOf(res)), orderBy: { code: "asc" } }),
    ]);
    const qs = (extra: Record<string, string | undefined>) => {
      const p = new URLSearchParams();
      for (const [k, val] of Object.entries({ ...req.query, ...extra })) if (typeof val === "string" && val !== "" && k !== "lang") p.set(k, val);
      return p.toString();
    };
    const exportQs = qs({ before: undefined, limit: undefined });
    // The office's overview: residents (and their cases) waiting for approval come first.
    const banner = scope.estateIds ? null : await pendingBanner(db, vw, scope);
    const list = CaseList({
      vw, items: pg.items, now, categories: d.categories, estates, companies, q, exportQs,
      firstHref: q.before ? `/dashboard/cases?${qs({ before: undefined })}` : null,
      nextHref: pg.nextBefore ? `/dashboard/cases?${qs({ before: String(pg.nextBefore) })}` : null,
    });
    const body = banner ? h(Fragment, null, banner, list) : list;
    res.type("html").send(page(vw, t("cases"), body, { res }));
  });

  // Exports in the reader's language: names, local times, the filter and date in the file name.
  const exportCases = (format: ExportFormat) => async (req: Request, res: Response) => {
    const vw = v(req, res);
    const { t } = vw;
    const q = caseListQueryOf(req);
    const now = d.clock.now();
    const [rows, estate, company] = await Promise.all([
      collectCases(db, filterOf(q, d.timezone), scopeOf(res), now),
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
    // A case number ("2026-000123") is what a clerk copies from a message: find it and go to its page.
    if (CASE_NUMBER.test(req.params.id)) {
      const c = await findCaseInScope(db, req.params.id, scopeOf(res));
      return res.redirect(303, `/dashboard/cases/${c.id}`);
    }
    const id = parse(DbId, req.params.id, "case id");
    const c = await findCaseInScope(db, id, scopeOf(res));
    const [liaisons, names] = await Promise.all([
      db.liaison.findMany({ where: { active: true, company: companiesInScope(scopeOf(res)) }, include: { company: true }, orderBy: [{ companyId: "asc" }, { code: "asc" }] }),
      actorNames(db, c.events),
    ]);
    const done = typeof req.query.done === "string" ? req.query.done : undefined;
    const body = CasePage({ vw, c, now: d.clock.now(), liaisons, categories: d.categories, names, stored: !!d.attachments, pendingFetch: !!d.files, done, canWork: may(scopeOf(res), "cases.work", c) });
    res.type("html").send(page(vw, `${vw.t("cases")} ${c.number}`, body, { res }));
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
      // The 超时 page's buttons come back to it.
      if ((req.body as { back?: unknown } | undefined)?.back === "overdue") return res.redirect(303, `/dashboard/overdue?done=${path.split("/")[0]}#overdue`);
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
  post("acknowledge", async (_req, res, id) => {
    const s = scopeOf(res);
    await acknowledgeEscalation(deps, id, actorOf(s), { by: s.name ?? s.actorId });
  });
  post("urge", async (req, res, id) => {
    const b = parse(z.object({ note: z.string().trim().max(500).optional() }).loose(), req.body ?? {}, "form");
    const s = scopeOf(res);
    await urgeLiaison(deps, id, actorOf(s), { by: s.name ?? s.actorId, note: b.note || undefined });
  });
  post("extension/:ext", async (req, res, id) => {
    const ext = parse(DbId, req.params.ext, "extension id");
    const b = parse(z.object({ decision: z.enum(["approve", "deny"]), note: z.string().trim().max(2000).optional(), dueOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(z.literal("")) }).loose(), req.body, "form");
    // The clerk says why on a refusal (the liaison is told it); an approval may set its own date.
    if (b.decision === "deny" && !b.note) throw new HttpError(400, "invalid", "请填写不同意的理由");
    const dueAt = b.decision === "approve" && b.dueOn ? await extensionDateOn(db, ext, b.dueOn, d.timezone) : undefined;
    await decideExtension(deps, id, ext, b.decision === "approve", actorOf(scopeOf(res)), b.note || undefined, undefined, dueAt ? { dueAt } : {});
  });
  return r;
}

const CASE_NUMBER = /^\d{4}-\d{1,10}$/;

/** The day the office picked, at the time of day the liaison asked for (local time). */
async function extensionDateOn(db: Db, extensionId: number, day: string, timezone: string): Promise<Date | undefined> {
  const ext = await db.extensionRequest.findUnique({ where: { id: extensionId } });
  if (!ext) return undefined;
  const t = toLocal(ext.requestedDueAt, timezone);
  const [y, m, dd] = day.split("-").map(Number) as [number, number, number];
  return fromLocal(y, m, dd, t.hour, t.minute, timezone);
}

/** Names for the timeline's actors: liaisons by id, staff by username, API clients by token id. */
async function actorNames(db: Db, events: { actorType: string; actorId: string | null }[]): Promise<ActorNames> {
  const ids = (type: string) => [...new Set(events.filter((e) => e.actorType === type && e.actorId).map((e) => e.actorId!))];
  const liaisonIds = ids("liaison").filter((x) => /^\d{1,9}$/.test(x)).map(Number);
  const office = [...ids("office"), ...ids("api")];
  const users = office.filter((x) => x.startsWith("user:")).map((x) => x.slice(5));
  const tokens = office.filter((x) => /^token:\d{1,9}$/.test(x)).map((x) => Number(x.slice(6)));
  const [ls, us, ts] = await Promise.all([
    liaisonIds.length ? db.liaison.findMany({ where: { id: { in: liaisonIds } }, select: { id: true, name: true } }) : [],
    users.length ? db.staffUser.findMany({ where: { username: { in: users } }, select: { username: true, displayName: true } }) : [],
    tokens.length ? db.apiToken.findMany({ where: { id: { in: tokens } }, select: { id: true, name: true } }) : [],
  ]);
  const names: ActorNames = new Map();
  for (const l of ls) names.set(`liaison:${l.id}`, l.name);
  for (const u of us) for (const type of ["office", "api"]) names.set(`${type}:user:${u.username}`, u.displayName);
  for (const tk of ts) for (const type of ["office", "api"]) names.set(`${type}:token:${tk.id}`, tk.name);
  return names;
}
