// A liaison's phone in the directory (the web workspace's sign-in, SMS without Telegram): entered on
// the liaisons page and read from the import workbook's 手机号 column; the page says which channel
// reaches each liaison and when they last signed in to /w/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { columnOf, sheetKind } from "../../core/directory/import/sheets.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const D = "/dashboard/directory";
let f: OfficeFixture;

beforeAll(async () => {
  f = await officeApp();
}, 180_000);
afterAll(async () => f?.db.drop());

describe("a liaison's phone in the directory", () => {
  it("is entered on the liaisons page (bad numbers refused in words); the page shows the channel and the last sign-in", async () => {
    const agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    const csrf = csrfOf((await agent.get(`${D}/liaisons`)).text);
    const bad = await agent.post(`${D}/liaisons`).type("form").send({ _csrf: csrf, code: "huamei-li", name: "李工", company: "huamei", phone: "12345" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("手机号为 11 位数字");
    await f.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: null, telegramUserId: null } });
    const before = await agent.get(`${D}/liaisons`);
    expect(before.text).toMatch(/id="liaison-huamei-li"[\s\S]*?不可达：请填写手机号或让其加入 Telegram/);

    expect((await agent.post(`${D}/liaisons`).type("form").send({ _csrf: csrf, code: "huamei-li", name: "李工", company: "huamei", phone: "139 0000 0200" })).status).toBe(303);
    expect((await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } })).phone).toBe("13900000200");
    const row = (html: string) => /<tr id="liaison-huamei-li">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    const sms = row((await agent.get(`${D}/liaisons`)).text);
    expect(sms).toContain("短信 139****0200(网页工作台)");
    expect(sms).toContain("从未");
    expect(sms).not.toContain("13900000200");

    await f.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { lastSignInAt: new Date("2026-12-08T01:30:00Z") } });
    expect(row((await agent.get(`${D}/liaisons`)).text)).toMatch(/2026.*09:30/);
    await f.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: 4242n } });
    expect(row((await agent.get(`${D}/liaisons`)).text)).toContain("Telegram");
    const audit = await f.db.prisma.directoryAudit.findFirstOrThrow({ where: { entity: "liaison", key: "huamei-li" }, orderBy: { id: "desc" } });
    expect(audit.after).toMatchObject({ phone: "13900000200" });
  });

  it("is read from the import workbook's 手机号 column of the 联络人 sheet", () => {
    const kind = sheetKind("联络人")!;
    const phone = columnOf(kind, "手机号")!;
    expect(phone.key).toBe("phone");
    const input = kind.schema.parse(kind.toInput({ code: "anju-sun", name: "孙师傅", company: "anju", phone: "139-0000-0300" }));
    expect(input).toMatchObject({ phone: "13900000300" });
    expect(kind.schema.safeParse(kind.toInput({ code: "anju-sun", name: "孙师傅", company: "anju", phone: "0571-88001234" })).success).toBe(false);
  });
});
