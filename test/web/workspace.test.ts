// Sign-in by phone and the liaison workspace over HTTP: a liaison without Telegram gets the new case by
// SMS with the /w/ link, signs in with the code, accepts, writes to the resident, resolves with a photo;
// the resident's revisit SMS follows. What bad codes, limits and input get, and who may open /w/.
import { describe, expect, it } from "vitest";
import { Phone, png, withFrontDoor } from "./fixture.ts";
import type { Clock } from "../../core/clock.ts";
import { logSmsProvider, smsTransport } from "../../core/delivery/sms/sms-provider.ts";

/** Real time plus a jump forward the tests make (code expiry, lock-outs, per-hour limits). */
class TravelClock implements Clock {
  offset = 0;
  now = () => new Date(Date.now() + this.offset);
  advanceMinutes(n: number) {
    this.offset += n * 60_000;
  }
}
const clock = new TravelClock();
const e = withFrontDoor({}, { clock, log: createLogger("error", false) });
import { createLogger } from "../../core/logger.ts";
const LIAISON_PHONE = "13900000001";

const smsTo = (phone: string) => e.db.prisma.outboxMessage.findMany({ where: { method: "sendSms", payload: { path: ["to"], equals: `+86${phone}` } }, orderBy: { id: "asc" } });
const lastCode = async (phone: string) => {
  const rows = await smsTo(phone);
  const code = (rows.reverse().find((r) => (r.payload as { code?: string }).code)?.payload as { code?: string } | undefined)?.code;
  expect(code).toMatch(/^\d{6}$/);
  return code!;
};

async function webResident(phoneNumber: string) {
  const phone = new Phone();
  const link = await e.link("heping");
  await phone.get(link);
  const unit = await e.db.prisma.unit.findFirstOrThrow({ where: { building: { estate: { code: "heping" } } }, orderBy: { id: "asc" } });
  const res = await phone.postForm(link, { unitId: String(unit.id), name: "王阿姨", invite: "HEPING01", phone: phoneNumber, sms: "1" });
  return { phone, res, link, unit };
}

async function file(phone: Phone, description: string) {
  await phone.get(`${e.svc.base}/r/file`);
  const res = await phone.postMultipart(`${e.svc.base}/r/file`, { description, category: "water", kind: "repair", draft: `d-${Math.random()}` });
  expect(res.status).toBe(303);
  return /\/r\/cases\/([\w-]+)/.exec(res.location!)![1]!;
}

async function signInLiaison(phone: Phone, next = "/w/") {
  await phone.get(`${e.svc.base}/w/login?next=${encodeURIComponent(next)}`);
  const asked = await phone.postForm(`${e.svc.base}/w/login`, { phone: LIAISON_PHONE, next });
  expect(asked.status).toBe(200);
  const done = await phone.postForm(`${e.svc.base}/w/login/code`, { phone: LIAISON_PHONE, code: await lastCode(LIAISON_PHONE), next });
  expect(done).toMatchObject({ status: 303, location: next });
  clock.advanceMinutes(1.1);
}

