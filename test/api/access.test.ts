import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { createApp } from "../../api/app.ts";
import { silentLogger } from "../../core/logger.ts";

/** Logs in through the form as a browser would: GET for the form token, POST, keep the cookie. */
export async function login(app: OfficeFixture["app"], username: string, password = PASSWORD) {
  const agent = request.agent(app);
  const form = await agent.get("/login");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
  const res = await agent.post("/login").type("form").send({ username, password, _csrf: csrf, next: "/dashboard/cases" });
  return { agent, res };
}
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("access: sessions, tokens, area scoping", () => {
  let f: OfficeFixture;
  let dongchengCase: number;
  let xiyuanCase: number;
  beforeAll(async () => {
    f = await officeApp();
    dongchengCase = (await f.file("heping", { description: "东城的案件" })).id;
    xiyuanCase = (await f.file("jinxiu", { description: "西苑的案件" })).id;
  });
  afterAll(async () => f.db.drop());

  it("sends a visitor without a session to the login page", async () => {
    const res = await request(f.app).get("/dashboard/cases");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?next=%2Fdashboard%2Fcases");
  });

  it("logs in with the right password, stores a hashed session and logs out", async () => {
    const { agent, res } = await login(f.app, "district");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/dashboard/cases");
    const cookie = res.headers["set-cookie"]!.toString();
    expect(cookie).toMatch(/efd_sid=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const sid = /efd_sid=([^;]+)/.exec(cookie)![1]!;
    const stored = await f.db.prisma.webSession.findMany();
    expect(stored.some((s) => s.id === sid)).toBe(false); // only the hash is kept
    expect(stored.length).toBeGreaterThan(0);
    const user = await f.db.prisma.staffUser.findUniqueOrThrow({ where: { username: "district" } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const page = await agent.get("/dashboard/cases");
    expect(page.status).toBe(200);
    expect(page.text).toContain("东城的案件");
    const out = await agent.post("/logout").type("form").send({ _csrf: csrfOf(page.text) });
    expect(out.status).toBe(303);
    expect((await agent.get("/dashboard/cases")).status).toBe(303);
  });

  it("refuses a wrong password, then locks the account after repeated failures", async () => {
    await f.db.prisma.staffUser.create({ data: { username: "victim", passwordHash: (await f.db.prisma.staffUser.findUniqueOrThrow({ where: { username: "district" } })).passwordHash, displayName: "v", role: "district" } });
    for (let i = 0; i < 2; i++) {
      const { res } = await login(f.app, "victim", "wrong-password!");
      expect(res.status).toBe(401);
      expect(res.text).toContain("用户名或密码错误");
    }
    const third = await login(f.app, "victim", "wrong-password!");
    expect(third.res.status).toBe(423);
    // Locked: even the right password is refused until the lock runs out.
    expect((await login(f.app, "victim")).res.status).toBe(423);
    f.clock.advance(16 * 60_000);
    expect((await login(f.app, "victim")).res.status).toBe(303);
    f.clock.set(new Date("2026-11-02T10:00:00+08:00"));
  });

  it("refuses a login post without the form's CSRF token, and an unknown user like a wrong password", async () => {
    const agent = request.agent(f.app);
    await agent.get("/login");
    expect((await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: "forged" })).status).toBe(403);
    expect((await agent.post("/login").type("form").send({ username: "district" })).status).toBe(400);
    expect((await login(f.app, "nobody")).res.status).toBe(401);
  });

  it("refuses dashboard form posts without the session's CSRF token", async () => {
    const { agent } = await login(f.app, "district");
    const res = await agent.post(`/dashboard/cases/${dongchengCase}/note`).type("form").send({ note: "x" });
    expect(res.status).toBe(403);
    expect(await f.db.prisma.caseEvent.count({ where: { caseId: dongchengCase, type: "note" } })).toBe(0);
    // A session calling the JSON API must send X-CSRF-Token on writes.
    expect((await agent.post(`/api/v1/cases/${dongchengCase}/notes`).send({ note: "x" })).status).toBe(403);
    expect((await agent.get("/api/v1/cases")).status).toBe(200);
  });

  it("refuses the API without a token, with a malformed header, an unknown or a revoked token", async () => {
    expect((await request(f.app).get("/api/v1/cases")).status).toBe(401);
    expect((await request(f.app).get("/api/v1/cases").set("Authorization", "Basic abc")).status).toBe(401);
    expect((await request(f.app).get("/api/v1/cases").set("Authorization", "Bearer efd_nope")).status).toBe(401);
    const t = await f.db.prisma.apiToken.findFirstOrThrow({ where: { name: "admin" } });
    const mint = await request(f.app).post("/api/v1/tokens").set("Authorization", `Bearer ${f.tokens.admin}`).send({ name: "tmp", role: "district" });
    expect(mint.status).toBe(201);
    expect((await request(f.app).get("/api/v1/cases").set("Authorization", `Bearer ${mint.body.token}`)).status).toBe(200);
    await f.db.prisma.apiToken.update({ where: { id: mint.body.id }, data: { revokedAt: new Date() } });
    const revoked = await request(f.app).get("/api/v1/cases").set("Authorization", `Bearer ${mint.body.token}`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe("unauthorized");
    expect(t.tokenHash).not.toContain(f.tokens.admin);
  });

  it("lets only admins mint tokens, and checks what they mint", async () => {
    expect((await request(f.app).post("/api/v1/tokens").set("Authorization", `Bearer ${f.tokens.district}`).send({ name: "x", role: "district" })).status).toBe(403);
    expect((await request(f.app).post("/api/v1/tokens").set("Authorization", `Bearer ${f.tokens.admin}`).send({ name: "x", role: "street" })).status).toBe(400);
    expect((await request(f.app).post("/api/v1/tokens").set("Authorization", `Bearer ${f.tokens.admin}`).send({ name: "x", role: "street", street: "atlantis" })).status).toBe(400);
  });

  it("shows a street token only its own street's cases, estates and figures", async () => {
    const st = { Authorization: `Bearer ${f.tokens.dongcheng}` };
    const list = await request(f.app).get("/api/v1/cases").set(st);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((c: { street: { code: string } }) => c.street.code === "dongcheng")).toBe(true);
    // Asking for the other street's estate by filter gives nothing, not its cases.
    expect((await request(f.app).get("/api/v1/cases").query({ estate: "jinxiu" }).set(st)).body.items).toEqual([]);
    expect((await request(f.app).get(`/api/v1/cases/${xiyuanCase}`).set(st)).status).toBe(404);
    expect((await request(f.app).get(`/api/v1/cases/${dongchengCase}`).set(st)).status).toBe(200);
    expect((await request(f.app).post(`/api/v1/cases/${xiyuanCase}/actions`).set(st).send({ action: "officeClose", note: "x" })).status).toBe(404);
    expect((await f.db.prisma.case.findUniqueOrThrow({ where: { id: xiyuanCase } })).state).not.toBe("closed");
    expect((await request(f.app).post(`/api/v1/cases/${xiyuanCase}/notes`).set(st).send({ note: "x" })).status).toBe(404);
    const filed = await request(f.app).post("/api/v1/cases").set(st).set("Idempotency-Key", "street-0001").send({ kind: "repair", category: "water", description: "x", estate: "jinxiu" });
    expect(filed.status).toBe(404);
    expect((await request(f.app).get("/api/v1/estates").set(st)).body.map((e: { code: string }) => e.code).sort()).toEqual(["heping", "xingfu"]);
    expect((await request(f.app).get("/api/v1/companies").set(st)).body.map((c: { code: string }) => c.code).sort()).toEqual(["anju", "huamei"]);
    const fig = await request(f.app).get("/api/v1/figures").query({ by: "estate" }).set(st);
    expect(fig.body.rows.map((r: { key: string }) => r.key)).toEqual(["heping"]);
    expect((await request(f.app).post("/api/v1/rules/dry-run").set(st).send({ kind: "repair", category: "water", estate: "jinxiu" })).status).toBe(404);
    const board = await request(f.app).get("/api/v1/board").set(st);
    expect(board.body.rows.map((r: { estate: string }) => r.estate).sort()).toEqual(["heping", "xingfu"]);
  });

  it("shows a street user's dashboard only its street and refuses the other street's case page", async () => {
    const { agent } = await login(f.app, "dongcheng");
    const list = await agent.get("/dashboard/cases");
    expect(list.text).toContain("东城的案件");
    expect(list.text).not.toContain("西苑的案件");
    expect(list.text).toContain("Cases"); // the user's locale is English
    expect((await agent.get(`/dashboard/cases/${xiyuanCase}`)).status).toBe(404);
    const csv = await agent.get("/dashboard/cases.csv");
    expect(csv.text).toContain("东城的案件");
    expect(csv.text).not.toContain("西苑的案件");
    expect((await agent.get("/dashboard/overdue")).status).toBe(200);
  });

  it("sets security headers and never sends a stack trace", async () => {
    const res = await request(f.app).get("/login");
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    const bad = await request(f.app).get("/api/v1/cases/1").set("Authorization", `Bearer ${f.tokens.district}`).set("Accept", "text/html");
    expect(bad.text).not.toMatch(/at .*\.ts/);
  });

  it("rate-limits the API per token with 429", async () => {
    const limited = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: { ...f.office, apiRateLimitPerMin: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await request(limited).get("/api/v1/estates").set("Authorization", `Bearer ${f.tokens.district}`)).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
  });

  it("exports Prometheus metrics: cases by state, outbox backlog, HTTP latency, job runs", async () => {
    await request(f.app).get("/healthz");
    const res = await request(f.app).get("/metrics");
    expect(res.status).toBe(200);
    const routed = await f.db.prisma.case.count({ where: { state: "routed" } });
    expect(res.text).toContain(`cases_by_state{state="routed"} ${routed}`);
    expect(res.text).toContain('outbox_backlog{status="pending"} 0');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/healthz",status="200"\}/);
    expect(res.text).toContain("# TYPE job_runs_total counter");
    const guarded = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: { ...f.office, metricsToken: "m".repeat(20) } });
    expect((await request(guarded).get("/metrics")).status).toBe(401);
    expect((await request(guarded).get("/metrics").set("Authorization", `Bearer ${"m".repeat(20)}`)).status).toBe(200);
  });
});
