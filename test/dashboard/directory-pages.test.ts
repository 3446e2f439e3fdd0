// The dashboard's directory pages (api/dashboard/directory/): what an office sees and changes —
// estates (new, edit, move to another company with the open cases), liaisons (deactivate with their
// cases handed on), offices (link code, e-mail, delivery status, bot removed → alert), streets and
// the import's preview then confirm. A street office changes only its street; refusals are words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import ExcelJS from "exceljs";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { exampleWorkbook } from "../../core/directory/import/example.ts";
import { chatRemoved } from "../../core/directory/offices.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const D = "/dashboard/directory";

let f: OfficeFixture;
const agents: Record<string, { agent: ReturnType<typeof request.agent>; csrf: string }> = {};
async function logIn(username: string) {
  const agent = request.agent(f.app);
  const form = await agent.get("/login");
  await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
  const csrf = csrfOf((await agent.get(`${D}/estates`)).text);
  agents[username] = { agent, csrf };
  return agents[username]!;
}

beforeAll(async () => {
  f = await officeApp();
  await logIn("district");
  await logIn("dongcheng");
}, 180_000); // a migrated database and two logins: slow when the machine is busy
afterAll(async () => f?.db.drop());

describe("dashboard directory pages", () => {
  it("lists estates in Chinese and is in the nav; a street office sees only its street", async () => {
    const { agent } = agents.district!;
    const page = await agent.get(`${D}/estates`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<a href="/dashboard/directory">基础资料</a>');
    for (const name of ["和平小区", "幸福花园", "锦绣家园", "春晖苑", "华美物业"]) expect(page.text).toContain(name);
    const street = await agents.dongcheng!.agent.get(`${D}/estates`);
    expect(street.text).toContain("和平小区");
    expect(street.text).not.toContain("锦绣家园");
    expect((await agents.dongcheng!.agent.get(`${D}/estates/jinxiu`)).status).toBe(404);
  });

  it("creates an estate from the form, audited; a bad field is refused with a reason and nothing stored", async () => {
    const { agent, csrf } = agents.district!;
    const bad = await agent.post(`${D}/estates`).type("form").send({ _csrf: csrf, code: "Bad Code!", name: "新小区", street: "dongcheng", households: "100" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("未保存");
    expect(bad.text).toContain("未保存: 编码：编码为 1–41 个小写字母、数字、- 或 _(例如 heping)");
    expect(bad.text).toContain('value="新小区"'); // what was typed is kept
    const ok = await agent.post(`${D}/estates`).type("form").send({ _csrf: csrf, code: "anning", name: "安宁里", street: "dongcheng", households: "320", company: "huamei", contractStart: "2025-01-01" });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${D}/estates/anning?saved`);
    expect(await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "anning" }, include: { company: true } })).toMatchObject({ name: "安宁里", households: 320, company: { code: "huamei" } });
    expect(await f.db.prisma.directoryAudit.count({ where: { entity: "estate", key: "anning", action: "create", actor: "user:district" } })).toBe(1);
    const page = await agent.get(`${D}/estates/anning?saved`);
    expect(page.text).toContain("已保存");
    expect(page.text).toContain("华美物业：2025-01-01 → …");
    // Without the CSRF field: refused.
    expect((await agent.post(`${D}/estates`).type("form").send({ code: "x2", name: "x", street: "dongcheng", households: "1" })).status).toBe(403);
  });

  it("a street office edits its own estate but not another street's, and cannot use district-only forms", async () => {
    const { agent, csrf } = agents.dongcheng!;
    const ok = await agent.post(`${D}/estates/heping`).type("form").send({ _csrf: csrf, name: "和平小区", street: "dongcheng", households: "500" });
    expect(ok.status).toBe(303);
    expect((await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } })).households).toBe(500);
    expect((await agent.post(`${D}/estates/jinxiu`).type("form").send({ _csrf: csrf, name: "x", street: "xiyuan", households: "1" })).status).toBe(404);
    expect((await agent.post(`${D}/estates/heping`).type("form").send({ _csrf: csrf, name: "和平小区", street: "xiyuan", households: "500" })).status).toBe(403);
    expect((await agent.post(`${D}/companies`).type("form").send({ _csrf: csrf, code: "newco", name: "新物业" })).status).toBe(403);
    expect((await agent.get(`${D}/import`)).status).toBe(403);
    expect(await f.db.prisma.company.count({ where: { code: "newco" } })).toBe(0);
  });

  it("moves an estate to another company: history kept, open cases moved to the new company's liaison", async () => {
    const { agent, csrf } = agents.district!;
    const c = await f.file("xingfu", { description: "换物业前的案件" });
    const page = await agent.post(`${D}/estates/xingfu/move`).type("form").send({ _csrf: csrf, company: "huamei", contractStart: "2026-11-01", openCases: "move" });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`已转交的案件: ${c.number}`);
    const li = await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } });
    expect(await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ liaisonId: li.id, companyId: li.companyId });
    const after = await agent.get(`${D}/estates/xingfu`);
    expect(after.text).toContain("安居物业：2022-07-01 → 2026-11-01");
    expect(after.text).toContain("华美物业：2026-11-01 → …");
    // The case's timeline says why it moved, in the clerk's language, with the company's name.
    expect((await agent.get(`/dashboard/cases/${c.id}`)).text).toContain("小区改由华美物业管理，案件随之转交");
    const again = await agent.post(`${D}/estates/xingfu/move`).type("form").send({ _csrf: csrf, company: "huamei", openCases: "stay" });
    expect(again.status).toBe(400);
    expect(again.text).toContain("小区“幸福花园”已由“华美物业”管理");
  });

  it("deactivates a liaison: its open cases go to the chosen colleague", async () => {
    const { agent, csrf } = agents.district!;
    const c = await f.file("jinxiu", { description: "安居联络人的案件" });
    const [wang, zhao] = await Promise.all(["anju-wang", "anju-zhao"].map((code) => f.db.prisma.liaison.findUniqueOrThrow({ where: { code } })));
    // Whoever the rules picked hands the case to the other one.
    const [from, to] = (await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).liaisonId === wang!.id ? [wang!, zhao!] : [zhao!, wang!];
    const list = await agent.get(`${D}/liaisons`);
    expect(list.text).toContain(from.name);
    const page = await agent.post(`${D}/liaisons/${from.code}/deactivate`).type("form").send({ _csrf: csrf, to: to.code });
    expect(page.text).toContain(`已转交的案件: ${c.number}`);
    expect((await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).liaisonId).toBe(to.id);
    expect((await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: from.code } })).active).toBe(false);
    expect((await agent.get(`/dashboard/cases/${c.id}`)).text).toContain(`联络人${from.name}已停用，案件转给${to.name}`);
    const twice = await agent.post(`${D}/liaisons/${from.code}/deactivate`).type("form").send({ _csrf: csrf });
    expect(twice.status).toBe(400);
    expect(twice.text).toContain(`联络人“${from.name}”已停用`);
  });

  it("offices: the link command, the e-mail, delivery status; bot removed → shown and the admin alerted", async () => {
    const { agent, csrf } = agents.district!;
    const o = await f.db.prisma.office.findUniqueOrThrow({ where: { code: "xiyuan" } });
    const page = await agent.get(`${D}/offices/xiyuan`);
    expect(page.text).toContain(`/office ${o.chatLinkCode}`);
    expect(page.text).toContain("未关联");
    const bad = await agent.post(`${D}/offices/xiyuan/email`).type("form").send({ _csrf: csrf, email: "not-an-address" });
    expect(bad.status).toBe(400);
    expect((await agent.post(`${D}/offices/xiyuan/email`).type("form").send({ _csrf: csrf, email: "xiyuan@example.org" })).status).toBe(303);
    expect((await f.db.prisma.office.findUniqueOrThrow({ where: { code: "xiyuan" } })).email).toBe("xiyuan@example.org");
    await f.db.prisma.office.update({ where: { code: "xiyuan" }, data: { chatId: -100222n, chatTitle: "西苑工作群", chatLinkedAt: f.clock.now() } });
    await f.db.prisma.outboxMessage.create({ data: { chatId: -100222n, method: "sendMessage", payload: { text: "hi" }, status: "sent", sentAt: f.clock.now() } });
    const linked = await agent.get(`${D}/offices`);
    expect(linked.text).toMatch(/已关联：西苑工作群/);
    expect(linked.text).toMatch(/已送达 · 2026-11-02 \S* ?10:00/);
    expect(linked.text).not.toContain('id="removed-alert"');
    await chatRemoved(f.db.prisma, -100222n, f.clock.now());
    const removed = await agent.get(`${D}/offices`);
    expect(removed.text).toContain("机器人已被移出群");
    expect(removed.text).toMatch(/id="removed-alert"[^>]*>以下办公室的群已移除机器人，升级和摘要无法送达： 西苑街道办事处/);
    // The street office opens its own office, not the other street's.
    expect((await agents.dongcheng!.agent.get(`${D}/offices/xiyuan`)).status).toBe(403);
    expect((await agents.dongcheng!.agent.get(`${D}/offices/dongcheng`)).status).toBe(200);
  });

  it("import: a file with a bad row previews its problems (sheet, row, column, reason) and offers no confirm", async () => {
    const { agent, csrf } = agents.district!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exampleWorkbook()) as unknown as ArrayBuffer);
    const estates = wb.worksheets.find((w) => w.name === "小区")!;
    estates.getRow(3).getCell(6).value = "很多";
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await agent.post(`${D}/import/preview`).field("_csrf", csrf).attach("file", bytes, "district.xlsx");
    expect(res.status).toBe(422);
    expect(res.text).toContain("文件有误，未写入任何内容");
    expect(res.text).toMatch(/<td>小区<\/td><td class="num">3<\/td><td>户数\*?<\/td>/);
    expect(res.text).not.toContain('id="confirm-form"');
  });

  it("import: preview shows what would change and writes nothing; confirm imports the previewed file", async () => {
    const { agent, csrf } = agents.district!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exampleWorkbook()) as unknown as ArrayBuffer);
    wb.worksheets.find((w) => w.name === "街道")!.addRow(["nanhu", "南湖街道", "启用"]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await agent.post(`${D}/import/preview`).field("_csrf", csrf).attach("file", bytes, "district.xlsx");
    expect(res.status).toBe(200);
    expect(res.text).toContain("预览：文件无误，尚未写入");
    expect(res.text).toMatch(/id="count-streets"><td>街道<\/td><td class="num">1<\/td>/);
    expect(await f.db.prisma.street.count({ where: { code: "nanhu" } })).toBe(0);
    const token = /name="token" value="([^"]+)"/.exec(res.text)![1]!;
    const print = /name="expect" value="([^"]+)"/.exec(res.text)![1]!; // the previewed changes' fingerprint
    // 幸福花园 moved to 华美 above; the example file names its old company, so the preview asks about its open case.
    expect(res.text).toContain('name="cases:xingfu"');
    const done = await agent.post(`${D}/import/confirm`).type("form").send({ _csrf: csrf, token, expect: print, "cases:xingfu": "stay" });
    expect(done.text).toContain("导入完成");
    expect(await f.db.prisma.street.count({ where: { code: "nanhu" } })).toBe(1);
    // The preview is spent: a second confirm is refused in words.
    const again = await agent.post(`${D}/import/confirm`).type("form").send({ _csrf: csrf, token, expect: print });
    expect(again.status).toBe(409);
    expect(again.text).toContain("预览已过期或已使用");
    // No file, or no CSRF: refused, nothing written.
    expect((await agent.post(`${D}/import/preview`).field("_csrf", csrf)).status).toBe(400);
    expect((await agent.post(`${D}/import/preview`).attach("file", bytes, "district.xlsx")).status).toBe(403);
  });

  it("streets: added by the district; deactivating one with active estates is refused with the reason", async () => {
    const { agent, csrf } = agents.district!;
    expect((await agent.post(`${D}/streets`).type("form").send({ _csrf: csrf, code: "beihu", name: "北湖街道" })).status).toBe(303);
    expect((await agent.get(`${D}/streets`)).text).toContain("北湖街道");
    // Renamed in its row: the code stays, the change is audited; an unknown street or an empty name is refused.
    expect((await agent.post(`${D}/streets/beihu/rename`).type("form").send({ _csrf: csrf, name: "北湖新区街道" })).status).toBe(303);
    expect(await f.db.prisma.street.findUniqueOrThrow({ where: { code: "beihu" } })).toMatchObject({ name: "北湖新区街道" });
    expect(await f.db.prisma.directoryAudit.findFirst({ where: { entity: "street", key: "beihu", action: "update" } })).toMatchObject({ after: { name: "北湖新区街道" } });
    const nowhere = await agent.post(`${D}/streets/nowhere/rename`).type("form").send({ _csrf: csrf, name: "无名街道" });
    expect(nowhere.status).toBe(400);
    expect(nowhere.text).toContain("找不到街道“nowhere”");
    expect(await f.db.prisma.street.count({ where: { code: "nowhere" } })).toBe(0);
    expect((await agent.post(`${D}/streets/beihu/rename`).type("form").send({ _csrf: csrf, name: "" })).status).toBe(400);
    const refused = await agent.post(`${D}/streets/dongcheng/deactivate`).type("form").send({ _csrf: csrf });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("街道“东城街道”还有启用中的小区：请先转移或停用这些小区");
    // The same refusal in English, for a clerk who reads the dashboard in English.
    const english = await agent.post(`${D}/streets/dongcheng/deactivate?lang=en`).type("form").send({ _csrf: csrf });
    expect(english.text).toContain("still has active estates: move or deactivate them first");
  });
});
