// Free text first (issue 18 items 1 and 3): a registered resident just writes; the bot proposes
// kind, category and urgency with the known address and one tap files it. Emergencies are filed at
// once; an unsure reading asks back. Taps and messages per filing are counted here for the report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, lastText, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "./harness.ts";
import { stubRouter } from "../helpers/stubRouter.ts";
import * as u from "../helpers/updates.ts";
import type { Update } from "grammy/types";

let h: Harness;
beforeAll(async () => {
  // Emergency categories go to the street office too, as the real rules decide.
  h = await harness({
    router: (db) => {
      const stub = stubRouter(db.prisma);
      return {
        route: async (f) => ({ ...(await stub.route(f)), ...(h.categories.get(f.category)?.emergency ? { urgency: "emergency" as const, notifyOffice: true } : {}) }),
      };
    },
  });
});
afterAll(async () => {
  await h?.close();
});

/** What the resident did: messages sent and buttons tapped. */
function counter() {
  const n = { taps: 0, messages: 0 };
  return {
    n,
    send: async (update: Update) => {
      if (update.callback_query) n.taps++;
      else n.messages++;
      return h.send(update);
    },
    press: async (p: u.Person, label: string) => {
      n.taps++;
      return h.press(p, label);
    },
  };
}

const casesOf = (id: number) => h.db.prisma.case.findMany({ where: { resident: { telegramUserId: BigInt(id) } }, include: { attachments: { orderBy: { id: "asc" } } }, orderBy: { id: "asc" } });

