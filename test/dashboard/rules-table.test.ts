// The rules table editor over HTTP, as the page's form posts it: names in select boxes, row buttons that
// add/move/remove without writing, a check that puts the loader's issues next to the row and cell (in
// the clerk's language), a dry-run with a reason asked before the save, and the file written and
// reloaded. test/dashboard/rules-browser.test.ts does the same round in Chromium.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, RULES_DIR, type OfficeFixture } from "../helpers/office.ts";
import { LEVELS, rowsFromText, type Rows } from "../../rules/editing/table-rows.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** The body the table editor's form sends for these rows (the names table-editor.tsx gives its fields). */
function tableForm(rows: Rows, csrf: string, op = "check"): string {
  const f = new URLSearchParams({ _csrf: csrf, top: rows.top, op });
  if (rows.file === "deadlines") f.append("hint", rows.hintRaisesTo);
  if (rows.file === "calendar") {
    f.append("officeStart", rows.officeStart);
    f.append("officeEnd", rows.officeEnd);
  }
  rows.rows.forEach((r, i) => {
    for (const [k, v] of Object.entries(r)) {
      if (k === "levels") {
        for (const u of LEVELS) for (const [lk, lv] of Object.entries((v as Record<string, Record<string, unknown>>)[u]!)) if (lv !== false) f.append(`r[${i}][${u}][${lk}]`, lv === true ? "on" : String(lv));
      } else if (Array.isArray(v)) for (const x of v) f.append(`r[${i}][${k}]`, x);
      else if (v === true) f.append(`r[${i}][${k}]`, "on");
      else if (v !== false) f.append(`r[${i}][${k}]`, String(v));
    }
  });
  return f.toString();
}

