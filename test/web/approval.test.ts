// Residents registered without the invite code: their cases are kept but wait (state
// awaiting_approval: no liaison, no clock), counted on the office's overview and listed on the
// approval page; approving routes them then (the liaison's card arrives, deadlines from then),
// rejecting closes them with the reason the resident reads on the page and by SMS.
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createStaffUser } from "../../core/directory/staff.ts";
import { Phone, withFrontDoor } from "./fixture.ts";

const e = withFrontDoor();
const PASSWORD = "correct-horse-battery";

async function staff(username: string, role: "district" | "street", street?: string) {
  await createStaffUser(e.db.prisma, { username, password: PASSWORD, role, displayName: username, ...(street ? { street } : {}) });
  const agent = request.agent(e.svc.s.app);
  const form = await agent.get("/login");
  await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)![1]! });
  return agent;
}
const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

async function pendingResident(estateCode: string, name: string, phone: string) {
  const p = new Phone();
  const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: estateCode }, include: { buildings: { include: { units: true } } } });
  const link = await e.link(estateCode);
  await p.get(link);
  await p.postForm(link, { unitId: String(estate.buildings[0]!.units[0]!.id), name, phone, sms: "1" });
  await p.get(`${e.svc.base}/r/file`);
  const filed = await p.postMultipart(`${e.svc.base}/r/file`, { description: `${name}家卫生间漏水`, category: "water", draft: `held-${phone}` });
  const number = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
  return { p, number, resident: await e.db.prisma.resident.findFirstOrThrow({ where: { phone } }) };
}

