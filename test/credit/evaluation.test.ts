// The yearly evaluation as the office prints it (page and PDF) and the public 公示 page as anyone
// reads it without signing in: period, grades, red and black lists, the rules in words; by default
// no manager's name, certificate number or phone on the public page; a street office sees its own
// companies; a read-only role is refused; a bad year is a clear 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { PDFParse } from "pdf-parse";
import { createStaffUser } from "../../core/directory/staff.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { PUBLIC_PAGES, abilityFor } from "../../api/access.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const rowOf = (html: string, attr: string) => new RegExp(`<tr ${attr}>(.*?)</tr>`).exec(html)?.[1]?.replace(/<[^>]+>/g, "|") ?? null;

describe("yearly credit evaluation and the public 公示 page", () => {
  let f: OfficeFixture;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const signIn = async (username: string) => {
    const a = request.agent(f.app);
    const login = await a.get("/login");
    await a.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(login.text) });
    return a;
  };
  beforeAll(async () => {
    f = await officeApp();
    const m = await request(f.app).post("/api/v1/credit/managers").set(as(f.tokens.district)).send({ name: "王建国", certificateNo: "WY-2024-001", certificateExpiresOn: "2028-06-30", phone: "13800000000" });
    for (const estate of ["xingfu", "jinxiu"]) await request(f.app).post(`/api/v1/credit/managers/${m.body.id}/assignments`).set(as(f.tokens.district)).send({ estate, startsOn: "2026-01-01" });
    // 安居: 30 + 30 + 20 = 80, + honour 10 = 90 → AAA (red list). 王建国: 30 + 30 + 20 = 80 → AA.
    await request(f.app).post("/api/v1/credit/records").set(as(f.tokens.district)).send({ company: "anju", type: "honour", note: "市级优秀物业项目", estate: "xingfu" });
    await createStaffUser(f.db.prisma, { username: "heping-community", password: PASSWORD, role: "community", estates: ["heping"], displayName: "和平社区居委会" });
  });
  afterAll(async () => f.db.drop());

  it("shows the public the period, grades, red and black lists and the rules, without a manager's name, certificate or phone", async () => {
    const res = await request(f.app).get("/credit?year=2026");
    expect(res.status).toBe(200);
    expect(res.text).toContain("物业服务企业及项目经理信用评价公示 · 2026");
    expect(res.text).toContain("2026 年度 · 评价期 2026-01-01 — 2026-11-02 · 本年度尚未结束，按截至 2026-11-02");
    expect(rowOf(res.text, 'data-company="anju"')).toBe("|1||安居物业||90||AAA||0||0||红名单|");
    // Companies with only their qualification (30) are below 40: black list.
    expect(res.text).toMatch(/<p id="ev-red">安居物业<\/p>/);
    expect(/<p id="ev-black">([^<]*)<\/p>/.exec(res.text)![1]).toContain("绿苑物业");
    expect(rowOf(res.text, 'data-manager="1"')).toBe("|1||安居物业项目经理||80||AA|||");
    for (const hidden of ["王建国", "WY-2024-001", "13800000000"]) expect(res.text).not.toContain(hidden);
    expect(res.text).toContain("超时未办结: 扣 2 分, 有效 365 天, 按每 100 件案件折算");
    expect(res.text).toContain("AAA ≥ 85 · AA ≥ 80 · A ≥ 70 · B ≥ 60 · C ≥ 0");
    expect(res.text).toContain("红牌 1 张及以上，或信用分低于 40 分，列入黑名单");
    // The same in traditional Chinese and English.
    expect((await request(f.app).get("/credit?year=2026&lang=zh-Hant")).text).toContain("物業服務企業及項目經理信用評價公示");
    const en = await request(f.app).get("/credit?year=2026&lang=en");
    expect(en.text).toContain("Project manager at 安居物业");
    expect(en.text).toContain('<p id="ev-black">华美物业, 绿苑物业</p>');
    expect(en.text).toContain("Overdue resolution: takes 2, counts 365 days, scaled per 100 cases");
    // Without ?year= the last full year: nothing recorded in 2025, so 安居 has its base only.
    const last = await request(f.app).get("/credit");
    expect(last.text).toContain("2025 年度 · 评价期 2025-01-01 — 2025-12-31");
    expect(last.text).not.toContain("本年度尚未结束");
    expect(PUBLIC_PAGES.some(([re]) => re.test("/credit"))).toBe(true);
  });

  it("publishes a manager's name and certificate only when rules.publish says so", async () => {
    const rules = f.office.creditRules!()!;
    rules.publish.managerName = true;
    try {
      const named = await request(f.app).get("/credit?year=2026");
      expect(rowOf(named.text, 'data-manager="1"')).toBe("|1||王建国||80||AA|||");
      expect(named.text).not.toContain("WY-2024-001");
      rules.publish.certificateNo = true;
      expect(rowOf((await request(f.app).get("/credit?year=2026")).text, 'data-manager="1"')).toBe("|1||王建国 (WY-2024-001)||80||AA|||");
      expect((await request(f.app).get("/credit?year=2026")).text).not.toContain("13800000000");
    } finally {
      rules.publish.managerName = false;
      rules.publish.certificateNo = false;
    }
  });

  it("prints the office's evaluation as a page and a PDF; a street office sees its companies; a read-only role is refused; a bad year is a 400", async () => {
    const district = await signIn("district");
    const page = await district.get("/dashboard/credit/evaluation?year=2026");
    expect(page.status).toBe(200);
    expect(page.text).toContain("年度信用评价 · 2026");
    expect(page.text).toContain("王建国 (WY-2024-001)");
    expect(page.text).not.toContain("13800000000");
    expect((await district.get("/dashboard/credit")).text).toContain('href="/dashboard/credit/evaluation"');
    const pdf = await district.get("/dashboard/credit/evaluation.pdf?year=2026").buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-disposition"]).toContain("credit-evaluation-2026.pdf");
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe("%PDF-");
    const parser = new PDFParse({ data: new Uint8Array(pdf.body as Buffer) });
    const text = (await parser.getText()).text.replace(/\s+/g, "");
    await parser.destroy();
    for (const s of ["年度信用评价·2026", "红名单安居物业", "1安居物业90AAA00红名单", "王建国(WY-2024-001)80AA", "AAA≥85·AA≥80"]) expect(text).toContain(s);
    expect(text).not.toContain("13800000000");

    const street = await signIn("dongcheng"); // English, 东城 street: 安居 and 华美 only
    const s = await street.get("/dashboard/credit/evaluation?year=2026");
    expect(s.text).toContain("Yearly credit evaluation · 2026");
    expect([...s.text.matchAll(/data-company="(\w+)"/g)].map((m) => m[1]).sort()).toEqual(["anju", "huamei"]);

    expect(abilityFor("GET", "/dashboard/credit/evaluation.pdf")).toBe("assessment.read");
    const community = await signIn("heping-community");
    expect((await community.get("/dashboard/credit/evaluation")).status).toBe(403);

    const bad = await district.get("/dashboard/credit/evaluation?year=abc");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("年份无效");
    expect((await request(f.app).get("/credit?year=2031")).status).toBe(400);
  });
});
