// Issue 17, items 3 and 4: the advertised rate limit is the real one (one limiter per request, the
// survey routes included), keyed by the verified token — made-up tokens share their address's
// bucket; Open311 answers 429 as its error list. An Idempotency-Key reused with another body is 422.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "../../api/app.ts";
import { silentLogger } from "../../core/logger.ts";
import { createApiToken } from "../../core/directory/staff.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

const LIMIT = 5;
let f: OfficeFixture;
const limited = () =>
  createApp({
    db: f.db.prisma,
    log: silentLogger,
    botOn: false,
    botMode: "polling",
    office: { ...f.office, apiRateLimitPerMin: LIMIT },
    surveys: { db: f.db.prisma, surveys: f.surveys!, clock: f.clock, timezone: "Asia/Shanghai", assessmentSettings: f.office.assessmentSettings },
  });

beforeAll(async () => {
  f = await officeApp({}, { surveys: true });
}, 120_000);
afterAll(async () => f?.db.drop());

describe("rate limit", () => {
  it("lets exactly the advertised number through per token, on every /api/v1 route", async () => {
    const app = limited();
    const codes: number[] = [];
    // Survey and case routes alternate: both count once against the same bucket.
    for (let i = 0; i < LIMIT + 2; i++) {
      const res = await request(app).get(i % 2 ? "/api/v1/surveys" : "/api/v1/estates").set("Authorization", `Bearer ${f.tokens.district}`);
      codes.push(res.status);
      if (i === 0) expect(res.headers["ratelimit-policy"]).toBe(`${LIMIT};w=60`);
    }
    expect(codes).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    // Another valid token has its own bucket.
    expect((await request(app).get("/api/v1/estates").set("Authorization", `Bearer ${f.tokens.admin}`)).status).toBe(200);
  });

  it("counts made-up tokens against the caller's address, not a fresh bucket each", async () => {
    const app = limited();
    const codes: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      const forged = `efd_${Math.random().toString(36).slice(2)}${"x".repeat(30)}`;
      codes.push((await request(app).get("/api/v1/estates").set("Authorization", `Bearer ${forged}`)).status);
    }
    expect(codes).toEqual([...Array(LIMIT).fill(401), 429]);
    // Without any token the address is the same bucket: still limited.
    expect((await request(app).get("/open311/v2/requests.json")).status).toBe(429);
    // A real token is not held back by what the address did.
    expect((await request(app).get("/api/v1/estates").set("Authorization", `Bearer ${f.tokens.district}`)).status).toBe(200);
  });

  it("answers Open311's 429 as the spec's error list, in the asked format", async () => {
    const app = limited();
    const { token } = await createApiToken(f.db.prisma, { name: "crm", role: "district" });
    let last: request.Response | undefined;
    for (let i = 0; i < LIMIT + 1; i++) last = await request(app).get("/open311/v2/services.xml").query({ api_key: token });
    expect(last!.status).toBe(429);
    expect(last!.type).toBe("application/xml");
    expect(last!.text).toMatch(/<errors><error><code>429<\/code><description>more than 5 requests a minute/);
  });
});

describe("Idempotency-Key", () => {
  const auth = () => ({ Authorization: `Bearer ${f.tokens.district}` });
  const body = { kind: "repair", category: "water", description: "5号楼水管漏水", estate: "heping" };

  it("gives the same case for a retry (fields in any order) and 422 naming the key for another body", async () => {
    const first = await request(f.app).post("/api/v1/cases").set(auth()).set("Idempotency-Key", "crm-reuse-0001").send(body);
    expect(first.status).toBe(201);
    const retry = await request(f.app).post("/api/v1/cases").set(auth()).set("Idempotency-Key", "crm-reuse-0001").send({ estate: "heping", description: "5号楼水管漏水", category: "water", kind: "repair" });
    expect([retry.status, retry.body.id]).toEqual([200, first.body.id]);
    const other = await request(f.app).post("/api/v1/cases").set(auth()).set("Idempotency-Key", "crm-reuse-0001").send({ ...body, description: "另一件事：电梯坏了" });
    expect(other.status).toBe(422);
    expect(other.body.error).toBe("idempotency_key_reused");
    expect(other.body.message).toContain("crm-reuse-0001");
    expect(other.body.message).toContain(first.body.number);
    expect(await f.db.prisma.case.count({ where: { channel: "api", description: { contains: "电梯坏了" } } })).toBe(0);
    const stored = await f.db.prisma.case.findUniqueOrThrow({ where: { id: first.body.id } });
    expect(stored.requestHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
