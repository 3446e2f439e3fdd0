// The OpenAPI document against the code: every route api/rest/v1.ts and api/rest/surveys.ts register is
// documented (read off the Express routers, not a list kept by hand), and the documented schemas
// agree with what the handlers accept and answer. The basics (version, case paths, /api/docs) are
// in cases-api.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { Express, RequestHandler, Router } from "express";
import { createApp } from "../../api/app.ts";
import { openApiDocument } from "../../api/rest/openapi.ts";
import { surveysRouter } from "../../api/rest/surveys.ts";
import { campaignsApi } from "../../api/rest/campaigns.ts";
import { directoryApi } from "../../api/rest/directory.ts";
import { creditApi } from "../../api/rest/credit/routes.ts";
import { apiV1 } from "../../api/rest/v1.ts";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/logger.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadQuestionnaire, loadSurveySettings } from "../../core/surveys/survey-settings.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { officeApp, RULES_DIR, type OfficeFixture } from "../helpers/office.ts";
import { textSurveyRenderer } from "../surveys/fixtures.ts";

type Json = Record<string, any>;

/** Method and OpenAPI path (`:id` → `{id}`) of every route a router registers itself. */
function routesOf(router: Router, prefix: string): { method: string; path: string }[] {
  const stack = (router as unknown as { stack: { route?: { path: string | string[]; methods: Record<string, boolean> } }[] }).stack;
  return stack.flatMap((layer) =>
    layer.route
      ? [layer.route.path].flat().flatMap((p) =>
          Object.keys(layer.route!.methods)
            .filter((m) => m !== "_all" && layer.route!.methods[m])
            .map((method) => ({ method, path: prefix + p.replace(/:(\w+)/g, "{$1}") })),
        )
      : [],
  );
}

/** JSON Schema 2020-12 (OpenAPI 3.1) by ajv; $refs resolve into the document's components. */
const ajvByDoc = new WeakMap<Json, Ajv2020>();
function conforms(schema: Json, v: unknown, doc: Json): boolean {
  let ajv = ajvByDoc.get(doc);
  if (!ajv) {
    ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: "openapi" });
    ajvByDoc.set(doc, ajv);
  }
  return ajv.validate(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')), v) as boolean;
}

