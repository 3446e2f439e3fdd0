// Open311 GeoReport v2 (JSON only): services are our kind.category pairs; a request is a case.
// Reading and posting need an API key (api_key parameter or bearer header), scoped like the REST API.
// Locations: address_id is the estate code — estates have no geometry yet, so lat/long are stored
// but do not pick the estate.
import crypto from "node:crypto";
import express, { type ErrorRequestHandler, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import type { Logger } from "../../core/logger.ts";
import { listCases, lateness } from "../../core/cases/case-query.ts";
import { KINDS, type Locale } from "../../core/cases/categories.ts";
import { HttpError, parse, toHttp } from "../http.ts";
import { scopeOf, who, type Auth } from "../auth.ts";
import { actorOf, findCaseInScope, type OfficeAppDeps } from "../office.ts";
import { estateInScope, mapOfficeError } from "./v1.ts";
import type { CaseListRow } from "../../core/cases/case-query.ts";
import { translator, pickLocale } from "../i18n.ts";

const serviceCode = z.string().regex(/^(complaint|repair|suggestion)\.[a-z][a-z0-9_]{0,30}$/, "a service_code from services.json, like repair.water");
const dateParam = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const ListQuery = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: z.string().optional(),
    service_request_id: z.string().regex(/^\d{4}-\d{6}(,\d{4}-\d{6})*$/).optional(),
    service_code: serviceCode.optional(),
    start_date: dateParam.optional(),
    end_date: dateParam.optional(),
    status: z.enum(["open", "closed"]).optional(),
    lang: z.string().optional(),
  })
  .strict();

const PostBody = z
  .object({
    api_key: z.string().optional(),
    jurisdiction_id: z.string().optional(),
    service_code: serviceCode,
    description: z.string().trim().min(1).max(4000),
    address_id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "the estate code (see /api/v1/estates)"),
    address_string: z.string().max(200).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    long: z.coerce.number().min(-180).max(180).optional(),
    email: z.string().max(200).optional(),
    device_id: z.string().max(200).optional(),
    account_id: z.string().max(200).optional(),
    first_name: z.string().max(100).optional(),
    last_name: z.string().max(100).optional(),
    phone: z.string().max(50).optional(),
    media_url: z.string().max(500).optional(),
  })
  .strict();

