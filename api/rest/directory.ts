// REST /api/v1/directory: streets, offices, companies, estates (with buildings, units and contract
// history), liaisons, the audit log and the spreadsheet import. Only translation to HTTP lives here:
// every rule is in core/directory. Admin and district write everything; a street office writes its
// own street's estates and buildings and its own office's e-mail; the committees read their estates.
import express, { type Response, type Router } from "express";
import type { Db } from "../../core/db/db.ts";
import type { Logger } from "../../core/logger.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { DirectoryError, auditLog, type Entity } from "../../core/directory/audit.ts";
import type { EstateIn } from "../../core/directory/fields.ts";
import { saveStreet, setStreetActive } from "../../core/directory/streets.ts";
import { saveCompany } from "../../core/directory/companies.ts";
import { contractHistory, estateByCode, moveEstate, saveEstate, setEstateActive } from "../../core/directory/estates.ts";
import { buildingsOf, deactivateBuilding, saveBuilding } from "../../core/directory/buildings.ts";
import { deactivateLiaison, saveLiaison } from "../../core/directory/liaisons.ts";
import { officeByCode, officeDelivery, renewLinkCode, saveOffice, setOfficeEmail } from "../../core/directory/offices.ts";
import { readDistrictFile } from "../../core/directory/import/read.ts";
import { importDistrict } from "../../core/directory/import/apply.ts";
import { HttpError, parse } from "../http.ts";
import { scopeOf, type Auth } from "../auth.ts";
import type { OfficeAppDeps } from "../office.ts";
import * as S from "./directory-schemas.ts";

export function mapDirectoryError(err: unknown): unknown {
  if (err instanceof DirectoryError) return new HttpError(err.code === "not_found" ? 404 : err.code === "conflict" ? 409 : 400, err.code === "invalid" ? "invalid_request" : err.code, err.message);
  return err;
}

