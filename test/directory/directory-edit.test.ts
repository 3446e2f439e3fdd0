// Editing what exists, through the API and the dashboard: an office's name, level, estates, language
// and e-mail (a street office only its own office's name, language and e-mail), a liaison renamed and
// reactivated (not while its company is suspended), a company suspended and back, an estate and a
// street reactivated. Every change is audited with before and after; refusals are words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const D = "/dashboard/directory";
let f: OfficeFixture;
const as = (token: string) => (r: request.Test) => r.set("Authorization", `Bearer ${token}`);
const lastAudit = (entity: string, key: string) => f.db.prisma.directoryAudit.findFirstOrThrow({ where: { entity, key }, orderBy: { id: "desc" } });

async function logIn(username: string) {
  const agent = request.agent(f.app);
  const form = await agent.get("/login");
  await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
  return { agent, csrf: csrfOf((await agent.get(`${D}/estates`)).text) };
}

beforeAll(async () => {
  f = await officeApp();
}, 180_000);
afterAll(async () => f?.db.drop());

describe("editing the directory through the API", () => {
  it("PATCH an office: the district changes anything, a street office only its own name, language and e-mail", async () => {
    const d = as(f.tokens.district);
    const r = await d(request(f.app).patch("/api/v1/directory/offices/heping-community")).send({ name: "和平社区居委会(新)", estates: ["heping", "xingfu"], language: "zh-Hant", email: "heping@example.org" });
    expect(r.status).toBe(200);
    const o = await f.db.prisma.office.findUniqueOrThrow({ where: { code: "heping-community" } });
    expect(o).toMatchObject({ name: "和平社区居委会(新)", language: "zh-Hant", email: "heping@example.org", level: "community" });
    expect(o.estateIds.sort()).toEqual([f.ids.heping, f.ids.xingfu].sort());
    const audit = await lastAudit("office", "heping-community");
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^token:\d+$/), action: "update", before: { name: "和平社区居委会", language: "zh-Hans", email: null }, after: { name: "和平社区居委会(新)", language: "zh-Hant", email: "heping@example.org" } });

    const s = as(f.tokens.dongcheng);
    const own = await s(request(f.app).patch("/api/v1/directory/offices/dongcheng")).send({ name: "东城街道办", language: "en" });
    expect(own.status).toBe(200);
    expect(await f.db.prisma.office.findUniqueOrThrow({ where: { code: "dongcheng" } })).toMatchObject({ name: "东城街道办", language: "en", level: "street" });
    const level = await s(request(f.app).patch("/api/v1/directory/offices/dongcheng")).send({ level: "district" });
    expect(level.status).toBe(403);
    expect(level.body).toMatchObject({ reason: "street_office_own_fields", message: "街道办只能修改本办事处的名称、语言和邮箱" });
    expect((await s(request(f.app).patch("/api/v1/directory/offices/xiyuan")).send({ name: "别人的" })).status).toBe(403);
    expect((await s(request(f.app).patch("/api/v1/directory/offices/heping-community")).send({ name: "别人的" })).status).toBe(403);
    // Validated, worded: a street office without its street, a bad e-mail, in zh-Hans and in English.
    const noStreet = await d(request(f.app).patch("/api/v1/directory/offices/xingfu-owners")).send({ level: "street" });
    expect(noStreet.status).toBe(400);
    expect(noStreet.body.message).toBe("街道办事处必须选择所属街道");
    const email = await d(request(f.app).patch("/api/v1/directory/offices/xingfu-owners")).set("Accept-Language", "en").send({ email: "not-mail" });
    expect(email.status).toBe(400);
    expect(email.body.issues).toEqual([{ path: "email", message: "an e-mail address like office@example.org" }]);
    expect((await f.db.prisma.office.findUniqueOrThrow({ where: { code: "xingfu-owners" } })).level).toBe("owners");
  });

  it("a liaison renamed, deactivated and reactivated; not while its company is suspended", async () => {
    const d = as(f.tokens.district);
    expect((await d(request(f.app).put("/api/v1/directory/liaisons/anju-zhao")).send({ name: "赵师傅(维修组)", company: "anju" })).status).toBe(200);
    expect(await lastAudit("liaison", "anju-zhao")).toMatchObject({ before: { name: "赵师傅" }, after: { name: "赵师傅(维修组)" } });
    expect((await d(request(f.app).post("/api/v1/directory/liaisons/anju-zhao/deactivate")).send({ to: "queue" })).status).toBe(200);
    const twice = await d(request(f.app).post("/api/v1/directory/liaisons/anju-zhao/deactivate")).set("Accept-Language", "en").send({});
    expect(twice.body.message).toBe('liaison "赵师傅(维修组)" is already inactive');
    // A suspended company's liaison stays inactive until the company is back.
    expect((await d(request(f.app).post("/api/v1/directory/companies/anju/suspend"))).body).toMatchObject({ active: false });
    const refused = await d(request(f.app).post("/api/v1/directory/liaisons/anju-zhao/reactivate"));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe("联络人“赵师傅(维修组)”所属物业公司“安居物业”已暂停：请先恢复公司");
    expect((await d(request(f.app).post("/api/v1/directory/companies/anju/reactivate"))).body).toMatchObject({ active: true });
    expect(await lastAudit("company", "anju")).toMatchObject({ before: { active: false }, after: { active: true } });
    const back = await d(request(f.app).post("/api/v1/directory/liaisons/anju-zhao/reactivate"));
    expect(back.body).toEqual({ code: "anju-zhao", name: "赵师傅(维修组)", active: true });
    expect(await lastAudit("liaison", "anju-zhao")).toMatchObject({ action: "reactivate", before: { active: false }, after: { active: true } });
    expect((await d(request(f.app).post("/api/v1/directory/liaisons/anju-zhao/reactivate"))).status).toBe(409);
    // Companies and liaisons are the district's.
    expect((await as(f.tokens.dongcheng)(request(f.app).post("/api/v1/directory/liaisons/anju-zhao/reactivate"))).status).toBe(403);
  });

  it("an estate and a street deactivated and reactivated; a street office only in its street", async () => {
    const d = as(f.tokens.district);
    await d(request(f.app).put("/api/v1/directory/streets/nanhu")).send({ name: "南湖街道" });
    await d(request(f.app).put("/api/v1/directory/estates/nanhu-yuan")).send({ name: "南湖苑", street: "dongcheng", households: 100 });
    expect((await d(request(f.app).post("/api/v1/directory/estates/nanhu-yuan/deactivate"))).body).toMatchObject({ active: false });
    expect((await as(f.tokens.dongcheng)(request(f.app).post("/api/v1/directory/estates/nanhu-yuan/reactivate"))).body).toMatchObject({ active: true });
    expect(await lastAudit("estate", "nanhu-yuan")).toMatchObject({ actor: expect.stringMatching(/^token:\d+$/), before: { active: false }, after: { active: true } });
    expect((await as(f.tokens.dongcheng)(request(f.app).post("/api/v1/directory/estates/jinxiu/reactivate"))).status).toBe(404);
    expect((await d(request(f.app).post("/api/v1/directory/streets/nanhu/deactivate"))).body).toEqual({ code: "nanhu", active: false });
    expect((await d(request(f.app).post("/api/v1/directory/streets/nanhu/reactivate"))).body).toEqual({ code: "nanhu", active: true });
    const again = await d(request(f.app).post("/api/v1/directory/streets/nanhu/reactivate"));
    expect(again.status).toBe(409);
    expect(again.body.message).toBe("“南湖街道”已是启用状态");
  });
});

