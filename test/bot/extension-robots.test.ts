// A liaison's extension request reaches the street office's WeCom robot too (issue 26 item 4), as a
// robot row in the office's language naming the case, beside the Telegram group's message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, LIAISON_CHAT, type Harness } from "./harness.ts";
import * as u from "../helpers/updates.ts";
import { FakeRobots } from "../helpers/fakeRobots.ts";
import { RobotSender } from "../../core/delivery/robots/robot-sender.ts";

let h: Harness;
const li = u.person(LIAISON_CHAT["huamei-li"], "李", "工");
const res = u.person(5001);
beforeAll(async () => {
  h = await harness();
  await h.send(u.command(li, "liaison", "CO-HUAMEI"));
  await h.press(li, "李工");
  await h.register(res);
  await h.db.prisma.office.update({ where: { code: "dongcheng" }, data: { wecomWebhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1" } });
});
afterAll(async () => h?.close());

describe("extension request to the office's robot", () => {
  it("queues a WeCom row with the case number, company, liaison and reason, delivered to the fake", async () => {
    const c = await h.file(res, "卫生间管道渗水");
    await h.press(li, "申请延期");
    await h.send(u.text(li, "需要从厂家订购配件"));
    await h.press(li, "+2 个工作日");
    const row = await h.db.prisma.outboxMessage.findFirstOrThrow({ where: { method: "sendWecom" } });
    expect(row.dedupeKey).toMatch(new RegExp(`^case:${c.id}:ext:\\d+:wecom$`));
    const fake = await new FakeRobots().start();
    fake.wecomKeys.add("k1");
    try {
      await new RobotSender({ db: h.db.prisma, fetch: fake.fetch, baseUrl: "https://ts.example.cn" }).drainOnce();
      const got = fake.received[0]!.content;
      for (const part of [`延期申请 · 工单 ${c.number}`, "华美物业", "李工", "需要从厂家订购配件", `https://ts.example.cn/dashboard/cases/${c.id}`]) expect(got).toContain(part);
    } finally {
      await fake.stop();
    }
  });
});
