import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("dashboard pages (server-rendered)", () => {
  let f: OfficeFixture;
  let agent: ReturnType<typeof request.agent>;
  let csrf: string;
  const logIn = async () => {
    agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    csrf = csrfOf((await agent.get("/dashboard/cases")).text);
  };
  beforeAll(async () => {
    f = await officeApp();
    await logIn();
  });
  afterAll(async () => f.db.drop());

  it("approves an extension with the office's own date (the liaison asked for later)", async () => {
    const c = await f.file("heping", { description: "等配件的案件" });
    const asked = new Date("2026-11-10T18:00:00+08:00");
    const ext = await f.db.prisma.extensionRequest.create({ data: { caseId: c.id, requestedBy: "huamei-li", reason: "配件要两周", requestedDueAt: asked } });
    const page = await agent.get(`/dashboard/cases/${c.id}`);
    expect(page.text).toContain('name="dueOn" value="2026-11-10"');
    const past = await agent.post(`/dashboard/cases/${c.id}/extension/${ext.id}`).type("form").send({ _csrf: csrf, decision: "approve", dueOn: "2026-10-01" });
    expect(past.status).toBe(400);
    const ok = await agent.post(`/dashboard/cases/${c.id}/extension/${ext.id}`).type("form").send({ _csrf: csrf, decision: "approve", dueOn: "2026-11-06" });
    expect(ok.status).toBe(303);
    const row = await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.resolutionDueAt?.toISOString()).toBe(new Date("2026-11-06T18:00:00+08:00").toISOString()); // the day picked, at the hour asked
    const ev = await f.db.prisma.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: "extension_approved" } });
    expect(ev.data).toMatchObject({ to: "2026-11-06T10:00:00.000Z", requested: asked.toISOString() });
  });

  it("closes a dispute, adds a note and decides an extension from the case page", async () => {
    const c = await f.file("xingfu", { description: "争议案件" });
    const ext = await f.db.prisma.extensionRequest.create({ data: { caseId: c.id, requestedBy: "anju-wang", reason: "等配件", requestedDueAt: new Date(c.resolutionDueAt!.getTime() + 86_400_000) } });
    const page = await agent.get(`/dashboard/cases/${c.id}`);
    expect(page.text).toContain("等配件");
    expect(page.text).toContain("待审批");
    // A denial says why: without a reason it is refused and the request stays pending.
    const bare = await agent.post(`/dashboard/cases/${c.id}/extension/${ext.id}`).type("form").send({ _csrf: csrf, decision: "deny", note: "" });
    expect(bare.status).toBe(400);
    expect((await f.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: ext.id } })).status).toBe("pending");
    const deny = await agent.post(`/dashboard/cases/${c.id}/extension/${ext.id}`).type("form").send({ _csrf: csrf, decision: "deny", note: "不同意" });
    expect(deny.status).toBe(303);
    expect((await f.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: ext.id } })).status).toBe("denied");
    expect((await agent.post(`/dashboard/cases/${c.id}/extension/${ext.id}`).type("form").send({ _csrf: csrf, decision: "approve" })).status).toBe(409);
    expect((await agent.post(`/dashboard/cases/${c.id}/note`).type("form").send({ _csrf: csrf, note: "" })).status).toBe(400);
    await agent.post(`/dashboard/cases/${c.id}/note`).type("form").send({ _csrf: csrf, note: "内部备注一条" });
    const closed = await agent.post(`/dashboard/cases/${c.id}/close`).type("form").send({ _csrf: csrf, note: "双方协商一致" });
    expect(closed.headers.location).toBe(`/dashboard/cases/${c.id}?done=close`);
    const row = await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ state: "closed", closeReason: "双方协商一致" });
    const after = await agent.get(`/dashboard/cases/${c.id}`);
    expect(after.text).toContain("内部备注一条");
    expect(after.text).toContain("已结案");
    // A closed case cannot be closed again: 409 with a page, not a stack.
    const again = await agent.post(`/dashboard/cases/${c.id}/close`).type("form").set("Accept", "text/html").send({ _csrf: csrf, note: "x" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("cannot officeClose");
    expect((await agent.get("/dashboard/cases/99999")).status).toBe(404);
    expect((await agent.get("/dashboard/cases?state=bogus")).status).toBe(400);
  });

  it("shows figures with chart data, the overdue board and the board in three languages", async () => {
    const c = await f.file("heping", { description: "逾期案件" });
    f.clock.set(new Date(c.resolutionDueAt!.getTime() + 3 * 3_600_000));
    // Days later the 12-hour session has expired.
    expect((await agent.get("/dashboard/overdue")).status).toBe(303);
    await logIn();
    const overdue = await agent.get("/dashboard/overdue");
    expect(overdue.text).toContain(c.number);
    expect(overdue.text).toMatch(/3小时0分/);
    const fig = await agent.get("/dashboard/figures");
    // One month of data: the page says so instead of drawing a dot; small denominators say 数据不足 with n.
    expect(fig.text).toContain('id="trend-short"');
    expect(fig.text).toContain("数据不足两个月");
    expect(fig.text).not.toContain('id="trend-data"');
    expect(fig.text).toMatch(/<td class="num few" data-ok="\d+" data-base="[1-4]">数据不足 · \d+\/[1-4]<\/td>/);
    expect(fig.text).toContain("华美物业");
    expect((await agent.get("/dashboard/figures.csv?by=company")).text).toMatch(/^\uFEFF物业公司,案件数,响应率,响应率 n/);
    expect((await agent.get("/dashboard/board?lang=en")).text).toContain("Estate board");
    expect((await agent.get("/dashboard/board?lang=zh-Hant")).text).toContain("小區紅黑榜");
    f.clock.set(new Date("2026-11-02T10:00:00+08:00"));
  });

  it("runs the rules dry-run from the page and shows the last reload", async () => {
    const page = await agent.get("/dashboard/rules?lang=zh-Hans");
    expect(page.text).toContain("最近一次加载");
    const res = await agent.post("/dashboard/rules/dry-run").type("form").send({ _csrf: csrf, kind: "repair", category: "water", estate: "heping", filedAt: "2026-11-07T10:00" });
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="dry-result"');
    expect(res.text).toContain("华美物业");
    expect((await agent.post("/dashboard/rules/dry-run").type("form").send({ _csrf: csrf, kind: "x" })).status).toBe(400);
    expect((await agent.post("/dashboard/rules/reload").type("form").send({ _csrf: csrf })).status).toBe(303);
  });

  it("refuses a street user the rules reload (district and admin only)", async () => {
    const a = request.agent(f.app);
    const form = await a.get("/login");
    await a.post("/login").type("form").send({ username: "dongcheng", password: PASSWORD, _csrf: csrfOf(form.text) });
    const token = csrfOf((await a.get("/dashboard/rules")).text);
    expect((await a.post("/dashboard/rules/reload").type("form").send({ _csrf: token })).status).toBe(403);
  });

  it("re-rates the estate board on demand (district), shows the stored result, and refuses a street user", async () => {
    const before = await agent.get("/dashboard/board?lang=en");
    const rated = async () => f.db.prisma.estateClassification.count();
    const n = await rated();
    expect(before.text).toContain('id="recompute"');
    expect((await agent.post("/dashboard/board/recompute").type("form").send({})).status).toBe(403); // no CSRF token
    expect(await rated()).toBe(n);
    const res = await agent.post("/dashboard/board/recompute").type("form").send({ _csrf: csrf });
    expect(res.headers.location).toBe("/dashboard/board?done=recompute");
    expect(await rated()).toBe(n + 4);
    const after = await agent.get("/dashboard/board?done=recompute&lang=en");
    expect(after.text).toContain("Re-rated");
    // Four cases, fewer than the minimum sample of 5: not rated, never 达标.
    // (the latest rating is the one made when the board was opened with the clock days ahead)
    expect(after.text).toMatch(/Period Second half of 2026 · Rated at 2026-11-0[24] (Mon|Wed) \d\d:\d\d<span class="counts"><span class="badge model">Model 0<\/span><span class="badge compliant">Compliant 0<\/span><span class="badge rectify">Must rectify 0<\/span><span class="badge unrated">Not rated 4<\/span>/);
    // The period and weekday in words in Chinese too (not "2026H2", not "Wed").
    expect((await agent.get("/dashboard/board?lang=zh-Hans")).text).toMatch(/考核周期 2026年下半年 · 评定时间 2026-11-0[24] 周[一三] \d\d:\d\d/);
    expect(after.text).not.toContain('data-class="none"');

    const a = request.agent(f.app);
    const form = await a.get("/login");
    await a.post("/login").type("form").send({ username: "dongcheng", password: PASSWORD, _csrf: csrfOf(form.text) });
    const page = await a.get("/dashboard/board");
    expect(page.text).not.toContain('id="recompute"');
    expect(page.text.match(/class="estate /g)).toHaveLength(2); // its own street's estates only
    expect((await a.post("/dashboard/board/recompute").type("form").send({ _csrf: csrfOf(page.text) })).status).toBe(403);
    expect(await rated()).toBe(n + 4);
  });
});
