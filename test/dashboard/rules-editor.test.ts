// The rules editor as a district clerk uses it: tables with names, an edit dry-run on the last 30 days
// of cases, save (file + history row + routing in force), rollback, refusals that write nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, RULES_DIR, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("rules editor (dashboard)", () => {
  let f: OfficeFixture;
  let dir: string;
  let original: string;
  const routingFile = () => fs.readFileSync(path.join(dir, "routing.json"), "utf8");
  const login = async (username: string) => {
    const agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
    const csrf = csrfOf((await agent.get("/dashboard/rules?lang=zh-Hans")).text);
    return { agent, csrf };
  };
  /** routing.json with one more rule: heping's water cases go to 安居物业 王经理. */
  const edited = () => {
    const j = JSON.parse(original) as { rules: unknown[] };
    j.rules.unshift({ id: "heping-water-anju", description: "和平小区漏水派给安居王经理", priority: 90, when: { estates: ["heping"], categories: ["water"] }, then: { company: "anju", liaison: "anju-wang" } });
    return JSON.stringify(j, null, 2);
  };
  const route = () => f.router.dryRun({ kind: "repair", category: "water", estate: "heping", street: "dongcheng", urgencyHint: false, filedAt: f.clock.now() });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-editor-"));
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    original = fs.readFileSync(path.join(dir, "routing.json"), "utf8");
    f = await officeApp({}, { rulesDir: dir });
  });
  afterAll(async () => {
    await f.db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows the rule files as tables with names, not codes", async () => {
    const { agent } = await login("district");
    const page = (await agent.get("/dashboard/rules?lang=zh-Hans")).text;
    expect(page).toContain('id="routing-table"');
    expect(page).toMatch(/<tr id="rule-xingfu-night-emergencies"[^>]*>[\s\S]*?幸福花园[\s\S]*?电梯困人[\s\S]*?安居物业 · 赵师傅/);
    expect(page).toContain("小区自己的物业公司");
    const deadlines = (await agent.get("/dashboard/rules?file=deadlines&lang=zh-Hans")).text;
    expect(deadlines).toMatch(/<tr id="deadline-emergency">[\s\S]*?响应 15分钟 · 办结 4小时 · 同时通知街道办/);
    const en = (await agent.get("/dashboard/rules?file=categories&lang=en")).text;
    expect(en).toContain("Trapped in lift");
    const cal = (await agent.get("/dashboard/rules?file=calendar&lang=zh-Hant")).text;
    expect(cal).toMatch(/<tr id="year-2027">[\s\S]*?暫定/);
  });

  it("words every duration and time in the clerk's language (no 分钟 in zh-Hant or en)", async () => {
    const { agent, csrf } = await login("district");
    const hant = (await agent.get("/dashboard/rules?file=deadlines&lang=zh-Hant")).text;
    expect(hant).toMatch(/<tr id="deadline-emergency">[\s\S]*?響應 15分鐘 · 辦結 4小時/);
    const en = (await agent.get("/dashboard/rules?file=deadlines&lang=en")).text;
    expect(en).toMatch(/<tr id="deadline-emergency">[\s\S]*?respond 15 minutes · resolve 4 hours/);
    expect(en).toContain("1 working day");
    // (The office's own descriptions in the file are theirs, in the JSON view: only the table is worded here.)
    for (const page of [hant, en]) expect(/<table id="deadline-table">[\s\S]*?<\/table>/.exec(page)![0]).not.toMatch(/分钟|小时|个工作日/);
    // One case tried: due times in local time with the weekday in the page's language; conditions in words.
    const dry = await agent.post("/dashboard/rules/dry-run?lang=zh-Hant").type("form").send({ _csrf: csrf, kind: "repair", category: "lift_entrapment", estate: "xingfu", filedAt: "2026-11-02T20:00" });
    expect(dry.status).toBe(200);
    const result = /<div class="card" id="dry-result">[\s\S]*?<\/table>/.exec(dry.text)![0];
    expect(result).toMatch(/2026-11-02 週一 20:15/);
    expect(result).toContain("小區：幸福花园"); // the estate's name as the directory has it
    expect(result).not.toMatch(/Mon|∈|minutes|分钟/);
    // The routing explanation kept for logs and the API is English only.
    const why = (await f.router.dryRun({ kind: "repair", category: "lift_entrapment", estate: "xingfu", street: "dongcheng", urgencyHint: false, filedAt: f.clock.now() })).decision.why.join(" ");
    expect(why).toContain("respond 15 minutes");
    expect(why).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("dry-runs an edit on the last 30 days, saves it with history, then rolls it back", async () => {
    const filed = [await f.file("heping"), await f.file("heping"), await f.file("heping", { kind: "complaint" }), await f.file("xingfu")];
    expect(filed.slice(0, 3).every((c) => c.companyId !== null)).toBe(true);
    expect((await route()).company?.name).toBe("华美物业");
    const { agent, csrf } = await login("district");

    const preview = await agent.post("/dashboard/rules/edit/routing/preview").type("form").send({ _csrf: csrf, text: edited(), reason: "和平小区换了维修单位" });
    expect(preview.status).toBe(200);
    expect(preview.text).toMatch(/最近30天的 4 件案件中，有 3 件会派给不同的单位。/);
    expect(preview.text).toContain(filed[0]!.number);
    expect(preview.text).toMatch(/华美物业 · 李工[\s\S]*?安居物业 · 王经理/);
    expect(routingFile()).toBe(original); // a preview writes nothing
    expect(await f.db.prisma.ruleVersion.count()).toBe(0);

    const save = await agent.post("/dashboard/rules/edit/routing/save").type("form").send({ _csrf: csrf, text: edited(), reason: "和平小区换了维修单位" });
    expect(save.status).toBe(303);
    expect(routingFile()).toBe(edited());
    const [v] = await f.db.prisma.ruleVersion.findMany();
    expect(v!.createdAt.getTime()).toBe(f.clock.now().getTime()); // the service's clock, shown in local time
    expect(v).toMatchObject({ file: "routing.json", staffName: "区物业办", reason: "和平小区换了维修单位", previous: original, content: edited() });
    expect((await route()).liaison?.name).toBe("王经理");
    const after = await f.file("heping");
    expect((await f.db.prisma.liaison.findUniqueOrThrow({ where: { id: after.liaisonId! } })).code).toBe("anju-wang");
    const page = await agent.get(save.headers.location!);
    expect(page.text).toContain(`已保存并重新加载：版本 #${v!.id}`);
    expect(page.text).toMatch(/<tr id="version-\d+">[\s\S]*?区物业办[\s\S]*?和平小区换了维修单位/);

    const undo = await agent.post(`/dashboard/rules/versions/${v!.id}/restore`).type("form").send({ _csrf: csrf, which: "before" });
    expect(undo.status).toBe(303);
    expect(routingFile()).toBe(original);
    expect((await route()).company?.name).toBe("华美物业");
    const rows = await f.db.prisma.ruleVersion.findMany({ orderBy: { id: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ rollbackOf: v!.id, content: original, staffName: "区物业办" });
    expect(rows[1]!.reason).toContain(`撤销版本 #${v!.id}`);

    // Restoring the saved version brings the edit back.
    await agent.post(`/dashboard/rules/versions/${v!.id}/restore`).type("form").send({ _csrf: csrf, which: "after" });
    expect(routingFile()).toBe(edited());
    expect((await route()).liaison?.name).toBe("王经理");
    await agent.post(`/dashboard/rules/versions/${v!.id}/restore`).type("form").send({ _csrf: csrf, which: "before" });
    expect(routingFile()).toBe(original);
  });

  it("refuses an invalid edit with a clear message and writes nothing", async () => {
    const { agent, csrf } = await login("district");
    const before = await f.db.prisma.ruleVersion.count();
    const bad = edited().replace('"anju-wang"', '"nobody-here"');
    for (const step of ["preview", "save"]) {
      const res = await agent.post(`/dashboard/rules/edit/routing/${step}`).type("form").send({ _csrf: csrf, text: bad, reason: "试试" });
      expect(res.status).toBe(422);
      expect(res.text).toContain("修改未通过检查，没有保存任何内容");
      expect(res.text).toContain("routing.json · 规则 &quot;heping-water-anju&quot; · 位置 rules[0].then.liaison：未知联络人代码 &quot;nobody-here&quot;");
    }
    const notJson = await agent.post("/dashboard/rules/edit/routing/preview").type("form").send({ _csrf: csrf, text: "{ rules: [", reason: "x" });
    expect(notJson.status).toBe(422);
    expect(notJson.text).toContain("不是有效的 JSON");
    const nul = await agent.post("/dashboard/rules/edit/deadlines/preview").type("form").send({ _csrf: csrf, text: '{"entries":[]}\u0000', reason: "x" });
    // The form guard refuses NUL before the editor sees it (PostgreSQL text cannot hold it).
    expect(nul.status).toBe(400);
    expect(nul.text).toContain("NUL");
    expect((await agent.post("/dashboard/rules/edit/routing/preview").type("form").send({ _csrf: csrf, text: edited(), reason: "" })).status).toBe(400);
    expect((await agent.post("/dashboard/rules/edit/understanding/preview").type("form").send({ _csrf: csrf, text: "{}", reason: "x" })).status).toBe(400);
    expect((await agent.post("/dashboard/rules/versions/99999/restore").type("form").send({ _csrf: csrf })).status).toBe(404);
    expect(routingFile()).toBe(original);
    expect(await f.db.prisma.ruleVersion.count()).toBe(before);
  });

  it("lets a street user read the tables but not edit or roll back", async () => {
    const { agent, csrf } = await login("dongcheng");
    const page = await agent.get("/dashboard/rules?lang=zh-Hans");
    expect(page.text).toContain('id="read-only"');
    expect(page.text).not.toContain("/dashboard/rules/edit/routing/preview");
    const before = await f.db.prisma.ruleVersion.count();
    for (const step of ["preview", "save"]) expect((await agent.post(`/dashboard/rules/edit/routing/${step}`).type("form").send({ _csrf: csrf, text: edited(), reason: "x" })).status).toBe(403);
    const v = await f.db.prisma.ruleVersion.findFirst();
    expect((await agent.post(`/dashboard/rules/versions/${v!.id}/restore`).type("form").send({ _csrf: csrf, which: "after" })).status).toBe(403);
    // Without the form's CSRF token a district user is refused too.
    const d = await login("district");
    expect((await d.agent.post("/dashboard/rules/edit/routing/save").type("form").send({ text: edited(), reason: "x" })).status).toBe(403);
    expect(routingFile()).toBe(original);
    expect(await f.db.prisma.ruleVersion.count()).toBe(before);
  });
});
