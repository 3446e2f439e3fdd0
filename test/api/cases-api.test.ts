import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

describe("REST API /api/v1 cases", () => {
  let f: OfficeFixture;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  beforeAll(async () => {
    f = await officeApp();
    for (let i = 0; i < 5; i++) await f.file("heping");
    await f.file("xingfu", { kind: "complaint", category: "noise", description: "楼上装修噪音" });
    await f.file("jinxiu");
    await f.file("chunhui", { kind: "complaint", category: "parking" });
  });
  afterAll(async () => f.db.drop());

  it("lists newest first with keyset pages that cover every case once", async () => {
    const seen: string[] = [];
    let before: number | null | undefined;
    do {
      const res = await request(f.app).get("/api/v1/cases").query({ limit: 3, ...(before ? { before } : {}) }).set(auth(f.tokens.district));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((c: { number: string }) => c.number));
      before = res.body.nextBefore;
    } while (before);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it("filters by estate, kind, category, company, state and search", async () => {
    const get = (q: Record<string, string>) => request(f.app).get("/api/v1/cases").query(q).set(auth(f.tokens.district));
    expect((await get({ estate: "heping" })).body.items).toHaveLength(5);
    const noise = (await get({ kind: "complaint", category: "noise" })).body.items;
    expect(noise.map((c: { estate: { code: string } }) => c.estate.code)).toEqual(["xingfu"]);
    expect((await get({ q: "装修" })).body.items).toHaveLength(1);
    expect((await get({ q: noise[0].number })).body.items[0].number).toBe(noise[0].number);
    const huamei = (await get({ company: "huamei" })).body.items;
    expect(huamei.length).toBeGreaterThan(0);
    expect(huamei.every((c: { company: { code: string } }) => c.company.code === "huamei")).toBe(true);
    expect((await get({ state: "closed" })).body.items).toHaveLength(0);
    expect((await get({ state: "routed,unroutable" })).body.items).toHaveLength(8);
  });

  it("refuses bad filters with 400 and names the field", async () => {
    for (const q of [{ state: "nonsense" }, { limit: "0" }, { limit: "500" }, { overdue: "maybe" }, { from: "yesterday" }, { unknown: "x" }, { estate: "../x" }]) {
      const res = await request(f.app).get("/api/v1/cases").query(q).set(auth(f.tokens.district));
      expect(res.status, JSON.stringify(q)).toBe(400);
      expect(res.body.error).toBe("invalid_request");
      expect(res.body.issues.length).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts/);
    }
  });

  it("shows the overdue filter what is late once the clock passes the deadline", async () => {
    const c = await f.file("heping", { description: "overdue test" });
    const get = () => request(f.app).get("/api/v1/cases").query({ overdue: "true", q: "overdue test" }).set(auth(f.tokens.district));
    expect((await get()).body.items).toHaveLength(0);
    f.clock.set(new Date(c.resolutionDueAt!.getTime() + 60_000));
    const res = await get();
    expect(res.body.items.map((x: { number: string }) => x.number)).toEqual([c.number]);
    expect(res.body.items[0].overdue).toBe(true);
    f.clock.set(new Date("2026-11-02T10:00:00+08:00"));
    await f.db.prisma.case.update({ where: { id: c.id }, data: { state: "closed", closedAt: new Date() } });
  });

  it("creates a case from another channel once per Idempotency-Key", async () => {
    const body = { kind: "repair", category: "lift", description: "3号楼电梯停了", estate: "jinxiu", building: "3号楼", urgent: false };
    const first = await request(f.app).post("/api/v1/cases").set(auth(f.tokens.district)).set("Idempotency-Key", "crm-000001").send(body);
    expect(first.status).toBe(201);
    expect(first.body.number).toMatch(/^2026-\d{6}$/);
    expect(first.body.channel).toBe("api");
    expect(first.body.building).toBe("3号楼");
    expect(first.body.events.map((e: { type: string }) => e.type)).toEqual(["filed", "route"]);
    const again = await request(f.app).post("/api/v1/cases").set(auth(f.tokens.district)).set("Idempotency-Key", "crm-000001").send(body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await f.db.prisma.case.count({ where: { channel: "api" } })).toBe(1);
    const row = await f.db.prisma.caseEvent.findFirst({ where: { caseId: first.body.id, type: "filed" } });
    expect(row?.actorType).toBe("api");
  });

  it.each([
    ["no Idempotency-Key", undefined, { kind: "repair", category: "water", description: "x", estate: "heping" }, 400],
    ["a too short key", "abc", { kind: "repair", category: "water", description: "x", estate: "heping" }, 400],
    ["an empty description", "k-00000001", { kind: "repair", category: "water", description: " ", estate: "heping" }, 400],
    ["an unknown field", "k-00000002", { kind: "repair", category: "water", description: "x", estate: "heping", phone: "1" }, 400],
    ["a category not offered for the kind", "k-00000003", { kind: "repair", category: "noise", description: "x", estate: "heping" }, 400],
    ["an unknown building", "k-00000004", { kind: "repair", category: "water", description: "x", estate: "heping", building: "99号楼" }, 400],
    ["an unknown estate", "k-00000005", { kind: "repair", category: "water", description: "x", estate: "nowhere" }, 404],
  ])("refuses a filing with %s", async (_l, key, body, status) => {
    const before = await f.db.prisma.case.count();
    let req = request(f.app).post("/api/v1/cases").set(auth(f.tokens.district));
    if (key) req = req.set("Idempotency-Key", key);
    const res = await req.send(body);
    expect(res.status).toBe(status);
    expect(await f.db.prisma.case.count()).toBe(before);
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await request(f.app).post("/api/v1/cases").set(auth(f.tokens.district)).set("Idempotency-Key", "k-malformed").set("content-type", "application/json").send("{");
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("malformed JSON");
  });

  it("gets a case by id or number, 404 for an unknown one and 400 for a malformed id", async () => {
    const c = await f.file("heping");
    const byId = await request(f.app).get(`/api/v1/cases/${c.id}`).set(auth(f.tokens.district));
    expect(byId.status).toBe(200);
    expect(byId.body.number).toBe(c.number);
    expect((await request(f.app).get(`/api/v1/cases/${c.number}`).set(auth(f.tokens.district))).body.id).toBe(c.id);
    expect((await request(f.app).get("/api/v1/cases/999999").set(auth(f.tokens.district))).status).toBe(404);
    expect((await request(f.app).get("/api/v1/cases/abc").set(auth(f.tokens.district))).status).toBe(400);
  });

  it("changes state only through the state machine", async () => {
    const c = await f.file("heping");
    const act = (body: object) => request(f.app).post(`/api/v1/cases/${c.id}/actions`).set(auth(f.tokens.district)).send(body);
    const reassigned = await act({ action: "assign", liaison: "anju-wang", note: "物业交接" });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.liaison.code).toBe("anju-wang");
    expect(reassigned.body.company.code).toBe("anju");
    expect((await act({ action: "assign" })).status).toBe(400); // needs a liaison
    expect((await act({ action: "assign", liaison: "nobody" })).status).toBe(400);
    expect((await act({ action: "fly" })).status).toBe(400);
    const conflict = await act({ action: "confirmFixed" }); // routed → closed is not a transition
    expect(conflict.status).toBe(409);
    expect((await act({ action: "accept", expectState: "accepted" })).status).toBe(409);
    const accepted = await act({ action: "accept", expectState: "routed" });
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe("accepted");
    expect(accepted.body.acceptedAt).not.toBeNull();
    const events = await f.db.prisma.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["filed", "route", "assign", "accept"]);
    expect(events[2]!.actorId).toMatch(/^token:\d+$/);
    expect(events[2]!.note).toBe("物业交接");
  });

  it("reopens a resolved case with deadlines counted again from now, as a repeat complaint", async () => {
    const c = await f.file("heping");
    const act = (body: object) => request(f.app).post(`/api/v1/cases/${c.id}/actions`).set(auth(f.tokens.district)).send(body);
    expect((await act({ action: "resolve", note: "已修复" })).status).toBe(200);
    f.clock.advance(3 * 86_400_000); // three days later (a Thursday morning: in office hours) the resident says it leaks again
    const reopened = await act({ action: "reopen", note: "住户反映仍漏水" });
    expect(reopened.status).toBe(200);
    const row = await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ state: "reopened", reopenCount: 1, resolvedAt: null, escalationLevel: 0 });
    // repair/water, normal: respond within 2 hours of the reopening, not of the filing
    expect(row.responseDueAt!.getTime()).toBe(f.clock.now().getTime() + 2 * 3_600_000);
    const ev = await f.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "reopen" } });
    expect(ev).toMatchObject({ note: "住户反映仍漏水", fromState: "resolved", toState: "reopened" });
    f.clock.advance(-5 * 86_400_000);
  });

  it("adds internal notes and decides extension requests once", async () => {
    const c = await f.file("xingfu");
    const note = await request(f.app).post(`/api/v1/cases/${c.id}/notes`).set(auth(f.tokens.district)).send({ note: "已电话联系物业" });
    expect(note.status).toBe(201);
    expect((await request(f.app).post(`/api/v1/cases/${c.id}/notes`).set(auth(f.tokens.district)).send({ note: "" })).status).toBe(400);
    const due = new Date(c.resolutionDueAt!.getTime() + 3 * 86_400_000);
    const ext = await f.db.prisma.extensionRequest.create({ data: { caseId: c.id, requestedBy: "anju-wang", reason: "等配件", requestedDueAt: due } });
    const url = `/api/v1/cases/${c.id}/extensions/${ext.id}`;
    expect((await request(f.app).post(url).set(auth(f.tokens.district)).send({ decision: "maybe" })).status).toBe(400);
    const ok = await request(f.app).post(url).set(auth(f.tokens.district)).send({ decision: "approve", note: "同意" });
    expect(ok.status).toBe(200);
    expect(ok.body.resolutionDueAt).toBe(due.toISOString());
    expect(ok.body.extensions[0].status).toBe("approved");
    expect((await request(f.app).post(url).set(auth(f.tokens.district)).send({ decision: "deny" })).status).toBe(409);
    expect((await request(f.app).post(`/api/v1/cases/${c.id}/extensions/99999`).set(auth(f.tokens.district)).send({ decision: "deny" })).status).toBe(404);
    const types = (await f.db.prisma.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(types).toEqual(["filed", "route", "note", "extension_approved"]);
  });

  it("exports the filtered list as CSV", async () => {
    const res = await request(f.app).get("/api/v1/cases.csv").query({ estate: "xingfu" }).set(auth(f.tokens.district));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^number,state,kind/);
    const n = await f.db.prisma.case.count({ where: { estate: { code: "xingfu" } } });
    expect(lines).toHaveLength(n + 1);
    expect(res.text).toContain("楼上装修噪音");
  });

  it("lists estates, companies and liaisons; dry-runs the rules", async () => {
    const estates = await request(f.app).get("/api/v1/estates").set(auth(f.tokens.district));
    expect(estates.body.map((e: { code: string }) => e.code).sort()).toEqual(["chunhui", "heping", "jinxiu", "xingfu"]);
    expect((await request(f.app).get("/api/v1/companies").set(auth(f.tokens.district))).body).toHaveLength(3);
    expect((await request(f.app).get("/api/v1/liaisons").set(auth(f.tokens.district))).body).toHaveLength(4);
    const dry = await request(f.app).post("/api/v1/rules/dry-run").set(auth(f.tokens.district)).send({ kind: "repair", category: "water", estate: "heping" });
    expect(dry.status).toBe(200);
    expect(dry.body.decision.routed).toBe(true);
    expect(dry.body.company.code).toBe("huamei");
    expect((await request(f.app).post("/api/v1/rules/dry-run").set(auth(f.tokens.district)).send({ kind: "repair" })).status).toBe(400);
    expect((await request(f.app).get("/api/v1/rules/status").set(auth(f.tokens.district))).body.lastReload.ok).toBe(true);
    expect((await request(f.app).get("/api/v1/nothing-here").set(auth(f.tokens.district))).status).toBe(404);
  });

  it("publishes an OpenAPI 3 document from the schemas, and a docs page", async () => {
    const doc = await request(f.app).get("/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(["/api/v1/cases", "/api/v1/cases/{id}/actions", "/api/v1/figures", "/api/v1/rules/dry-run"]));
    const state = doc.body.paths["/api/v1/cases"].get.parameters.find((p: { name: string }) => p.name === "limit");
    expect(state.schema.maximum).toBe(200);
    expect(doc.body.components.schemas.CaseCreate.required).toEqual(expect.arrayContaining(["kind", "category", "description", "estate"]));
    const docs = await request(f.app).get("/api/docs");
    expect(docs.text).toContain("/assets/docs.js");
  });
});
