// The dashboard in a real browser: Debian's Chromium driven by playwright-core. Screenshots of
// the dashboard and the public board go to test-artifacts/.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { noChromium, openChromium, serve, type Chromium, type Served } from "../helpers/chromium.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts");

// Without Chromium (a dev box) the test is skipped, and npm test says so; CI installs it, so there it must run.
describe.skipIf(noChromium())("dashboard in Chromium", () => {
  let f: OfficeFixture;
  let served: Served;
  let base: string;
  let chrome: Chromium;
  let browser: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    f = await officeApp();
    for (let i = 0; i < 3; i++) await f.file("heping", { description: `和平小区漏水 ${i}` });
    await f.file("xingfu", { kind: "complaint", category: "noise", description: "幸福花园噪音" });
    await f.file("jinxiu", { description: "锦绣家园水管" });
    // One case a month earlier: two months of data, so the figures page draws its trend charts.
    const now = f.clock.now();
    f.clock.set(new Date(now.getTime() - 30 * 86_400_000));
    await f.file("chunhui", { description: "春晖苑上月漏水" });
    f.clock.set(now);
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

  it("logs in, filters cases, opens one, reassigns it and sees the board", async () => {
    await page.goto(`${base}/dashboard/cases`);
    expect(page.url()).toContain("/login");
    await page.fill("#username", "district");
    await page.fill("#password", PASSWORD);
    await page.click("#login-submit");
    await page.waitForURL(/\/dashboard\/cases/);
    expect(await page.locator("#cases tbody tr").count()).toBe(6);

    await page.selectOption("#f-estate", "heping");
    await page.click("#f-submit");
    await page.waitForURL(/estate=heping/);
    const rows = page.locator("#cases tbody tr");
    expect(await rows.count()).toBe(3);
    expect(await page.locator("#cases").innerText()).not.toContain("幸福花园噪音");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-cases.png"), fullPage: true });

    await rows.first().locator("a").click();
    await page.waitForURL(/\/dashboard\/cases\/\d+/);
    const id = Number(/cases\/(\d+)/.exec(page.url())![1]);
    expect(await page.locator("#liaison").innerText()).toBe("李工");
    await page.selectOption("#reassign select[name=liaison]", "anju-zhao");
    await page.fill("#reassign input[name=note]", "转安居物业处理");
    await page.click("#reassign button");
    await page.waitForSelector("#done");
    expect(await page.locator("#liaison").innerText()).toBe("赵师傅");
    expect(await page.locator("#timeline").innerText()).toContain("转安居物业处理");
    const row = await f.db.prisma.case.findUniqueOrThrow({ where: { id }, include: { liaison: true } });
    expect(row.liaison?.code).toBe("anju-zhao");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-case.png"), fullPage: true });

    await page.goto(`${base}/dashboard/figures`);
    // Chart.js loaded from our own origin and drew the trend charts.
    await page.waitForFunction(() => (window as unknown as { Chart?: { instances: object } }).Chart !== undefined);
    expect(await page.evaluate(() => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length)).toBe(4);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-figures.png"), fullPage: true });

    await page.goto(`${base}/dashboard/board`);
    expect(await page.locator("#board .estate").count()).toBe(4);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-board.png"), fullPage: true });
  });

  it("shows the public board without logging in", async () => {
    await browser.clearCookies(); // logged out
    const p = await browser.newPage();
    await p.goto(`${base}/board`);
    expect(p.url()).toBe(`${base}/board`);
    expect(await p.locator("#board .estate").count()).toBe(4);
    expect(await p.locator("nav").count()).toBe(0);
    await p.screenshot({ path: path.join(ARTIFACTS, "public-board.png"), fullPage: true });
    await p.close();
    expect(fs.statSync(path.join(ARTIFACTS, "public-board.png")).size).toBeGreaterThan(5_000);
  });

  it("creates a survey, pushes it to one estate and watches the progress refresh", async () => {
    // Its own app with the survey pages wired (the one above runs without surveys).
    const g = await officeApp({}, { surveys: true });
    const srv = await serve(g.app);
    const url = srv.base;
    const p = await browser.newPage();
    try {
      await browser.clearCookies();
      await g.db.prisma.resident.createMany({
        data: [0, 1, 2].map((i) => ({ telegramUserId: BigInt(9500 + i), chatId: BigInt(9500 + i), name: `s${i}`, status: "verified" as const, estateId: g.ids.heping! })),
      });
      await p.goto(`${url}/dashboard/surveys`);
      expect(p.url()).toContain("/login");
      await p.fill("#username", "district");
      await p.fill("#password", PASSWORD);
      await p.click("#login-submit");
      await p.waitForURL(/\/dashboard\/surveys$/);
      expect(await p.locator("#next-scheduled").innerText()).toContain("2027-01-15");

      await p.selectOption("#f-file", "owner-satisfaction");
      await p.fill("#f-closesAt", "2026-12-31");
      await p.check("#f-open");
      await p.click("#create-submit");
      await p.waitForURL(/\/dashboard\/surveys\/\d+\?done=created/);
      expect(await p.locator("#questions li").count()).toBe(5);

      await p.selectOption("#f-scope", "estate");
      await p.selectOption("#f-estate", String(g.ids.heping));
      await p.click("#push-submit");
      await p.waitForURL(/done=pushed/);
      const all = p.locator('#pushes tr[data-push="all"]');
      expect(await all.locator('[data-k="total"]').innerText()).toBe("3");
      expect(await all.locator('[data-k="pending"]').innerText()).toBe("3");
      expect(await p.locator("#pushes tbody tr").first().innerText()).toContain("和平小区");

      // The every-minute job sends a batch; the page's script (every 5 s, CSP 'self') shows it.
      await g.surveys!.sendBatch(100);
      await p.waitForFunction(() => document.querySelector('#pushes tr[data-push="all"] [data-k="sent"]')?.textContent === "3", null, { timeout: 20_000 });
      expect(await all.locator('[data-k="pending"]').innerText()).toBe("0");
      expect(await p.locator("#survey-progress").getAttribute("data-active")).toBe("false");
      await p.screenshot({ path: path.join(ARTIFACTS, "dashboard-survey.png"), fullPage: true });
    } finally {
      await p.close();
      await browser.clearCookies();
      await srv.close();
      await g.db.drop();
    }
  }, 60_000);
});
