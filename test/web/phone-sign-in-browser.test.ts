// Sign-in by phone and the liaison workspace in Chromium at 390×844 with WeChat's user agent: a
// resident files in WeChat; the liaison (no Telegram) opens the SMS link in their own browser, signs
// in with the code from the outbox row, accepts and resolves with a camera photo; the resident opens
// the SMS link in another browser (no shared cookies), signs in with a code and sees the case; a
// second registration with the same phone stays one resident. Screenshots: /tmp/w26web-shots/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { noChromium, openChromium, type Chromium } from "../helpers/chromium.ts";
import { createRequire } from "node:module";
import { png, withFrontDoor } from "./fixture.ts";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
/** Serious and critical axe-core findings (as test/web/browser.test.ts checks the residents' pages). */
async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(fs.readFileSync(AXE, "utf8"));
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, at: v.nodes[0]?.target.join(" ") ?? "" }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} at ${v.at}`);
}

const SHOTS = "/tmp/w26web-shots";
const UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
const RESIDENT_PHONE = "13700000100";
const LIAISON_PHONE = "13900000100";

const phoneBrowser = () => openChromium({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, userAgent: UA, locale: "zh-CN" });

describe.skipIf(noChromium())("sign-in by phone and the liaison workspace in Chromium (390×844, WeChat)", () => {
  const e = withFrontDoor();
  const sms = (phone: string) => e.db.prisma.outboxMessage.findMany({ where: { method: "sendSms", payload: { path: ["to"], equals: `+86${phone}` } }, orderBy: { id: "asc" } });
  const codeFor = async (phone: string) => ((await sms(phone)).reverse().find((r) => (r.payload as { code?: string }).code)!.payload as { code: string }).code;
  /** The link an SMS carries, on this test server. */
  const linkIn = async (phone: string, has: string) => {
    const text = (await sms(phone)).map((r) => (r.payload as { text: string }).text).find((t) => t.includes(has))!;
    const url = new URL(/https?:\/\/\S+/.exec(text)![0]!);
    return `${e.svc.base}${url.pathname}`;
  };
  const shot = async (page: Page, name: string) => {
    expect(await axeProblems(page), name).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  };
  const signIn = async (page: Page, phone: string) => {
    await page.fill("input[name=phone]", phone);
    await page.click("#phone-form button[type=submit]");
    await page.waitForSelector("input[name=code]");
    await page.fill("input[name=code]", await codeFor(phone));
    await page.click("#code-form button[type=submit]");
  };

  it("files in WeChat; the liaison works it from the SMS link to resolved with a photo; the resident signs in elsewhere by code and sees it; registering again stays one resident", async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await e.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: null, telegramUserId: null, phone: LIAISON_PHONE } });
    const link = await e.link("heping", "1号楼");
    const browsers: Chromium[] = [];
    try {
      // 1. The resident in WeChat: register with a phone, file.
      const wechat = await phoneBrowser();
      browsers.push(wechat);
      const rp = await wechat.context.newPage();
      await rp.goto(link);
      await shot(rp, "r-register");
      await rp.selectOption("select[name=unitId]", { index: 1 });
      await rp.fill("input[name=invite]", "HEPING01");
      await rp.fill("input[name=phone]", RESIDENT_PHONE);
      await rp.check("input[name=sms]");
      await rp.click("button[type=submit]");
      await rp.waitForURL(/\/r\/file$/);
      await rp.fill("#description", "电梯按钮失灵，按了没反应");
      await rp.waitForSelector("#suggestion:not(:empty)");
      await rp.click("#file-form button[type=submit]");
      await rp.waitForURL(/\/r\/cases\//);
      const number = /\/r\/cases\/([\w-]+)/.exec(rp.url())![1]!;

      // 2. The liaison, no Telegram: the SMS link in their own browser → code → the case → accept → resolve with a photo.
      const liaison = await phoneBrowser();
      browsers.push(liaison);
      const lp = await liaison.context.newPage();
      await lp.goto(await linkIn(LIAISON_PHONE, number));
      expect(await lp.locator("#notice").innerText()).toContain("请先用手机号登录联络人工作台");
      await shot(lp, "w-login");
      await signIn(lp, LIAISON_PHONE);
      await lp.waitForURL(new RegExp(`/w/cases/${number}$`));
      expect(await lp.locator("#state").innerText()).toBe("已派单");
      await shot(lp, "w-case-routed");
      await lp.click("#accept-form button");
      await lp.waitForSelector("#notice");
      expect(await lp.locator("#state").innerText()).toBe("处理中");
      // The list: the company's open cases, nearest deadline first (and in English, by the link at the top).
      await lp.goto(`${e.svc.base}/w/`);
      expect(await lp.locator("#cases").innerText()).toContain(number);
      await shot(lp, "w-cases");
      await lp.goto(`${e.svc.base}/w/?lang=en`);
      expect(await lp.locator("h1").innerText()).toBe("Open cases");
      await shot(lp, "w-cases-en");
      await lp.goto(`${e.svc.base}/w/cases/${number}?lang=zh-Hans`);
      await lp.fill("#resolve-form textarea[name=note]", "已更换电梯按钮面板");
      const photo = path.join(os.tmpdir(), `w26web-fix-${process.pid}.png`);
      fs.writeFileSync(photo, png(2400, 1800));
      await lp.setInputFiles("#resolve-form input[type=file]", photo);
      await shot(lp, "w-case-resolve-form");
      await lp.click("#resolve-form button[type=submit]");
      await lp.waitForFunction(() => document.querySelector("#notice")?.textContent?.includes("已办结"));
      await shot(lp, "w-case-resolved");
      const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number }, include: { attachments: true } });
      expect(c.state).toBe("resolved");
      const stored = c.attachments.filter((a) => a.addedBy === "liaison");
      expect(stored).toHaveLength(1);
      // Shrunk in the browser before upload (≤ 1600 px JPEG): far smaller than the 2400×1800 original.
      expect(stored[0]!.contentType).toBe("image/jpeg");

      // 3. The resident opens the SMS link in the phone's own browser: sign in by code, land on the case.
      const own = await phoneBrowser();
      browsers.push(own);
      const op = await own.context.newPage();
      const caseLink = await linkIn(RESIDENT_PHONE, "请确认是否解决");
      expect(caseLink).toBe(`${e.svc.base}/r/cases/${number}`);
      await op.goto(caseLink);
      expect(await op.locator("#notice").innerText()).toContain("请先扫描小区的二维码登记");
      await shot(op, "r-login");
      await signIn(op, RESIDENT_PHONE);
      await op.waitForURL(new RegExp(`/r/cases/${number}$`));
      expect(await op.locator("h1").innerText()).toContain(number);
      expect(await op.content()).toContain("电梯按钮失灵");
      expect(await op.content()).toContain("问题解决了吗？");
      await shot(op, "r-case-after-sign-in");

      // 4. Registering again with the same phone (the poster scanned in this browser): one resident.
      const before = await e.db.prisma.resident.count({ where: { phone: RESIDENT_PHONE } });
      await op.context().clearCookies();
      await op.goto(link);
      await op.selectOption("select[name=unitId]", { index: 1 });
      await op.fill("input[name=phone]", RESIDENT_PHONE);
      // A minute later (the per-number limit allows one code a minute).
      await e.db.prisma.phoneCode.updateMany({ where: { phone: RESIDENT_PHONE }, data: { createdAt: new Date(Date.now() - 61_000) } });
      await op.click("button[type=submit]");
      await op.waitForSelector("input[name=code]");
      expect(await op.locator("#notice").innerText()).toContain("该手机号已登记过");
      await shot(op, "r-register-again");
      await op.fill("input[name=code]", await codeFor(RESIDENT_PHONE));
      await op.click("#code-form button[type=submit]");
      await op.waitForURL(/\/r\/file$/);
      expect(await e.db.prisma.resident.count({ where: { phone: RESIDENT_PHONE } })).toBe(before);
      expect(before).toBe(1);
      fs.rmSync(photo, { force: true });
    } finally {
      for (const b of browsers) await b.close();
    }
  }, 120_000);
});
