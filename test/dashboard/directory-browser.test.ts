// One full directory round in a real browser (Debian's Chromium via playwright-core, as
// browser.test.ts): create an estate, move it to another company with its open case, deactivate a
// liaison with open cases (reassigned). Screenshots of the directory pages at 1280 and 390 px go to
// test-artifacts/directory-*.png, and at 390 px no page is wider than the screen.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { noChromium, openChromium, serve, type Chromium, type Served } from "../helpers/chromium.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts");

describe.skipIf(noChromium())("directory in Chromium", () => {
  let f: OfficeFixture;
  let served: Served;
  let base: string;
  let chrome: Chromium;
  let browser: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    f = await officeApp();
    served = await serve(f.app);
    base = served.base;
    chrome = await openChromium();
    browser = chrome.context;
    page = await browser.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await served?.close();
    await f?.db.drop();
  });

  const shot = async (name: string) => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(ARTIFACTS, `directory-${name}-${width}.png`), fullPage: true });
      if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 390 px`).toBeLessThanOrEqual(390);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  it("creates an estate, moves it to another company with its open case, deactivates a liaison with open cases", async () => {
    await page.goto(`${base}/dashboard/directory`);
    await page.fill("#username", "district");
    await page.fill("#password", PASSWORD);
    await page.click("#login-submit");
    await page.waitForURL(/\/dashboard\/directory\/estates/);
    expect(await page.locator("#estates tbody tr").count()).toBe(4);
    await shot("estates");

    await page.click("#new-estate");
    await page.fill("#f-code", "anning");
    await page.fill("#f-name", "安宁里");
    await page.selectOption("#f-street", "dongcheng");
    await page.fill("#f-households", "320");
    await page.selectOption("#f-company", "lvyuan");
    await page.fill("#f-contractStart", "2025-01-01");
    await page.click("#estate-form button");
    await page.waitForURL(/\/estates\/anning\?saved/);
    expect(await page.locator("#notice-ok").innerText()).toBe("已保存");
    expect(await page.locator("#contracts li").allInnerTexts()).toEqual(["绿苑物业：2025-01-01 → …"]);

    // A case in the new estate, then the estate moves to 华美物业 and its open case goes along.
    f.ids.anning = (await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "anning" } })).id;
    const c = await f.file("anning", { description: "安宁里楼道漏水" });
    await page.reload();
    await shot("estate");
    await page.selectOption("#move-form select[name=company]", "huamei");
    await page.fill("#move-form input[name=contractStart]", "2026-11-01");
    await page.check('#move-form input[value="move"]');
    await page.click("#move-form button");
    await page.waitForSelector("#moved");
    expect(await page.locator("#moved").innerText()).toContain(c.number);
    expect(await page.locator("#contracts li").allInnerTexts()).toEqual(["绿苑物业：2025-01-01 → 2026-11-01", "华美物业：2026-11-01 → …"]);
    const li = await f.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } });
    expect(await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ liaisonId: li.id, companyId: li.companyId });

    // 李工 (华美's only liaison) leaves: the case goes to the office queue, as chosen.
    await page.goto(`${base}/dashboard/directory/liaisons`);
    expect(await page.locator("#liaison-huamei-li td.open-cases").innerText()).toBe("1");
    await shot("liaisons");
    await page.selectOption("#liaison-huamei-li select[name=to]", "queue");
    await page.click(`#liaison-huamei-li form[action$="/deactivate"] button`); // the row also has rename
    await page.waitForSelector("#moved");
    expect(await page.locator("#moved").innerText()).toContain(c.number);
    expect(await page.locator("#liaison-huamei-li td.status").innerText()).toBe("已停用");
    expect((await f.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).liaisonId).toBeNull();

    for (const name of ["companies", "offices", "streets", "import"]) {
      await page.goto(`${base}/dashboard/directory/${name}`);
      await shot(name);
    }
    await page.goto(`${base}/dashboard/directory/offices/dongcheng`);
    await shot("office");
  }, 120_000);
});
