// SMS to web residents: the Tencent Cloud SMS adapter against a local fake of its API (signature
// checked, the provider's success and error bodies), and progress notices through the one outbox —
// in the resident's language with the case page link, only with consent and no Telegram chat; a
// refused number becomes a dead letter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTencentSms } from "../helpers/fakeTencentSms.ts";
import { Phone, withFrontDoor } from "./fixture.ts";
import { tencentSms } from "../../core/delivery/sms/tencent-sms.ts";
import { DeliveryError } from "../../core/delivery/outbox.ts";
import { mergeLimits } from "../../core/delivery/delivery-settings.ts";
import { smsChatId } from "../../core/delivery/sms/sms-provider.ts";

const fake = new FakeTencentSms();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const templates = { "zh-Hans": "1001", "zh-Hant": "1002", en: "1003" };
const e = withFrontDoor(
  () => ({
    SMS_PROVIDER: "tencent",
    TENCENT_SMS_SECRET_ID: fake.secretId,
    TENCENT_SMS_SECRET_KEY: fake.secretKey,
    TENCENT_SMS_SDK_APP_ID: "1400006666",
    TENCENT_SMS_SIGN_NAME: "和平物业",
    TENCENT_SMS_TEMPLATE_ID: templates["zh-Hans"],
    TENCENT_SMS_TEMPLATE_ID_ZH_HANT: templates["zh-Hant"],
    TENCENT_SMS_TEMPLATE_ID_EN: templates.en,
    TENCENT_SMS_ENDPOINT: fake.endpoint,
    PUBLIC_BASE_URL: "https://wuye.example.cn",
  }),
  // Two tries, then a dead letter, so the test sees one quickly.
  { outbox: { limits: () => mergeLimits({ sms: { maxAttempts: 2 } }), maxBackoffMs: 200 } },
);

const adapter = (over: Partial<Parameters<typeof tencentSms>[0]> = {}) =>
  tencentSms({ secretId: fake.secretId, secretKey: fake.secretKey, sdkAppId: "1400006666", signName: "和平物业", templates, endpoint: fake.endpoint, ...over });
const message = (to = "+8613800138000") => ({ to, text: "您的案件2026-000001已由物业受理。", params: ["2026-000001", "已由物业受理", "https://x/r/cases/2026-000001"], locale: "zh-Hant" });
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (x: unknown) => x);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
};

describe("Tencent Cloud SMS adapter, against a local fake of its API", () => {
  it("sends a signed SendSms request the fake accepts: number, app, sign, the language's template, its parameters", async () => {
    fake.outcome = () => "Ok";
    await adapter().send(message());
    const last = fake.received.at(-1)!;
    expect(last.body).toEqual({ PhoneNumberSet: ["+8613800138000"], SmsSdkAppId: "1400006666", SignName: "和平物业", TemplateId: "1002", TemplateParamSet: ["2026-000001", "已由物业受理", "https://x/r/cases/2026-000001"] });
    expect(last.headers["x-tc-region"]).toBe("ap-guangzhou");
  });

  it("a wrong key is refused by the provider (AuthFailure.SignatureFailure): a dead letter, with the provider's body", async () => {
    const n = fake.received.length;
    const err = await failure(adapter({ secretKey: "not-the-key" }).send(message()));
    expect(err.kind).toBe("rejected");
    expect(err.record()).toContain("AuthFailure.SignatureFailure");
    expect(fake.received.length).toBe(n);
  });

  it("tells a number refused for good from limits and outages worth retrying", async () => {
    fake.outcome = (to) => (to.endsWith("0000") ? "InvalidParameterValue.IncorrectPhoneNumber" : to.endsWith("1111") ? "LimitExceeded.PhoneNumberDailyLimit" : to.endsWith("2222") ? 502 : "Ok");
    expect((await failure(adapter().send(message("+8613900000000")))).kind).toBe("rejected");
    expect((await failure(adapter().send(message("+8613900001111")))).kind).toBe("transient");
    expect((await failure(adapter().send(message("+8613900002222")))).kind).toBe("transient");
    expect((await failure(adapter({ endpoint: "http://127.0.0.1:9" }).send(message()))).kind).toBe("transient");
    fake.outcome = () => "Ok";
  });
});

