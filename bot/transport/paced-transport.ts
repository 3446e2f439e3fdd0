// Paces the outbox's Telegram sends under the Bot API's overall limit instead of learning it from
// 429s. Without it the OutboxSender fires its whole batch at once and every send over the limit
// costs a 429 round trip, two database writes and a 1 s wait (bench:survey: 22 msg/s and ~9 429s
// per message delivered; paced: 29 msg/s, no 429). Judged on actual start times — at most
// `perSecond` in any sliding second and at least 1/perSecond s apart — so a late timer (busy event
// loop) can only slow it, never burst. Per-chat spacing is left to the sender (one message per chat
// in flight) and retry_after. A 429 that still comes (another process on the same token) pauses
// every send for its retry_after.
import { DeliveryError, EMAIL_CHAT_ID, type Transport } from "../../core/delivery/outbox.ts";

export function pacedTransport(inner: Transport, o: { perSecond?: number } = {}): Transport {
  const perSecond = o.perSecond ?? 29;
  const gap = 1000 / perSecond;
  const starts: number[] = [];
  let pausedUntil = 0;
  let queue: Promise<void> = Promise.resolve();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(1, ms)));

  const slot = async () => {
    for (;;) {
      const now = performance.now();
      while (starts.length && starts[0]! <= now - 1000) starts.shift();
      const wait = Math.max(pausedUntil - now, starts.length ? starts[starts.length - 1]! + gap - now : 0, starts.length >= perSecond ? starts[0]! + 1000 - now : 0);
      if (wait <= 0) {
        starts.push(now);
        return;
      }
      await sleep(wait);
    }
  };

  return {
    async deliver(chatId, method, payload) {
      if (method === "sendEmail" || method === "sendSms" || chatId === BigInt(EMAIL_CHAT_ID)) return inner.deliver(chatId, method, payload);
      // One caller at a time takes a slot, in arrival order.
      const mine = queue.then(slot);
      queue = mine;
      await mine;
      try {
        return await inner.deliver(chatId, method, payload);
      } catch (err) {
        if (err instanceof DeliveryError && err.kind === "retry_after") pausedUntil = Math.max(pausedUntil, performance.now() + (err.retryAfterSeconds ?? 1) * 1000);
        throw err;
      }
    },
  };
}