describe("liaison workspace and sign-in by phone", () => {
  it("a liaison without Telegram: the new case by SMS with the link → sign in with the code → accept → message → resolve with a photo; the resident's revisit SMS follows", async () => {
    // 李工 (华美物业, manages 和平小区) has no Telegram; the directory holds their phone.
    await e.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: null, telegramUserId: null, phone: LIAISON_PHONE } });
    const { phone: resident } = await webResident("13700000001");
    const number = await file(resident, "厨房水管漏水，地上全是水");
    const sms = await smsTo(LIAISON_PHONE);
    expect(sms).toHaveLength(1);
    const text = (sms[0]!.payload as { text: string }).text;
    expect(text).toContain(`新案件 ${number}`);
    expect(text).toContain(`/w/cases/${number}`);

    const liaison = new Phone();
    // The link in another browser: the sign-in page first, then the case.
    const first = await liaison.get(`${e.svc.base}/w/cases/${number}`);
    expect(first.status).toBe(401);
    expect(first.text).toContain("请先用手机号登录联络人工作台");
    await signInLiaison(liaison, `/w/cases/${number}`);
    const page = await liaison.get(`${e.svc.base}/w/cases/${number}`);
    expect(page.text).toContain("厨房水管漏水");
    expect(page.text).toContain("已派单");
    // The resident's identity stays hidden.
    expect(page.text).not.toContain("王阿姨");
    expect(page.text).not.toContain("13700000001");
    expect((await e.db.prisma.liaison.findUniqueOrThrow({ where: { code: "huamei-li" } })).lastSignInAt).toBeInstanceOf(Date);

    const list = await liaison.get(`${e.svc.base}/w/`);
    expect(list.text).toContain(number);

    const accepted = await liaison.postForm(`${e.svc.base}/w/cases/${number}/accept`, {});
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain(`已受理案件 ${number}`);
    expect((await e.db.prisma.case.findUniqueOrThrow({ where: { number } })).state).toBe("accepted");
    // Accepting twice (an old tab): refused, nothing changes.
    expect((await liaison.postForm(`${e.svc.base}/w/cases/${number}/accept`, {})).status).toBe(409);

    await liaison.get(`${e.svc.base}/w/cases/${number}`);
    const msg = await liaison.postForm(`${e.svc.base}/w/cases/${number}/message`, { text: "明天上午九点上门维修" });
    expect(msg.text).toContain("留言已转给住户");
    expect((await resident.get(`${e.svc.base}/r/cases/${number}`)).text).toContain("明天上午九点上门维修");

    await liaison.get(`${e.svc.base}/w/cases/${number}`);
    const resolved = await liaison.postMultipart(`${e.svc.base}/w/cases/${number}/resolve`, { note: "已更换水管接头" }, [{ name: "fixed.png", type: "image/png", bytes: png(40, 30) }]);
    expect(resolved.status).toBe(200);
    expect(resolved.text).toContain(`案件 ${number} 已办结`);
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number }, include: { attachments: true } });
    expect(c.state).toBe("resolved");
    expect(c.attachments.filter((a) => a.addedBy === "liaison" && a.storeStatus === "stored")).toHaveLength(1);
    // The resident hears it by SMS as today: the revisit question is on their case page.
    const toResident = (await smsTo("13700000001")).map((r) => (r.payload as { text: string }).text);
    expect(toResident.some((t) => t.includes(number) && t.includes("请确认是否解决") && t.includes(`/r/cases/${number}`))).toBe(true);
    expect((await resident.get(`${e.svc.base}/r/cases/${number}`)).text).toContain("问题解决了吗？");

    // Not fixed: reopened, and the liaison hears it by SMS with the link.
    expect((await resident.postForm(`${e.svc.base}/r/cases/${number}/revisit`, { fixed: "no" })).status).toBe(200);
    expect((await e.db.prisma.case.findUniqueOrThrow({ where: { number } })).state).toBe("reopened");
    const reopened = (await smsTo(LIAISON_PHONE)).map((r) => (r.payload as { text: string }).text).find((t) => t.includes("已重新打开"));
    expect(reopened).toContain(`/w/cases/${number}`);

    // A deadline close: the reminder goes by SMS too (the clocks' sweep), once.
    const soon = new Date(clock.now().getTime() + 60_000);
    await e.db.prisma.case.update({ where: { number }, data: { responseDueAt: soon } });
    expect(await e.svc.s.sweeps.reminders()).toBe(1);
    expect(await e.svc.s.sweeps.reminders()).toBe(0);
    const reminder = (await smsTo(LIAISON_PHONE)).map((r) => (r.payload as { text: string }).text).find((t) => t.startsWith("提醒"));
    expect(reminder).toContain(`案件 ${number} 即将到期`);
    expect(reminder).toContain(`/w/cases/${number}`);
  });

  it("asks an extension with a reason (the street office's chat gets the request with its buttons) and hands a case back as not ours", async () => {
    clock.advanceMinutes(61);
    const { phone: resident } = await webResident("13700000003");
    const number = await file(resident, "小区门口路灯坏了");
    const liaison = new Phone();
    await signInLiaison(liaison, `/w/cases/${number}`);
    await liaison.get(`${e.svc.base}/w/cases/${number}`);
    await liaison.postForm(`${e.svc.base}/w/cases/${number}/accept`, {});
    expect((await liaison.postForm(`${e.svc.base}/w/cases/${number}/extend`, { reason: "", days: "2" })).status).toBe(400);
    const asked = await liaison.postForm(`${e.svc.base}/w/cases/${number}/extend`, { reason: "需要订购灯具配件", days: "2" });
    expect(asked.text).toContain("延期申请已提交街道办");
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number } });
    const ext = await e.db.prisma.extensionRequest.findFirstOrThrow({ where: { caseId: c.id } });
    expect(ext).toMatchObject({ status: "pending", reason: "需要订购灯具配件" });
    expect(ext.requestedDueAt.getTime()).toBeGreaterThan(c.resolutionDueAt!.getTime());
    const office = await e.db.prisma.office.findUniqueOrThrow({ where: { streetId: c.streetId } });
    const toOffice = await e.db.prisma.outboxMessage.findMany({ where: { chatId: office.chatId!, caseId: c.id } });
    expect(toOffice.some((m) => JSON.stringify(m.payload).includes("需要订购灯具配件") && JSON.stringify(m.payload).includes("inline_keyboard"))).toBe(true);
    // A second request while one waits: refused.
    expect((await liaison.postForm(`${e.svc.base}/w/cases/${number}/extend`, { reason: "再延", days: "1" })).status).toBe(409);

    const back = await liaison.postForm(`${e.svc.base}/w/cases/${number}/transfer`, { reason: "路灯归市政管理" });
    expect(back).toMatchObject({ status: 303 });
    const after = await e.db.prisma.case.findUniqueOrThrow({ where: { number } });
    expect(after.companyId).toBeNull();
    expect((await liaison.get(`${e.svc.base}/w/`)).text).not.toContain(number);
    expect((await liaison.get(`${e.svc.base}/w/cases/${number}`)).status).toBe(404);
  });

  it("/w/ refuses anonymous visitors and residents; a liaison sees only their company's cases", async () => {
    const anonymous = new Phone();
    for (const path of ["/w/", "/w/cases/2026-000001"]) {
      const res = await anonymous.get(`${e.svc.base}${path}`);
      expect(res.status).toBe(401);
      expect(res.text).toContain("请先用手机号登录联络人工作台");
    }
    expect((await anonymous.postForm(`${e.svc.base}/w/cases/2026-000001/accept`, {})).status).toBe(401);
    // A signed-in resident's cookie (sent here too by this test browser) means nothing at /w/.
    const { phone: resident } = await webResident("13700000002");
    expect((await resident.get(`${e.svc.base}/r/file`)).status).toBe(200);
    expect((await resident.get(`${e.svc.base}/w/`)).status).toBe(401);

    // 幸福花园 belongs to 安居物业: its case is not found for 华美物业's liaison.
    const other = await e.db.prisma.case.create({
      data: { number: "2026-900001", kind: "repair", category: "water", description: "别家的案件", state: "routed", estateId: (await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "xingfu" } })).id, streetId: (await e.db.prisma.street.findFirstOrThrow()).id, companyId: (await e.db.prisma.company.findUniqueOrThrow({ where: { code: "anju" } })).id },
    });
    const liaison = new Phone();
    await signInLiaison(liaison);
    const res = await liaison.get(`${e.svc.base}/w/cases/${other.number}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("别家的案件");
    expect((await liaison.get(`${e.svc.base}/w/`)).text).not.toContain(other.number);
    expect((await liaison.postForm(`${e.svc.base}/w/cases/${other.number}/accept`, {})).status).toBe(404);
    expect((await e.db.prisma.case.findUniqueOrThrow({ where: { id: other.id } })).state).toBe("routed");
  });

  it("bad codes: 5 wrong lock the number for 15 minutes (told in words, the right code refused meanwhile); expired, reused and another number's codes are refused", async () => {
    clock.advanceMinutes(61);
    const p = new Phone();
    const number = "13900000001";
    await p.get(`${e.svc.base}/w/login`);
    await p.postForm(`${e.svc.base}/w/login`, { phone: number });
    const right = await lastCode(number);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let i = 1; i <= 4; i++) {
      const res = await p.postForm(`${e.svc.base}/w/login/code`, { phone: number, code: wrong });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`还可以再试 ${5 - i} 次`);
    }
    const locked = await p.postForm(`${e.svc.base}/w/login/code`, { phone: number, code: wrong });
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/请15分钟后再试\(\d{2}:\d{2} 以后\)/);
    const refused = await p.postForm(`${e.svc.base}/w/login/code`, { phone: number, code: right });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain("请15分钟后再试");
    expect(refused.location).toBeNull();
    // Asking a new code is refused during the lock too.
    expect((await p.postForm(`${e.svc.base}/w/login`, { phone: number })).text).toContain("请15分钟后再试");

    clock.advanceMinutes(16);
    await p.postForm(`${e.svc.base}/w/login`, { phone: number });
    const fresh = await lastCode(number);
    clock.advanceMinutes(6);
    const expired = await p.postForm(`${e.svc.base}/w/login/code`, { phone: number, code: fresh });
    expect(expired.status).toBe(400);
    expect(expired.text).toContain("验证码已过期");

    await p.postForm(`${e.svc.base}/w/login`, { phone: number });
    const once = await lastCode(number);
    // Another number's code: wrong for this one.
    expect((await p.postForm(`${e.svc.base}/w/login/code`, { phone: "13900000009", code: once })).text).toContain("验证码不正确");
    expect((await p.postForm(`${e.svc.base}/w/login/code`, { phone: number, code: once })).status).toBe(303);
    const again = new Phone();
    await again.get(`${e.svc.base}/w/login`);
    const reused = await again.postForm(`${e.svc.base}/w/login/code`, { phone: number, code: once });
    expect(reused.status).toBe(400);
    expect(reused.text).toContain("验证码已使用过");
    // Stored hashed: no row holds the code itself.
    expect(await e.db.prisma.phoneCode.count({ where: { codeHash: once } })).toBe(0);
  });

  it("limits: a second code within a minute is refused with the wait; a number not in the directory reads the same and gets no SMS; malformed, huge and NUL input get a clear 400", async () => {
    clock.advanceMinutes(61);
    const p = new Phone();
    await p.get(`${e.svc.base}/w/login`);
    const known = await p.postForm(`${e.svc.base}/w/login`, { phone: LIAISON_PHONE });
    const soon = await p.postForm(`${e.svc.base}/w/login`, { phone: LIAISON_PHONE });
    expect(soon.status).toBe(429);
    expect(soon.text).toMatch(/验证码每分钟只能获取一次，请 \d+ 秒后再试/);

    const stranger = "13900000077";
    const before = await e.db.prisma.outboxMessage.count({ where: { method: "sendSms" } });
    const unknown = await p.postForm(`${e.svc.base}/w/login`, { phone: stranger });
    expect(unknown.status).toBe(known.status);
    const words = (html: string) => /<p class="notice" id="notice">([^<]*)<\/p>/.exec(html)?.[1]?.replace(/\d{3}\*{4}\d{4}/, "#");
    expect(words(unknown.text)).toBe(words(known.text));
    expect(words(unknown.text)).toContain("没有收到？请联系街道办核对名录中的号码");
    expect(await e.db.prisma.outboxMessage.count({ where: { method: "sendSms" } })).toBe(before);
    expect(await smsTo(stranger)).toHaveLength(0);
    // A guessed code for that number signs nobody in.
    expect((await p.postForm(`${e.svc.base}/w/login/code`, { phone: stranger, code: "123456" })).status).toBe(400);

    for (const bad of ["12345", "23900000001", "1390000000a", "139000000011", "", "1".repeat(5000), "139\u00000000001"]) {
      const res = await p.postForm(`${e.svc.base}/w/login`, { phone: bad });
      expect([400, 413]).toContain(res.status);
      if (res.status === 400) expect(res.text).toContain("请输入 11 位手机号");
    }
    const huge = await p.postForm(`${e.svc.base}/r/login`, { phone: "1".repeat(20_000) });
    expect(huge.status).toBeLessThan(500);
    expect(huge.status).toBeGreaterThanOrEqual(400);
    const nul = await p.postForm(`${e.svc.base}/w/login/code`, { phone: LIAISON_PHONE, code: "12\u00003456" });
    expect(nul.status).toBe(400);
  });

  it("limits per number (5 an hour, 10 a day) and per address (20 an hour) are told with the time to come back; a number nobody holds counts the same", async () => {
    clock.advanceMinutes(61);
    const p = new Phone();
    await p.get(`${e.svc.base}/w/login`);
    const ask = (phone: string) => p.postForm(`${e.svc.base}/w/login`, { phone });
    const nobody = "13900000555";
    for (let i = 0; i < 5; i++) {
      expect((await ask(nobody)).status).toBe(200);
      clock.advanceMinutes(1.1);
    }
    const hour = await ask(nobody);
    expect(hour.status).toBe(429);
    expect(hour.text).toMatch(/该号码 1 小时内获取验证码已达 5 次，请 \d{2}:\d{2} 以后再试/);
    clock.advanceMinutes(61);
    for (let i = 0; i < 5; i++) {
      expect((await ask(nobody)).status).toBe(200);
      clock.advanceMinutes(1.1);
    }
    clock.advanceMinutes(61);
    const day = await ask(nobody);
    expect(day.status).toBe(429);
    expect(day.text).toMatch(/该号码今天获取验证码已达 10 次，请 \d{2}:\d{2} 以后再试/);

    clock.advanceMinutes(61);
    for (let i = 0; i < 20; i++) expect((await ask(`1390000${String(1000 + i)}`)).status).toBe(200);
    const address = await ask("13900002000");
    expect(address.status).toBe(429);
    expect(address.text).toMatch(/本网络获取验证码太频繁，请 \d{2}:\d{2} 以后再试/);
  });

  it("the log transport prints a code's SMS with the code and number masked (SMS_LOG_CODES=1 shows the code)", async () => {
    const row = (await smsTo(LIAISON_PHONE)).reverse().find((r) => (r.payload as { code?: string }).code)!;
    const code = (row.payload as { code: string }).code;
    expect((row.payload as { text: string }).text).toContain(code);
    const lines: string[] = [];
    const sink = { write: (l: string) => void lines.push(l) };
    await smsTransport(logSmsProvider(createLogger("info", false, sink))).deliver(row.chatId, "sendSms", row.payload as Record<string, unknown>);
    expect(lines.join("")).not.toContain(code);
    expect(lines.join("")).toContain("******");
    expect(lines.join("")).not.toContain(LIAISON_PHONE);
    await smsTransport(logSmsProvider(createLogger("info", false, sink), { showCodes: true })).deliver(row.chatId, "sendSms", row.payload as Record<string, unknown>);
    expect(lines[lines.length - 1]).toContain(code);
  });

  it("residents: the SMS link in another browser → sign in by code → the case; registering again with the same phone joins the same resident; adding a new number takes a code", async () => {
    clock.advanceMinutes(61);
    const { phone: wechat } = await webResident("13700000009");
    const number = await file(wechat, "楼道灯不亮");
    const other = new Phone();
    const refused = await other.get(`${e.svc.base}/r/cases/${number}`);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain("请先扫描小区的二维码登记");
    await other.postForm(`${e.svc.base}/r/login`, { phone: "13700000009", next: `/r/cases/${number}` });
    const signed = await other.postForm(`${e.svc.base}/r/login/code`, { phone: "13700000009", code: await lastCode("13700000009"), next: `/r/cases/${number}` });
    expect(signed).toMatchObject({ status: 303, location: `/r/cases/${number}` });
    expect((await other.get(`${e.svc.base}/r/cases/${number}`)).text).toContain("楼道灯不亮");
    // An address outside the site is not followed.
    clock.advanceMinutes(1.1);
    await other.postForm(`${e.svc.base}/r/login`, { phone: "13700000009", next: "//evil.example/x" });
    expect((await other.postForm(`${e.svc.base}/r/login/code`, { phone: "13700000009", code: await lastCode("13700000009"), next: "//evil.example/x" })).location).toBe("/r/cases");

    clock.advanceMinutes(1.1);
    const count = await e.db.prisma.resident.count({ where: { phone: "13700000009" } });
    const again = await webResident("13700000009");
    expect(again.res.status).toBe(200);
    expect(again.res.text).toContain("该手机号已登记过");
    const joined = await again.phone.postForm(`${e.svc.base}/r/login/code`, { phone: "13700000009", code: await lastCode("13700000009"), next: "/r/file" });
    expect(joined.location).toBe("/r/file");
    expect(await e.db.prisma.resident.count({ where: { phone: "13700000009" } })).toBe(count);
    expect((await again.phone.get(`${e.svc.base}/r/cases`)).text).toContain(number);

    // A new number, proven by its code.
    await again.phone.get(`${e.svc.base}/r/phone`);
    await again.phone.postForm(`${e.svc.base}/r/phone`, { phone: "13700000010", sms: "1" });
    const saved = await again.phone.postForm(`${e.svc.base}/r/phone/code`, { phone: "13700000010", code: await lastCode("13700000010"), sms: "1" });
    expect(saved.text).toContain("手机号已更新为 137****0010");
    expect(await e.db.prisma.resident.count({ where: { phone: "13700000010" } })).toBe(1);
  });
});
