// The residents' web front door over HTTP (a phone with WeChat's user agent): signed QR links,
// registration, one-screen filing with photos, the liaison's card through the fake Bot API, the
// case page, the revisit answered on the page, and what bad input gets (a clear page, nothing stored).
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { Phone, png, withFrontDoor } from "./fixture.ts";
import { jpegWithGps } from "../attachments/jpeg.ts";

const e = withFrontDoor();
const heping = () => e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true }, orderBy: { id: "asc" } } } });
const residents = () => e.db.prisma.resident.count({ where: { channel: "web" } });
const attachments = () => e.db.prisma.attachment.count();
const filesOnDisk = () => (fs.readdirSync(e.attachmentsDir, { recursive: true }) as string[]).filter((f) => /\.(jpg|png)$/.test(f)).length;

// Each registration its own number: registering again with a known number signs in to that resident (api/frontdoor/login.tsx).
let registrations = 0;
async function registered(phone: Phone, o: { invite?: string; building?: string } = {}) {
  const link = await e.link("heping", o.building);
  expect((await phone.get(link)).status).toBe(200);
  const unit = (await heping()).buildings[0]!.units[0]!;
  const res = await phone.postForm(link, { unitId: String(unit.id), name: "王阿姨", invite: o.invite ?? "HEPING01", phone: `1380014${String(++registrations).padStart(4, "0")}`, sms: "1" });
  expect(res).toMatchObject({ status: 303, location: "/r/file" });
  return unit;
}

