// The credit files through the API and the dashboard as the district and a street office use them:
// a manager's certificate and estates earn the base, an inspection record lowers the grade, an
// appeal marks it, a withdrawal restores the grade; a street office sees its street's records
// only (安居 works in both streets); writes and decisions are the district's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("credit files: API, appeals, scope, pages", () => {
  let f: OfficeFixture;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const anju = async (token = f.tokens.district) => (await request(f.app).get("/api/v1/credit/companies/anju").set(as(token))).body;
  beforeAll(async () => {
    f = await officeApp();
  });
  afterAll(async () => f.db.drop());

  it("scores 安居 from its manager's certificate and estates, lowers it for an inspection record, restores it when the appeal withdraws it", async () => {
    expect(await anju()).toMatchObject({ score: 30, grade: "C", blacklisted: true, records: [] }); // only the qualification (30): below 40
    const m = await request(f.app).post("/api/v1/credit/managers").set(as(f.tokens.district)).send({ name: "王建国", certificateNo: "WY-2024-001", certificateExpiresOn: "2028-06-30", phone: "13800000000" });
    expect(m.status).toBe(201);
    for (const estate of ["xingfu", "jinxiu"]) {
      expect((await request(f.app).post(`/api/v1/credit/managers/${m.body.id}/assignments`).set(as(f.tokens.district)).send({ estate, startsOn: "2026-01-01" })).status).toBe(201);
    }
    // 30 qualification + 30 managers certified + 20 records complete = 80 → AA
    expect(await anju()).toMatchObject({ score: 80, grade: "AA", blacklisted: false, cards: { yellow: 0, red: 0 } });

    const rec = await request(f.app).post("/api/v1/credit/records").set(as(f.tokens.district)).send({ company: "anju", type: "inspection_violation", note: "消防通道堵塞", estate: "jinxiu" });
    expect(rec.status).toBe(201);
    const low = await anju();
    expect(low).toMatchObject({ score: 75, grade: "A" });
    expect(low.records).toEqual([expect.objectContaining({ type: "inspection_violation", polarity: "bad", points: 5, estate: "jinxiu", note: "消防通道堵塞", status: "active", counts: true, source: expect.objectContaining({ type: "inspection" }) })]);
    expect(low.records[0].validUntil).toBe("2027-11-02T02:00:00.000Z");

    const appeal = await request(f.app).post(`/api/v1/credit/records/${rec.body.id}/appeals`).set(as(f.tokens.district)).send({ reason: "通道当天已清理", evidence: "整改照片 3 张" });
    expect(appeal.status).toBe(201);
    expect((await request(f.app).post(`/api/v1/credit/records/${rec.body.id}/appeals`).set(as(f.tokens.district)).send({ reason: "again" })).status).toBe(409);
    // Under appeal it is marked, and still counts.
    expect(await anju()).toMatchObject({ score: 75, records: [expect.objectContaining({ status: "appealed", appeal: { id: appeal.body.id, status: "open" } })] });
    // A street office may not decide.
    expect((await request(f.app).post(`/api/v1/credit/appeals/${appeal.body.id}/decision`).set(as(f.tokens.dongcheng)).send({ decision: "withdrawn", reason: "x" })).status).toBe(403);
    const decided = await request(f.app).post(`/api/v1/credit/appeals/${appeal.body.id}/decision`).set(as(f.tokens.district)).send({ decision: "withdrawn", reason: "现场复核属实" });
    expect(decided.body).toMatchObject({ status: "withdrawn", decisionReason: "现场复核属实", decidedBy: expect.stringMatching(/^token:/) });
    expect(await anju()).toMatchObject({ score: 80, grade: "AA", records: [expect.objectContaining({ status: "withdrawn", counts: false })] });
    expect((await request(f.app).post(`/api/v1/credit/appeals/${appeal.body.id}/decision`).set(as(f.tokens.district)).send({ decision: "upheld", reason: "again" })).status).toBe(409);
    // Audited: filing and decision, who and why.
    const audit = await f.db.prisma.directoryAudit.findMany({ where: { entity: "credit", key: `record:${rec.body.id}` }, orderBy: { id: "asc" } });
    expect(audit.map((x) => x.action)).toEqual(["create", "appeal", "appeal_withdrawn"]);
  });

  it("shows a street office its street's records of a shared company only, and refuses it the district's writes", async () => {
    const honour = await request(f.app).post("/api/v1/credit/records").set(as(f.tokens.district)).send({ company: "anju", type: "honour", note: "市级优秀物业项目", estate: "xingfu" });
    expect(honour.status).toBe(201);
    const district = await anju();
    expect(district.records.map((r: { estate: string }) => r.estate).sort()).toEqual(["jinxiu", "xingfu"]);
    const street = await anju(f.tokens.dongcheng);
    expect(street.records.map((r: { estate: string }) => r.estate)).toEqual(["xingfu"]);
    expect(street.score).toBe(district.score); // the company's score, whoever reads it
    // The other street's company is not there for it; writes are the district's.
    expect((await request(f.app).get("/api/v1/credit/companies/lvyuan").set(as(f.tokens.dongcheng))).status).toBe(404);
    expect((await request(f.app).get("/api/v1/credit/companies").set(as(f.tokens.dongcheng))).body.companies.map((c: { code: string }) => c.code)).toEqual(["anju", "huamei"]);
    expect((await request(f.app).post("/api/v1/credit/records").set(as(f.tokens.dongcheng)).send({ company: "anju", type: "honour", note: "x" })).status).toBe(403);
    expect((await request(f.app).post("/api/v1/credit/managers").set(as(f.tokens.dongcheng)).send({ name: "x" })).status).toBe(403);
    const jinxiuRecord = district.records.find((r: { estate: string }) => r.estate === "jinxiu");
    expect((await request(f.app).post(`/api/v1/credit/records/${jinxiuRecord.id}/appeals`).set(as(f.tokens.dongcheng)).send({ reason: "x" })).status).toBe(404);
    expect((await request(f.app).post(`/api/v1/credit/records/${honour.body.id}/appeals`).set(as(f.tokens.dongcheng)).send({ reason: "x" })).status).toBe(201);
    expect((await request(f.app).get("/api/v1/credit/companies/anju")).status).toBe(401);
    // Bad input: a clear 400.
    const bad = await request(f.app).post("/api/v1/credit/records").set(as(f.tokens.district)).send({ company: "anju", type: "overdue_response", note: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not a record type the office enters/);
  });

  it("gives the manager's file with certificate and estates, and the dashboard pages with score, grade, records and chart", async () => {
    const list = (await request(f.app).get("/api/v1/credit/managers").set(as(f.tokens.dongcheng))).body.managers;
    expect(list).toEqual([expect.objectContaining({ name: "王建国", certificateNo: "WY-2024-001", certificateExpiresOn: "2028-06-30" })]);
    expect(list[0]).not.toHaveProperty("phone");
    const file = (await request(f.app).get(`/api/v1/credit/managers/${list[0].id}`).set(as(f.tokens.district))).body;
    expect(file).toMatchObject({ manager: { name: "王建国" }, score: 80, grade: "AA", records: [] });

    const a = request.agent(f.app);
    const login = await a.get("/login");
    await a.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(login.text) });
    const page = await a.get("/dashboard/credit");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<tr data-company="anju"><td><a href="\/dashboard\/credit\/anju">安居物业<\/a><\/td><td class="num">90<\/td><td>AAA<\/td>/);
    const anjuPage = await a.get("/dashboard/credit/anju");
    expect(anjuPage.text).toMatch(/截至 2026-11-02[^<]*· 信用分 <b>90<\/b> · 信用等级 <b data-grade="AAA">AAA<\/b>/);
    expect(anjuPage.text).toContain("检查发现违规");
    expect(anjuPage.text).toMatch(/data-status="withdrawn">[\s\S]*?已撤销/);
    expect(anjuPage.text).toContain('id="credit-data"');
    expect(anjuPage.text).toContain("/assets/credit-chart.js");
    // The district files an appeal from the page and decides it on the queue.
    const honourRow = /data-record="(\d+)" data-status="active"/.exec(anjuPage.text);
    expect(honourRow).toBeNull(); // the honour is under appeal (filed by the street above): no form
    const queue = await a.get("/dashboard/credit/appeals");
    expect(queue.text).toContain("市级优秀物业项目");
    const openId = /data-appeal="(\d+)" data-status="open"/.exec(queue.text)![1];
    const done = await a.post(`/dashboard/credit/appeals/${openId}/decide`).type("form").send({ _csrf: csrfOf(queue.text), decision: "upheld", reason: "表彰属实" });
    expect(done.status).toBe(303);
    expect((await a.get("/dashboard/credit/appeals")).text).toMatch(/维持记录 · 表彰属实/);
    expect((await a.get("/dashboard/credit/nobody")).status).toBe(404);
    expect((await a.get("/dashboard/credit/managers")).text).toContain("WY-2024-001");
  });
});
