// Offices' group robots end to end on local fakes (test/helpers/fakeRobots.ts): an escalation reaches
// WeCom and DingTalk as markdown naming the case; a burst is paced under 20 a minute and folded with
// nothing dropped; refusals become dead letters with the provider's whole answer, "too fast" waits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../core/clock.ts";
import { enqueue } from "../../../core/delivery/outbox.ts";
import { RobotSender } from "../../../core/delivery/robots/robot-sender.ts";
import { robotBulletin, robotDigest, robotEscalations, robotWarning } from "../../../core/delivery/robots/robot-messages.ts";
import { listDeadLetters } from "../../../core/delivery/dead-letters.ts";
import type { CaseBrief } from "../../../core/clocks/clock-notices.ts";
import { FakeRobots } from "../../helpers/fakeRobots.ts";
import { testDatabase, type TestDb } from "../../helpers/db.ts";

const SECRET = "SEC0123456789abcdef0123456789abcdef";
const brief = (i: number): CaseBrief => ({ id: i, number: `C2026-${String(i).padStart(4, "0")}`, kind: "complaint", category: "电梯故障", urgency: i === 1 ? "emergency" : "normal", estate: "阳光花园", company: "安居物业", liaison: "李四", dueAt: null, which: "response", minutes: 90 });

describe("group robots", () => {
  let db: TestDb;
  let clock: ManualClock;
  let fake: FakeRobots;
  let officeId: number;
  const sender = (o: Partial<ConstructorParameters<typeof RobotSender>[0]> = {}) => new RobotSender({ db: db.prisma, fetch: fake.fetch, clock, baseUrl: "https://ts.example.cn", ...o });

  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => {
    await fake?.stop();
    await db.drop();
  });
  beforeEach(async () => {
    await fake?.stop();
    await db.prisma.outboxMessage.deleteMany();
    clock = new ManualClock(new Date("2026-05-06T10:00:00Z"));
    fake = await new FakeRobots(clock).start();
    fake.wecomKeys.add("wk1");
    fake.dingtalk.set("dt1", SECRET);
    const o = await db.prisma.office.create({
      data: { level: "street", name: "东湖街道办", language: "zh-Hans", wecomWebhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wk1", dingtalkWebhook: "https://oapi.dingtalk.com/robot/send?access_token=dt1", dingtalkSecret: SECRET },
    });
    officeId = o.id;
  });

  it("delivers an escalation to WeCom and DingTalk as markdown with the case number, estate, category and a dashboard link", async () => {
    await enqueue(db.prisma, robotEscalations({ id: officeId, language: "zh-Hans" }, ["wecom", "dingtalk"], 1, [brief(7)], "esc:1:1:office:1"));
    expect(await sender().drainOnce()).toBe(2);
    const wecom = fake.received.find((r) => r.provider === "wecom")!;
    const ding = fake.received.find((r) => r.provider === "dingtalk")!;
    for (const m of [wecom, ding]) {
      expect(m.content).toContain("C2026-0007");
      expect(m.content).toContain("阳光花园");
      expect(m.content).toContain("电梯故障");
      expect(m.content).toContain("https://ts.example.cn/dashboard/cases/7");
    }
    expect(ding.title).toContain("一级升级");
    expect((await db.prisma.outboxMessage.findMany()).every((r) => r.status === "sent")).toBe(true);
  });

  it("writes in the office's language", async () => {
    await enqueue(db.prisma, robotEscalations({ id: officeId, language: "en" }, ["wecom"], 2, [brief(3), brief(4)], "esc:2:1:office:1"));
    await sender().drainOnce();
    expect(fake.received[0]!.content).toContain("2 new escalations");
    expect(fake.received[0]!.content).toContain("Open](https://ts.example.cn/dashboard/cases/3)");
  });

  it("the digest, an early warning and the monthly bulletin's PDF link reach the robots in the office's language", async () => {
    const o = { id: officeId, name: "East Lake Office", language: "en" };
    const digest = { office: { id: officeId, level: "street" as const, name: o.name, chatId: null, email: null }, since: clock.now(), until: clock.now(), newEscalations: [{ number: "C2026-0042", level: 1, estate: "Sunny Garden", company: null }], newEscalationCount: 1, stillOverdue: 3, perCompany: [], undeliverable: 0, awaitingApproval: { residents: 0, cases: 0 }, dashboardUrl: "https://ts.example.cn/dashboard" };
    await enqueue(db.prisma, [
      robotDigest(o, "wecom", digest, "digest:1:d:wecom"),
      robotWarning(o, "dingtalk", { estate: "Sunny Garden", street: "East Lake", recent: 9, baseline: 1.5 }, "{base}/dashboard", "warn:1:d:dingtalk"),
      robotBulletin(o, "dingtalk", "Bulletin 2026-11", "https://ts.example.cn/dashboard/bulletins/5/pdf", "https://ts.example.cn/dashboard/bulletins/5", "bulletin:5:1:dingtalk"),
    ]);
    await sender().drainOnce();
    const wecom = fake.received.filter((r) => r.provider === "wecom").map((r) => r.content).join("\n");
    const ding = fake.received.filter((r) => r.provider === "dingtalk").map((r) => r.content).join("\n");
    expect(wecom).toContain("Daily digest · East Lake Office");
    expect(wecom).toContain("Still overdue: 3");
    expect(wecom).toContain("C2026-0042");
    expect(ding).toContain("Early warning: Sunny Garden");
    expect(ding).toContain("https://ts.example.cn/dashboard");
    expect(ding).toContain("Bulletin 2026-11");
    expect(ding).toContain("https://ts.example.cn/dashboard/bulletins/5/pdf");
  });

  it("a burst of 200 escalations, one a second, reaches each robot in ≤ 20 messages a minute naming all 200, none dropped", async () => {
    const s = sender();
    for (let i = 1; i <= 200; i++) {
      await enqueue(db.prisma, robotEscalations({ id: officeId, language: "zh-Hans" }, ["wecom", "dingtalk"], 1, [brief(i)], `esc:1:${i}:office:1`));
      await s.drainOnce();
      clock.advance(1000);
    }
    for (let n = 0; n < 30 && (await db.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })); n++) {
      clock.advance(5000);
      await s.drainOnce();
    }
    expect(await db.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })).toBe(0);
    for (const key of ["wk1", "dt1"]) {
      const got = fake.received.filter((r) => r.key === key);
      expect(fake.peakPerMinute(key)).toBeLessThanOrEqual(20);
      expect(got.length).toBeLessThan(200);
      const all = got.map((r) => r.content).join("\n");
      for (let i = 1; i <= 200; i++) expect(all).toContain(`C2026-${String(i).padStart(4, "0")}`);
    }
    expect(fake.answers.filter((a) => a.errcode !== 0)).toEqual([]);
    expect(fake.received.some((r) => /\d+ 件新升级/.test(r.content))).toBe(true);
  });

  it("200 waiting at once go as a few messages under 4096 bytes each", async () => {
    await enqueue(db.prisma, robotEscalations({ id: officeId, language: "zh-Hans" }, ["wecom"], 1, Array.from({ length: 200 }, (_, i) => brief(i + 1)), "esc:1:x:office:1"));
    await sender().drainOnce();
    expect(fake.received.length).toBeGreaterThan(1);
    expect(fake.received.length).toBeLessThanOrEqual(18);
    expect(fake.received.every((r) => Buffer.byteLength(r.content) <= 4096)).toBe(true);
    expect(await db.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(200);
  });

  it("45009 (too fast) waits a minute and then delivers; the answer is kept meanwhile", async () => {
    fake.force.push({ errcode: 45009, errmsg: "api freq out of limit" });
    await enqueue(db.prisma, robotEscalations({ id: officeId }, ["wecom"], 1, [brief(5)], "esc:1:5:office:1"));
    const s = sender();
    await s.drainOnce();
    const row = (await db.prisma.outboxMessage.findFirst())!;
    expect(row.status).toBe("pending");
    expect(row.lastError).toContain("45009");
    expect(row.nextAttemptAt!.getTime() - clock.now().getTime()).toBe(60_000);
    clock.advance(30_000);
    await s.drainOnce();
    expect(fake.received).toHaveLength(0);
    clock.advance(31_000);
    await s.drainOnce();
    expect(fake.received).toHaveLength(1);
    expect((await db.prisma.outboxMessage.findFirst())!.status).toBe("sent");
  });

  it("310000 (signature refused) and 93000 (invalid key) become dead letters with the full answer", async () => {
    await db.prisma.office.update({ where: { id: officeId }, data: { dingtalkSecret: "SECwrongwrongwrongwrong0000", wecomWebhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=nosuchkey" } });
    await enqueue(db.prisma, robotEscalations({ id: officeId }, ["wecom", "dingtalk"], 1, [brief(9)], "esc:1:9:office:1"));
    await sender().drainOnce();
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["failed", "failed"]);
    const wecom = rows.find((r) => r.method === "sendWecom")!;
    const ding = rows.find((r) => r.method === "sendDingtalk")!;
    expect(wecom.lastError).toContain('body: {"errcode":93000,"errmsg":"invalid webhook url, hint: [fake]"}');
    expect(ding.lastError).toContain('"errcode":310000');
    expect(ding.lastError).toContain("sign not match");
    const dead = await listDeadLetters(db.prisma);
    expect(dead.total).toBe(2);
    expect(dead.rows.map((r) => r.recipient)).toEqual([{ kind: "office", name: "东湖街道办" }, { kind: "office", name: "东湖街道办" }]);
    expect(dead.rows.map((r) => r.lastError).join("\n")).toContain("310000");
  });

  it("past 20 a minute DingTalk bans the robot for 10 minutes: the sender waits it out and loses nothing", async () => {
    const s = sender({ perMinute: 40 });
    await enqueue(db.prisma, Array.from({ length: 25 }, (_, i) => robotEscalations({ id: officeId }, ["dingtalk"], 1, [brief(i + 1)], `esc:1:b${i}:office:1`)).flat());
    // Each drained alone (as if queued apart): 25 posts in one minute is past the limit.
    for (let i = 0; i < 25; i++) {
      const ids = (await db.prisma.outboxMessage.findMany({ where: { status: "pending" }, orderBy: { id: "asc" }, select: { id: true } })).map((r) => r.id);
      await db.prisma.outboxMessage.updateMany({ where: { id: { in: ids.slice(1) } }, data: { nextAttemptAt: new Date(clock.now().getTime() + 1000) } });
      await s.drainOnce();
      clock.advance(1000);
    }
    expect(fake.answers.some((a) => a.errcode === 130101)).toBe(true);
    const waiting = await db.prisma.outboxMessage.findMany({ where: { status: "pending" } });
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]!.lastError).toContain("banned for 10 minutes");
    clock.advance(10 * 60_000);
    await s.drainOnce();
    expect(await db.prisma.outboxMessage.count({ where: { status: "sent" } })).toBe(25);
  });
});