describe("editing the directory in the dashboard", () => {
  it("the office page edits name, language, level and estates (district); a street office its own name and language", async () => {
    const { agent, csrf } = await logIn("district");
    const page = await agent.get(`${D}/offices/xingfu-owners`);
    expect(page.text).toContain('id="office-edit"');
    expect(page.text).toContain("群消息和邮件语言");
    const saved = await agent.post(`${D}/offices/xingfu-owners/edit`).type("form").send({ _csrf: csrf, name: "幸福花园第二届业委会", language: "en", level: "owners", street: "dongcheng", estates: "xingfu, heping" });
    expect(saved.status).toBe(303);
    const o = await f.db.prisma.office.findUniqueOrThrow({ where: { code: "xingfu-owners" } });
    expect(o).toMatchObject({ name: "幸福花园第二届业委会", language: "en" });
    expect(o.estateIds.sort()).toEqual([f.ids.heping, f.ids.xingfu].sort());
    expect(await lastAudit("office", "xingfu-owners")).toMatchObject({ actor: "user:district", before: { name: "幸福花园业委会", language: "zh-Hans" }, after: { name: "幸福花园第二届业委会", language: "en" } });
    const bad = await agent.post(`${D}/offices/xingfu-owners/edit`).type("form").send({ _csrf: csrf, name: "", language: "en", level: "owners", estates: "" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("未保存: 名称：不能为空");
    const noEstates = await agent.post(`${D}/offices/xingfu-owners/edit`).type("form").send({ _csrf: csrf, name: "业委会", language: "en", level: "owners", estates: "" });
    expect(noEstates.text).toContain("社区居委会或业委会必须填写所管小区");

    const street = await logIn("dongcheng"); // reads the dashboard in English
    const streetPage = await street.agent.get(`${D}/offices/dongcheng`);
    expect(streetPage.text).toContain('id="office-edit"');
    expect(streetPage.text).not.toContain('name="level"');
    await street.agent.post(`${D}/offices/dongcheng/edit`).type("form").send({ _csrf: street.csrf, name: "东城街道办事处", language: "zh-Hant", level: "district", street: "" });
    expect(await f.db.prisma.office.findUniqueOrThrow({ where: { code: "dongcheng" } })).toMatchObject({ name: "东城街道办事处", language: "zh-Hant", level: "street" });
    expect((await street.agent.post(`${D}/offices/xiyuan/edit`).type("form").send({ _csrf: street.csrf, name: "x" })).status).toBe(403);
    const forbidden = await street.agent.post(`${D}/liaisons/huamei-li/rename`).set("Accept", "text/html").type("form").send({ _csrf: street.csrf, name: "x" });
    expect(forbidden.status).toBe(403);
    // Refused by the one authorization rule before the handler: editing liaisons is district work.
    expect(forbidden.text).toMatch(/your role may not|outside your area/);
  });

  it("liaisons renamed and reactivated, a company suspended and back, an estate reactivated, from their pages", async () => {
    const { agent, csrf } = await logIn("district");
    expect((await agent.post(`${D}/liaisons/huamei-li/rename`).type("form").send({ _csrf: csrf, name: "李工(华美)" })).status).toBe(303);
    expect((await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } })).name).toBe("李工(华美)");
    await agent.post(`${D}/liaisons/lvyuan-chen/deactivate`).type("form").send({ _csrf: csrf, to: "queue" });
    const list = await agent.get(`${D}/liaisons`);
    expect(list.text).toContain(`action="${D}/liaisons/lvyuan-chen/reactivate"`);
    expect((await agent.post(`${D}/liaisons/lvyuan-chen/reactivate`).type("form").send({ _csrf: csrf })).status).toBe(303);
    expect((await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: "lvyuan-chen" } })).active).toBe(true);
    const twice = await agent.post(`${D}/liaisons/lvyuan-chen/reactivate`).type("form").send({ _csrf: csrf });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain("联络人“陈主管”已是启用状态");

    expect((await agent.post(`${D}/companies/lvyuan/suspend`).type("form").send({ _csrf: csrf })).status).toBe(303);
    expect((await agent.get(`${D}/companies`)).text).toContain(`action="${D}/companies/lvyuan/reactivate"`);
    expect((await agent.post(`${D}/companies/lvyuan/reactivate`).type("form").send({ _csrf: csrf })).status).toBe(303);
    expect((await f.db.prisma.company.findUniqueOrThrow({ where: { code: "lvyuan" } })).active).toBe(true);

    await agent.post(`${D}/estates`).type("form").send({ _csrf: csrf, code: "beiyuan", name: "北苑", street: "xiyuan", households: "50" });
    await agent.post(`${D}/estates/beiyuan/deactivate`).type("form").send({ _csrf: csrf });
    const estate = await agent.get(`${D}/estates/beiyuan`);
    expect(estate.text).toContain('id="reactivate-form"');
    expect((await agent.post(`${D}/estates/beiyuan/reactivate`).type("form").send({ _csrf: csrf })).status).toBe(303);
    expect((await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "beiyuan" } })).active).toBe(true);
    expect(await lastAudit("estate", "beiyuan")).toMatchObject({ actor: "user:district", before: { active: false }, after: { active: true } });
  });
});
