// A message Telegram keeps refusing must not wedge its chat: the whole service (webhook mode) against
// the fake Bot API, with short outbox limits. Poison messages (a proxy's HTML 502 forever, an error
// answer without error_code) are dead-lettered with their full error while the chat's next messages
// go; a permanent 4xx fails at once; a photo Telegram refuses goes as a text with a dashboard link;
// the office sees the dead letters on the dashboard (zh-Hans) and a retry sends one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { FakeBotApi, type ApiCall } from "../helpers/fakeBotApi.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createStaffUser } from "../../core/directory/staff.ts";
import { enqueue, type OutMessage } from "../../core/delivery/outbox.ts";
import { mergeLimits } from "../../core/delivery/delivery-settings.ts";
import { startService, until, type Running } from "./service.ts";

const CHAT = 640_001;
const PASSWORD = "correct-horse-battery";
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

let db: TestDb;
let api: FakeBotApi;
let svc: Running;
let caseId: number;
let photoId: number;

const textOf = (c: ApiCall) => String(c.payload.text ?? c.payload.caption ?? "");
const row = (text: string) => db.prisma.outboxMessage.findFirstOrThrow({ where: { OR: [{ payload: { path: ["text"], equals: text } }, { payload: { path: ["caption"], equals: text } }] } });
const settled = () => db.prisma.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } }).then((n) => n === 0);
const send = async (messages: OutMessage[]) => {
  await enqueue(db.prisma, messages);
  svc.s.sender!.wake();
};