describe("progress by SMS through the outbox", () => {
  async function webResident(o: { phone: string; consent: boolean; lang?: string }) {
    const phone = new Phone();
    const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true } } } });
    const link = await e.link("heping");
    await phone.get(o.lang ? `${link}?lang=${o.lang}` : link);
    await phone.postForm(link, { unitId: String(estate.buildings[0]!.units[0]!.id), invite: "HEPING01", phone: o.phone, ...(o.consent ? { sms: "1" } : {}) });
    await phone.get(`${e.svc.base}/r/file`);
    const filed = await phone.postMultipart(`${e.svc.base}/r/file`, { description: "楼道漏水", category: "water", draft: `sms-${o.phone}` });
    const number = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number } });
    return { phone, c, resident: (await e.db.prisma.resident.findUniqueOrThrow({ where: { id: c.residentId! } })) };
  }
  const liaison = (c: { liaisonId: number | null }) => ({ type: "liaison" as const, id: c.liaisonId! });

  it("accepted and resolved reach the provider in the resident's language, short, with the case page link", async () => {
    fake.outcome = () => "Ok";
    const { c } = await webResident({ phone: "13800138001", consent: true, lang: "zh-Hant" });
    await e.svc.s.cases.apply(c.id, "accept", liaison(c));
    const link = `https://wuye.example.cn/r/cases/${c.number}`;
    await expect.poll(() => fake.sent().filter((m) => m.to === "+8613800138001"), { timeout: 10_000 }).toEqual([{ to: "+8613800138001", template: "1002", params: [c.number, "已由物業受理", link] }]);
    await e.svc.s.cases.apply(c.id, "resolve", liaison(c), { note: "已修好" });
    await expect.poll(() => fake.sent().filter((m) => m.to === "+8613800138001").length, { timeout: 10_000 }).toBe(2);
    const resolved = fake.sent().filter((m) => m.to === "+8613800138001")[1]!;
    expect(resolved.params).toEqual([c.number, "物業報告已處理，請確認是否解決", link]);
    const rows = await e.db.prisma.outboxMessage.findMany({ where: { chatId: smsChatId(c.residentId!) }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.method, r.kind, r.status])).toEqual([
      ["sendSms", "sms", "sent"],
      ["sendSms", "sms", "sent"],
    ]);
    expect((rows[1]!.payload as { text: string }).text).toBe(`您的案件${c.number}物業報告已處理，請確認是否解決。詳情：${link}`);
    expect((rows[1]!.payload as { text: string }).text.length).toBeLessThan(90);
  });

  it("an unanswered revisit is reminded once by SMS (the bot's reminder has buttons the web resident cannot press)", async () => {
    fake.outcome = () => "Ok";
    const { c } = await webResident({ phone: "13800138009", consent: true });
    await e.svc.s.cases.apply(c.id, "accept", liaison(c));
    await e.svc.s.cases.apply(c.id, "resolve", liaison(c), { note: "已修好" });
    await e.svc.s.cases.apply(c.id, "startRevisit", { type: "system" });
    // Asked 25 hours ago: the reminder is due.
    await e.db.prisma.case.update({ where: { id: c.id }, data: { revisitAskedAt: new Date(Date.now() - 25 * 3_600_000) } });
    const sms = () => fake.sent().filter((m) => m.to === "+8613800138009");
    await expect.poll(() => sms().length, { timeout: 10_000 }).toBe(2); // accepted, resolved
    expect((await e.svc.s.sweeps.revisits()).revisitReminders).toBe(1);
    await expect.poll(() => sms().length, { timeout: 10_000 }).toBe(3);
    expect(sms()[2]!.params).toEqual([c.number, "还在等您确认是否已修好", `https://wuye.example.cn/r/cases/${c.number}`]);
    // Once: the next sweep has nothing more to say.
    expect((await e.svc.s.sweeps.revisits()).revisitReminders).toBe(0);
    expect(await e.db.prisma.outboxMessage.count({ where: { chatId: smsChatId(c.residentId!) } })).toBe(3);
  });

  it("no consent, or a Telegram chat (the bot tells them instead): no SMS", async () => {
    const none = await webResident({ phone: "13800138002", consent: false });
    const linked = await webResident({ phone: "13800138003", consent: true });
    await e.db.prisma.resident.update({ where: { id: linked.resident.id }, data: { chatId: 880003n, telegramUserId: 880003n } });
    for (const x of [none, linked]) await e.svc.s.cases.apply(x.c.id, "accept", liaison(x.c));
    await expect.poll(() => e.api.texts(880003n).some((t) => t.includes(linked.c.number)), { timeout: 10_000 }).toBe(true);
    expect(await e.db.prisma.outboxMessage.count({ where: { method: "sendSms", chatId: { in: [smsChatId(none.resident.id), smsChatId(linked.resident.id)] } } })).toBe(0);
  });

  it("a number the provider refuses, or one past its attempts, becomes a dead letter with the provider's answer", async () => {
    fake.outcome = (to) => (to === "+8613800138004" ? "InvalidParameterValue.IncorrectPhoneNumber" : to === "+8613800138005" ? "LimitExceeded.PhoneNumberDailyLimit" : "Ok");
    const bad = await webResident({ phone: "13800138004", consent: true });
    const limited = await webResident({ phone: "13800138005", consent: true });
    for (const x of [bad, limited]) await e.svc.s.cases.apply(x.c.id, "accept", liaison(x.c));
    const dead = (id: number) => e.db.prisma.outboxMessage.findFirst({ where: { chatId: smsChatId(id), status: "failed" } });
    await expect.poll(() => dead(bad.resident.id), { timeout: 10_000 }).toMatchObject({ kind: "sms", attempts: 1, lastError: expect.stringContaining("IncorrectPhoneNumber") });
    await expect.poll(() => dead(limited.resident.id), { timeout: 15_000 }).toMatchObject({ kind: "sms", attempts: 2, lastError: expect.stringContaining("PhoneNumberDailyLimit") });
    fake.outcome = () => "Ok";
  });
});
