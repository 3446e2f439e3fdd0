import { afterAll, beforeAll, expect, it } from "vitest";
import { harness, type Harness } from "./harness.ts";
import { startPolling } from "../../bot/transport/polling.ts";
import * as u from "../helpers/updates.ts";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h?.close();
});

it("long polling with the runner handles a chat's updates in order and stops cleanly", async () => {
  const p = u.person(6001);
  // Three updates of one chat in one getUpdates batch: language, then /help, then a sticker.
  const batch = [u.command(p, "start"), u.command(p, "help"), u.sticker(p)];
  let served = false;
  h.api.faults.push((call) => {
    if (call.method !== "getUpdates" || served) return undefined;
    served = true;
    return { status: 200, body: { ok: true, result: batch } };
  });
  const handle = startPolling(h.bot);
  const deadline = Date.now() + 10_000;
  while ((await h.db.prisma.outboxMessage.count()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await handle.stop();
  await h.sender.drain();
  const texts = h.api.texts(p.chat.id);
  expect(texts).toHaveLength(3);
  expect(texts[0]).toContain("欢迎使用");
  expect(texts[1]).toContain("/mycases 查看我的工单");
  expect(texts[2]).toContain("谢谢！不过我看不懂贴纸");
});
