// REST /api/v1/directory: streets, offices, companies, estates (with buildings, units and contract
// history), liaisons, the audit log and the spreadsheet import. Only translation to HTTP lives here:
// every rule is in core/directory. Admin and district write everything; a street office writes its
// own street's estates and buildings and its own office's e-mail; the committees read their estates.
import express, { type Request, type Response, type Router } from "express";
import type { z } from "zod";
import type { Locale } from "../../core/cases/categories.ts";
import type { Db } from "../../core/db/db.ts";
import type { Logger } from "../../core/logger.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { can, inArea, may } from "../../core/access/permissions.ts";
import { DirectoryError, auditLog, type Entity, type Refusal } from "../../core/directory/audit.ts";
import { issueRefusal, type EstateIn } from "../../core/directory/fields.ts";
import { apiLocale, wordRefusal } from "../i18n/refusal-strings.ts";
import { saveStreet, setStreetActive } from "../../core/directory/streets.ts";
import { saveCompany, setCompanyActive } from "../../core/directory/companies.ts";
import { contractHistory, estateByCode, moveEstate, saveEstate, setEstateActive } from "../../core/directory/estates.ts";
import { buildingsOf, deactivateBuilding, saveBuilding } from "../../core/directory/buildings.ts";
import { deactivateLiaison, reactivateLiaison, saveLiaison } from "../../core/directory/liaisons.ts";
import { editOffice, officeByCode, officeDelivery, renewLinkCode, saveOffice, setOfficeEmail } from "../../core/directory/offices.ts";
import { queueRobotTest, robotStatus, setOfficeRobots } from "../../core/delivery/robots/office-robots.ts";
import { readDistrictFile } from "../../core/directory/import/read.ts";
import { importDistrict } from "../../core/directory/import/apply.ts";
import { rememberedMapping } from "../../core/directory/import/mapping.ts";
import { moveOpenCases } from "../../core/directory/estates.ts";
import { HttpError } from "../http.ts";
import { scopeOf, type Auth } from "../auth.ts";
import type { OfficeAppDeps } from "../office.ts";
import * as S from "./directory-schemas.ts";

/** A refusal as an HTTP answer: worded in the asked language, with its reason code and parameters. */
export function refusalHttp(locale: Locale, status: number, r: Refusal): HttpError {
  const code = status === 404 ? "not_found" : status === 409 ? "conflict" : status === 403 ? "forbidden" : "invalid_request";
  return new HttpError(status, code, wordRefusal(locale, r), undefined, { reason: r.reason, ...(r.params ? { params: r.params } : {}) });
}

export function mapDirectoryError(err: unknown, locale: Locale): unknown {
  if (err instanceof DirectoryError) return refusalHttp(locale, err.code === "not_found" ? 404 : err.code === "conflict" ? 409 : 400, err.refusal);
  return err;
}