describe("rules table editor (dashboard)", () => {
  let f: OfficeFixture;
  let dir: string;
  const original: Record<string, string> = {};
  const file = (name: string) => fs.readFileSync(path.join(dir, `${name}.json`), "utf8");
  const rowsOf = (name: "routing" | "deadlines" | "categories" | "calendar") => rowsFromText(name, file(name))!;
  const login = async (username: string) => {
    const agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
    const csrf = csrfOf((await agent.get("/dashboard/rules?lang=zh-Hans")).text);
    return { agent, csrf };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-table-"));
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    for (const n of ["routing", "deadlines", "categories", "calendar"]) original[n] = file(n);
    f = await officeApp({}, { rulesDir: dir });
  });
  afterAll(async () => {
    await f.db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows every file as an editable table with names in its select boxes", async () => {
    const { agent } = await login("district");
    const page = (await agent.get("/dashboard/rules?lang=zh-Hans")).text;
    expect(page).toContain('id="routing-editor"');
    // Row 0 (xingfu-night-emergencies): estate 幸福花园 picked, goes to 安居物业 · 赵师傅.
    const row0 = /<tr id="edit-row-0"[\s\S]*?<\/tr>/.exec(page)![0];
    expect(row0).toMatch(/<option value="xingfu" selected[^>]*>幸福花园<\/option>/);
    expect(row0).toMatch(/<option value="anju" selected[^>]*>安居物业<\/option>/);
    expect(row0).toMatch(/<option value="anju-zhao" selected[^>]*>赵师傅<\/option>/);
    expect(row0).toMatch(/<option value="lift_entrapment" selected[^>]*>电梯困人<\/option>/);
    expect(page).toContain("高级：直接修改 JSON 原文");
    const deadlines = (await agent.get("/dashboard/rules?file=deadlines&lang=zh-Hant")).text;
    expect(deadlines).toMatch(/<option value="minutes" selected[^>]*>分鐘<\/option>/);
    expect((await agent.get("/dashboard/rules?file=categories&lang=en")).text).toMatch(/value="Trapped in lift"/);
    expect((await agent.get("/dashboard/rules?file=calendar&lang=zh-Hans")).text).toContain('id="calendar-editor"');
    // Street users read the tables but get no editor.
    const street = await login("dongcheng");
    expect((await street.agent.get("/dashboard/rules")).text).not.toContain('id="table-editor"');
    expect((await street.agent.post("/dashboard/rules/table/routing").type("form").send(tableForm(rowsOf("routing"), street.csrf))).status).toBe(403);
  });

  it("adds, moves and removes rows without writing anything", async () => {
    const { agent, csrf } = await login("district");
    const rows = rowsOf("routing");
    if (rows.file !== "routing") throw new Error();
    const n = rows.rows.length;
    const added = await agent.post("/dashboard/rules/table/routing").type("form").send(tableForm(rows, csrf, "add"));
    expect(added.status).toBe(200);
    expect(added.text).toContain(`id="edit-row-${n}"`);
    const moved = await agent.post("/dashboard/rules/table/routing").type("form").send(tableForm(rows, csrf, "up:1"));
    expect(/<tr id="edit-row-0"[\s\S]*?<\/tr>/.exec(moved.text)![0]).toContain(`value="${rows.rows[1]!.id}"`);
    const removed = await agent.post("/dashboard/rules/table/routing").type("form").send(tableForm(rows, csrf, "remove:0"));
    expect(removed.text).not.toContain(`value="${rows.rows[0]!.id}"`);
    expect(file("routing")).toBe(original.routing);
    expect(await f.db.prisma.ruleVersion.count()).toBe(0);
  });

  it("puts the loader's issues next to the row and cell, in the clerk's language, and writes nothing", async () => {
    const { agent, csrf } = await login("district");
    const rows = rowsOf("routing");
    if (rows.file !== "routing") throw new Error();
    rows.rows[1] = { ...rows.rows[1]!, priority: "abc" };
    rows.rows[2] = { ...rows.rows[2]!, target: "anju", liaison: "huamei-li" }; // 李工 is 华美's
    const res = await agent.post("/dashboard/rules/table/routing?lang=zh-Hans").type("form").send(tableForm(rows, csrf));
    expect(res.status).toBe(422);
    const row1 = /<tr id="edit-row-1"[\s\S]*?<\/tr>/.exec(res.text)![0];
    expect(row1).toContain('class="has-errors"');
    expect(unescape(row1)).toMatch(/<td data-label="规则" class="bad">[\s\S]*应填数字/);
    expect(unescape(/<tr id="edit-row-2"[\s\S]*?<\/tr>/.exec(res.text)![0])).toMatch(/<td data-label="派给" class="bad">[\s\S]*联络人 "huamei-li" 属于物业公司 "huamei"，不属于 "anju"/);
    expect(res.text).not.toMatch(/Invalid input|expected number/);
    const en = await agent.post("/dashboard/rules/table/routing?lang=en").type("form").send(tableForm(rows, csrf));
    expect(unescape(en.text)).toContain("expected a number");
    expect(file("routing")).toBe(original.routing);

    const cal = rowsOf("calendar");
    if (cal.file !== "calendar") throw new Error();
    cal.rows.push({ ...cal.rows[0]!, orig: "{}" });
    const twice = await agent.post("/dashboard/rules/table/calendar?lang=zh-Hans").type("form").send(tableForm(cal, csrf));
    expect(twice.status).toBe(422);
    expect(/<tr id="edit-row-1"[\s\S]*?<\/tr>/.exec(twice.text)![0]).toContain("年份重复");
    cal.rows.pop();
    cal.rows[0] = { ...cal.rows[0]!, holidays: "2027-13-40" };
    const badDate = await agent.post("/dashboard/rules/table/calendar?lang=zh-Hans").type("form").send(tableForm(cal, csrf));
    expect(unescape(/<tr id="edit-row-0"[\s\S]*?<\/tr>/.exec(badDate.text)![0])).toMatch(/<td data-label="放假日" class="bad">[\s\S]*日期应写成 年-月-日/);

    const cats = rowsOf("categories");
    if (cats.file !== "categories") throw new Error();
    cats.rows[2] = { ...cats.rows[2]!, zhHant: "", kinds: [] };
    const badCat = await agent.post("/dashboard/rules/table/categories?lang=zh-Hans").type("form").send(tableForm(cats, csrf));
    expect(badCat.status).toBe(422);
    const row2 = unescape(/<tr id="edit-row-2"[\s\S]*?<\/tr>/.exec(badCat.text)![0]);
    expect(row2).toMatch(/<td data-label="名称" class="bad">[\s\S]*不能为空/);
    expect(row2).toMatch(/<td data-label="适用类型" class="bad">[\s\S]*不能为空/);
    expect(file("categories")).toBe(original.categories);
    expect(await f.db.prisma.ruleVersion.count()).toBe(0);
  });

  it("checks a valid edit, shows the dry-run, asks a reason, saves and reloads", async () => {
    await f.file("heping");
    await f.file("heping", { kind: "complaint" });
    const { agent, csrf } = await login("district");
    const rows = rowsOf("routing");
    if (rows.file !== "routing") throw new Error();
    rows.rows.unshift({ ...rows.rows[0]!, orig: "{}", id: "heping-all-anju", description: "和平小区全部派给安居", priority: "90", estates: ["heping"], categories: [], kinds: [], timeFrom: "", timeTo: "", target: "anju", liaison: "anju-wang" });
    const res = await agent.post("/dashboard/rules/table/routing?lang=zh-Hans").type("form").send(tableForm(rows, csrf));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/最近30天的 \d+ 件案件中，有 2 件会派给不同的单位。/);
    expect(res.text).toMatch(/华美物业 · 李工[\s\S]*?安居物业 · 王经理/);
    expect(res.text).toMatch(/<input name="reason" id="f-reason" required/);
    expect(file("routing")).toBe(original.routing);
    const text = unescape(/<form method="post" action="\/dashboard\/rules\/edit\/routing\/save" id="confirm-form">[\s\S]*?name="text" value="([^"]*)"/.exec(res.text)![1]!);
    expect(JSON.parse(text).rules[0]).toMatchObject({ id: "heping-all-anju", priority: 90, when: { estates: ["heping"] }, then: { company: "anju", liaison: "anju-wang" } });
    // The $comment of the file and of each rule stay.
    expect(JSON.parse(text).$comment).toEqual(JSON.parse(original.routing!).$comment);

    const save = await agent.post("/dashboard/rules/edit/routing/save").type("form").send({ _csrf: csrf, text, reason: "和平小区换了物业" });
    expect(save.status).toBe(303);
    expect(file("routing")).toBe(text);
    expect((await f.router.dryRun({ kind: "repair", category: "water", estate: "heping", street: "dongcheng", urgencyHint: false, filedAt: f.clock.now() })).liaison?.name).toBe("王经理");
    const page = (await agent.get(save.headers.location!)).text;
    expect(page).toMatch(/<tr id="version-\d+">[\s\S]*?区物业办[\s\S]*?和平小区换了物业/);
    // The table shows the saved file.
    expect(/<tr id="edit-row-0"[\s\S]*?<\/tr>/.exec(page)![0]).toContain('value="heping-all-anju"');

    // Deadlines: the emergency response limit 15 → 10 minutes changes deadlines, not routes.
    const dl = rowsOf("deadlines");
    if (dl.file !== "deadlines") throw new Error();
    const i = dl.rows.findIndex((r) => r.id === "emergency");
    dl.rows[i]!.levels.emergency.respond = "10";
    await f.file("xingfu", { category: "gas_smell" });
    const dres = await agent.post("/dashboard/rules/table/deadlines?lang=en").type("form").send(tableForm(dl, csrf));
    expect(dres.status).toBe(200);
    expect(dres.text).toMatch(/Of 3 cases filed in the last 30 days, 0 would route differently\.<\/b> Another 1 would get another urgency or other deadlines\./);
  });
});
