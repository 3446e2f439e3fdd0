// The outbox's Transport over grammY's raw API. Maps Telegram's answers to what the sender does next:
// wait (429), retry later (5xx, network, 401/404), give up on the chat (403), or refuse the message
// at once (other 4xx: a bad file id, a text too long, a chat that does not exist can never succeed).
// Every failure carries its HTTP status, Telegram's description and the answer's body.
import { GrammyError, HttpError, InputFile, type Api } from "grammy";
import { DeliveryError, type DocumentLoader, type DocumentRef, type OutMethod, type Transport } from "../../core/delivery/outbox.ts";
import type { Db } from "../../core/db/db.ts";
import type { Clock } from "../../core/clock.ts";

/** `documents`: reads the file of a sendDocument row (a bulletin PDF), which the row only names. */
export function createTransport(api: Api, documents?: DocumentLoader): Transport {
  return {
    async deliver(chatId, method: OutMethod, payload) {
      // Telegram chat ids fit in 52 bits, so Number is exact.
      const body: Record<string, unknown> = { ...payload, chat_id: Number(chatId) };
      try {
        if (method === "sendDocument" && typeof payload.document === "object" && payload.document !== null) {
          const file = documents ? await documents(payload.document as DocumentRef) : null;
          if (!file) throw new DeliveryError("rejected", "sendDocument: the document is gone (or no loader is set)");
          body.document = new InputFile(file.content, file.filename);
        }
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

/** What a failed answer said, kept for the dead-letter record (see telegramFetch). */
interface HttpRecord {
  http_status?: number;
  http_body?: string;
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof GrammyError) {
    const rec = err.parameters as HttpRecord;
    const code = typeof err.error_code === "number" ? err.error_code : undefined;
    const status = code ?? rec.http_status;
    const description = err.description || "(no description)";
    const body = rec.http_body ?? JSON.stringify({ ok: false, error_code: err.error_code, description: err.description, ...(Object.keys(err.parameters).length ? { parameters: err.parameters } : {}) });
    const detail = { status, description, body };
    const msg = `${err.method}: ${status === undefined ? "no error_code" : `HTTP ${status}`} · ${description}`;
    if (code === 429) return new DeliveryError("retry_after", msg, err.parameters.retry_after ?? 1, detail);
    if (code === 403) return new DeliveryError("undeliverable", msg, undefined, detail);
    // 401/404 mean a wrong token or API root: the bot's fault, not this message's, so it waits.
    if (code !== undefined && code >= 400 && code < 500 && code !== 401 && code !== 404) return new DeliveryError("rejected", msg, undefined, detail);
    return new DeliveryError("transient", msg, undefined, detail);
  }
  if (err instanceof HttpError) {
    // The network failed (refused, reset, timed out): say why, from the cause grammY keeps.
    const cause = err.error as (Error & { cause?: { code?: string; message?: string } }) | undefined;
    const why = [cause?.message, cause?.cause?.code ?? cause?.cause?.message].filter(Boolean).join(": ");
    return new DeliveryError("transient", `${err.message}${why ? ` ${why}` : ""}`);
  }
  return new DeliveryError("transient", (err as Error)?.message ?? String(err));
}

const BODY_KEPT = 2000;

/**
 * A fetch for the outbox's Bot API client that keeps what a failed answer said. grammY reads every
 * answer as JSON, so a proxy's HTML 502 became "Network request failed" and a JSON error without
 * error_code became "undefined undefined" (retried forever). Here every non-2xx answer becomes a Bot
 * API error: Telegram's error_code, or the HTTP status when it gave none, and the raw body kept in
 * parameters (http_status, http_body) for toDeliveryError. Successful answers pass untouched.
 */
export function telegramFetch(base: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (res.ok) return res;
    const text = await res.text().catch(() => "");
    let json: { error_code?: unknown; description?: unknown; parameters?: Record<string, unknown> } | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object") json = parsed as typeof json;
    } catch {
      json = undefined;
    }
    const answer = {
      ok: false,
      error_code: typeof json?.error_code === "number" ? json.error_code : res.status,
      description: typeof json?.description === "string" && json.description ? json.description : res.statusText || `HTTP ${res.status}`,
      parameters: { ...(json?.parameters ?? {}), http_status: res.status, http_body: text.slice(0, BODY_KEPT) },
    };
    return new Response(JSON.stringify(answer), { status: res.status, headers: { "content-type": "application/json" } });
  };
}

/** For OutboxSender's `onUndeliverable`: a resident who blocked the bot is skipped by the notifier
 * until they write again (createBot clears the mark on their next update). */
export function markResidentBlocked(db: Db, clock: Clock): (chatId: bigint) => Promise<void> {
  return async (chatId) => {
    await db.resident.updateMany({ where: { chatId, blockedAt: null }, data: { blockedAt: clock.now() } });
  };
}
