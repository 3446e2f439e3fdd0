// A community committee (社区居委会 of 和平小区) in Chromium at 1280 and 390 px (issue 32.6): every
// menu link opens (none answers 403), the board, cases, figures and bulletins show its estate and no
// other, the case page offers no form it may not send, and a case opens by number as by id.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { noChromium, openChromium, serve, type Chromium, type Served } from "../helpers/chromium.ts";
import { createStaffUser } from "../../core/directory/staff.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts");

describe.skipIf(noChromium())("community committee in Chromium", () => {
  let f: OfficeFixture;
  let served: Served;
  let chrome: Chromium;
  let own: { id: number; number: string };
  let other: { id: number; number: string };
  beforeAll(async () => {
    f = await officeApp();
    own = await f.file("heping", { description: "和平小区楼道漏水" });
    other = await f.file("xingfu", { description: "幸福花园的噪音" });
    await createStaffUser(f.db.prisma, { username: "heping-committee", password: PASSWORD, role: "community", estates: ["heping"], displayName: "和平社区居委会" });
    served = await serve(f.app);
    chrome = await openChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await chrome?.close();
    await served?.close();
    await f?.db.drop();
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px: no menu link answers 403, pages show only 和平小区, no write form, case by number`, async () => {
      await chrome.context.clearCookies(); // each width logs in afresh
      const page = await chrome.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${served.base}/login`);
      await page.fill("#username", "heping-committee");
      await page.fill("#password", PASSWORD);
      await page.click("#login-submit");
      await page.waitForURL(/\/dashboard\/cases/);

      const links = await page.locator("nav .links a").evaluateAll((as) => as.map((a) => ({ href: (a as HTMLAnchorElement).getAttribute("href")!, text: a.textContent!.trim() })));
      expect(links.map((l) => l.href)).toEqual(expect.arrayContaining(["/dashboard/cases", "/dashboard/figures", "/dashboard/board", "/dashboard/bulletins"]));
      for (const l of links) {
        const res = await page.goto(`${served.base}${l.href}`);
        expect({ link: l.text, status: res!.status() }).toEqual({ link: l.text, status: 200 });
        const text = await page.locator("main").innerText();
        expect(text, l.href).not.toContain("幸福花园的噪音");
        expect(text, l.href).not.toContain("无权");
      }
      await page.goto(`${served.base}/dashboard/board`);
      const board = await page.locator("main").innerText();
      expect(board).toContain("和平小区");
      expect(board).not.toContain("锦绣家园");
      await page.goto(`${served.base}/dashboard/figures`);
      expect(await page.locator("main").innerText()).not.toContain("锦绣家园");

      // The case by number lands on the same page as by id, with nothing to send.
      const byNumber = await page.goto(`${served.base}/dashboard/cases/${own.number}`);
      expect(byNumber!.status()).toBe(200);
      expect(page.url()).toBe(`${served.base}/dashboard/cases/${own.id}`);
      expect(await page.locator("main").innerText()).toContain("和平小区楼道漏水");
      expect(await page.locator("main form[method=post]").count()).toBe(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `committee-case-${width}.png`), fullPage: true });
      // Another estate's case is not there, by id or by number.
      expect((await page.goto(`${served.base}/dashboard/cases/${other.id}`))!.status()).toBe(404);
      expect((await page.goto(`${served.base}/dashboard/cases/${other.number}`))!.status()).toBe(404);
      await page.goto(`${served.base}/dashboard/cases`);
      await page.screenshot({ path: path.join(ARTIFACTS, `committee-menu-${width}.png`) });
      await page.close();
    }, 120_000);
  }
});