export function open311Router(db: Db, d: OfficeAppDeps, auth: Auth, log: Logger): Router {
  const r = express.Router();
  r.use(express.urlencoded({ extended: false, limit: "32kb" }), express.json({ limit: "32kb" }));
  // Open311 clients send the key as a parameter.
  r.use((req, _res, next) => {
    const key = (req.query.api_key ?? (req.body as Record<string, unknown> | undefined)?.api_key) as unknown;
    if (typeof key === "string" && key && !req.headers.authorization) req.headers.authorization = `Bearer ${key}`;
    next();
  });
  r.use(auth.identify);
  const needKey: express.RequestHandler = (_req, res, next) => next(who(res) ? undefined : new HttpError(401, "unauthorized", "api_key required"));

  const services = (locale: Locale) => {
    const t = translator(locale);
    return d.categories.list.flatMap((c) =>
      c.kinds.map((k) => ({
        service_code: `${k}.${c.code}`,
        service_name: `${t(`kind_${k}`)} · ${c.label[locale]}`,
        description: c.label[locale],
        metadata: false,
        type: "realtime",
        keywords: [k, c.code].join(","),
        group: t(`kind_${k}`),
      })),
    );
  };
  const toRequest = (c: CaseListRow, locale: Locale) => {
    const now = d.clock.now();
    const late = lateness(c, now);
    return {
      service_request_id: c.number,
      status: c.state === "closed" ? "closed" : "open",
      status_notes: `${c.state}${late ? ` (overdue: ${late.missed})` : ""}`,
      service_name: `${translator(locale)(`kind_${c.kind}`)} · ${d.categories.label(c.category, locale)}`,
      service_code: `${c.kind}.${c.category}`,
      description: c.description,
      agency_responsible: c.company?.name ?? c.street.name,
      service_notice: null,
      requested_datetime: c.createdAt.toISOString(),
      updated_datetime: c.updatedAt.toISOString(),
      expected_datetime: c.resolutionDueAt?.toISOString() ?? null,
      address: `${c.street.name} ${c.estate.name}`,
      address_id: c.estate.code,
      zipcode: null,
      lat: c.latitude,
      long: c.longitude,
      media_url: null,
    };
  };
  const lang = (q: unknown) => pickLocale(typeof q === "string" ? q : undefined, d.defaultLocale);

  r.get("/services.json", (req, res) => {
    res.json(services(lang(req.query.lang)));
  });

  r.get("/requests.json", needKey, async (req, res) => {
    const q = parse(ListQuery, req.query, "query");
    const scope = scopeOf(res);
    const now = d.clock.now();
    const ids = q.service_request_id?.split(",");
    const [kind, category] = q.service_code ? (q.service_code.split(".") as [(typeof KINDS)[number], string]) : [undefined, undefined];
    // GeoReport default window: the last 90 days, at most 1000 requests.
    const from = q.start_date ?? (ids ? undefined : new Date(now.getTime() - 90 * 86_400_000));
    const items: CaseListRow[] = [];
    if (ids) {
      for (const id of ids) {
        try {
          items.push(await findCaseInScope(db, id, scope));
        } catch {
          /* unknown ids are left out, as the spec has it */
        }
      }
    } else {
      const page = await listCases(
        db,
        { kind, category, from, to: q.end_date, state: q.status === "closed" ? ["closed"] : q.status === "open" ? ["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened"] : undefined },
        scope,
        { limit: 1000 },
        now,
      );
      items.push(...page.items);
    }
    res.json(items.map((c) => toRequest(c, lang(q.lang))));
  });

  r.get("/requests/:id.json", needKey, async (req, res) => {
    const id = parse(z.string().regex(/^\d{4}-\d{6}$/, "a service_request_id like 2026-000123"), req.params.id, "service_request_id");
    res.json([toRequest(await findCaseInScope(db, id, scopeOf(res)), lang(req.query.lang))]);
  });

  r.post("/requests.json", needKey, async (req, res) => {
    const b = parse(PostBody, req.body, "body");
    const scope = scopeOf(res);
    const [kind, category] = b.service_code.split(".") as [(typeof KINDS)[number], string];
    if (!d.categories.get(category)?.kinds.includes(kind)) throw new HttpError(404, "not_found", `service_code ${b.service_code} not found`);
    const estate = await estateInScope(db, b.address_id, scope);
    // No idempotency key in GeoReport: an identical re-post (client retry) gives the same case.
    const fingerprint = crypto.createHash("sha256").update(JSON.stringify([scope.actorId, b.service_code, b.address_id, b.description, b.device_id ?? "", b.account_id ?? ""])).digest("hex").slice(0, 32);
    try {
      const { case: c } = await d.cases.file({
        sourceKey: `open311:${fingerprint}`,
        channel: "open311",
        kind,
        category,
        description: b.address_string ? `${b.description}\n(${b.address_string})` : b.description,
        estateId: estate.id,
        latitude: b.lat ?? null,
        longitude: b.long ?? null,
        actor: actorOf(scope),
      });
      log.info({ case: c.number, by: scope.actorId }, "open311 request filed");
      res.status(201).json([{ service_request_id: c.number, service_notice: null, account_id: b.account_id ?? null }]);
    } catch (err) {
      throw mapOfficeError(err);
    }
  });

  r.use((_req, _res, next) => next(new HttpError(404, "not_found", "no such Open311 endpoint")));
  // GeoReport errors are a list of {code, description}.
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const e = toHttp(err);
    if (e.status >= 500) log.error({ err, path: req.path }, "open311 request failed");
    res.status(e.status).json([{ code: e.status, description: e.message }]);
  };
  r.use(onError);
  return r;
}
