// The front door in a real browser, as a resident meets it: Chromium at 390×844 with WeChat's user
// agent. Scan (open the signed link) → register → file with a photo → case number → the liaison's
// card at the fake Telegram → resolved → the revisit answered on the page. axe-core checks each page
// for serious accessibility problems; screenshots go to test-artifacts/.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { noChromium, openChromium, type Chromium } from "../helpers/chromium.ts";
import { png, withFrontDoor } from "./fixture.ts";

const ARTIFACTS = path.resolve(import.meta.dirname, "../../test-artifacts");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
export const WECHAT_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN";

/** Serious and critical axe-core findings on the page (id and the first element's selector). */
async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays on.
  await page.evaluate(fs.readFileSync(AXE, "utf8"));
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, at: v.nodes[0]?.target.join(" ") ?? "" }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} at ${v.at}`);
}

describe.skipIf(noChromium())("front door in Chromium (390×844, WeChat)", () => {
  const e = withFrontDoor();
  let chrome: Chromium;
  let browser: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    chrome = await openChromium({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      userAgent: WECHAT_UA,
      locale: "zh-CN",
    });
    browser = chrome.context;
    page = await browser.newPage();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });

  it("scan → register → file with a photo → case number → liaison's card → resolved → revisit answered on the page", async () => {
    await page.goto(await e.link("heping", "1号楼"));
    expect(await page.locator("h1").innerText()).toBe("登记住址");
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-register-390.png"), fullPage: true });
    await page.selectOption("select[name=unitId]", { index: 1 });
    await page.fill("input[name=invite]", "HEPING01");
    await page.click("button[type=submit]");
    await page.waitForURL(/\/r\/file$/);

    await page.fill("#description", "家里卫生间水管漏水，楼下也在滴水");
    // The live suggestion (the same understanding rules as the bot) picks the category chip.
    await page.waitForSelector("#suggestion:not(:empty)");
    expect(await page.locator("#suggestion").innerText()).toContain("系统建议");
    const picked = await page.locator("input[name=category]:checked").getAttribute("value");
    expect(picked).toBeTruthy();
    await page.setInputFiles("input[name=photos]", [{ name: "leak.png", mimeType: "image/png", buffer: png(2400, 1800) }]);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-file-390.png"), fullPage: true });
    await page.click("#file-form button[type=submit]");
    await page.waitForSelector("#case-number");
    const number = await page.locator("#case-number").innerText();
    expect(number).toMatch(/^\d{4}-\d+$/);
    // The photo as a thumbnail that loads (served to this session from the attachment store).
    const thumb = page.locator("#photos img").first();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-filed-390.png"), fullPage: true });

    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number }, include: { attachments: true } });
    expect(c).toMatchObject({ channel: "web", category: picked });
    // Shrunk in the browser: a 2400×1800 picture arrives as a JPEG of at most 1600 px.
    expect(c.attachments).toHaveLength(1);
    expect(c.attachments[0]).toMatchObject({ storeStatus: "stored", contentType: "image/jpeg" });
    const liaisonChat = e.chats.liaisons.get(c.liaisonId!)!;
    await expect.poll(() => e.api.texts(liaisonChat).some((t) => t.includes(number)), { timeout: 10_000 }).toBe(true);

    await e.svc.s.cases.apply(c.id, "resolve", { type: "liaison", id: c.liaisonId! }, { note: "已更换水管接头" });
    await page.reload();
    await page.waitForSelector("#revisit");
    expect(await page.locator(".timeline").innerText()).toContain("已更换水管接头");
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-revisit-390.png"), fullPage: true });
    await page.locator("#revisit .chip", { hasText: "5" }).click();
    await page.click("#revisit button[value=yes]");
    await page.waitForSelector("text=谢谢！案件已结案。");
    expect(await page.locator("#case-state").innerText()).toBe("已结案");
    expect(await e.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "closed", satisfaction: 5 });

    // Large text and the other languages, on the same page.
    await page.goto(`${e.svc.base}/r/file?big=1&lang=zh-Hant`);
    expect(await page.locator("h1").innerText()).toBe("我要報修/投訴");
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe("21px");
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-file-big-hant-390.png"), fullPage: true });
    // My cases: the one-time code that links this resident to the bot.
    await page.goto(`${e.svc.base}/r/cases?big=0`);
    expect(await page.locator("#link-code").innerText()).toMatch(/^[A-Z2-9]{6}$/);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-cases-link-390.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${e.svc.base}/r/cases?big=0&lang=zh-Hans`);
    expect(await page.locator("ul.cases").innerText()).toContain(number);
    await page.screenshot({ path: path.join(ARTIFACTS, "frontdoor-cases-1280.png"), fullPage: true });
  }, 120_000);
});