describe("free text first", () => {
  const emergencies: [string, string, string][] = [
    ["lift_entrapment", "3号楼电梯困人了，两个老人在里面", "电梯困人"],
    ["gas_smell", "楼道里一股很重的煤气味", "燃气泄漏/异味"],
    ["burst_pipe", "地下车库水管爆裂了，水一直往外冒", "爆管/大面积漏水"],
    ["fire_safety", "消防通道被电动车堵死了", "消防隐患"],
  ];
  for (const [code, text, label] of emergencies) {
    it(`an emergency (${code}) is filed at once, without a tap, and the street office is told`, async () => {
      const id = 3000 + emergencies.findIndex((e) => e[0] === code);
      const p = u.person(id);
      await h.register(p);
      const officeBefore = h.api.sent(OFFICE_CHAT.dongcheng).length;
      const c = counter();
      await c.send(u.text(p, text));
      const [filed] = await casesOf(id);
      expect(filed).toMatchObject({ category: code, urgencyHint: true, urgency: "emergency", description: text, state: "routed" });
      expect(c.n).toEqual({ taps: 0, messages: 1 });
      const told = h.api.texts(p.chat.id).slice(-2);
      expect(told[0]).toContain(`工单编号：${filed!.number}`);
      expect(told[1]).toContain("🚨 这是紧急情况，已立即提交");
      const office = h.api.sent(OFFICE_CHAT.dongcheng).slice(officeBefore);
      expect(office).toHaveLength(1);
      expect(office[0]!.payload.text).toContain("🚨 紧急工单，请街道办关注：");
      expect(office[0]!.payload.text).toContain(label);
      expect(h.api.texts(LIAISON_CHAT["huamei-li"]).some((t) => t.includes(filed!.number))).toBe(true);
    });
  }

  it("an ordinary message is proposed with the known address; one tap files it", async () => {
    const p = u.person(3010);
    await h.register(p);
    const c = counter();
    await c.send(u.text(p, "楼道灯坏了好几天了"));
    const proposal = lastText(h.api, p.chat.id);
    expect(proposal).toContain("我理解如下");
    expect(proposal).toContain("类型：报修");
    expect(proposal).toContain("类别：公共照明/电力");
    expect(proposal).toContain("地址：和平小区 1号楼 1单元");
    expect(proposal).toContain("紧急：否");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["✅ 确认提交", "🔁 更改类别", "✖️ 取消"]);
    expect(await casesOf(3010)).toHaveLength(0);
    await c.press(p, "确认提交");
    const [filed] = await casesOf(3010);
    expect(filed).toMatchObject({ kind: "repair", category: "electricity", urgencyHint: false, description: "楼道灯坏了好几天了" });
    expect(lastText(h.api, p.chat.id)).toContain(`工单编号：${filed!.number}`);
    expect(c.n).toEqual({ taps: 1, messages: 1 });
  });

  it("a 3,000-character message is answered with its length and its first 2,000 characters kept as a draft, which files", async () => {
    const p = u.person(3041);
    await h.register(p);
    const long = "楼道灯坏了好几天了，" + "晚上".repeat(1495);
    await h.send(u.text(p, long));
    const reply = lastText(h.api, p.chat.id);
    expect(reply).toMatch(/^消息太长了（3000 字），请分几条发送。前 2000 字已存为草稿；提交后可在“我的工单”里补充其余内容。\n\n/);
    expect(reply).toContain("类别：公共照明/电力");
    expect(reply).not.toContain("请点击下方按钮选择");
    const kept = [...long].slice(0, 2000).join("");
    const draft = ((await h.db.prisma.botSession.findUnique({ where: { key: `tg:${p.chat.id}` } }))?.value as { draft?: { description?: string } }).draft;
    expect(draft?.description).toBe(kept);
    await h.press(p, "确认提交");
    const [filed] = await casesOf(3041);
    expect(filed!.description).toBe(kept);
  });

  it("an unsure reading asks back with the likely categories; a tap picks one, another files", async () => {
    const p = u.person(3011);
    await h.register(p);
    await h.send(u.text(p, "单元门坏了关不上"));
    expect(lastText(h.api, p.chat.id)).toBe("我不太确定这是哪一类问题，请选择最接近的类别：");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["安保/门禁", "公共设施", "📋 全部类别", "✖️ 取消"]);
    await h.press(p, "公共设施");
    expect(lastText(h.api, p.chat.id)).toContain("类别：公共设施");
    await h.press(p, "确认提交");
    const [filed] = await casesOf(3011);
    expect(filed).toMatchObject({ category: "facilities", description: "单元门坏了关不上" });
  });

  it("the category can be changed: the likely ones, then every category", async () => {
    const p = u.person(3012);
    await h.register(p);
    await h.send(u.text(p, "楼上漏水，还很吵"));
    expect(lastText(h.api, p.chat.id)).toContain("类别：给排水/漏水");
    await h.press(p, "更改类别");
    expect(h.lastButtons(p).map((b) => b.text)).toEqual(["噪音", "📋 全部类别", "✖️ 取消"]);
    await h.press(p, "全部类别");
    expect(h.lastButtons(p)).toHaveLength(h.categories.list.length + 1);
    await h.press(p, "服务态度");
    expect(lastText(h.api, p.chat.id)).toContain("类别：服务态度");
    // A tapped category stays when more text comes.
    await h.send(u.text(p, "物业也不管"));
    expect(lastText(h.api, p.chat.id)).toContain("类别：服务态度");
    await h.press(p, "确认提交");
    const [filed] = await casesOf(3012);
    expect(filed).toMatchObject({ kind: "complaint", category: "service", description: "楼上漏水，还很吵\n物业也不管" });
  });

  it("English and Traditional Chinese residents get the proposal in their language", async () => {
    const en = u.person(3013, "Anna", "Lee", "en");
    await h.register(en);
    await h.send(u.text(en, "There is a leak in the kitchen ceiling"));
    const proposal = lastText(h.api, en.chat.id);
    expect(proposal).toContain("Here is what I understood");
    expect(proposal).toContain("Water / leak");
    expect(h.lastButtons(en).map((b) => b.text)).toEqual(["✅ Confirm", "🔁 Change category", "✖️ Cancel"]);
    await h.press(en, "Confirm");
    expect((await casesOf(3013))[0]).toMatchObject({ category: "water" });

    const hk = u.person(3014, "陳", "大文", "zh-hk");
    await h.register(hk);
    await h.send(u.text(hk, "樓道燈壞了"));
    expect(lastText(h.api, hk.chat.id)).toContain("公共照明/電力");
    await h.send(u.text(hk, "電梯困人，快來"));
    expect((await casesOf(3014))[0]).toMatchObject({ category: "lift_entrapment", urgencyHint: true });
    expect(h.api.texts(hk.chat.id).at(-1)).toContain("🚨 這是緊急情況");
  });

  it("an album with a caption is one step: one proposal, every photo on the case", async () => {
    const p = u.person(3015);
    await h.register(p);
    const before = h.api.sent(p.chat.id).length;
    const c = counter();
    await c.send(u.albumPhoto(p, "ALB-1", "album-1", "小区垃圾桶满了没人清"));
    await c.send(u.albumPhoto(p, "ALB-2", "album-1"));
    await c.send(u.albumPhoto(p, "ALB-3", "album-1"));
    const replies = h.api.sent(p.chat.id).slice(before);
    expect(replies).toHaveLength(1);
    expect(String(replies[0]!.payload.text)).toContain("类别：环境卫生/垃圾");
    await c.press(p, "确认提交");
    const [filed] = await casesOf(3015);
    expect(filed!.attachments.map((a) => a.fileId)).toEqual(["ALB-1", "ALB-2", "ALB-3"]);
    expect(c.n).toEqual({ taps: 1, messages: 3 });
  });

  it("an edit of the message while the proposal is open updates the draft", async () => {
    const p = u.person(3016);
    await h.register(p);
    const first = u.text(p, "楼上漏水");
    await h.send(first);
    expect(lastText(h.api, p.chat.id)).toContain("类别：给排水/漏水");
    await h.send(u.edited(p, first.message!.message_id, "楼下装修噪音太大"));
    const updated = lastText(h.api, p.chat.id);
    expect(updated).toMatch(/^已更新草稿。/);
    expect(updated).toContain("类别：噪音");
    expect(updated).toContain("描述：楼下装修噪音太大");
    await h.press(p, "确认提交");
    expect((await casesOf(3016))[0]).toMatchObject({ category: "noise", kind: "complaint", description: "楼下装修噪音太大" });
    // An edit of a message that is not part of a draft is still answered as before.
    await h.send(u.edited(p, first.message!.message_id, "再改一次"));
    expect(lastText(h.api, p.chat.id)).toBe("修改过的消息不会被重新读取。如需更正，请重新发送。");
  });

  it("an edit in the guided flow updates the description", async () => {
    const p = u.person(3017);
    await h.register(p);
    await h.send(u.command(p, "new"));
    await h.press(p, "投诉");
    await h.press(p, "噪音");
    const desc = u.text(p, "隔壁装修");
    await h.send(desc);
    await h.press(p, "不紧急");
    await h.send(u.edited(p, desc.message!.message_id, "隔壁装修，周末早上七点就开工"));
    expect(lastText(h.api, p.chat.id)).toContain("描述：隔壁装修，周末早上七点就开工");
    await h.press(p, "确认提交");
    expect((await casesOf(3017))[0]).toMatchObject({ category: "noise", description: "隔壁装修，周末早上七点就开工" });
  });

  it("taps and messages per filing: guided at home 4 taps + 2 messages (was 6 + 2), guided emergency 3 + 2, free text 1 + 1", async () => {
    const p = u.person(3018);
    await h.register(p);
    const count = async (steps: (c: ReturnType<typeof counter>) => Promise<unknown>) => {
      const c = counter();
      await steps(c);
      return c.n;
    };
    const guided = await count(async (c) => {
      await c.send(u.command(p, "new"));
      await c.press(p, "报修");
      await c.press(p, "给排水/漏水");
      await c.send(u.text(p, "厨房水管滴水"));
      await c.press(p, "不紧急");
      await c.press(p, "确认提交");
    });
    const emergency = await count(async (c) => {
      await c.send(u.command(p, "new"));
      await c.press(p, "报修");
      await c.press(p, "燃气泄漏/异味");
      await c.send(u.text(p, "厨房有异味"));
      await c.press(p, "确认提交");
    });
    const shared = await count(async (c) => {
      await c.send(u.command(p, "new"));
      await c.press(p, "投诉");
      await c.press(p, "停车管理");
      await c.send(u.text(p, "车位被外来车占了"));
      await c.send(u.location(p, 39.9, 116.4));
      await c.press(p, "不紧急");
      await c.press(p, "确认提交");
    });
    const free = await count(async (c) => {
      await c.send(u.text(p, "楼下垃圾没人收"));
      await c.press(p, "确认提交");
    });
    expect(await casesOf(3018)).toHaveLength(4);
    expect({ guided, emergency, shared, free }).toEqual({
      guided: { taps: 4, messages: 2 },
      emergency: { taps: 3, messages: 2 },
      shared: { taps: 4, messages: 3 },
      free: { taps: 1, messages: 1 },
    });
  });
});
