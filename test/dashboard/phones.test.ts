// Every page at 1280 and 390 px in Chromium, as admin, district and street office (zh-Hans): no
// page wider than the window (tables scroll in their box or become cards), no menu entry broken over
// lines, no console error. With SCREENSHOTS=1, a full-page screenshot of each goes to
// test-results/phones/ (git-ignored) to look at: encoding them was two thirds of this file's time.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { noChromium, openChromium, serve, type Chromium, type Served } from "../helpers/chromium.ts";
import { crawl, logIn, ROLES, tourApp, type TourUser } from "./tour.ts";

const SHOTS = path.resolve(import.meta.dirname, "../../test-results/phones");
const WIDTHS = [1280, 390] as const;
const SCREENSHOTS = process.env.SCREENSHOTS === "1";

describe.skipIf(noChromium())("every page on a desktop and a phone", () => {
  let f: OfficeFixture;
  let details: string[];
  let served: Served;
  let base: string;
  let chrome: Chromium;
  let browser: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    ({ f, details } = await tourApp());
    served = await serve(f.app);
    base = served.base;
    chrome = await openChromium();
    browser = chrome.context;
    page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await chrome?.close();
    await served?.close();
    await f?.db.drop();
  });

  /** The pages this user reaches (the crawl of language-crawl.test.ts), OK ones only. */
  const pagesOf = async (user: TourUser) => {
    const agent = await logIn(f, user);
    const all = await crawl((p) => agent.get(p).set("Accept", "text/html"), ["/dashboard/cases", ...details, "/board", "/status"], () => false, 60);
    return all.filter((p) => p.status === 200).map((p) => p.path);
  };

  const check = async (width: number, shot: string) => {
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      // A menu entry taller than two lines of text has been broken up, one character per line.
      tallest: Math.max(0, ...[...document.querySelectorAll("nav a")].map((a) => a.getBoundingClientRect().height)),
    }));
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
    return { ...m, width };
  };

  for (const user of ROLES) {
    it(`${user}: no page wider than 1280 or 390 px, menu entries whole, no console error`, async () => {
      const paths = await pagesOf(user);
      expect(paths.length).toBeGreaterThan(8);
      await browser.clearCookies();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/login?lang=zh-Hans`);
      await page.fill("#username", user);
      await page.fill("#password", PASSWORD);
      await page.click("#login-submit");
      await page.waitForURL(/\/dashboard\/cases/);
      errors.length = 0;
      const wide: string[] = [];
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
        for (const p of paths) {
          await page.goto(`${base}${p}`);
          const slug = p.replace(/^\//, "").replace(/[^\w-]+/g, "_") || "home";
          const m = await check(width, `${user}-${width}-${slug}.png`);
          if (m.scroll > m.inner + 1) wide.push(`${p} at ${width}: ${m.scroll} px`);
          if (m.tallest > 40) wide.push(`${p} at ${width}: a menu entry ${m.tallest} px tall`);
        }
      }
      expect(wide).toEqual([]);
      expect(errors).toEqual([]);
    }, 300_000);
  }

  it("the public board on a phone: one column of cards, each with its drawn face", async () => {
    await browser.clearCookies();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/board?lang=zh-Hans`);
    const boxes = await page.locator("#board .estate").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, w: r.width })));
    expect(boxes).toHaveLength(4);
    expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(1); // one column
    expect(Math.min(...boxes.map((b) => b.w))).toBeGreaterThan(300);
    expect(await page.locator("#board .estate svg.face").count()).toBe(4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(SHOTS, "public-board-390.png"), fullPage: true });
  });
});