beforeAll(async () => {
  api = new FakeBotApi();
  await api.start();
  db = await testDatabase();
  await seedDemo(db.prisma);
  // Replies may fail 3 times; backoff capped at 50 ms so the limits are reached in well under a second.
  svc = await startService(db, api, {
    env: { PUBLIC_BASE_URL: "http://estate.example.cn" },
    outbox: { limits: () => mergeLimits({ reply: { maxAttempts: 3, maxAgeHours: 24 }, case: { maxAttempts: 4, maxAgeHours: 72 } }), maxBackoffMs: 50 },
  });
  await createStaffUser(db.prisma, { username: "district", password: PASSWORD, role: "district", displayName: "区物业办" });
  await createStaffUser(db.prisma, { username: "dongcheng", password: PASSWORD, role: "street", street: "dongcheng", displayName: "东城街道" });
  const estate = await db.prisma.estate.findFirstOrThrow({ where: { code: "heping" } });
  const c = await db.prisma.case.create({
    data: { number: "TS-2026-000001", kind: "repair", category: "water_leak", description: "楼道漏水", estateId: estate.id, streetId: estate.streetId, state: "received", channel: "telegram" },
  });
  caseId = c.id;
  photoId = (await db.prisma.attachment.create({ data: { caseId, fileId: "AgAC-expired", addedBy: "resident" } })).id;
  // The fake Telegram: an nginx HTML 502 for one text, a JSON error without error_code for another,
  // "message is too long" for a third, and no such file for the photo.
  api.faults.push((call) => {
    const t = textOf(call);
    if (t === "poison html") return { status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" };
    if (t === "poison no code") return { status: 500, body: { ok: false } };
    if (t.startsWith("too long")) return { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: message is too long" } };
    if (call.method === "sendPhoto" && call.payload.photo === "AgAC-expired") return { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: wrong file identifier/HTTP URL specified" } };
    return undefined;
  });
});
afterAll(async () => {
  await svc?.close();
  await db?.drop();
  await api?.stop();
});

describe("delivery can't wedge", () => {
  it("dead-letters poison messages after their limits, with status, description and body, while the chat's next messages are delivered", async () => {
    await send([
      { chatId: CHAT, payload: { text: "poison html" }, dedupeKey: `u:${CHAT}:1:0` },
      { chatId: CHAT, payload: { text: "poison no code" }, dedupeKey: `u:${CHAT}:1:1` },
      { chatId: CHAT, payload: { text: "您的案件已受理" }, dedupeKey: `u:${CHAT}:1:2` },
      { chatId: CHAT, payload: { text: "谢谢" }, dedupeKey: `u:${CHAT}:1:3` },
    ]);
    expect(await until(settled, 20_000)).toBe(true);
    expect(api.texts(CHAT)).toEqual(["您的案件已受理", "谢谢"]);
    const html = await row("poison html");
    expect(html).toMatchObject({ status: "failed", attempts: 3 });
    expect(html.lastError).toBe("sendMessage: HTTP 502 · Bad Gateway\nbody: <html><body><h1>502 Bad Gateway</h1></body></html>");
    const noCode = await row("poison no code");
    expect(noCode).toMatchObject({ status: "failed", attempts: 3 });
    expect(noCode.lastError).toContain("sendMessage: HTTP 500 · Internal Server Error");
    expect(noCode.lastError).toContain('body: {"ok":false}');
    expect(noCode.lastError).not.toContain("undefined");
    const metrics = await svc.s.metrics.registry.metrics();
    expect(metrics).toContain('outbox_dead_letters_total{kind="reply",reason="attempts"} 2');
  }, 60_000);

  it("fails a permanent 4xx at once (one attempt) and moves on", async () => {
    await send([
      { chatId: CHAT, payload: { text: `too long ${"长".repeat(50)}` }, dedupeKey: `u:${CHAT}:2:0` },
      { chatId: CHAT, payload: { text: "下一条" }, dedupeKey: `u:${CHAT}:2:1` },
    ]);
    expect(await until(settled, 20_000)).toBe(true);
    const long = await row(`too long ${"长".repeat(50)}`);
    expect(long).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("sendMessage: HTTP 400 · Bad Request: message is too long") });
    expect(api.texts(CHAT).at(-1)).toBe("下一条");
    expect(await svc.s.metrics.registry.metrics()).toContain('outbox_dead_letters_total{kind="reply",reason="rejected"} 1');
  }, 60_000);

  it("sends a photo Telegram refuses as a text with a signed link to the photo (no staff login)", async () => {
    await send([
      { chatId: CHAT, method: "sendPhoto", payload: { photo: "AgAC-expired", caption: "联络员：已修好" }, caseId, dedupeKey: `case:${caseId}:photo` },
      { chatId: CHAT, payload: { text: "请确认是否修好" }, caseId, dedupeKey: `case:${caseId}:ask` },
    ]);
    expect(await until(settled, 20_000)).toBe(true);
    const texts = api.texts(CHAT);
    expect(texts.at(-2)).toMatch(new RegExp(`^联络员：已修好\n\n照片无法通过 Telegram 发送，请在此查看（链接 30 天内有效）：\nhttp://estate\\.example\\.cn/p/${photoId}\\.[0-9a-z]+\\.[\\w-]{22}$`));
    expect(texts.at(-1)).toBe("请确认是否修好");
    const r = await db.prisma.outboxMessage.findFirstOrThrow({ where: { dedupeKey: `case:${caseId}:photo` } });
    expect(r).toMatchObject({ status: "sent", method: "sendMessage", fallbackFrom: { method: "sendPhoto", error: expect.stringContaining("wrong file identifier") } });
  }, 60_000);

  it("lists the dead letters on the dashboard in zh-Hans for district staff, and a retry sends one", async () => {
    const agent = request.agent(svc.s.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    // Who each was for, from the directory: the resident of CHAT, and 华美's liaison (a refused case card).
    const estate = await db.prisma.estate.findFirstOrThrow({ where: { code: "heping" } });
    await db.prisma.resident.create({ data: { name: "张阿姨", chatId: BigInt(CHAT), telegramUserId: BigInt(CHAT), estateId: estate.id, status: "verified" } });
    const li = await db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { chatId: 7_000_001n } });
    await db.prisma.outboxMessage.create({ data: { chatId: li.chatId!, payload: { text: "新案件" }, status: "failed", kind: "case", caseId, lastError: "sendMessage: HTTP 403 · Forbidden: bot was blocked by the user", deadAt: new Date() } });
    const page = await agent.get("/dashboard/dead-letters?lang=zh-Hans");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<span class="badge">住户<\/span> 张阿姨<small> · 和平小区<\/small>/);
    expect(page.text).toMatch(/<tr id="dl-\d+">(?:(?!<\/tr>)[\s\S])*?<span class="badge">联络人<\/span> 李工 <small>· 华美物业<\/small>(?:(?!<\/tr>)[\s\S])*?TS-2026-000001/);
    expect(page.text).not.toContain(`>${CHAT}<`);
    await db.prisma.outboxMessage.deleteMany({ where: { chatId: li.chatId! } });
    expect(page.text).toContain("<h1>投递失败</h1>");
    expect(page.text).toContain('href="/dashboard/dead-letters"'); // in the nav
    expect(page.text).toContain("共 4 条"); // the three above and the liaison's
    expect(page.text).toContain("机器人回复");
    expect(page.text).toContain("sendMessage: HTTP 502 · Bad Gateway");
    // The body is shown as text, never as markup.
    expect(page.text).toContain("&lt;html>&lt;body>&lt;h1>502 Bad Gateway");
    expect(page.text).not.toContain("<h1>502 Bad Gateway");
    expect(page.text).not.toMatch(/Dead letters|Send again/);

    const poison = await row("poison html");
    api.faults.length = 0; // the cause is fixed
    const before = api.texts(CHAT).length;
    const retried = await agent.post(`/dashboard/dead-letters/${poison.id}/retry`).type("form").send({ _csrf: csrfOf(page.text) });
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe(`/dashboard/dead-letters?retried=${poison.id}`);
    expect(await until(settled, 20_000)).toBe(true);
    expect(api.texts(CHAT).slice(before)).toEqual(["poison html"]);
    const after = await agent.get(`/dashboard/dead-letters?retried=${poison.id}`);
    expect(after.text).toContain("已重新排队");
    expect(after.text).toContain("共 2 条");
  }, 60_000);

  it("keeps the page and the retry from street staff", async () => {
    const agent = request.agent(svc.s.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "dongcheng", password: PASSWORD, _csrf: csrfOf(form.text) });
    const cases = await agent.get("/dashboard/cases");
    expect(cases.text).not.toContain('href="/dashboard/dead-letters"');
    expect((await agent.get("/dashboard/dead-letters")).status).toBe(403);
    const noCode = await row("poison no code");
    expect((await agent.post(`/dashboard/dead-letters/${noCode.id}/retry`).type("form").send({ _csrf: csrfOf(cases.text) })).status).toBe(403);
    expect((await row("poison no code")).status).toBe("failed");
  }, 60_000);
});
