// /dashboard/credit: every company's score and grade now; a company's and a project manager's credit
// file (records with source and expiry, the chart, appeals); the managers directory; the appeals
// queue. Writes (records, managers, decisions) are the district's; a street office reads its street
// and files appeals for companies there. Logic is in core/credit; this file only translates.
import express, { type Request, type Response, type Router } from "express";
import type { JSX } from "preact";
import { z } from "zod";
import type { Db } from "../../../core/db/db.ts";
import { companyScores } from "../../../core/credit/credit-file.ts";
import { companyFile, managerFile } from "../../../core/credit/files.ts";
import { assignManager, listManagers, saveManager } from "../../../core/credit/managers.ts";
import { addManualRecord, decideAppeal, fileAppeal, listAppeals } from "../../../core/credit/appeals.ts";
import { scopeOf, type Auth } from "../../auth.ts";
import { HttpError, parse } from "../../http.ts";
import { companiesInScope, type OfficeAppDeps } from "../../office.ts";
import { DbId, formBody } from "../../input-guard.ts";
import { renderFragment } from "../../views/render.tsx";
import { companyInScope, creditError, managerInScope, rulesOf } from "../../rest/credit/routes.ts";
import { mapDirectoryError } from "../../rest/directory.ts";
import { page, view, type View } from "../layout.ts";
import { Records, RecordForm, Summary } from "./views.tsx";
import { Appeals, CompanyList, Managers } from "./lists.tsx";
import { evaluationRoutes } from "./evaluation.tsx";
import { indicatorRoutes } from "./indicators.tsx";

const CODE = z.string().regex(/^[\w-]{1,64}$/);
const text = (max: number) => z.string().trim().min(1).max(max);

