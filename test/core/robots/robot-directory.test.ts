// An office's robots in the directory: set through the API and the office's page (https on the
// provider's host, else a clear 400), secrets never returned, a test message queued and delivered to
// the local fake, and a refusal (93000) shown with the provider's whole answer on the delivery status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../../helpers/office.ts";
import { FakeRobots } from "../../helpers/fakeRobots.ts";
import { RobotSender } from "../../../core/delivery/robots/robot-sender.ts";

const WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-good";
const DING = "https://oapi.dingtalk.com/robot/send?access_token=dt-good";
const SECRET = "SEC0123456789abcdef0123456789abcdef";
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

let f: OfficeFixture;
let fake: FakeRobots;
const as = (token: string) => (r: request.Test) => r.set("Authorization", `Bearer ${token}`);
beforeAll(async () => {
  f = await officeApp();
  fake = await new FakeRobots(f.clock).start();
  fake.wecomKeys.add("693a91f6-good");
  fake.dingtalk.set("dt-good", SECRET);
}, 240_000);
afterAll(async () => {
  await fake?.stop();
  await f?.db.drop();
});

describe("office robots in the directory", () => {
  it("API: refuses a robot URL that is not https or not the provider's host with a clear 400", async () => {
    const d = as(f.tokens.district);
    for (const body of [{ wecomWebhook: "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }, { wecomWebhook: "https://hooks.example.com/cgi-bin/webhook/send?key=k" }, { dingtalkWebhook: "https://oapi.dingtalk.com.example.cn/robot/send?access_token=t" }, { dingtalkSecret: "nope" }]) {
      const r = await d(request(f.app).put("/api/v1/directory/offices/dongcheng/robots")).send(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/qyapi\.weixin\.qq\.com|oapi\.dingtalk\.com|SEC/);
    }
    const en = await d(request(f.app).put("/api/v1/directory/offices/dongcheng/robots")).set("Accept-Language", "en").send({ wecomWebhook: "http://x.cn/" });
    expect(JSON.stringify(en.body)).toContain("must be an https WeCom group robot URL");
  });

  it("API: saves both robots, answers with the keys masked and never the secret; a street office only its own", async () => {
    const d = as(f.tokens.district);
    const r = await d(request(f.app).put("/api/v1/directory/offices/dongcheng/robots")).send({ wecomWebhook: WECOM, dingtalkWebhook: DING, dingtalkSecret: SECRET });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(SECRET);
    expect(JSON.stringify(r.body)).not.toContain("693a91f6-good");
    expect(r.body.robots).toMatchObject([
      { provider: "wecom", webhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…good", signed: false },
      { provider: "dingtalk", webhook: "https://oapi.dingtalk.com/robot/send?access_token=…good", signed: true },
    ]);
    const audit = await f.db.prisma.directoryAudit.findFirstOrThrow({ where: { entity: "office", key: "dongcheng", action: "robots" } });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect((await as(f.tokens.dongcheng)(request(f.app).put("/api/v1/directory/offices/xiyuan/robots")).send({ wecomWebhook: WECOM })).status).toBe(403);
  });

  it("the test message reaches both fakes; the office's page shows it delivered", async () => {
    const d = as(f.tokens.district);
    expect((await d(request(f.app).post("/api/v1/directory/offices/dongcheng/robots/test")).send({ provider: "wecom" })).status).toBe(200);
    expect((await d(request(f.app).post("/api/v1/directory/offices/dongcheng/robots/test")).send({ provider: "dingtalk" })).status).toBe(200);
    await new RobotSender({ db: f.db.prisma, fetch: fake.fetch, clock: f.clock, baseUrl: "http://localhost:3000" }).drainOnce();
    expect(fake.received.map((r) => r.provider).sort()).toEqual(["dingtalk", "wecom"]);
    expect(fake.received[0]!.content).toContain("测试消息");
    const s = await d(request(f.app).get("/api/v1/directory/offices/dongcheng/robots"));
    expect(s.body.robots.map((x: { last: { status: string } }) => x.last.status)).toEqual(["sent", "sent"]);
  });

  it("a refused key (93000) is a dead letter whose whole answer shows on the office's delivery status, API and page", async () => {
    fake.wecomKeys.delete("693a91f6-good");
    const d = as(f.tokens.district);
    f.clock.advance(1000);
    await d(request(f.app).post("/api/v1/directory/offices/dongcheng/robots/test")).send({ provider: "wecom" });
    await new RobotSender({ db: f.db.prisma, fetch: fake.fetch, clock: f.clock, baseUrl: "http://localhost:3000" }).drainOnce();
    const s = await d(request(f.app).get("/api/v1/directory/offices/dongcheng/robots"));
    expect(s.body.robots[0]).toMatchObject({ provider: "wecom", failed: 1, last: { status: "failed" } });
    expect(s.body.robots[0].last.error).toContain('{"errcode":93000,"errmsg":"invalid webhook url, hint: [fake]"}');

    const agent = request.agent(f.app);
    const login = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(login.text) });
    const page = await agent.get("/dashboard/directory/offices/dongcheng");
    expect(page.text).toContain("企业微信 / 钉钉群机器人");
    expect(page.text).toContain("invalid webhook url");
    expect(page.text).toContain("1 条被拒");
    expect(page.text).not.toContain(SECRET);
    const bad = await agent.post("/dashboard/directory/offices/dongcheng/robots").type("form").send({ _csrf: csrfOf(page.text), dingtalkWebhook: "http://oapi.dingtalk.com/robot/send?access_token=x" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("须为 https 的钉钉自定义机器人地址");
    const tested = await agent.post("/dashboard/directory/offices/dongcheng/robots/dingtalk/test").type("form").send({ _csrf: csrfOf(page.text) });
    expect(tested.status).toBe(303);
    expect(await f.db.prisma.outboxMessage.count({ where: { method: "sendDingtalk", status: "pending" } })).toBe(1);
  });
});
