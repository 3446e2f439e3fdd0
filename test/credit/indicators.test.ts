// The district's indicators from the directory's flags, against hand-computed rates: 业委会成立率
// (a committee whose term has ended does not count), 物业化率, 持证率 (the current project manager's
// certificate), 招投标率 of new estates, companies' qualification; each with the estates that miss
// it and why; a street office sees its street; a read-only role is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createStaffUser } from "../../core/directory/staff.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const cells = (html: string, attr: string) => new RegExp(`<tr ${attr}[^>]*>(.*?)</tr>`).exec(html)?.[1]?.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|") ?? null;
const missesOf = (html: string, key: string) => {
  const table = new RegExp(`<table data-misses="${key}">(.*?)</table>`).exec(html)?.[1] ?? "";
  return [...table.matchAll(/<tr data-estate="(\w+)">(.*?)<\/tr>/g)].map((m) => `${m[1]}: ${m[2]!.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|")}`);
};

describe("district indicators", () => {
  let f: OfficeFixture;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const put = (path: string, body: object) => request(f.app).put(`/api/v1/directory/${path}`).set(as(f.tokens.district)).send(body);
  const signIn = async (username: string) => {
    const a = request.agent(f.app);
    const login = await a.get("/login");
    await a.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(login.text) });
    return a;
  };
  beforeAll(async () => {
    f = await officeApp();
    const estates = [
      { code: "heping", name: "和平小区", street: "dongcheng", households: 480, ownersCommittee: true, ownersCommitteeTermEnd: "2027-06-30", professionallyManaged: true, deliveredOn: "2021-01-01", tendered: true },
      { code: "xingfu", name: "幸福花园", street: "dongcheng", households: 720, ownersCommittee: true, ownersCommitteeTermEnd: "2026-06-30", professionallyManaged: true, deliveredOn: "2022-07-01", tendered: false },
      { code: "jinxiu", name: "锦绣家园", street: "xiyuan", households: 350, ownersCommittee: true, professionallyManaged: true, deliveredOn: "2020-03-01" },
      { code: "chunhui", name: "春晖苑", street: "xiyuan", households: 260, ownersCommittee: false, professionallyManaged: false, deliveredOn: "2023-01-01", tendered: true },
    ];
    for (const { code, ...body } of estates) expect((await put(`estates/${code}`, body)).status).toBe(200);
    expect((await put("companies/anju", { name: "安居物业", qualificationCertNo: "QC-0001", qualificationExpiresOn: "2027-12-31" })).status).toBe(200);
    expect((await put("companies/huamei", { name: "华美物业", qualificationCertNo: "QC-0002", qualificationExpiresOn: "2026-10-01" })).status).toBe(200);
    const manager = async (name: string, certificateNo: string, certificateExpiresOn: string, estate: string) => {
      const m = await request(f.app).post("/api/v1/credit/managers").set(as(f.tokens.district)).send({ name, certificateNo, certificateExpiresOn });
      expect((await request(f.app).post(`/api/v1/credit/managers/${m.body.id}/assignments`).set(as(f.tokens.district)).send({ estate, startsOn: "2026-01-01" })).status).toBe(201);
    };
    await manager("王建国", "WY-1", "2028-06-30", "xingfu");
    await manager("李四", "WY-2", "2026-01-31", "heping");
    await manager("赵六", "WY-3", "2029-01-01", "chunhui");
    await createStaffUser(f.db.prisma, { username: "heping-community", password: PASSWORD, role: "community", estates: ["heping"], displayName: "和平社区居委会" });
  });
  afterAll(async () => f.db.drop());

  it("shows each rate against its target and the estates that miss it, with why", async () => {
    const a = await signIn("district");
    const res = await a.get("/dashboard/indicators");
    expect(res.status).toBe(200);
    // 业委会: heping and jinxiu (xingfu's term ended 2026-06-30, chunhui has none): 2 / 4 = 50 % < 80 %.
    expect(cells(res.text, 'data-indicator="ownersCommittee"')).toBe("|业委会成立率|≥ 80 %|50 %|2 / 4|未达标|");
    expect(missesOf(res.text, "ownersCommittee")).toEqual(["chunhui: |春晖苑|西苑街道|未成立业委会|", "xingfu: |幸福花园|东城街道|业委会任期已于 2026-06-30 届满|"]);
    // 物业化: 3 / 4 = 75 %.
    expect(cells(res.text, 'data-indicator="professional"')).toBe("|物业化率|≥ 100 %|75 %|3 / 4|未达标|");
    expect(missesOf(res.text, "professional")).toEqual(["chunhui: |春晖苑|西苑街道|未实行物业化管理|"]);
    // 持证: xingfu (王建国, valid) and chunhui (赵六); heping's 李四 expired 2026-01-31, jinxiu has none: 2 / 4.
    expect(cells(res.text, 'data-indicator="certified"')).toBe("|项目经理持证率|≥ 100 %|50 %|2 / 4|未达标|");
    expect(missesOf(res.text, "certified")).toEqual(["heping: |和平小区|东城街道|项目经理李四无有效证书|", "jinxiu: |锦绣家园|西苑街道|无在任项目经理|"]);
    // 招投标 of estates delivered since 2021-01-01 (heping, xingfu, chunhui; jinxiu 2020 is not new): 2 / 3.
    expect(cells(res.text, 'data-indicator="tendered"')).toBe("|新建小区招投标率|≥ 100 %|66.7 %|2 / 3|未达标|");
    expect(missesOf(res.text, "tendered")).toEqual(["xingfu: |幸福花园|东城街道|未经招投标选聘|"]);
    // Qualification, no target: 安居 valid (xingfu, jinxiu); 华美 expired 2026-10-01; 绿苑 none.
    expect(cells(res.text, 'data-indicator="qualification"')).toBe("|物业企业资质有效率|—|50 %|2 / 4|不设目标|");
    expect(missesOf(res.text, "qualification")).toEqual(["chunhui: |春晖苑|西苑街道|绿苑物业无资质证书记录|", "heping: |和平小区|东城街道|华美物业资质证书已于 2026-10-01 到期|"]);
    expect(res.text).toContain("新建小区：2021-01-01 及以后交付");
    expect((await a.get("/dashboard/credit")).text).toContain('href="/dashboard/indicators"');
  });

  it("meets a target when every estate does, gives a street office its street in its language, refuses a read-only role", async () => {
    expect((await put("estates/chunhui", { name: "春晖苑", street: "xiyuan", households: 260, professionallyManaged: true })).status).toBe(200);
    const a = await signIn("district");
    expect(cells((await a.get("/dashboard/indicators")).text, 'data-indicator="professional"')).toBe("|物业化率|≥ 100 %|100 %|4 / 4|达标|");
    const street = await signIn("dongcheng"); // English, 东城: heping and xingfu
    const s = await street.get("/dashboard/indicators");
    expect(s.text).toContain("District indicators");
    expect(cells(s.text, 'data-indicator="ownersCommittee"')).toBe("|Owners' committees formed|≥ 80 %|50 %|1 / 2|Missed|");
    expect(missesOf(s.text, "ownersCommittee")).toEqual(["xingfu: |幸福花园|东城街道|The committee's term ended on 2026-06-30|"]);
    expect((await (await signIn("heping-community")).get("/dashboard/indicators")).status).toBe(403);
  });

  it("keeps the flags on the directory's estate form: ticked and dated there, counted on the page", async () => {
    const a = await signIn("district");
    const form = await a.get("/dashboard/directory/estates/jinxiu");
    expect(form.text).toMatch(/<input type="checkbox" name="ownersCommittee" id="f-ownersCommittee" value="1" checked[^>]*>已成立业委会/);
    expect(form.text).toMatch(/<input type="checkbox" name="tendered" id="f-tendered" value="1" style[^>]*>经招投标选聘物业/); // jinxiu: not tendered
    expect(form.text).toContain('name="deliveredOn" id="f-deliveredOn" type="date" value="2020-03-01"');
    // 锦绣 delivered 2025 now (new), tendered; its committee box left unticked: no committee.
    const saved = await a.post("/dashboard/directory/estates/jinxiu").type("form").send({ _csrf: csrfOf(form.text), name: "锦绣家园", street: "xiyuan", households: "350", professionallyManaged: "1", tendered: "1", deliveredOn: "2025-05-01" });
    expect(saved.status).toBe(303);
    const row = await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "jinxiu" } });
    expect(row).toMatchObject({ ownersCommittee: false, professionallyManaged: true, tendered: true, deliveredOn: new Date("2025-05-01T00:00:00Z") });
    const page = (await a.get("/dashboard/indicators")).text;
    expect(cells(page, 'data-indicator="ownersCommittee"')).toBe("|业委会成立率|≥ 80 %|25 %|1 / 4|未达标|");
    expect(cells(page, 'data-indicator="tendered"')).toBe("|新建小区招投标率|≥ 100 %|75 %|3 / 4|未达标|");

    // 绿苑's qualification certificate entered on the company form: valid to 2027, so 春晖 counts.
    const companies = await a.get("/dashboard/directory/companies?edit=lvyuan");
    expect(companies.text).toContain('<label>资质证书有效期至<input name="qualificationExpiresOn" id="f-qualificationExpiresOn" type="date" value/>');
    const c = await a.post("/dashboard/directory/companies").type("form").send({ _csrf: csrfOf(companies.text), code: "lvyuan", name: "绿苑物业", grade: "三级", qualificationCertNo: "QC-0003", qualificationExpiresOn: "2027-03-31", active: "1" });
    expect(c.status).toBe(303);
    expect((await a.get("/dashboard/directory/companies?edit=lvyuan")).text).toContain('value="2027-03-31"');
    expect(cells((await a.get("/dashboard/indicators")).text, 'data-indicator="qualification"')).toBe("|物业企业资质有效率|—|75 %|3 / 4|不设目标|");
  });
});