describe("web front door", () => {
  it("refuses a forged, altered or other-server QR link with a clear page", async () => {
    const phone = new Phone();
    const good = await e.link("heping");
    const [estate, building, sig] = good.split("/r/")[1]!.split(".");
    const xingfu = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "xingfu" } });
    for (const bad of [`${xingfu.id}.${building}.${sig}`, `${estate}.${building}.${"A".repeat(16)}`, `${estate}.999.${sig}`, `${estate}.${building}.${sig}x`]) {
      const res = await phone.get(`${e.svc.base}/r/${bad}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain("二维码链接无效");
      expect(res.text).not.toContain("和平小区");
    }
    const ok = await phone.get(good);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("和平小区");
  });

  it("registers once: invite code → verified; a wrong code is refused; no code → pending, whose case waits for approval", async () => {
    const before = await residents();
    const phone = new Phone();
    const link = await e.link("heping", "1号楼");
    const page = await phone.get(link);
    expect(page.text).toContain("1号楼");
    const unit = (await heping()).buildings.find((b) => b.name === "1号楼")!.units[0]!;
    const wrong = await phone.postForm(link, { unitId: String(unit.id), invite: "NOPE" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("邀请码不正确");
    expect(await residents()).toBe(before);
    // Another estate's unit through this estate's link: refused.
    const other = await e.db.prisma.unit.findFirstOrThrow({ where: { building: { estate: { code: "xingfu" } } } });
    expect((await phone.postForm(link, { unitId: String(other.id), invite: "HEPING01" })).text).toContain("请选择您所在的楼栋和单元");

    const res = await phone.postForm(link, { unitId: String(unit.id), invite: "heping01", phone: "138 0013 8000", sms: "1" });
    expect(res).toMatchObject({ status: 303, location: "/r/file" });
    const r = await e.db.prisma.resident.findFirstOrThrow({ where: { channel: "web" }, orderBy: { id: "desc" } });
    expect(r).toMatchObject({ status: "verified", telegramUserId: null, chatId: null, unitId: unit.id, phone: "13800138000", smsConsent: true, language: "zh-Hans" });
    // The consent's time is kept as its record.
    expect(r.smsConsentAt).toBeInstanceOf(Date);
    expect((await phone.get(`${e.svc.base}/r/file`)).text).toContain("我要报修/投诉");
    // The session cookie is httpOnly and SameSite=Lax (checked on a fresh registration's headers).
    const fresh = await fetch(link, { headers: { accept: "text/html" } });
    expect(fresh.headers.getSetCookie().join("\n")).toMatch(/rd_b=[^;]+; Path=\/r; HttpOnly; SameSite=Lax/);

    const waiting = new Phone();
    await waiting.get(link);
    await waiting.postForm(link, { unitId: String(unit.id) });
    expect((await e.db.prisma.resident.findFirstOrThrow({ orderBy: { id: "desc" } })).status).toBe("pending");
    const form = await waiting.get(`${e.svc.base}/r/file`);
    expect(form.text).toContain("您的登记还在等待街道办审核");
    expect(form.text).toContain('name="description"');
    const calls = e.api.calls.length;
    const filed = await waiting.postMultipart(`${e.svc.base}/r/file`, { description: "漏水", category: "water", draft: "pending-draft-1" });
    expect(filed.status).toBe(303);
    const heldPage = await waiting.get(`${e.svc.base}${filed.location}`);
    expect(heldPage.text).toContain("已收到！您的案件编号是");
    expect(heldPage.text).toContain("等待审核");
    expect(heldPage.text).toContain("审核通过后会立即派给物业处理");
    const held = await e.db.prisma.case.findFirstOrThrow({ orderBy: { id: "desc" } });
    // Kept, not routed, no clock: nobody is told until the office approves (test/web/approval.test.ts).
    expect(held).toMatchObject({ state: "awaiting_approval", liaisonId: null, companyId: null, responseDueAt: null, resolutionDueAt: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(e.api.calls.slice(calls).filter((c) => c.method === "sendMessage")).toEqual([]);
  });

  it("refuses a post without the form's CSRF token, and a made-up session cookie", async () => {
    const phone = new Phone();
    await registered(phone);
    const cases = await e.db.prisma.case.count();
    phone.csrf = "forged";
    const res = await phone.postMultipart(`${e.svc.base}/r/file`, { description: "水管漏水", category: "water" });
    expect(res.status).toBe(403);
    expect(res.text).toContain("页面已过期");
    expect(await e.db.prisma.case.count()).toBe(cases);
    const stranger = await fetch(`${e.svc.base}/r/cases`, { headers: { cookie: "rd_s=1.1700000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", accept: "text/html" } });
    expect(stranger.status).toBe(401);
    expect(await stranger.text()).toContain("请先扫描小区的二维码登记");
  });

  it("files with photos: case number on screen, photos stored without GPS, the liaison's card in Telegram", async () => {
    const phone = new Phone();
    await registered(phone);
    const form = await phone.get(`${e.svc.base}/r/file`);
    const draft = /name="draft" value="([^"]+)"/.exec(form.text)![1]!;
    const suggest = await fetch(`${e.svc.base}/r/suggest?text=${encodeURIComponent("电梯困人了，快来")}`, { headers: { cookie: `rd_s=${phone.cookie("rd_s")}` } });
    expect(await suggest.json()).toMatchObject({ category: "lift_entrapment", emergency: true });

    const res = await phone.postMultipart(`${e.svc.base}/r/file`, { description: "3楼卫生间水管漏水，楼下也在滴水", category: "water", kind: "repair", draft }, [
      { name: "a.jpg", type: "image/jpeg", bytes: jpegWithGps() },
      { name: "b.png", type: "image/png", bytes: png(40, 30) },
    ]);
    expect(res.status).toBe(303);
    const page = await phone.get(`${e.svc.base}${res.location}`);
    const number = /id="case-number">([^<]+)</.exec(page.text)![1]!;
    expect(page.text).toContain("已收到！您的案件编号是");
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number }, include: { attachments: true, liaison: true } });
    expect(c).toMatchObject({ channel: "web", category: "water", kind: "repair", state: "routed" });
    expect(c.attachments.map((a) => [a.storeStatus, a.contentType])).toEqual([
      ["stored", "image/jpeg"],
      ["stored", "image/png"],
    ]);
    const stored = fs.readFileSync(`${e.attachmentsDir}/${c.attachments[0]!.storageKey}`);
    expect(stored.includes(Buffer.from("Exif"))).toBe(false);
    // The same form sent twice (a double tap) is one case.
    expect((await phone.postMultipart(`${e.svc.base}/r/file`, { description: "3楼卫生间水管漏水，楼下也在滴水", category: "water", draft })).location).toBe(res.location);
    // The liaison's card, through the outbox, at the fake Telegram.
    const liaisonChat = e.chats.liaisons.get(c.liaisonId!)!;
    await expect.poll(() => e.api.texts(liaisonChat).some((t) => t.includes(number) && t.includes("水管漏水")), { timeout: 10_000 }).toBe(true);
    const mine = await phone.get(`${e.svc.base}/r/cases`);
    expect(mine.text).toContain(number);
    expect(mine.text).toContain("已派单");

    // The case page shows the photos as thumbnails, served to this resident's session only.
    const urls = [...page.text.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toEqual(c.attachments.map((a) => `/r/cases/${number}/photos/${a.id}`));
    const img = await fetch(`${e.svc.base}${urls[1]}`, { headers: { cookie: `rd_s=${phone.cookie("rd_s")}` } });
    expect(img.status).toBe(200);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await img.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
    const neighbour = new Phone();
    await registered(neighbour);
    expect((await neighbour.get(`${e.svc.base}${urls[1]}`)).status).toBe(404);
    expect((await fetch(`${e.svc.base}${urls[1]}`)).status).toBe(401);
    // A photo not in the store yet (a Telegram photo of a linked resident) or lost: said so, not a broken image.
    await e.db.prisma.attachment.create({ data: { caseId: c.id, fileId: "tg-pending", addedBy: "resident", storeStatus: "pending" } });
    await e.db.prisma.attachment.create({ data: { caseId: c.id, fileId: "tg-failed", addedBy: "resident", storeStatus: "failed", fetchError: "too big" } });
    const again = await phone.get(`${e.svc.base}/r/cases/${number}`);
    expect(again.text).toContain("照片 4 张");
    expect(again.text).toContain("照片正在保存…");
    expect(again.text).toContain("照片未能保存");
    expect([...again.text.matchAll(/<img /g)]).toHaveLength(2);
  });

  it("refuses a non-image, an oversized image, too many photos and a huge field: clear words, nothing stored", async () => {
    const phone = new Phone();
    await registered(phone);
    const before = { cases: await e.db.prisma.case.count(), attachments: await attachments(), files: filesOnDisk() };
    const file = (files: { name: string; type: string; bytes: Buffer }[], description = "水管漏水") => phone.postMultipart(`${e.svc.base}/r/file`, { description, category: "water", draft: `d${Math.random().toString(36).slice(2, 12)}` }, files);
    const notImage = await file([
      { name: "ok.png", type: "image/png", bytes: png(20, 20) },
      { name: "virus.exe", type: "image/jpeg", bytes: Buffer.from("MZ\x90\x00 this is not a picture") },
    ]);
    expect(notImage.status).toBe(400);
    expect(notImage.text).toContain("“virus.exe”不是图片");
    expect(notImage.text).toContain("未保存任何内容");
    const big = await file([{ name: "big.png", type: "image/png", bytes: png(700, 700, true) }]); // ~1.4 MB > ATTACHMENT_MAX_MB=1
    expect(big.status).toBe(400);
    expect(big.text).toContain("照片太大(每张最多 1 MB)");
    const many = await file(Array.from({ length: 7 }, (_, i) => ({ name: `${i}.png`, type: "image/png", bytes: png(10, 10) })));
    expect(many.status).toBe(400);
    expect(many.text).toContain("照片太多(最多 6 张)");
    const huge = await file([], "漏".repeat(200_000));
    expect(huge.status).toBe(400);
    expect(huge.text).toMatch(/内容太长\(最多 \d+ 字\)/);
    const nul = await file([], "\0\0\0");
    expect(nul.status).toBe(400);
    expect(nul.text).toContain("请写几句话描述问题");
    expect({ cases: await e.db.prisma.case.count(), attachments: await attachments(), files: filesOnDisk() }).toEqual(before);
  });

  it("shows the case in the resident's language; adds information; revisit answered on the page: not fixed → reopened, fixed → closed", async () => {
    const phone = new Phone();
    await registered(phone);
    await phone.get(`${e.svc.base}/r/file`);
    const filed = await phone.postMultipart(`${e.svc.base}/r/file`, { description: "楼道灯不亮", category: "water", draft: "revisit-draft-1" });
    const number = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number } });
    const url = `${e.svc.base}/r/cases/${number}`;

    await phone.get(url);
    const added = await phone.postMultipart(`${url}/info`, { text: "晚上八点后家里有人" }, [{ name: "c.png", type: "image/png", bytes: png(12, 12) }]);
    expect(added.status).toBe(200);
    expect(added.text).toContain("补充内容已转给物业");
    expect(added.text).toContain("晚上八点后家里有人");
    const liaisonChat = e.chats.liaisons.get(c.liaisonId!)!;
    await expect.poll(() => e.api.texts(liaisonChat).some((t) => t.includes(number) && t.includes("晚上八点后家里有人") && t.includes("×1")), { timeout: 10_000 }).toBe(true);

    const resolve = () => e.svc.s.cases.apply(c.id, "resolve", { type: "liaison", id: c.liaisonId! }, { note: "已更换灯泡" });
    await resolve();
    const en = await phone.get(`${url}?lang=en`);
    expect(en.text).toContain("Is it fixed?");
    expect(en.text).toContain("The company says it is done");
    expect(en.text).toContain("已更换灯泡");
    const reopened = await phone.postForm(`${url}/revisit`, { fixed: "no" });
    expect(reopened.text).toContain("It goes back to the property company.");
    expect(await e.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "reopened", reopenCount: 1 });

    await resolve();
    await phone.get(`${url}?lang=zh-Hant`);
    const closed = await phone.postForm(`${url}/revisit`, { fixed: "yes", score: "5" });
    expect(closed.text).toContain("謝謝！案件已結案。");
    expect(closed.text).toContain("已結案");
    expect(await e.db.prisma.case.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ state: "closed", satisfaction: 5, closeReason: "confirmed" });
    // Answered again (another tab): the page, no error.
    expect((await phone.postForm(`${url}/revisit`, { fixed: "yes", score: "5" })).status).toBe(200);

    // Someone else's case is not there for another resident.
    const other = new Phone();
    await registered(other);
    const res = await other.get(url);
    expect(res.status).toBe(404);
    expect(res.text).toContain("没有找到该案件");
  });
});