describe("OpenAPI document against the routers", () => {
  const pass: RequestHandler = (_req, _res, next) => next();
  // Routers are only built here, never called: their dependencies can be empty.
  const routes = [
    ...routesOf(surveysRouter({ db: {} as never, surveys: {} as never, clock: new ManualClock(new Date()), timezone: "Asia/Shanghai", assessmentSettings: () => ({}) as never, authenticate: [pass], requireRole: () => pass }), "/api/v1"),
    ...routesOf(apiV1({} as never, {} as never, { requireApi: pass, requireRole: () => pass } as never, silentLogger), "/api/v1"),
    ...routesOf(directoryApi({ db: {} as never, d: {} as never, auth: { requireApi: pass, requireRole: () => pass } as never, log: silentLogger }), "/api/v1/directory"),
    // Campaigns: the JSON endpoints (the ledger workbook and the problem import take files, not JSON, and are not in the document yet).
    ...routesOf(campaignsApi({} as never, {} as never, { requireApi: pass, requireRole: () => pass } as never), "/api/v1").filter((r) => !/ledger\.xlsx|\/import$/.test(r.path)),
    ...routesOf(creditApi({ db: {} as never, d: {} as never, auth: { requireApi: pass, requireRole: () => pass } as never }), "/api/v1/credit"),
  ];
  const doc = openApiDocument("http://localhost:3000") as Json;

  it("documents every route api/rest/surveys.ts, v1.ts and directory.ts register, each with a 200/201 answer", () => {
    // Not vacuous: the survey endpoints and the case endpoints are both there.
    expect(routes).toEqual(expect.arrayContaining([{ method: "post", path: "/api/v1/surveys/{id}/push" }, { method: "get", path: "/api/v1/classification/history/{estate}" }, { method: "post", path: "/api/v1/cases/{id}/actions" }]));
    expect(routes.length).toBeGreaterThanOrEqual(27);
    const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    const noSuccess = routes.filter((r) => !Object.keys(doc.paths[r.path][r.method].responses).some((c) => c === "200" || c === "201")).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(noSuccess).toEqual([]);
    // …and nothing documented under /api/v1 that no router serves.
    const served = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const stale = Object.entries(doc.paths as Json)
      .filter(([p]) => p.startsWith("/api/v1/"))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .filter((x) => !served.has(x));
    expect(stale).toEqual([]);
    // Every operation needs the bearer token and says what a missing one gets.
    for (const r of routes) {
      const op = doc.paths[r.path][r.method];
      expect(op.summary, `${r.method} ${r.path}`).toBeTruthy();
      expect(op.security, `${r.method} ${r.path}`).toEqual([{ bearer: [] }]);
      expect(op.responses["401"], `${r.method} ${r.path}`).toBeDefined();
    }
  });

  it("documents the 4xx answers the survey handlers give", () => {
    const codes = (m: string, p: string) => Object.keys(doc.paths[p][m].responses);
    expect(codes("post", "/api/v1/surveys")).toEqual(expect.arrayContaining(["201", "400", "401", "403", "409"]));
    expect(codes("post", "/api/v1/surveys/{id}/push")).toEqual(expect.arrayContaining(["201", "400", "401", "403", "404", "409"]));
    expect(codes("get", "/api/v1/surveys/{id}/results")).toEqual(expect.arrayContaining(["200", "400", "404"]));
    expect(codes("get", "/api/v1/credit/{company}")).toEqual(expect.arrayContaining(["200", "404"]));
    expect(codes("post", "/api/v1/classification/recompute")).toEqual(expect.arrayContaining(["200", "403"]));
    expect(doc.paths["/api/v1/surveys/{id}/push"].post.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(doc.paths["/api/v1/early-warnings"].get.parameters).toEqual([expect.objectContaining({ name: "days", in: "query", schema: expect.objectContaining({ minimum: 1, maximum: 366 }) })]);
  });
});

describe("OpenAPI schemas against the running API", () => {
  let f: OfficeFixture;
  let app: Express;
  let doc: Json;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const bodySchema = (m: string, p: string) => doc.paths[p][m].requestBody.content["application/json"].schema as Json;
  const okSchema = (m: string, p: string, code = "200") => doc.paths[p][m].responses[code].content["application/json"].schema as Json;

  beforeAll(async () => {
    f = await officeApp();
    const surveys = new SurveyService({ db: f.db.prisma, clock: f.clock, renderer: textSurveyRenderer, settings: () => loadSurveySettings(RULES_DIR), rulesDir: RULES_DIR, timezone: "Asia/Shanghai" });
    const assessment = loadAssessmentSettings(RULES_DIR);
    // The helper's app has no survey routes; the same office deps plus them.
    app = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: f.office, surveys: { db: f.db.prisma, surveys, clock: f.clock, timezone: "Asia/Shanghai", assessmentSettings: () => assessment } });
    doc = (await request(app).get("/api/openapi.json")).body;
    await f.file("heping");
    await f.file("jinxiu", { kind: "complaint", category: "noise" });
  });
  afterAll(async () => f.db.drop());

  it("rejects with 400 every push body the document marks invalid, and accepts a valid one", async () => {
    const q = loadQuestionnaire(RULES_DIR, "owner-satisfaction");
    expect(conforms(bodySchema("post", "/api/v1/surveys"), q, doc)).toBe(true);
    const created = await request(app).post("/api/v1/surveys").set(auth(f.tokens.district)).send(q);
    expect(created.status).toBe(201);
    expect(conforms(okSchema("post", "/api/v1/surveys", "201"), created.body, doc)).toBe(true);

    const schema = bodySchema("post", "/api/v1/surveys/{id}/push");
    const invalid: unknown[] = [{}, { scope: "planet" }, { scope: "district", extra: true }, { scope: "estate", id: 0 }, { scope: "estate", id: 1.5 }, { scope: "street", id: "1" }, [], [{ scope: "district" }]];
    for (const body of invalid) {
      expect(conforms(schema, body, doc), JSON.stringify(body)).toBe(false);
      const res = await request(app).post(`/api/v1/surveys/${created.body.id}/push`).set(auth(f.tokens.district)).send(body as object);
      expect([JSON.stringify(body), res.status, res.body.error]).toEqual([JSON.stringify(body), 400, "invalid_request"]);
    }
    expect(await f.db.prisma.surveyPush.count()).toBe(0);
    const valid = { scope: "estate", id: f.ids.heping };
    expect(conforms(schema, valid, doc)).toBe(true);
    const pushed = await request(app).post(`/api/v1/surveys/${created.body.id}/push`).set(auth(f.tokens.district)).send(valid);
    expect(pushed.status).toBe(201);
    expect(conforms(okSchema("post", "/api/v1/surveys/{id}/push", "201"), pushed.body, doc)).toBe(true);
  });

  it("answers what the response schemas describe", async () => {
    const district = auth(f.tokens.district);
    expect((await request(app).post("/api/v1/classification/recompute").set(district)).status).toBe(200);
    expect((await request(app).post("/api/v1/credit/recompute").set(district)).status).toBe(200);
    const sid = (await request(app).get("/api/v1/surveys").set(district)).body.surveys[0].id;
    const gets: [string, string][] = [
      ["/api/v1/surveys", "/api/v1/surveys"],
      [`/api/v1/surveys/${sid}`, "/api/v1/surveys/{id}"],
      [`/api/v1/surveys/${sid}/progress`, "/api/v1/surveys/{id}/progress"],
      [`/api/v1/surveys/${sid}/results`, "/api/v1/surveys/{id}/results"],
      ["/api/v1/assessment?by=estate", "/api/v1/assessment"],
      ["/api/v1/assessment?by=company&split=month", "/api/v1/assessment"],
      ["/api/v1/credit", "/api/v1/credit"],
      ["/api/v1/credit/huamei", "/api/v1/credit/{company}"],
      ["/api/v1/classification", "/api/v1/classification"],
      ["/api/v1/classification/history/heping", "/api/v1/classification/history/{estate}"],
      ["/api/v1/early-warnings", "/api/v1/early-warnings"],
    ];
    for (const [url, path] of gets) {
      const res = await request(app).get(url).set(district);
      expect([url, res.status]).toEqual([url, 200]);
      expect(conforms(okSchema("get", path), res.body, doc), `${url}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
    }
    // Not vacuous: the checker does tell a wrong answer, and the rows checked exist.
    expect(conforms(okSchema("get", "/api/v1/surveys/{id}/progress"), { total: "2", pending: 0, sent: 0, delivered: 0, answered: 0, partial: 0, undeliverable: 0 }, doc)).toBe(false);
    expect(conforms(okSchema("get", "/api/v1/classification"), { estates: [{ estateId: 1 }] }, doc)).toBe(false);
    expect((await request(app).get("/api/v1/classification").set(district)).body.estates).toHaveLength(4);
    expect((await request(app).get("/api/v1/assessment?by=estate").set(district)).body.rows.length).toBeGreaterThan(0);
    for (const [m, p] of [["post", "/api/v1/classification/recompute"], ["post", "/api/v1/credit/recompute"]] as const) {
      const res = await request(app)[m](p).set(district);
      expect(conforms(okSchema(m, p), res.body, doc), p).toBe(true);
    }
    // A street token may not recompute: 403, as documented.
    expect((await request(app).post("/api/v1/classification/recompute").set(auth(f.tokens.dongcheng))).status).toBe(403);
  });
});
