import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, lastText, type Harness } from "./harness.ts";
import { stubRouter } from "../helpers/stubRouter.ts";
import { encode } from "../../bot/callbacks.ts";
import * as u from "../helpers/updates.ts";

let h: Harness;
let routerDown = false;
beforeAll(async () => {
  h = await harness({
    router: (db) => {
      const stub = stubRouter(db.prisma);
      return {
        route: async (f) => {
          if (routerDown) throw new Error("rules engine exploded\n    at secret/stack.ts:1:1");
          return stub.route(f);
        },
      };
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const draftOf = async (chatId: number) => ((await h.db.prisma.botSession.findUnique({ where: { key: `tg:${chatId}` } }))?.value as Record<string, any>)?.draft;
const CATEGORY_PROMPT = "投诉：请选择类别：";

describe("unexpected input gets a polite answer and loses nothing", () => {
  const p = u.person(4001);

  it("an unregistered user sending a sticker or text is pointed to /start", async () => {
    const stranger = u.person(4999);
    await h.send(u.sticker(stranger));
    expect(lastText(h.api, stranger.chat.id)).toBe("谢谢！不过我看不懂贴纸，请用文字或按钮操作。\n\n请先发送 /start 登记您的住址。");
    await h.send(u.command(stranger, "new"));
    expect(lastText(h.api, stranger.chat.id)).toBe("请先发送 /start 登记您的住址。");
    await h.send(u.command(stranger, "mycases"));
    expect(lastText(h.api, stranger.chat.id)).toBe("请先发送 /start 登记您的住址。");
  });

  it("text, stickers, voice, video, documents and unknown commands while buttons are expected re-show the buttons", async () => {
    await h.register(p);
    await h.send(u.command(p, "new"));
    await h.press(p, "投诉");
    const buttons = h.lastButtons(p).map((b) => b.text);
    const cases: [ReturnType<typeof u.text>, string][] = [
      [u.text(p, "楼上太吵了"), "请点击下方按钮选择。"],
      [u.sticker(p), "谢谢！不过我看不懂贴纸，请用文字或按钮操作。"],
      [u.voice(p), "暂不支持这种消息（语音、视频、文件等）。请用文字描述，图片请以“照片”形式发送。"],
      [u.video(p), "暂不支持这种消息（语音、视频、文件等）。请用文字描述，图片请以“照片”形式发送。"],
      [u.documentMsg(p), "暂不支持这种消息（语音、视频、文件等）。请用文字描述，图片请以“照片”形式发送。"],
      [u.command(p, "frobnicate"), "不认识这个命令。发送 /help 查看可用命令。"],
      [u.contact(p, "+8613800000001"), "现在不需要这个。"],
    ];
    for (const [update, lead] of cases) {
      const calls = await h.send(update);
      expect(calls.map((c) => c.method)).toEqual(["sendMessage"]);
      expect(calls[0]!.payload.text).toBe(`${lead}\n\n${CATEGORY_PROMPT}`);
      expect(h.lastButtons(p).map((b) => b.text)).toEqual(buttons);
    }
    expect(await draftOf(p.chat.id)).toMatchObject({ step: "category", kind: "complaint", photos: [] });
    // A photo is welcome at any step (kept for the case), and the buttons stay where they were.
    await h.send(u.photo(p, "EARLY"));
    expect(lastText(h.api, p.chat.id)).toBe("已收到照片 1/6。");
    expect(await draftOf(p.chat.id)).toMatchObject({ step: "category", photos: [{ fileId: "EARLY" }] });
  });

  it("a 10,000-character message: at the description step it is refused with its length, elsewhere answered", async () => {
    await h.press(p, "噪音");
    await h.send(u.text(p, "吵".repeat(10_000)));
    expect(lastText(h.api, p.chat.id)).toBe("内容太长了（10000/2000 字），请精简后重新发送。草稿已保留。");
    expect(await draftOf(p.chat.id)).toMatchObject({ step: "description", category: "noise" });

    const other = u.person(4002);
    await h.register(other);
    await h.send(u.text(other, "x".repeat(10_000)));
    // Nothing in progress: the reason, and its start kept as a draft (nothing written is lost).
    expect(lastText(h.api, other.chat.id)).toMatch(/^消息太长了（10000 字），请分几条发送。前 2000 字已存为草稿；提交后可在“我的工单”里补充其余内容。\n\n/);
    expect((await draftOf(other.chat.id))?.description).toBe("x".repeat(2000));
  });

  it("a button from an old message is outdated; malformed or forged callback data is not recognised", async () => {
    // The kind button of the current draft, pressed again after the draft moved on.
    const stale = encode({ a: "kind", tok: (await draftOf(p.chat.id)).id, kind: "repair" });
    let calls = await h.send(u.callback(p, stale, 3));
    expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(calls[0]!.payload).toMatchObject({ text: "这个按钮已过期，请使用最新的消息。", show_alert: true });
    // A button from a draft that no longer exists at all.
    calls = await h.send(u.callback(p, encode({ a: "cat", tok: "AAAAAAAA", code: "water" }), 2));
    expect(calls[0]!.payload.text).toBe("这个按钮已过期，请使用最新的消息。");
    for (const data of ["garbage", "v1:co:abc", "v0:menu:new", "v1:co:1:2", "v1:lang:fr", "v1:cat:AAAAAAAA:DROP TABLE", "v1:" + "x".repeat(70)]) {
      calls = await h.send(u.callback(p, data, 2));
      expect(calls.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
      expect(calls[0]!.payload.text).toBe("无法识别这个按钮。");
    }
    expect(await draftOf(p.chat.id)).toMatchObject({ step: "description", kind: "complaint", category: "noise" });
  });

  it("an edited message is not taken as new input, and the user is told", async () => {
    const before = await draftOf(p.chat.id);
    await h.send(u.edited(p, 12, "改过的描述"));
    expect(lastText(h.api, p.chat.id)).toBe("修改过的消息不会被重新读取。如需更正，请重新发送。");
    expect(await draftOf(p.chat.id)).toEqual(before);
  });

  it("messages in groups are ignored quietly; a button pressed in a group is just answered", async () => {
    const g = u.group(-100555);
    const calls = [
      ...(await h.send(u.message(p, { text: "大家好" }, g))),
      ...(await h.send(u.command(p, "start", "", g))),
      ...(await h.send(u.message(p, { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }, g))),
    ];
    expect(calls).toEqual([]);
    const cb = u.callback(p, encode({ a: "menu", item: "new" }), 5);
    cb.callback_query!.message = { ...cb.callback_query!.message!, chat: g } as never;
    const answered = await h.send(cb);
    expect(answered.map((c) => c.method)).toEqual(["answerCallbackQuery"]);
    expect(await h.db.prisma.botSession.count({ where: { key: "tg:-100555" } })).toBe(0);
  });

  it("a failure while filing gets a polite apology without internals, keeps the draft, and a later Confirm works", async () => {
    await h.send(u.text(p, "楼下每晚噪音"));
    await h.press(p, "不紧急");
    routerDown = true;
    const calls = await h.press(p, "确认提交");
    const apology = "抱歉，处理您的请求时出了点问题，请稍后再试。您已填写的内容没有丢失。";
    expect(lastText(h.api, p.chat.id)).toBe(apology);
    expect(JSON.stringify(calls)).not.toContain("exploded");
    expect(JSON.stringify(calls)).not.toContain("stack.ts");
    expect(await h.db.prisma.case.count({ where: { resident: { telegramUserId: 4001n } } })).toBe(0);
    expect(await draftOf(p.chat.id)).toMatchObject({ step: "confirm", description: "楼下每晚噪音" });

    routerDown = false;
    await h.press(p, "确认提交");
    const c = await h.db.prisma.case.findFirstOrThrow({ where: { resident: { telegramUserId: 4001n } } });
    expect(c.description).toBe("楼下每晚噪音");
    expect(lastText(h.api, p.chat.id)).toContain(`工单编号：${c.number}`);
  });

  it("/cancel drops the draft; /cancel with nothing going on says so; /help lists the commands", async () => {
    await h.send(u.command(p, "new"));
    expect(await draftOf(p.chat.id)).toBeTruthy();
    await h.send(u.command(p, "cancel"));
    expect(lastText(h.api, p.chat.id)).toBe("已取消，草稿已删除。\n\n请选择要办理的事项：");
    expect(await draftOf(p.chat.id)).toBeUndefined();
    await h.send(u.command(p, "cancel"));
    expect(lastText(h.api, p.chat.id)).toBe("当前没有进行中的操作。");
    await h.send(u.command(p, "help"));
    expect(lastText(h.api, p.chat.id)).toContain("/mycases 查看我的工单");
  });

  it("every message the users received went through the outbox", async () => {
    const sends = h.api.calls.filter((c) => c.method !== "answerCallbackQuery");
    const delivered = await h.db.prisma.outboxMessage.count({ where: { status: { in: ["sent", "failed"] } } });
    expect(sends.length).toBeGreaterThan(20);
    expect(sends.length).toBe(delivered);
    expect(await h.db.prisma.outboxMessage.count({ where: { status: { notIn: ["sent", "failed"] } } })).toBe(0);
  });
});
