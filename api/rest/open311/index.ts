// Open311 GeoReport v2 under /open311/v2, in JSON and XML: discovery, services, service definitions,
// requests (GET list and one, POST), tokens. Reads need no key (a street token narrows them to its
// street); POST needs api_key (parameter or bearer header). Errors — 400 to 429 — are the spec's list
// of {code, description} in the requested format. Files: format (JSON/XML), locate (where → estate),
// requests (parameters, duplicates, the request shape), services, media (media_url links).
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { Logger } from "../../../core/logger.ts";
import type { Scope } from "../../../core/directory/staff.ts";
import { caseWhereOf, inArea } from "../../../core/access/permissions.ts";
import { HttpError, parse, toHttp } from "../../http.ts";
import { formBody, jsonBody } from "../../input-guard.ts";
import { who } from "../../auth.ts";
import { pickLocale } from "../../i18n/i18n.ts";
import type { ApiGate } from "../../rate-limit.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { formatOf, sendErrors, sendList, sendOne, splitFormat, type Format } from "./format.ts";
import { discovery, discoveryXml, serviceDefinition, serviceDefinitionXml, serviceList } from "./services.ts";
import { ListParams, listWhere, requestInclude, toServiceRequest } from "./requests.ts";
import { fileRequest } from "./post.ts";

const PUBLIC: Scope = { role: "district", streetId: null, actorId: "public", name: "public" };

export function open311Router(db: Db, d: OfficeAppDeps, gate: ApiGate, log: Logger): Router {
  const r = express.Router();
  const h =
    (fn: (req: Request, res: Response, fmt: Format) => Promise<unknown> | unknown): RequestHandler =>
    async (req, res, next) => {
      try {
        await fn(req, res, formatOf(req));
      } catch (err) {
        next(err);
      }
    };
  r.use(formBody({ extended: false, limit: "32kb" }), jsonBody({ limit: "32kb" }));
  // Open311 clients send the key as a parameter; it is verified like a bearer token.
  r.use((req, _res, next) => {
    const key = (req.query.api_key ?? (req.body as Record<string, unknown> | undefined)?.api_key) as unknown;
    if (typeof key === "string" && key && !req.headers.authorization) req.headers.authorization = `Bearer ${key}`;
    next();
  });
  r.use(...gate.handlers);
  const lang = (req: Request) => pickLocale(typeof req.query.lang === "string" ? req.query.lang : undefined, d.defaultLocale);
  const readScope = (res: Response) => who(res)?.scope ?? PUBLIC;
  const fmtFile = (file: string) => {
    const f = splitFormat(file);
    if (!f) throw new HttpError(404, "not_found", `add .json or .xml to ${file}`);
    return f;
  };

  r.get("/discovery.:format", h((req, res, fmt) => {
    fmtFile(`discovery.${req.params.format}`);
    const doc = discovery(d.publicBaseUrl, "2026-12-02T00:00:00Z");
    sendOne(res, fmt, "discovery", doc, discoveryXml(doc));
  }));

  r.get("/services.:format", h((req, res, fmt) => {
    fmtFile(`services.${req.params.format}`);
    sendList(res, fmt, 200, "services", "service", serviceList(d.categories, lang(req)));
  }));

  r.get("/services/:file", h(async (req, res, fmt) => {
    const [code] = fmtFile(String(req.params.file));
    const def = await serviceDefinition(db, d.categories, code, lang(req));
    if (!def) throw new HttpError(404, "not_found", `service_code ${code} not found (see services.${fmt})`);
    sendOne(res, fmt, "service_definition", { service_code: def.service_code, attributes: def.attributes }, serviceDefinitionXml(def));
  }));

  r.get("/requests.:format", h(async (req, res, fmt) => {
    fmtFile(`requests.${req.params.format}`);
    const q = parse(ListParams, req.query, "query");
    const now = d.clock.now();
    const rows = await db.case.findMany({ where: listWhere(q, caseWhereOf(readScope(res)), now), include: requestInclude, orderBy: { id: "desc" }, take: q.page_size ?? 1000 });
    sendList(res, fmt, 200, "service_requests", "request", rows.map((c) => toServiceRequest(c, d.categories, lang(req), now)));
  }));

  r.get("/requests/:file", h(async (req, res, fmt) => {
    const [id] = fmtFile(String(req.params.file));
    if (!/^\d{4}-\d{6}$/.test(id)) throw new HttpError(400, "invalid_request", `service_request_id "${id.slice(0, 40)}" is not like 2026-000123`);
    const scope = readScope(res);
    const c = await db.case.findUnique({ where: { number: id }, include: requestInclude });
    if (!c || !inArea(scope, c)) throw new HttpError(404, "not_found", `service_request_id ${id} not found`);
    sendList(res, fmt, 200, "service_requests", "request", [toServiceRequest(c, d.categories, lang(req), d.clock.now())]);
  }));

  // Our ids exist at once, so the token is the id; a client that follows tokens still gets there.
  r.get("/tokens/:file", h(async (req, res, fmt) => {
    const [token] = fmtFile(String(req.params.file));
    const c = /^\d{4}-\d{6}$/.test(token) ? await db.case.findUnique({ where: { number: token }, select: { number: true } }) : null;
    if (!c) throw new HttpError(404, "not_found", `token ${token.slice(0, 40)} not found`);
    sendList(res, fmt, 200, "service_requests", "request", [{ service_request_id: c.number, token: c.number }]);
  }));

  r.post("/requests.:format", h(async (req, res, fmt) => {
    fmtFile(`requests.${req.params.format}`);
    const w = who(res);
    if (!w) throw new HttpError(403, "forbidden", "api_key required to post a request");
    const out = await fileRequest({ db, d, log }, w.scope, req.body);
    sendList(res, fmt, 201, "service_requests", "request", [out]);
  }));

  r.use((_req, _res, next) => next(new HttpError(404, "not_found", "no such Open311 endpoint (see discovery.json)")));
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const e = toHttp(err);
    if (e.status >= 500) log.error({ err, path: req.path }, "open311 request failed");
    if (res.headersSent) return;
    sendErrors(res, formatOf(req), e.status, e.message);
  };
  r.use(onError);
  return r;
}