export function creditPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const staff = auth.requireRole("admin", "district", "street");
  const office = auth.requireRole("admin", "district");
  const form = [formBody({ extended: false, limit: "8kb" }), auth.requireCsrf];
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const send = (res: Response, vw: View, title: string, body: JSX.Element, chart = false) =>
    res.type("html").send(page(vw, title, renderFragment(body), { res, ...(chart ? { scripts: ["/assets/chart.umd.min.js", "/assets/credit-chart.js"] } : {}) }));
  const h = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: (e: unknown) => void) => {
    fn(req, res).catch((err) => next(mapDirectoryError(creditError(err), v(req, res).locale)));
  };
  const district = (res: Response) => scopeOf(res).streetId === null && ["admin", "district"].includes(scopeOf(res).role);
  const manualTypes = () => rulesOf(d).recordTypes.filter((x) => x.trigger === "manual").map((x) => x.type);

  r.get("/credit", staff, h(async (req, res) => {
    const vw = v(req, res);
    const now = d.clock.now();
    const companies = await db.company.findMany({ where: companiesInScope(scopeOf(res)), orderBy: { code: "asc" } });
    const scores = await companyScores(db, rulesOf(d), now, companies.map((c) => c.id));
    send(res, vw, vw.t("cr_title"), <CompanyList vw={vw} at={now} rows={companies.map((c) => ({ code: c.code, name: c.name, s: scores.get(c.id)! }))} />);
  }));

  r.get("/credit/managers", staff, h(async (req, res) => {
    const vw = v(req, res);
    const [managers, estates] = await Promise.all([listManagers(db, { streetId: scopeOf(res).streetId }), db.estate.findMany({ where: { active: true }, orderBy: { code: "asc" }, select: { code: true, name: true } })]);
    send(res, vw, vw.t("cr_managers"), <Managers vw={vw} rows={managers} estates={estates} mayEdit={district(res)} />);
  }));

  r.get("/credit/managers/:id", staff, h(async (req, res) => {
    const vw = v(req, res);
    const scope = scopeOf(res);
    const m = await managerInScope(db, parse(DbId, req.params.id, "manager id"), scope);
    const file = (await managerFile(db, rulesOf(d), m.id, d.clock.now(), scope.streetId))!;
    const cert = `${vw.t("cr_certificate")} ${m.certificateNo ?? "—"} · ${vw.t("cr_cert_expires")} ${m.certificateExpiresOn ? m.certificateExpiresOn.toISOString().slice(0, 10) : "—"}`;
    send(res, vw, `${vw.t("cr_manager")} · ${m.name}`, (
      <>
        <p class="note">{cert}</p>
        <Summary vw={vw} file={file} />
        <Records vw={vw} records={file.records} mayAppeal={true} />
        {district(res) ? <RecordForm vw={vw} types={manualTypes()} manager={m.id} /> : null}
      </>
    ), true);
  }));

  r.get("/credit/appeals", staff, h(async (req, res) => {
    const vw = v(req, res);
    send(res, vw, vw.t("cr_appeals"), <Appeals vw={vw} rows={await listAppeals(db, { streetId: scopeOf(res).streetId })} mayDecide={district(res)} />);
  }));

  evaluationRoutes(r, db, d, staff, h);
  indicatorRoutes(r, db, d, staff, h);

  r.get("/credit/:code", staff, h(async (req, res) => {
    const vw = v(req, res);
    const scope = scopeOf(res);
    const c = await companyInScope(db, parse(CODE, req.params.code, "company"), scope).catch(() => {
      throw new HttpError(404, "not_found", vw.t("not_found"));
    });
    const file = await companyFile(db, rulesOf(d), c.id, d.clock.now(), scope.streetId);
    send(res, vw, `${vw.t("cr_title")} · ${c.name}`, (
      <>
        <Summary vw={vw} file={file} />
        <Records vw={vw} records={file.records} mayAppeal={true} />
        {district(res) ? <RecordForm vw={vw} types={manualTypes()} company={c.code} /> : null}
        <p>
          <a href="/dashboard/credit">← {vw.t("back")}</a>
        </p>
      </>
    ), true);
  }));

  r.post("/credit/records", ...form, office, h(async (req, res) => {
    const b = parse(z.object({ company: CODE.optional(), manager: DbId.optional(), type: text(40), note: text(500) }).loose(), req.body, "form");
    const company = b.company ? await companyInScope(db, b.company, scopeOf(res)) : null;
    await addManualRecord(db, rulesOf(d), { companyId: company?.id, managerId: b.manager, type: b.type, note: b.note, at: d.clock.now(), actor: scopeOf(res).actorId });
    res.redirect(303, company ? `/dashboard/credit/${company.code}` : `/dashboard/credit/managers/${b.manager}`);
  }));

  r.post("/credit/records/:id/appeal", ...form, staff, h(async (req, res) => {
    const id = parse(DbId, req.params.id, "record id");
    const b = parse(z.object({ reason: text(1000), evidence: z.string().trim().max(2000).optional() }).loose(), req.body, "form");
    const scope = scopeOf(res);
    const rec = await db.creditRecord.findUnique({ where: { id } });
    if (!rec || (scope.streetId !== null && rec.streetId !== scope.streetId)) throw new HttpError(404, "not_found", `record ${id} not found`);
    await fileAppeal(db, { recordId: id, reason: b.reason, evidence: b.evidence, filedBy: scope.actorId, at: d.clock.now() });
    res.redirect(303, "/dashboard/credit/appeals");
  }));

  r.post("/credit/appeals/:id/decide", ...form, office, h(async (req, res) => {
    const id = parse(DbId, req.params.id, "appeal id");
    const b = parse(z.object({ decision: z.enum(["upheld", "withdrawn"]), reason: text(1000) }).loose(), req.body, "form");
    await decideAppeal(db, { appealId: id, decision: b.decision, reason: b.reason, by: scopeOf(res).actorId, at: d.clock.now() });
    res.redirect(303, "/dashboard/credit/appeals");
  }));

  r.post("/credit/managers", ...form, office, h(async (req, res) => {
    const b = parse(z.object({ name: text(60), certificateNo: z.string().trim().max(40).optional(), certificateExpiresOn: z.union([z.iso.date(), z.literal("")]).optional(), phone: z.string().trim().max(30).optional() }).loose(), req.body, "form");
    await saveManager(db, scopeOf(res).actorId, { name: b.name, certificateNo: b.certificateNo || null, certificateExpiresOn: b.certificateExpiresOn ? new Date(b.certificateExpiresOn) : null, phone: b.phone || null });
    res.redirect(303, "/dashboard/credit/managers");
  }));

  r.post("/credit/managers/:id/assign", ...form, office, h(async (req, res) => {
    const id = parse(DbId, req.params.id, "manager id");
    const b = parse(z.object({ estate: CODE, startsOn: z.iso.date() }).loose(), req.body, "form");
    const estate = await db.estate.findUnique({ where: { code: b.estate } });
    if (!estate) throw new HttpError(404, "not_found", `estate "${b.estate}" not found`);
    await assignManager(db, scopeOf(res).actorId, { managerId: id, estateId: estate.id, startsOn: new Date(b.startsOn) });
    res.redirect(303, "/dashboard/credit/managers");
  }));

  return r;
}
