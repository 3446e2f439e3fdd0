// Directory CRUD through /api/v1/directory: create and update by code (audited, idempotent),
// validation with clear 4xx answers, areas (a street office writes only its street), moving an
// estate to another company (history kept, open cases moved through the case service), deactivating
// a liaison with open cases (handed on, never orphaned), units deactivated not deleted, and the
// committee roles reading only their estates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";
import { createApiToken } from "../../core/directory/staff.ts";

let f: OfficeFixture;
let committee: string;
const as = (token: string) => (r: request.Test) => r.set("Authorization", `Bearer ${token}`);
beforeAll(async () => {
  f = await officeApp();
  committee = (await createApiToken(f.db.prisma, { name: "heping-jwh", role: "community", estates: ["heping"] })).token;
}, 240_000);
afterAll(async () => f?.db.drop());

const estate = { name: "安宁里", street: "dongcheng", community: "和平社区", address: "和平路 2 号", households: 150, company: "huamei", contractStart: "2025-01-01" };

describe("directory API", () => {
  it("creates an estate, finds it, and a second identical PUT changes nothing; every change is audited", async () => {
    const d = as(f.tokens.district);
    const created = await d(request(f.app).put("/api/v1/directory/estates/anning")).send(estate);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: "anning", name: "安宁里", households: 150, company: { code: "huamei", name: "华美物业" }, street: { code: "dongcheng" } });
    expect(created.body.inviteCode).toMatch(/^[0-9A-F]{10}$/);
    const again = await d(request(f.app).put("/api/v1/directory/estates/anning")).send(estate);
    expect(again.body.action).toBe("unchanged");
    const renamed = await d(request(f.app).put("/api/v1/directory/estates/anning")).send({ ...estate, households: 160 });
    expect(renamed.body.action).toBe("updated");
    const audit = await f.db.prisma.directoryAudit.findMany({ where: { entity: "estate", key: "anning" }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["create", "update"]);
    expect(audit[1]).toMatchObject({ before: { households: 150 }, after: { households: 160 } });
    expect(audit[1]!.actor).toMatch(/^token:\d+$/);
    const one = await d(request(f.app).get("/api/v1/directory/estates/anning"));
    expect(one.body.contracts).toEqual([{ company: { code: "huamei", name: "华美物业" }, startsOn: "2025-01-01", endsOn: null }]);
    // The router sees the new estate at once: a case filed there is routed to its company.
    const anning = await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "anning" } });
    const { case: c } = await f.cases.file({ sourceKey: "anning-1", kind: "repair", category: "water", description: "漏水", estateId: anning.id, actor: { type: "system" } });
    expect(c.state).toBe("routed");
    expect(c.companyId).toBe(anning.companyId);
  });

  it("refuses bad input with 400 and names the field; never 500", async () => {
    const d = as(f.tokens.district);
    const bad = [
      [{ ...estate, households: -1 }, "households"],
      [{ ...estate, name: "坏\u0000名" }, "name"],
      [{ ...estate, households: 10 ** 9 }, "households"],
      [{ ...estate, contractStart: "2025-02-30" }, "contractStart"],
      [{ ...estate, extra: 1 }, "(root)"],
    ] as const;
    for (const [body, field] of bad) {
      const r = await d(request(f.app).put("/api/v1/directory/estates/bad-one")).send(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
    const street = await d(request(f.app).put("/api/v1/directory/estates/bad-one")).send({ ...estate, street: "nowhere" });
    expect(street.status).toBe(400);
    // Refusals are words in the asked language (Accept-Language; zh-Hans by default) with a code.
    expect(street.body).toMatchObject({ error: "invalid_request", reason: "unknown_street", params: { code: "nowhere" }, message: "街道：找不到街道“nowhere”" });
    const english = await d(request(f.app).put("/api/v1/directory/estates/bad-one")).set("Accept-Language", "en-GB,en;q=0.9").send({ ...estate, street: "nowhere" });
    expect(english.body.message).toBe('street: no street "nowhere"');
    const fields = await d(request(f.app).put("/api/v1/directory/estates/bad-one")).send({ ...estate, households: 1.5, extra: 1 });
    expect(fields.body.issues).toEqual(expect.arrayContaining([{ path: "households", message: "须为整数" }, { path: "(root)", message: "不认识的字段：extra" }]));
    const fieldsEn = await d(request(f.app).put("/api/v1/directory/estates/bad-one")).set("Accept-Language", "en").send({ ...estate, households: 1.5 });
    expect(fieldsEn.body.issues).toEqual([{ path: "households", message: "a whole number" }]);
    const hant = await d(request(f.app).post("/api/v1/directory/liaisons/nobody/deactivate")).set("Accept-Language", "zh-TW").send({});
    expect(hant.status).toBe(404);
    expect(hant.body.message).toBe("找不到聯絡人「nobody」");
    expect((await d(request(f.app).put("/api/v1/directory/estates/BAD CODE")).send(estate)).status).toBe(400);
    expect(await f.db.prisma.estate.count({ where: { code: "bad-one" } })).toBe(0);
  });

  it("a street office writes only in its street; companies and liaisons are the district's", async () => {
    const s = as(f.tokens.dongcheng);
    expect((await s(request(f.app).put("/api/v1/directory/estates/west-new")).send({ ...estate, street: "xiyuan" })).status).toBe(403);
    expect((await s(request(f.app).put("/api/v1/directory/estates/jinxiu")).send({ ...estate, name: "锦绣家园", street: "dongcheng", company: "anju" })).status).toBe(403);
    expect((await s(request(f.app).put("/api/v1/directory/estates/east-new")).send({ ...estate, name: "东新苑" })).status).toBe(201);
    expect((await s(request(f.app).put("/api/v1/directory/companies/newco")).send({ name: "新公司" })).status).toBe(403);
    expect((await s(request(f.app).post("/api/v1/directory/liaisons/huamei-li/deactivate")).send({})).status).toBe(403);
    const list = await s(request(f.app).get("/api/v1/directory/estates"));
    expect(list.body.map((e: { code: string }) => e.code)).not.toContain("jinxiu");
  });

  it("moves an estate to another company: contract history kept, open cases moved through the case service", async () => {
    const open = await f.file("heping", { description: "电梯坏了 move" });
    expect(open.companyId).toBe((await f.db.prisma.company.findUniqueOrThrow({ where: { code: "huamei" } })).id);
    const d = as(f.tokens.district);
    const moved = await d(request(f.app).post("/api/v1/directory/estates/heping/move")).send({ company: "anju", contractStart: "2026-11-01", openCases: "move" });
    expect(moved.status).toBe(200);
    expect(moved.body.company).toEqual({ code: "anju", name: "安居物业" });
    expect(moved.body.moved).toContain(open.number);
    const c = await f.db.prisma.case.findUniqueOrThrow({ where: { id: open.id }, include: { liaison: true, company: true, events: true } });
    expect(c.company!.code).toBe("anju");
    expect(c.liaison!.code).toBe("anju-wang");
    expect(c.events.map((e) => e.type)).toContain("assign");
    const history = (await d(request(f.app).get("/api/v1/directory/estates/heping"))).body.contracts;
    expect(history.map((h: { company: { code: string } }) => h.company.code)).toEqual(["huamei", "anju"]);
    expect(history[0].endsOn).toBe("2026-11-01");
    // A plain PUT may not slip a company change past the open-cases question.
    expect((await d(request(f.app).put("/api/v1/directory/estates/heping")).send({ name: "和平小区", street: "dongcheng", households: 480, company: "lvyuan" })).status).toBe(409);
  });

  it("deactivating a liaison hands its open cases to a colleague, or to the office queue when none is left", async () => {
    const d = as(f.tokens.district);
    const a = await f.file("xingfu", { description: "漏水 liaison" });
    const first = await f.db.prisma.liaison.findUniqueOrThrow({ where: { id: a.liaisonId! } });
    const other = first.code === "anju-wang" ? { code: "anju-zhao", name: "赵师傅" } : { code: "anju-wang", name: "王经理" };
    const r = await d(request(f.app).post(`/api/v1/directory/liaisons/${first.code}/deactivate`)).send({});
    expect(r.status).toBe(200);
    expect(r.body.to).toEqual(other);
    expect(r.body.moved).toContain(a.number);
    expect((await f.db.prisma.case.findUniqueOrThrow({ where: { id: a.id }, include: { liaison: true } })).liaison!.code).toBe(other.code);

    const b = await f.file("chunhui", { description: "绿化 queue" });
    const q = await d(request(f.app).post("/api/v1/directory/liaisons/lvyuan-chen/deactivate")).send({});
    expect(q.body.to).toBeNull();
    const queued = await f.db.prisma.case.findUniqueOrThrow({ where: { id: b.id } });
    expect(queued.state).toBe("unroutable");
    expect(queued.liaisonId).toBeNull();
    expect(await f.db.prisma.case.count({ where: { liaison: { active: false }, state: { in: ["routed", "accepted", "reopened"] } } })).toBe(0);
    expect((await d(request(f.app).post("/api/v1/directory/liaisons/lvyuan-chen/deactivate")).send({})).status).toBe(409);
  });

  it("units and estates are deactivated, never deleted; residents keep their address", async () => {
    const d = as(f.tokens.district);
    expect((await d(request(f.app).put(`/api/v1/directory/estates/anning/buildings/${encodeURIComponent("1号楼")}`)).send({ units: ["1单元", "2单元"] })).status).toBe(201);
    const e = await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "anning" }, include: { buildings: { include: { units: true } } } });
    const unit = e.buildings[0]!.units[0]!;
    await f.db.prisma.resident.create({ data: { telegramUserId: 99001n, chatId: 99001n, name: "住户", estateId: e.id, buildingId: e.buildings[0]!.id, unitId: unit.id, status: "verified" } });
    const off = await d(request(f.app).post(`/api/v1/directory/estates/anning/buildings/${encodeURIComponent("1号楼")}/deactivate`)).send({ unit: "1单元" });
    expect(off.body).toEqual({ residentsKept: 1 });
    expect((await f.db.prisma.unit.findUniqueOrThrow({ where: { id: unit.id } })).active).toBe(false);
    expect((await f.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: 99001n } })).unitId).toBe(unit.id);
    // An estate with open cases is not deactivated.
    const refused = await d(request(f.app).post("/api/v1/directory/estates/anning/deactivate"));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("还有未办结案件");
  });

  it("offices: e-mail and a fresh group link code; a street office only its own", async () => {
    const s = as(f.tokens.dongcheng);
    const ok = await s(request(f.app).post("/api/v1/directory/offices/dongcheng/email")).send({ email: "dongcheng@example.org" });
    expect(ok.body.email).toBe("dongcheng@example.org");
    expect((await s(request(f.app).post("/api/v1/directory/offices/xiyuan/email")).send({ email: "x@example.org" })).status).toBe(403);
    expect((await s(request(f.app).post("/api/v1/directory/offices/dongcheng/email")).send({ email: "not an address" })).status).toBe(400);
    const before = (await f.db.prisma.office.findUniqueOrThrow({ where: { code: "dongcheng" } })).chatLinkCode;
    const renewed = await s(request(f.app).post("/api/v1/directory/offices/dongcheng/link-code"));
    expect(renewed.body.chatLinkCode).not.toBe(before);
    const list = await as(f.tokens.district)(request(f.app).get("/api/v1/directory/offices"));
    expect(list.body.find((o: { code: string }) => o.code === "dongcheng")).toMatchObject({ email: "dongcheng@example.org", chat: "not_linked", level: "street" });
  });

  it("a community committee reads its own estates and cases only, and writes nothing", async () => {
    const c = as(committee);
    const estates = await c(request(f.app).get("/api/v1/directory/estates"));
    expect(estates.body.map((e: { code: string }) => e.code)).toEqual(["heping"]);
    const cases = await c(request(f.app).get("/api/v1/cases"));
    expect(cases.status).toBe(200);
    expect(cases.body.items.length).toBeGreaterThan(0);
    expect(new Set(cases.body.items.map((x: { estate: { code: string } }) => x.estate.code))).toEqual(new Set(["heping"]));
    expect((await c(request(f.app).put("/api/v1/directory/estates/heping")).send(estate)).status).toBe(403);
    expect((await c(request(f.app).get("/api/v1/figures"))).status).toBe(200); // committees read their estates' figures (issue 32.6)
    const xingfuCase = await f.db.prisma.case.findFirstOrThrow({ where: { estate: { code: "xingfu" } } });
    expect((await c(request(f.app).get(`/api/v1/cases/${xingfuCase.id}`))).status).toBe(404);
  });
});
