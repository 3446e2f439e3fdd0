// Issue 26 item 3 (part): an office acknowledges an escalation and urges (催办) the liaison from the
// dashboard's case page; the liaison's message is an outbox row to their Telegram chat; the page
// shows who acknowledged, when, and how many urges.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
let f: OfficeFixture;
let agent: ReturnType<typeof request.agent>;
beforeAll(async () => {
  f = await officeApp({ workspaceBaseUrl: "https://wy.example.gov" });
  agent = request.agent(f.app);
  const login = await agent.get("/login");
  await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(login.text) });
}, 240_000);
afterAll(async () => f?.db.drop());

describe("office acts on the dashboard", () => {
  it("acknowledges an escalation once and urges the liaison, who gets the message; the page shows who, when and the count", async () => {
    const c = await f.file("heping", { description: "电梯停了三天" });
    const row = await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id }, include: { liaison: true } });
    expect(row.liaison).not.toBeNull();
    await f.db.prisma.liaison.update({ where: { id: row.liaisonId! }, data: { chatId: 777001n, language: "zh-Hans" } });
    await f.db.prisma.case.update({ where: { id: c.id }, data: { escalationLevel: 1, escalatedAt: f.clock.now() } });
    await f.cases.record(c.id, "escalate", { type: "system" }, "street office", { level: 1, which: "response", overdueMinutes: 90 });

    let page = await agent.get(`/dashboard/cases/${c.id}`);
    expect(page.text).toContain("尚未知悉");
    expect(page.text).toContain('id="acknowledge"');
    const csrf = csrfOf(page.text);

    f.clock.advance(5 * 60_000);
    expect((await agent.post(`/dashboard/cases/${c.id}/acknowledge`).type("form").send({ _csrf: csrf })).status).toBe(303);
    page = await agent.get(`/dashboard/cases/${c.id}`);
    expect(page.text).toMatch(/<span id="ack">区物业办 · 2026-11-02 周一 10:05<\/span>/);
    expect(page.text).not.toContain('id="acknowledge"');
    expect(page.text).toContain("已知悉升级");
    const again = await agent.post(`/dashboard/cases/${c.id}/acknowledge`).type("form").send({ _csrf: csrf });
    expect(again.status).toBe(409);

    expect((await agent.post(`/dashboard/cases/${c.id}/urge`).type("form").send({ _csrf: csrf, note: "今天下班前回复" })).status).toBe(303);
    expect((await agent.post(`/dashboard/cases/${c.id}/urge`).type("form").send({ _csrf: csrf })).status).toBe(303);
    const sent = await f.db.prisma.outboxMessage.findMany({ where: { chatId: 777001n, dedupeKey: { contains: ":urge:" } }, orderBy: { id: "asc" } });
    expect(sent).toHaveLength(2);
    expect((sent[0]!.payload as { text: string }).text).toContain(`催办：案件 ${c.number}`);
    expect((sent[0]!.payload as { text: string }).text).toContain("今天下班前回复");
    expect((sent[0]!.payload as { text: string }).text).toContain("区物业办");
    page = await agent.get(`/dashboard/cases/${c.id}`);
    expect(page.text).toMatch(/<span id="urges">2<\/span>/);
    expect(page.text).toContain("催办联络人");
  });

  it("urges a liaison without Telegram by SMS with the workspace link", async () => {
    const c = await f.file("xingfu", { description: "楼道灯不亮" });
    const row = await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    await f.db.prisma.liaison.update({ where: { id: row.liaisonId! }, data: { chatId: null, telegramUserId: null, phone: "13900000300" } });
    const page = await agent.get(`/dashboard/cases/${c.id}`);
    expect((await agent.post(`/dashboard/cases/${c.id}/urge`).type("form").send({ _csrf: csrfOf(page.text) })).status).toBe(303);
    const sms = await f.db.prisma.outboxMessage.findFirstOrThrow({ where: { method: "sendSms", dedupeKey: { contains: `case:${c.id}:urge:1` } } });
    expect(sms.payload).toMatchObject({ to: "+8613900000300", text: `催办：案件 ${c.number}（幸福花园）请尽快处理并回复。https://wy.example.gov/w/cases/${c.number}` });
    const ev = await f.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "urge" } });
    expect(ev.data).toMatchObject({ channel: "sms", count: 1 });
  });

  it("refuses acknowledging a case that is not escalated, and a write without the CSRF token", async () => {
    const c = await f.file("heping", { description: "楼道灯坏" });
    const page = await agent.get(`/dashboard/cases/${c.id}`);
    expect(page.text).not.toContain('id="acknowledge"');
    expect((await agent.post(`/dashboard/cases/${c.id}/acknowledge`).type("form").send({ _csrf: csrfOf(page.text) })).status).toBe(400);
    expect((await agent.post(`/dashboard/cases/${c.id}/urge`).type("form").send({})).status).toBe(403);
  });
});

describe("超时 page", () => {
  it("lists emergencies first with urgency, category, estate, company, liaison, lateness, level, acknowledgement and the actions", async () => {
    const normal = await f.file("heping", { description: "普通超时" });
    const emergency = await f.file("heping", { description: "燃气泄漏" });
    const past = new Date(f.clock.now().getTime() - 3 * 3_600_000);
    await f.db.prisma.case.update({ where: { id: normal.id }, data: { responseDueAt: new Date(past.getTime() - 3_600_000), escalationLevel: 1, escalatedAt: past } });
    await f.db.prisma.case.update({ where: { id: emergency.id }, data: { urgency: "emergency", responseDueAt: past, escalationLevel: 1, escalatedAt: past } });
    await f.cases.record(normal.id, "escalate", { type: "system" }, "street office", { level: 1 });
    await f.cases.record(emergency.id, "escalate", { type: "system" }, "street office", { level: 1 });

    let page = await agent.get("/dashboard/overdue");
    expect(page.status).toBe(200);
    const table = page.text.slice(page.text.indexOf('id="overdue"'));
    const iE = table.indexOf(emergency.number);
    const iN = table.indexOf(normal.number);
    expect(iE).toBeGreaterThan(0);
    expect(iN).toBeGreaterThan(iE); // the emergency first, though the other is later
    const row = table.slice(table.lastIndexOf("<tr", iE), table.indexOf("</tr>", iE));
    expect(row).toContain('class="late emergency"');
    expect(row).toContain("⚠ 紧急");
    expect(row).toContain("给排水/漏水");
    expect(row).toContain("和平小区");
    expect(row).toContain("华美物业");
    expect(row).toContain("李工");
    expect(row).toContain("街道办");
    expect(row).toContain("尚未知悉");
    expect(row).toContain(`/dashboard/cases/${emergency.id}/acknowledge`);
    expect(row).toContain(`/dashboard/cases/${emergency.id}/urge`);

    const ack = await agent.post(`/dashboard/cases/${emergency.id}/acknowledge`).type("form").send({ _csrf: csrfOf(page.text), back: "overdue" });
    expect(ack.status).toBe(303);
    expect(ack.headers.location).toMatch(/^\/dashboard\/overdue/);
    await agent.post(`/dashboard/cases/${emergency.id}/urge`).type("form").send({ _csrf: csrfOf(page.text), back: "overdue" });
    page = await agent.get("/dashboard/overdue");
    const after = page.text.slice(page.text.indexOf(emergency.number));
    const row2 = after.slice(0, after.indexOf("</tr>"));
    expect(row2).toContain("✓ 区物业办");
    expect(row2).toContain("催办次数 1");
    expect(row2).not.toContain(`/dashboard/cases/${emergency.id}/acknowledge`);
  });
});