/** Validates with the directory's schemas; each bad field worded in the asked language. */
export function parseWorded<T extends z.ZodType>(locale: Locale, schema: T, data: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: wordRefusal(locale, { ...issueRefusal(i), field: undefined }), reason: issueRefusal(i).reason }));
  throw new HttpError(400, "invalid_request", `${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues.map(({ path, message }) => ({ path, message })), { reasons: issues.map((i) => ({ path: i.path, reason: i.reason })) });
}

// The one rule (core/access/permissions.ts), in the words this router uses.
const districtWide = (s: Scope) => can(s.role, "directory.district");
export function mayWriteStreet(s: Scope, streetId: number): boolean {
  return may(s, "directory.edit", { streetId });
}
export function estateVisible(s: Scope, e: { id: number; streetId: number }): boolean {
  return inArea(s, { streetId: e.streetId, estateId: e.id });
}

export function estateDto(e: Awaited<ReturnType<typeof estateByCode>>) {
  return {
    code: e.code,
    name: e.name,
    street: { code: e.street.code, name: e.street.name },
    community: e.community,
    address: e.address,
    households: e.households,
    latitude: e.latitude,
    longitude: e.longitude,
    company: e.company ? { code: e.company.code, name: e.company.name } : null,
    inviteCode: e.inviteCode,
    active: e.active,
  };
}

export interface DirectoryApiDeps {
  db: Db;
  d: OfficeAppDeps;
  auth: Auth;
  log: Logger;
}

export function directoryApi({ db, d, auth, log }: DirectoryApiDeps): Router {
  const r = express.Router();
  r.use(auth.requireApi);
  const json = express.json({ limit: "64kb" });
  const who = (res: Response) => scopeOf(res).actorId;
  const office = auth.requireRole("admin", "district");
  /** Runs a change, maps refusals, and lets routing see the new directory. */
  const loc = (req: Request) => apiLocale(req.get("accept-language"), d.defaultLocale);
  const P = <T extends z.ZodType>(req: Request, schema: T, data: unknown, where: string) => parseWorded(loc(req), schema, data, where);
  const refuse = (req: Request, status: number, r: Refusal) => refusalHttp(loc(req), status, r);
  const change = async <T>(req: Request, fn: () => Promise<T>): Promise<T> => {
    let out: T;
    try {
      out = await fn();
    } catch (err) {
      throw mapDirectoryError(err, loc(req));
    }
    await d.router.reload();
    return out;
  };
  const visibleEstate = async (req: Request, res: Response, code: string) => {
    let e: Awaited<ReturnType<typeof estateByCode>>;
    try {
      e = await estateByCode(db, code);
    } catch (err) {
      throw mapDirectoryError(err, loc(req));
    }
    if (!estateVisible(scopeOf(res), e)) throw refuse(req, 404, { reason: "unknown_estate", params: { code } });
    return e;
  };
  const param = (req: Request) => P(req, S.CodeParam, req.params, "path").code;

  r.get("/streets", async (_req, res) => {
    const s = scopeOf(res);
    const rows = await db.street.findMany({ where: s.streetId !== null ? { id: s.streetId } : {}, orderBy: { code: "asc" } });
    res.json(rows.map((x) => ({ code: x.code, name: x.name, active: x.active })));
  });
  r.put("/streets/:code", office, json, async (req, res) => {
    const b = P(req, S.StreetBody, req.body, "body");
    const out = await change(req, () => db.$transaction((tx) => saveStreet(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, active: out.row.active, action: out.action });
  });
  r.post("/streets/:code/deactivate", office, async (req, res) => {
    const out = await change(req, () => setStreetActive(db, who(res), param(req), false));
    res.json({ code: out.row.code, active: out.row.active });
  });
  r.post("/streets/:code/reactivate", office, async (req, res) => {
    const out = await change(req, () => setStreetActive(db, who(res), param(req), true));
    res.json({ code: out.row.code, active: out.row.active });
  });

  r.get("/companies", async (_req, res) => {
    const rows = await db.company.findMany({ orderBy: { code: "asc" } });
    const wide = districtWide(scopeOf(res));
    res.json(rows.map((c) => ({ code: c.code, name: c.name, contact: c.contact, grade: c.grade, active: c.active, ...(wide ? { inviteCode: c.inviteCode } : {}) })));
  });
  r.put("/companies/:code", office, json, async (req, res) => {
    const b = P(req, S.CompanyBody, req.body, "body");
    const out = await change(req, () => db.$transaction((tx) => saveCompany(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, contact: out.row.contact, grade: out.row.grade, active: out.row.active, inviteCode: out.row.inviteCode, action: out.action });
  });

  for (const [path, active] of [["suspend", false], ["reactivate", true]] as const) {
    r.post(`/companies/:code/${path}`, office, async (req, res) => {
      const out = await change(req, () => setCompanyActive(db, who(res), param(req), active));
      res.json({ code: out.row.code, name: out.row.name, active: out.row.active });
    });
  }

  r.get("/estates", async (_req, res) => {
    const s = scopeOf(res);
    const rows = await db.estate.findMany({
      where: { ...(s.streetId !== null ? { streetId: s.streetId } : {}), ...(s.estateIds ? { id: { in: s.estateIds } } : {}) },
      include: { street: true, company: true },
      orderBy: { code: "asc" },
    });
    res.json(rows.map(estateDto));
  });
  r.get("/estates/:code", async (req, res) => {
    const e = await visibleEstate(req, res, param(req));
    const [buildings, contracts] = await Promise.all([buildingsOf(db, e.id), contractHistory(db, e.id)]);
    res.json({
      ...estateDto(e),
      buildings: buildings.map((b) => ({ name: b.name, active: b.active, residents: b._count.residents, units: b.units.map((u) => ({ name: u.name, active: u.active })) })),
      contracts: contracts.map((c) => ({ company: { code: c.company.code, name: c.company.name }, startsOn: c.startsOn?.toISOString().slice(0, 10) ?? null, endsOn: c.endsOn?.toISOString().slice(0, 10) ?? null })),
    });
  });
  r.put("/estates/:code", json, async (req, res) => {
    const s = scopeOf(res);
    const body = P(req, S.EstateBody, req.body, "body");
    if (body.contractStart && body.contractEnd && body.contractEnd < body.contractStart) throw refuse(req, 400, { reason: "v_ends_before_start", field: "contractEnd" });
    const input: EstateIn = { ...body, code: param(req) };
    const street = await db.street.findUnique({ where: { code: input.street } });
    const cur = await db.estate.findUnique({ where: { code: input.code } });
    if (!street) throw refuse(req, 400, { reason: "unknown_street", params: { code: input.street }, field: "street" });
    if (!mayWriteStreet(s, street.id) || (cur && !mayWriteStreet(s, cur.streetId))) throw refuse(req, 403, { reason: "outside_area" });
    // A company change goes through /move, where the office says what happens to the open cases.
    if (cur && input.company !== undefined && (input.company ? (await db.company.findUnique({ where: { code: input.company } }))?.id : null) !== cur.companyId) {
      throw refuse(req, 409, { reason: "move_via_endpoint", params: { code: input.code } });
    }
    const out = await change(req, () => db.$transaction((tx) => saveEstate(tx, s.actorId, input, d.clock.now())));
    res.status(out.action === "created" ? 201 : 200).json({ ...estateDto(await estateByCode(db, input.code)), action: out.action });
  });
  r.post("/estates/:code/move", json, async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(req, res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw refuse(req, 403, { reason: "outside_area" });
    const b = P(req, S.MoveEstateBody, req.body, "body");
    const day = (x?: string) => (x ? new Date(`${x}T00:00:00Z`) : undefined);
    const out = await change(req, () => moveEstate({ db, cases: d.cases, now: () => d.clock.now() }, s.actorId, e.code, { company: b.company, contractStart: day(b.contractStart), contractEnd: day(b.contractEnd), openCases: b.openCases }));
    log.info({ estate: e.code, company: b.company, moved: out.moved.length, by: s.actorId }, "estate moved to another company");
    res.json({ ...estateDto(out.estate), moved: out.moved });
  });
  r.post("/estates/:code/deactivate", async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(req, res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw refuse(req, 403, { reason: "outside_area" });
    await change(req, () => setEstateActive(db, s.actorId, e.code, false, d.clock.now()));
    res.json(estateDto(await estateByCode(db, e.code)));
  });
  r.post("/estates/:code/reactivate", async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(req, res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw refuse(req, 403, { reason: "outside_area" });
    await change(req, () => setEstateActive(db, s.actorId, e.code, true, d.clock.now()));
    res.json(estateDto(await estateByCode(db, e.code)));
  });
  r.put("/estates/:code/buildings/:name", json, async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(req, res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw refuse(req, 403, { reason: "outside_area" });
    const b = P(req, S.BuildingBody, req.body, "body");
    const name = P(req, S.BuildingName, req.params.name, "building name");
    const out = await change(req, () => db.$transaction((tx) => saveBuilding(tx, s.actorId, { estate: e.code, name, units: b.units })));
    res.status(out.action === "created" ? 201 : 200).json({ estate: e.code, name, action: out.action });
  });
  r.post("/estates/:code/buildings/:name/deactivate", json, async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(req, res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw refuse(req, 403, { reason: "outside_area" });
    const b = P(req, S.DeactivateUnitBody, req.body ?? {}, "body");
    const out = await change(req, () => deactivateBuilding(db, s.actorId, e.code, P(req, S.BuildingName, req.params.name, "building name"), b.unit));
    res.json(out);
  });

  r.get("/liaisons", async (_req, res) => {
    const rows = await db.liaison.findMany({ include: { company: true, _count: { select: { cases: { where: { state: { in: ["routed", "accepted", "reopened"] } } } } } }, orderBy: { code: "asc" } });
    res.json(rows.map((l) => ({ code: l.code, name: l.name, company: { code: l.company.code, name: l.company.name }, active: l.active, onTelegram: l.telegramUserId !== null, openCases: l._count.cases })));
  });
  r.put("/liaisons/:code", office, json, async (req, res) => {
    const b = P(req, S.LiaisonBody, req.body, "body");
    const out = await change(req, () => db.$transaction((tx) => saveLiaison(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, active: out.row.active, action: out.action });
  });
  r.post("/liaisons/:code/deactivate", office, json, async (req, res) => {
    const b = P(req, S.DeactivateLiaisonBody, req.body ?? {}, "body");
    const out = await change(req, () => deactivateLiaison({ db, cases: d.cases }, who(res), param(req), b.to));
    res.json({ code: param(req), active: false, moved: out.moved, to: out.to });
  });
  r.post("/liaisons/:code/reactivate", office, async (req, res) => {
    const row = await change(req, () => reactivateLiaison(db, who(res), param(req)));
    res.json({ code: row.code, name: row.name, active: row.active });
  });

  r.get("/offices", async (_req, res) => {
    const s = scopeOf(res);
    const rows = (await officeDelivery(db)).filter((x) => districtWide(s) || (s.role === "street" && x.office.streetId === s.streetId));
    res.json(rows.map(officeDto));
  });
  r.put("/offices/:code", office, json, async (req, res) => {
    const b = P(req, S.OfficeBody, req.body, "body");
    const out = await change(req, () => db.$transaction((tx) => saveOffice(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, level: out.row.level, action: out.action });
  });
  const ownOffice = async (req: Request, res: Response, code: string) => {
    const o = await officeByCode(db, code).catch((err: unknown) => {
      throw mapDirectoryError(err, loc(req));
    });
    const s = scopeOf(res);
    if (!(districtWide(s) || (s.role === "street" && o.level === "street" && o.streetId === s.streetId))) throw refuse(req, 403, { reason: "outside_area" });
    return o;
  };
  r.patch("/offices/:code", json, async (req, res) => {
    const o = await ownOffice(req, res, param(req));
    const b = P(req, S.OfficePatchBody, req.body, "body");
    if (!districtWide(scopeOf(res)) && Object.keys(b).some((k) => !["name", "language", "email"].includes(k))) throw refuse(req, 403, { reason: "street_office_own_fields" });
    const out = await change(req, () => editOffice(db, who(res), o.code!, b));
    res.json({ code: out.row.code, name: out.row.name, level: out.row.level, email: out.row.email, language: out.row.language, action: out.action });
  });
  r.post("/offices/:code/email", json, async (req, res) => {
    const o = await ownOffice(req, res, param(req));
    const b = P(req, S.EmailBody, req.body, "body");
    const row = await change(req, () => setOfficeEmail(db, who(res), o.code!, b.email));
    res.json({ code: row.code, email: row.email });
  });
  const robotsAnswer = async (code: string) => {
    const o = await officeByCode(db, code);
    const robots = await robotStatus(db, o);
    return { code: o.code!, robots: robots.map((x) => ({ ...x, last: x.last ? { ...x.last, at: x.last.at.toISOString() } : null })) };
  };
  r.get("/offices/:code/robots", async (req, res) => {
    const o = await ownOffice(req, res, param(req));
    res.json(await robotsAnswer(o.code!));
  });
  r.put("/offices/:code/robots", json, async (req, res) => {
    const o = await ownOffice(req, res, param(req));
    const b = P(req, S.RobotsBody, req.body, "body");
    await change(req, () => setOfficeRobots(db, who(res), o.code!, b));
    res.json(await robotsAnswer(o.code!));
  });
  r.post("/offices/:code/robots/test", json, async (req, res) => {
    const o = await ownOffice(req, res, param(req));
    const b = P(req, S.RobotTestBody, req.body, "body");
    await change(req, () => queueRobotTest(db, o.code!, b.provider, d.clock.now()));
    res.json({ code: o.code, provider: b.provider, queued: true });
  });
  r.post("/offices/:code/link-code", async (req, res) => {
    const o = await ownOffice(req, res, param(req));
    const row = await change(req, () => renewLinkCode(db, who(res), o.code!));
    res.json({ code: row.code, chatLinkCode: row.chatLinkCode });
  });

  r.get("/audit", office, async (req, res) => {
    const q = P(req, S.AuditQuery, req.query, "query");
    const rows = await auditLog(db, { entity: q.entity as Entity | undefined, key: q.key, limit: q.limit });
    res.json(rows.map((a) => ({ at: a.at.toISOString(), actor: a.actor, entity: a.entity, key: a.key, action: a.action, before: a.before, after: a.after })));
  });

  r.post("/import", office, express.raw({ type: () => true, limit: "20mb" }), async (req, res) => {
    const q = P(req, S.ImportQuery, req.query, "query");
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!bytes.length) throw refuse(req, 400, { reason: "send_file" });
    const filename = q.filename ?? "district.xlsx";
    const read = await readDistrictFile(bytes, filename, { mapping: await rememberedMapping(db) });
    const dryRun = q.dryRun === "true" || q.dryRun === "1";
    // The open-case choice applies to every estate whose company changes (the preview lists them).
    const choice = q.openCases;
    const openCases = choice ? new Proxy({} as Record<string, "move" | "stay">, { get: () => choice }) : undefined;
    const result = await importDistrict(db, `${who(res)} import:${filename}`, read, { dryRun, now: d.clock.now(), expect: q.expect, openCases, moveCases: (estate, company) => moveOpenCases({ db, cases: d.cases }, `${who(res)} import:${filename}`, estate, company) });
    if (result.ok && !result.dryRun) await d.router.reload();
    log.info({ by: who(res), filename, ok: result.ok, dryRun: result.dryRun, problems: result.problems.length }, "directory import");
    const locale = loc(req);
    res.status(result.ok ? 200 : 422).json({ ...result, problems: result.problems.map((p) => ({ ...p, message: wordRefusal(locale, p) })) });
  });

  r.use((_req, _res, next) => next(new HttpError(404, "not_found", "no such endpoint")));
  return r;
}

export function officeDto(x: Awaited<ReturnType<typeof officeDelivery>>[number]) {
  const o = x.office;
  return {
    code: o.code,
    name: o.name,
    level: o.level,
    street: o.street ? { code: o.street.code, name: o.street.name } : null,
    email: o.email,
    language: o.language,
    chat: x.chat,
    chatTitle: o.chatTitle,
    chatLinkedAt: o.chatLinkedAt?.toISOString() ?? null,
    chatRemovedAt: o.chatRemovedAt?.toISOString() ?? null,
    chatLinkCode: o.chatLinkCode,
    lastMessage: x.last ? { status: x.last.status, at: (x.last.sentAt ?? x.last.createdAt).toISOString(), error: x.last.lastError } : null,
  };
}
