// The outbox's Transport over grammY's raw API. Maps Telegram's answers to what the sender does next:
// wait (429), retry later (5xx, network), give up on the chat (403), or drop the message (other 4xx).
import { GrammyError, HttpError, type Api } from "grammy";
import { DeliveryError, type OutMethod, type Transport } from "../../core/delivery/outbox.ts";
import type { Db } from "../../core/db/db.ts";
import type { Clock } from "../../core/clock.ts";

export function createTransport(api: Api): Transport {
  return {
    async deliver(chatId, method: OutMethod, payload) {
      // Telegram chat ids fit in 52 bits, so Number is exact.
      const body = { ...payload, chat_id: Number(chatId) };
      try {
        const raw = api.raw as unknown as Record<string, (p: Record<string, unknown>) => Promise<unknown>>;
        const fn = raw[method];
        if (!fn) throw new DeliveryError("rejected", `unknown method ${method}`);
        const result = await fn.call(api.raw, body);
        return { messageId: messageIdOf(result) };
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
  };
}

function messageIdOf(result: unknown): number | undefined {
  const first = Array.isArray(result) ? result[0] : result; // a media group answers with its messages
  const id = (first as { message_id?: unknown } | null)?.message_id;
  return typeof id === "number" ? id : undefined;
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof GrammyError) {
    const msg = `${err.method}: ${err.error_code} ${err.description}`;
    if (err.error_code === 429) return new DeliveryError("retry_after", msg, err.parameters.retry_after ?? 1);
    if (err.error_code === 403) return new DeliveryError("undeliverable", msg);
    if (err.error_code >= 400 && err.error_code < 500) return new DeliveryError("rejected", msg);
    return new DeliveryError("transient", msg);
  }
  if (err instanceof HttpError) return new DeliveryError("transient", err.message);
  return new DeliveryError("transient", (err as Error)?.message ?? String(err));
}

/** For OutboxSender's `onUndeliverable`: a resident who blocked the bot is skipped by the notifier
 * until they write again (createBot clears the mark on their next update). */
export function markResidentBlocked(db: Db, clock: Clock): (chatId: bigint) => Promise<void> {
  return async (chatId) => {
    await db.resident.updateMany({ where: { chatId, blockedAt: null }, data: { blockedAt: clock.now() } });
  };
}
