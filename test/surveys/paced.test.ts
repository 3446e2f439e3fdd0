// The paced transport keeps the outbox under Telegram's limits: no 429 from the limit-enforcing fake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { createTransport } from "../../bot/transport/transport.ts";
import { pacedTransport } from "../../bot/transport/paced-transport.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";

describe("paced transport", () => {
  const api = new FakeBotApi({ limits: { globalPerSecond: 30, perChatMs: 1000 } });
  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => api.stop());

  it("spaces sends under the overall limit", async () => {
    const bot = new Bot(api.token, { botInfo: api.botInfo as unknown as UserFromGetMe, client: { apiRoot: api.apiRoot, fetch: globalThis.fetch } });
    const t = pacedTransport(createTransport(bot.api));
    const chats = Array.from({ length: 42 }, (_, i) => BigInt(700 + i));
    const t0 = Date.now();
    await Promise.all(chats.map((c, i) => t.deliver(c, "sendMessage", { text: `m${i}` })));
    expect(api.count429).toBe(0);
    expect(api.sent()).toHaveLength(42);
    // 42 sends at 29/s need at least 41 gaps of 1000/29 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(Math.floor((41 * 1000) / 29));
  });
});