describe("cases of residents awaiting approval", () => {
  it("wait unrouted and are counted for the office; approval routes them with fresh clocks; rejection closes them with the reason told", async () => {
    const wang = await pendingResident("heping", "王先生", "13700000001");
    const zhao = await pendingResident("heping", "赵女士", "13700000002");
    const held = await e.db.prisma.case.findUniqueOrThrow({ where: { number: wang.number } });
    expect(held).toMatchObject({ state: "awaiting_approval", liaisonId: null, responseDueAt: null, resolutionDueAt: null });
    // The sweep has nothing to remind or escalate about a held case.
    await e.svc.s.sweeps.runAll();
    expect(await e.db.prisma.caseEvent.count({ where: { caseId: held.id, type: { in: ["escalate", "reminder"] } } })).toBe(0);

    // The office's overview counts them, the approval page lists them with their cases; another street's office sees none.
    const office = await staff("dc-clerk", "street", "dongcheng");
    const overview = await office.get("/dashboard/cases?lang=zh-Hans");
    expect(overview.text).toMatch(/2 位住户待审核，2 件案件等待审核后派单/);
    const list = await office.get("/dashboard/residents/pending");
    expect(list.status).toBe(200);
    for (const x of [wang, zhao]) {
      expect(list.text).toContain(x.number);
      expect(list.text).toContain(`id="resident-${x.resident.id}"`);
    }
    const xiyuan = await staff("xy-clerk", "street", "xiyuan");
    expect((await xiyuan.get("/dashboard/residents/pending")).text).toContain("没有待审核的住户");
    expect((await xiyuan.post(`/dashboard/residents/${wang.resident.id}/approve`).type("form").send({ _csrf: csrf((await xiyuan.get("/dashboard/residents/pending")).text) })).status).toBe(404);

    // Approve: routed now, deadlines from now, the liaison's card at the fake Telegram.
    const before = Date.now();
    const ok = await office.post(`/dashboard/residents/${wang.resident.id}/approve`).type("form").send({ _csrf: csrf(list.text) });
    expect(ok.status).toBe(303);
    const routed = await e.db.prisma.case.findUniqueOrThrow({ where: { number: wang.number } });
    expect(routed.state).toBe("routed");
    expect(routed.liaisonId).not.toBeNull();
    expect(routed.responseDueAt!.getTime()).toBeGreaterThan(before);
    expect((await e.db.prisma.resident.findUniqueOrThrow({ where: { id: wang.resident.id } })).status).toBe("verified");
    const events = await e.db.prisma.caseEvent.findMany({ where: { caseId: routed.id }, orderBy: { id: "asc" } });
    expect(events.map((x) => [x.type, x.toState])).toEqual([
      ["filed", "received"],
      ["hold", "awaiting_approval"],
      ["release", "received"],
      ["route", "routed"],
    ]);
    const liaisonChat = e.chats.liaisons.get(routed.liaisonId!)!;
    await expect.poll(() => e.api.texts(liaisonChat).some((t) => t.includes(wang.number)), { timeout: 10_000 }).toBe(true);
    expect((await wang.p.get(`${e.svc.base}/r/cases/${wang.number}`)).text).toContain("已派单");
    // The approved resident files straight through from now on.
    expect((await wang.p.get(`${e.svc.base}/r/file`)).text).not.toContain("等待街道办审核");

    // Reject with a reason: closed, told on the page and by SMS; the same resident cannot file again.
    const page = await office.get("/dashboard/residents/pending");
    expect((await office.post(`/dashboard/residents/${zhao.resident.id}/reject`).type("form").send({ _csrf: csrf(page.text), reason: "" })).status).toBe(400);
    const no = await office.post(`/dashboard/residents/${zhao.resident.id}/reject`).type("form").send({ _csrf: csrf(page.text), reason: "该单元没有这位住户" });
    expect(no.status).toBe(303);
    expect(await e.db.prisma.case.findUniqueOrThrow({ where: { number: zhao.number } })).toMatchObject({ state: "closed", closeReason: "rejected", liaisonId: null });
    const seen = await zhao.p.get(`${e.svc.base}/r/cases/${zhao.number}`);
    expect(seen.text).toContain("已结案");
    expect(seen.text).toContain("未通过审核的原因： 该单元没有这位住户");
    await expect
      .poll(() => e.db.prisma.outboxMessage.findFirst({ where: { method: "sendSms", payload: { path: ["to"], equals: "+8613700000002" } } }), { timeout: 10_000 })
      .toMatchObject({ kind: "sms", payload: expect.objectContaining({ text: expect.stringContaining("因登记未通过审核已关闭") }) });
    expect((await zhao.p.get(`${e.svc.base}/r/file`)).text).toContain("您的登记未通过审核");
    expect((await office.get("/dashboard/cases")).text).not.toContain("位住户待审核");
    expect((await office.get("/dashboard/residents/pending")).text).toContain("没有待审核的住户");
  });

  it("tells a resident registered in the bot when the office approves or rejects them, in their language, once", async () => {
    const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true } } } });
    const home = { estateId: estate.id, buildingId: estate.buildings[0]!.id, unitId: estate.buildings[0]!.units[0]!.id };
    const li = await e.db.prisma.resident.create({ data: { name: "李伯", telegramUserId: 880_001n, chatId: 880_001n, language: "zh-Hant", status: "pending", ...home } });
    const ma = await e.db.prisma.resident.create({ data: { name: "马阿姨", telegramUserId: 880_002n, chatId: 880_002n, status: "pending", ...home } });
    const office = await staff("hp-clerk", "street", "dongcheng");
    const list = await office.get("/dashboard/residents/pending");
    expect(list.text).toContain("李伯");

    const toLi = e.api.next((c) => Number(c.payload.chat_id) === 880_001, 10_000);
    expect((await office.post(`/dashboard/residents/${li.id}/approve`).type("form").send({ _csrf: csrf(list.text) })).status).toBe(303);
    const approved = await toLi;
    expect(String(approved.payload.text)).toMatch(/已審核通過（.*和平.*）/);
    const buttons = (approved.payload.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard.flat().map((b) => b.text);
    expect(buttons.join(" ")).toMatch(/投訴|報修/);
    // A second click on a decided resident: refused, and nobody is told twice.
    expect((await office.post(`/dashboard/residents/${li.id}/approve`).type("form").send({ _csrf: csrf(list.text) })).status).toBe(404);

    const toMa = e.api.next((c) => Number(c.payload.chat_id) === 880_002, 10_000);
    expect((await office.post(`/dashboard/residents/${ma.id}/reject`).type("form").send({ _csrf: csrf(list.text), reason: "该单元登记的住户不是您" })).status).toBe(303);
    const rejected = await toMa;
    expect(String(rejected.payload.text)).toMatch(/未通过审核。原因：该单元登记的住户不是您/);
    expect(await e.db.prisma.resident.findUniqueOrThrow({ where: { id: ma.id } })).toMatchObject({ status: "rejected" });
    await expect.poll(() => e.db.prisma.outboxMessage.count({ where: { chatId: { in: [880_001n, 880_002n] }, status: { not: "sent" } } }), { timeout: 10_000 }).toBe(0);
    expect(e.api.calls.filter((c) => [880_001, 880_002].includes(Number(c.payload.chat_id)))).toHaveLength(2);
  });

  it("never holds an emergency: an unverified resident's gas smell is routed at once with its deadlines", async () => {
    const { p } = await pendingResident("heping", "孙先生", "13700000009");
    await p.get(`${e.svc.base}/r/file`);
    const filed = await p.postMultipart(`${e.svc.base}/r/file`, { description: "楼道里很大的煤气味", category: "gas_smell", draft: "held-gas" });
    const number = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number } });
    expect(c).toMatchObject({ state: "routed", urgency: "emergency" });
    expect(c.liaisonId).not.toBeNull();
    expect(c.responseDueAt).not.toBeNull();
  });
});