const districtWide = (s: Scope) => s.role === "admin" || s.role === "district";
export function mayWriteStreet(s: Scope, streetId: number): boolean {
  return districtWide(s) || (s.role === "street" && s.streetId === streetId);
}
export function estateVisible(s: Scope, e: { id: number; streetId: number }): boolean {
  return (s.streetId === null || s.streetId === e.streetId) && (!s.estateIds || s.estateIds.includes(e.id));
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
  const change = async <T>(fn: () => Promise<T>): Promise<T> => {
    let out: T;
    try {
      out = await fn();
    } catch (err) {
      throw mapDirectoryError(err);
    }
    await d.router.reload();
    return out;
  };
  const visibleEstate = async (res: Response, code: string) => {
    let e: Awaited<ReturnType<typeof estateByCode>>;
    try {
      e = await estateByCode(db, code);
    } catch (err) {
      throw mapDirectoryError(err);
    }
    if (!estateVisible(scopeOf(res), e)) throw new HttpError(404, "not_found", `no estate "${code}"`);
    return e;
  };
  const param = (req: express.Request) => parse(S.CodeParam, req.params, "path").code;

  r.get("/streets", async (_req, res) => {
    const s = scopeOf(res);
    const rows = await db.street.findMany({ where: s.streetId !== null ? { id: s.streetId } : {}, orderBy: { code: "asc" } });
    res.json(rows.map((x) => ({ code: x.code, name: x.name, active: x.active })));
  });
  r.put("/streets/:code", office, json, async (req, res) => {
    const b = parse(S.StreetBody, req.body, "body");
    const out = await change(() => db.$transaction((tx) => saveStreet(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, active: out.row.active, action: out.action });
  });
  r.post("/streets/:code/deactivate", office, async (req, res) => {
    const out = await change(() => setStreetActive(db, who(res), param(req), false));
    res.json({ code: out.row.code, active: out.row.active });
  });

  r.get("/companies", async (_req, res) => {
    const rows = await db.company.findMany({ orderBy: { code: "asc" } });
    const wide = districtWide(scopeOf(res));
    res.json(rows.map((c) => ({ code: c.code, name: c.name, contact: c.contact, grade: c.grade, active: c.active, ...(wide ? { inviteCode: c.inviteCode } : {}) })));
  });
  r.put("/companies/:code", office, json, async (req, res) => {
    const b = parse(S.CompanyBody, req.body, "body");
    const out = await change(() => db.$transaction((tx) => saveCompany(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, contact: out.row.contact, grade: out.row.grade, active: out.row.active, inviteCode: out.row.inviteCode, action: out.action });
  });

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
    const e = await visibleEstate(res, param(req));
    const [buildings, contracts] = await Promise.all([buildingsOf(db, e.id), contractHistory(db, e.id)]);
    res.json({
      ...estateDto(e),
      buildings: buildings.map((b) => ({ name: b.name, active: b.active, residents: b._count.residents, units: b.units.map((u) => ({ name: u.name, active: u.active })) })),
      contracts: contracts.map((c) => ({ company: { code: c.company.code, name: c.company.name }, startsOn: c.startsOn?.toISOString().slice(0, 10) ?? null, endsOn: c.endsOn?.toISOString().slice(0, 10) ?? null })),
    });
  });
  r.put("/estates/:code", json, async (req, res) => {
    const s = scopeOf(res);
    const body = parse(S.EstateBody, req.body, "body");
    if (body.contractStart && body.contractEnd && body.contractEnd < body.contractStart) throw new HttpError(400, "invalid_request", "invalid body: contractEnd: ends before it starts", [{ path: "contractEnd", message: "ends before it starts" }]);
    const input: EstateIn = { ...body, code: param(req) };
    const street = await db.street.findUnique({ where: { code: input.street } });
    const cur = await db.estate.findUnique({ where: { code: input.code } });
    if (!street) throw new HttpError(400, "invalid_request", `no street "${input.street}"`, [{ path: "street", message: "unknown street" }]);
    if (!mayWriteStreet(s, street.id) || (cur && !mayWriteStreet(s, cur.streetId))) throw new HttpError(403, "forbidden", "outside your area");
    // A company change goes through /move, where the office says what happens to the open cases.
    if (cur && input.company !== undefined && (input.company ? (await db.company.findUnique({ where: { code: input.company } }))?.id : null) !== cur.companyId) {
      throw new HttpError(409, "conflict", `change the managing company with POST /api/v1/directory/estates/${input.code}/move`);
    }
    const out = await change(() => db.$transaction((tx) => saveEstate(tx, s.actorId, input, d.clock.now())));
    res.status(out.action === "created" ? 201 : 200).json({ ...estateDto(await estateByCode(db, input.code)), action: out.action });
  });
  r.post("/estates/:code/move", json, async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw new HttpError(403, "forbidden", "outside your area");
    const b = parse(S.MoveEstateBody, req.body, "body");
    const day = (x?: string) => (x ? new Date(`${x}T00:00:00Z`) : undefined);
    const out = await change(() => moveEstate({ db, cases: d.cases, now: () => d.clock.now() }, s.actorId, e.code, { company: b.company, contractStart: day(b.contractStart), contractEnd: day(b.contractEnd), openCases: b.openCases }));
    log.info({ estate: e.code, company: b.company, moved: out.moved.length, by: s.actorId }, "estate moved to another company");
    res.json({ ...estateDto(out.estate), moved: out.moved });
  });
  r.post("/estates/:code/deactivate", async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw new HttpError(403, "forbidden", "outside your area");
    await change(() => setEstateActive(db, s.actorId, e.code, false, d.clock.now()));
    res.json(estateDto(await estateByCode(db, e.code)));
  });
  r.put("/estates/:code/buildings/:name", json, async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw new HttpError(403, "forbidden", "outside your area");
    const b = parse(S.BuildingBody, req.body, "body");
    const name = parse(S.BuildingName, req.params.name, "building name");
    const out = await change(() => db.$transaction((tx) => saveBuilding(tx, s.actorId, { estate: e.code, name, units: b.units })));
    res.status(out.action === "created" ? 201 : 200).json({ estate: e.code, name, action: out.action });
  });
  r.post("/estates/:code/buildings/:name/deactivate", json, async (req, res) => {
    const s = scopeOf(res);
    const e = await visibleEstate(res, param(req));
    if (!mayWriteStreet(s, e.streetId)) throw new HttpError(403, "forbidden", "outside your area");
    const b = parse(S.DeactivateUnitBody, req.body ?? {}, "body");
    const out = await change(() => deactivateBuilding(db, s.actorId, e.code, parse(S.BuildingName, req.params.name, "building name"), b.unit));
    res.json(out);
  });

  r.get("/liaisons", async (_req, res) => {
    const rows = await db.liaison.findMany({ include: { company: true, _count: { select: { cases: { where: { state: { in: ["routed", "accepted", "reopened"] } } } } } }, orderBy: { code: "asc" } });
    res.json(rows.map((l) => ({ code: l.code, name: l.name, company: { code: l.company.code, name: l.company.name }, active: l.active, onTelegram: l.telegramUserId !== null, openCases: l._count.cases })));
  });
  r.put("/liaisons/:code", office, json, async (req, res) => {
    const b = parse(S.LiaisonBody, req.body, "body");
    const out = await change(() => db.$transaction((tx) => saveLiaison(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, active: out.row.active, action: out.action });
  });
  r.post("/liaisons/:code/deactivate", office, json, async (req, res) => {
    const b = parse(S.DeactivateLiaisonBody, req.body ?? {}, "body");
    const out = await change(() => deactivateLiaison({ db, cases: d.cases }, who(res), param(req), b.to));
    res.json({ code: param(req), active: false, moved: out.moved, to: out.to });
  });

  r.get("/offices", async (_req, res) => {
    const s = scopeOf(res);
    const rows = (await officeDelivery(db)).filter((x) => districtWide(s) || (s.role === "street" && x.office.streetId === s.streetId));
    res.json(rows.map(officeDto));
  });
  r.put("/offices/:code", office, json, async (req, res) => {
    const b = parse(S.OfficeBody, req.body, "body");
    const out = await change(() => db.$transaction((tx) => saveOffice(tx, who(res), { code: param(req), ...b })));
    res.status(out.action === "created" ? 201 : 200).json({ code: out.row.code, name: out.row.name, level: out.row.level, action: out.action });
  });
  const ownOffice = async (res: Response, code: string) => {
    const o = await officeByCode(db, code).catch((err: unknown) => {
      throw mapDirectoryError(err);
    });
    const s = scopeOf(res);
    if (!(districtWide(s) || (s.role === "street" && o.level === "street" && o.streetId === s.streetId))) throw new HttpError(403, "forbidden", "not your office");
    return o;
  };
  r.post("/offices/:code/email", json, async (req, res) => {
    const o = await ownOffice(res, param(req));
    const b = parse(S.EmailBody, req.body, "body");
    const row = await change(() => setOfficeEmail(db, who(res), o.code!, b.email));
    res.json({ code: row.code, email: row.email });
  });
  r.post("/offices/:code/link-code", async (req, res) => {
    const o = await ownOffice(res, param(req));
    const row = await change(() => renewLinkCode(db, who(res), o.code!));
    res.json({ code: row.code, chatLinkCode: row.chatLinkCode });
  });

  r.get("/audit", office, async (req, res) => {
    const q = parse(S.AuditQuery, req.query, "query");
    const rows = await auditLog(db, { entity: q.entity as Entity | undefined, key: q.key, limit: q.limit });
    res.json(rows.map((a) => ({ at: a.at.toISOString(), actor: a.actor, entity: a.entity, key: a.key, action: a.action, before: a.before, after: a.after })));
  });

  r.post("/import", office, express.raw({ type: () => true, limit: "20mb" }), async (req, res) => {
    const q = parse(S.ImportQuery, req.query, "query");
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!bytes.length) throw new HttpError(400, "invalid_request", "send the .xlsx or .csv file as the request body");
    const filename = q.filename ?? "district.xlsx";
    const read = await readDistrictFile(bytes, filename);
    const result = await importDistrict(db, `${who(res)} import:${filename}`, read, { dryRun: q.dryRun === "true" || q.dryRun === "1", now: d.clock.now() });
    if (result.ok && !result.dryRun) await d.router.reload();
    log.info({ by: who(res), filename, ok: result.ok, dryRun: result.dryRun, problems: result.problems.length }, "directory import");
    res.status(result.ok ? 200 : 422).json(result);
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
