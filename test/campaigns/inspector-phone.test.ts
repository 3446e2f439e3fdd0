// An inspector on a phone (Chromium at 390×844, a phone's user agent): signs in, opens the campaign,
// registers a problem with a photo taken by the camera input, and sees it on the problem page with its
// photo; no page is wider than the screen. Screenshots: test-artifacts/campaign-*-390.png.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { noChromium, openChromium, serve, type Chromium, type Served } from "../helpers/chromium.ts";
import { createCampaign } from "../../core/campaigns/campaigns.ts";
import { loadCampaignSettings } from "../../core/campaigns/settings.ts";
import { RULES_DIR } from "./fixture.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts");
const PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

describe.skipIf(noChromium())("an inspector registers a problem on a phone", () => {
  let f: OfficeFixture;
  let served: Served;
  let chrome: Chromium;
  let page: Page;
  let campaignId: number;

  beforeAll(async () => {
    f = await officeApp({}, { campaigns: true });
    const settings = loadCampaignSettings(RULES_DIR);
    const c = await createCampaign(f.db.prisma, settings, { role: "district", streetId: null, actorId: "user:test", name: "区物业办" }, {
      name: "消防通道专项整治",
      phases: { inspect: [new Date("2026-10-20T00:00:00+08:00"), new Date("2026-11-30T00:00:00+08:00")], rectify: [new Date("2026-12-01T00:00:00+08:00"), new Date("2026-12-31T00:00:00+08:00")], accept: [new Date("2027-01-04T00:00:00+08:00"), new Date("2027-01-15T00:00:00+08:00")] },
    });
    campaignId = c.id;
    served = await serve(f.app);
    chrome = await openChromium({ viewport: { width: 390, height: 844 }, userAgent: PHONE_UA, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    page = await chrome.context.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
    await served?.close();
    await f?.db.drop();
  });

  const narrow = async (name: string) => {
    await page.screenshot({ path: path.join(ARTIFACTS, `campaign-${name}-390.png`), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at 390 px`).toBeLessThanOrEqual(390);
  };

  it("signs in, fills the phone form with a camera photo, and sees the problem with its photo", async () => {
    await page.goto(`${served.base}/dashboard/campaigns/${campaignId}/problems/new`);
    await page.fill("#username", "district");
    await page.fill("#password", PASSWORD);
    await page.click("#login-submit");
    await page.waitForURL(/\/problems\/new/);
    await narrow("register");
    const form = page.locator("#register");
    await form.locator('select[name="estate"]').selectOption({ label: "和平小区" });
    await form.locator('input[name="building"]').fill("3号楼");
    await form.locator('select[name="category"]').selectOption({ label: "消防" });
    await form.locator('textarea[name="description"]').fill("三楼消防通道堆放纸箱");
    expect(await form.locator('input[name="photos"]').getAttribute("capture")).toBe("environment");
    // The camera's picture: a real image, drawn by the browser itself.
    const shot = await page.screenshot({ type: "jpeg", clip: { x: 0, y: 0, width: 300, height: 200 } });
    await form.locator('input[name="photos"]').setInputFiles({ name: "corridor.jpg", mimeType: "image/jpeg", buffer: shot });
    await Promise.all([page.waitForURL(/\/problems\/\d+/), form.locator('button[type="submit"], button:not([type])').last().click()]);
    await narrow("problem");
    expect(await page.locator("#problem").innerText()).toContain("三楼消防通道堆放纸箱");
    expect(await page.locator("#state").innerText()).toBe("已登记");
    const img = page.locator('img[src*="/photos/"]').first();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const stored = await f.db.prisma.campaignProblem.findFirstOrThrow({ where: { campaignId }, include: { photos: true } });
    expect(stored).toMatchObject({ description: "三楼消防通道堆放纸箱", building: "3号楼", category: "fire" });
    expect(stored.photos).toHaveLength(1);
  });
});
