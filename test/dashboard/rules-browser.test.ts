// The rules table editor in Chromium, as a district clerk uses it: add a row and fill its cells with
// select boxes, move it up, check → dry-run ("N cases would route differently"), give a reason, save,
// see the version in the history, undo it. Screenshots at 1280 and 390 px go to test-results/rules/rules-*.png;
// at 390 px the page is no wider than the screen (the rows are cards).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { officeApp, PASSWORD, RULES_DIR, type OfficeFixture } from "../helpers/office.ts";
import { noChromium, openChromium, serve, type Chromium, type Served } from "../helpers/chromium.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-results/rules");

describe.skipIf(noChromium())("rules table editor in Chromium", () => {
  let f: OfficeFixture;
  let served: Served;
  let chrome: Chromium;
  let page: Page;
  let dir: string;
  let original: string;
  const routingFile = () => fs.readFileSync(path.join(dir, "routing.json"), "utf8");
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-browser-"));
    fs.cpSync(RULES_DIR, dir, { recursive: true });
    original = routingFile();
    f = await officeApp({}, { rulesDir: dir });
    served = await serve(f.app);
    chrome = await openChromium();
    page = await chrome.context.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await served?.close();
    await f?.db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(ARTIFACTS, `rules-${name}-${width}.png`), fullPage: true });
      if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 390 px`).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it("edits cells, sees the dry-run, saves with a reason, sees the history and rolls back", async () => {
    const filed = [await f.file("heping"), await f.file("heping"), await f.file("xingfu")];
    await page.goto(`${served.base}/dashboard/rules`);
    await page.fill("#username", "district");
    await page.fill("#password", PASSWORD);
    await page.click("#login-submit");
    await page.waitForSelector("#routing-editor");
    const n = await page.locator("#routing-editor tbody tr").count();
    await shot("table");

    // A new row at the end: 和平小区's water cases go to 安居物业 · 王经理.
    await page.click("#add-row");
    await page.waitForSelector(`#edit-row-${n}`);
    await page.fill(`#r${n}-id`, "heping-water-anju");
    await page.fill(`#r${n}-description`, "和平小区漏水派给安居王经理");
    await page.fill(`#r${n}-priority`, "90");
    await page.selectOption(`#r${n}-estates`, ["heping"]);
    await page.selectOption(`#r${n}-categories`, ["water"]);
    await page.selectOption(`#r${n}-target`, { label: "安居物业" });
    await page.selectOption(`#r${n}-liaison`, { label: "王经理" });
    // Up one: the cells typed so far travel with the row.
    await page.click(`#edit-row-${n} button[value="up:${n}"]`);
    await page.waitForSelector(`#r${n - 1}-id[value="heping-water-anju"]`);
    expect(await page.inputValue(`#r${n - 1}-priority`)).toBe("90");

    // A bad cell first: the check says what and where, and nothing is written.
    await page.fill(`#r${n - 1}-timeFrom`, "25:00");
    await page.fill(`#r${n - 1}-timeTo`, "08:00");
    await page.click("#table-check");
    await page.waitForSelector(`#edit-row-${n - 1}.has-errors`);
    expect(await page.locator(`#edit-row-${n - 1} td.bad ul.cell-err`).innerText()).toContain("时间应写成 时:分");
    await shot("cell-error");
    await page.fill(`#r${n - 1}-timeFrom`, "");
    await page.fill(`#r${n - 1}-timeTo`, "");
    await page.click("#table-check");
    await page.waitForSelector("#draft-preview");
    expect(await page.locator("#rerouted").innerText()).toMatch(/最近30天的 3 件案件中，有 2 件会派给不同的单位。/);
    const examples = await page.locator("#examples").innerText();
    expect(examples).toContain(filed[0]!.number);
    expect(examples).toMatch(/华美物业 · 李工[\s\S]*安居物业 · 王经理/);
    expect(routingFile()).toBe(original);
    await shot("dry-run");

    await page.fill("#f-reason", "和平小区漏水改由安居维修");
    await page.click("#confirm");
    await page.waitForSelector("#notice");
    expect(await page.locator("#notice").innerText()).toMatch(/已保存并重新加载：版本 #\d+/);
    const saved = JSON.parse(routingFile()) as { rules: { id: string; then: unknown }[] };
    expect(saved.rules[n - 1]).toMatchObject({ id: "heping-water-anju", then: { company: "anju", liaison: "anju-wang" } });
    expect((await f.file("heping")).liaisonId).toBe((await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: "anju-wang" } })).id);
    const history = page.locator("#versions tbody tr").first();
    expect(await history.innerText()).toMatch(/区物业办[\s\S]*和平小区漏水改由安居维修/);
    await shot("history");

    await history.locator("button.undo").click();
    await page.waitForSelector("#notice");
    expect(await page.locator("#notice").innerText()).toMatch(/已恢复并重新加载：版本 #\d+/);
    expect(routingFile()).toBe(original);
    expect(await page.locator("#versions tbody tr").count()).toBe(2);
    expect(await page.locator(`#r${n - 1}-id`).count()).toBe(1);
    expect(await page.locator('#routing-editor input[value="heping-water-anju"]').count()).toBe(0);

    for (const file of ["deadlines", "categories", "calendar"]) {
      await page.goto(`${served.base}/dashboard/rules?file=${file}`);
      await page.waitForSelector(`#${file}-editor`);
      await shot(file);
    }
  }, 180_000);
});
