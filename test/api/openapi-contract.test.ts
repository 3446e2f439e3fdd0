// Issue 17, item 5: the OpenAPI document is lint-clean (Redocly CLI's recommended rules: no errors),
// every operation has a unique operationId and a tag, and the answers the API really gives — a
// representative replay of the suite's calls, successes and errors — each have their status documented
// and validate against the documented schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createApp } from "../../api/app.ts";
import { openApiDocument } from "../../api/rest/openapi.ts";
import { silentLogger } from "../../core/logger.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

type Json = Record<string, any>;
let f: OfficeFixture;
let doc: Json;
const REDOCLY = path.resolve(import.meta.dirname, "../../node_modules/.bin/redocly");

beforeAll(async () => {
  f = await officeApp({}, { surveys: true });
  doc = (await request(f.app).get("/api/openapi.json")).body;
}, 120_000);
afterAll(async () => f?.db.drop());

describe("the OpenAPI document", () => {
  it("passes Redocly lint without errors", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openapi-")), "openapi.json");
    fs.writeFileSync(file, JSON.stringify(openApiDocument("https://estate.example.cn")));
    const run = await promisify(execFile)(REDOCLY, ["lint", file, "--format=json"], { timeout: 120_000 }).catch((e: { stdout?: string; stderr?: string; code?: number }) => e);
    const report = JSON.parse(String(run.stdout)) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
    const errors = report.problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 150_000);

  it("gives every operation a unique operationId and a tag", () => {
    const ids: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths as Json))
      for (const [m, op] of Object.entries(ops as Json)) {
        expect(op.operationId, `${m} ${p}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(op.tags?.length, `${m} ${p}`).toBeGreaterThan(0);
        ids.push(op.operationId);
      }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(29);
  });
});

describe("answers against the document", () => {
  const templates = () =>
    Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`) }));

  function check(method: string, url: string, res: request.Response, problems: string[]) {
    const p = new URL(url, "http://x").pathname;
    // The most literal template first (/credit/companies before /credit/{company}), as Express routes it.
    const params = (t: string) => (t.match(/\{/g) ?? []).length;
    const t = templates().filter((x) => x.re.test(p)).sort((a, b) => params(a.t) - params(b.t))[0]?.t;
    if (!t) return void problems.push(`${method} ${p}: no path in the document`);
    const responses = doc.paths[t][method]?.responses;
    if (!responses) return void problems.push(`${method} ${t}: no operation`);
    const documented = responses[String(res.status)];
    if (!documented) return void problems.push(`${method} ${t}: status ${res.status} not documented`);
    const type = String(res.headers["content-type"] ?? "").split(";")[0]!;
    const content = documented.content?.[type];
    if (!content) return void problems.push(`${method} ${t} ${res.status}: content type ${type} not documented`);
    if (type !== "application/json") return;
    const pointer = `openapi#/paths/${t.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}/responses/${res.status}/content/application~1json/schema`;
    const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
    if (!validate(res.body)) problems.push(`${method} ${t} ${res.status}: ${ajv.errorsText(validate.errors)}`);
  }

  let ajv: Ajv2020;
  beforeAll(() => {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: "openapi" });
  });

  it("replays the suite's calls — successes and errors — and each matches its documented status and schema", async () => {
    const auth = (t = f.tokens.district) => ({ Authorization: `Bearer ${t}` });
    const c = await f.file("heping");
    await f.file("jinxiu", { kind: "complaint", category: "noise" });
    const problems: string[] = [];
    const calls: [string, string, Record<string, string>?, unknown?, Record<string, string>?][] = [
      ["get", "/api/v1/cases"],
      ["get", "/api/v1/cases?state=routed,accepted&limit=2"],
      ["get", "/api/v1/cases?limit=0"],
      ["get", "/api/v1/cases.csv"],
      ["post", "/api/v1/cases", { "Idempotency-Key": "contract-0001" }, { kind: "repair", category: "lift", description: "电梯停了", estate: "xingfu" }],
      ["post", "/api/v1/cases", { "Idempotency-Key": "contract-0001" }, { kind: "repair", category: "lift", description: "电梯停了", estate: "xingfu" }],
      ["post", "/api/v1/cases", { "Idempotency-Key": "contract-0001" }, { kind: "repair", category: "lift", description: "另一件", estate: "xingfu" }],
      ["post", "/api/v1/cases", { "Idempotency-Key": "contract-0002" }, { kind: "repair" }],
      ["get", `/api/v1/cases/${c.id}`],
      ["get", `/api/v1/cases/${c.number}`],
      ["get", "/api/v1/cases/2147483647"],
      ["get", "/api/v1/cases/9999999999"],
      ["post", `/api/v1/cases/${c.id}/actions`, {}, { action: "startRevisit" }],
      ["post", `/api/v1/cases/${c.id}/notes`, {}, { note: "contract note" }],
      ["post", `/api/v1/cases/${c.id}/extensions/999`, {}, { decision: "approve" }],
      ["get", "/api/v1/figures?by=estate"],
      ["get", "/api/v1/figures?format=csv"],
      ["get", "/api/v1/board"],
      ["get", "/api/v1/estates"],
      ["get", "/api/v1/companies"],
      ["get", "/api/v1/liaisons"],
      ["post", "/api/v1/rules/dry-run", {}, { kind: "repair", category: "water", estate: "heping" }],
      ["get", "/api/v1/rules/status"],
      ["post", "/api/v1/tokens", {}, { name: "x", role: "district" }],
      ["get", "/api/v1/surveys"],
      ["get", "/api/v1/surveys/999"],
      ["get", "/api/v1/surveys/999/progress"],
      ["get", "/api/v1/assessment"],
      ["get", "/api/v1/credit"],
      ["get", "/api/v1/credit/huamei"],
      ["get", "/api/v1/credit/nobody"],
      ["get", "/api/v1/credit/companies"],
      ["get", "/api/v1/credit/companies/huamei"],
      ["get", "/api/v1/credit/companies/nobody"],
      ["get", "/api/v1/credit/companies/huamei?at=yesterday"],
      ["post", "/api/v1/credit/managers", {}, { name: "王建国", certificateNo: "WY-1", certificateExpiresOn: "2028-01-01" }],
      ["post", "/api/v1/credit/managers", {}, { name: "" }],
      ["get", "/api/v1/credit/managers"],
      ["get", "/api/v1/credit/managers/1"],
      ["get", "/api/v1/credit/managers/999"],
      ["put", "/api/v1/credit/managers/1", {}, { name: "王建国", certificateNo: "WY-1" }],
      ["post", "/api/v1/credit/managers/1/assignments", {}, { estate: "heping", startsOn: "2026-01-01" }],
      ["post", "/api/v1/credit/records", {}, { company: "huamei", type: "honour", note: "市级优秀物业项目" }],
      ["post", "/api/v1/credit/records", {}, { company: "huamei", type: "overdue_response", note: "x" }],
      ["post", "/api/v1/credit/records/1/appeals", {}, { reason: "业主已撤诉", evidence: "照片" }],
      ["post", "/api/v1/credit/records/1/appeals", {}, { reason: "again" }],
      ["get", "/api/v1/credit/appeals"],
      ["post", "/api/v1/credit/appeals/1/decision", {}, { decision: "upheld", reason: "证据不足" }],
      ["post", "/api/v1/credit/appeals/1/decision", {}, { decision: "withdrawn", reason: "again" }],
      ["get", "/api/v1/classification"],
      ["get", "/api/v1/classification/history/heping"],
      ["get", "/api/v1/early-warnings"],
      ["post", "/api/v1/classification/recompute"],
    ];
    for (const [method, url, headers, body] of calls) {
      let r = (request(f.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(url).set(auth(url.includes("tokens") ? f.tokens.admin : f.tokens.district));
      if (headers) r = r.set(headers);
      check(method, url, await (body ? r.send(body as object) : r), problems);
    }
    // 401, and 429 from a limited app.
    check("get", "/api/v1/cases", await request(f.app).get("/api/v1/cases"), problems);
    const limited = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: { ...f.office, apiRateLimitPerMin: 1 } });
    await request(limited).get("/api/v1/estates").set(auth());
    check("get", "/api/v1/estates", await request(limited).get("/api/v1/estates").set(auth()), problems);
    expect(problems).toEqual([]);
  }, 120_000);

  it("does catch an answer that breaks its schema", () => {
    const problems: string[] = [];
    check("get", "/api/v1/estates", { status: 200, headers: { "content-type": "application/json" }, body: [{ code: 1 }] } as unknown as request.Response, problems);
    check("get", "/api/v1/estates", { status: 418, headers: { "content-type": "application/json" }, body: {} } as unknown as request.Response, problems);
    expect(problems).toHaveLength(2);
  });
});
