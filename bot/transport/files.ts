// Downloads a photo a resident or liaison sent, for the attachment store (downloadTelegramFile) and
// the dashboard's pending photos: getFile, then
// `<apiRoot>/file/bot<token>/<file_path>`, streamed. Bots may download at most 20 MB; bigger files
// are refused before and while downloading. Errors never carry the token (it is in the URL).
import { pipeline, Readable, Transform } from "node:stream";
import { GrammyError, type Api } from "grammy";
import type { OfficeAppDeps } from "../../api/office.ts";

export const TELEGRAM_DOWNLOAD_MAX = 20 * 1024 * 1024;

export interface TelegramFilesOptions {
  api: Pick<Api, "getFile">;
  token: string;
  /** Same root the bot talks to (TELEGRAM_API_ROOT). */
  apiRoot?: string;
  fetch?: typeof globalThis.fetch;
  /** Whole fetch: getFile, response headers and body (default 20 s). */
  timeoutMs?: number;
  /** Default and upper bound: Telegram's 20 MB. */
  maxBytes?: number;
}

/** `permanent`: Telegram will never give this file (unknown file id, too big for bots); else try later. */
export class TelegramFileError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

const TYPES: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };
export const contentTypeOf = (filePath: string) => TYPES[/\.([a-z0-9]+)$/i.exec(filePath)?.[1]?.toLowerCase() ?? ""] ?? "image/jpeg";

export function telegramFiles(o: TelegramFilesOptions): NonNullable<OfficeAppDeps["files"]> {
  const root = (o.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const doFetch = o.fetch ?? globalThis.fetch;
  const max = Math.min(o.maxBytes ?? TELEGRAM_DOWNLOAD_MAX, TELEGRAM_DOWNLOAD_MAX);
  const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  const safe = (err: unknown, permanent = false) => new TelegramFileError(String((err as Error)?.message ?? err).split(o.token).join("<token>"), permanent);

  return {
    async fetch(fileId) {
      const signal = AbortSignal.timeout(o.timeoutMs ?? 20_000);
      let file;
      try {
        // grammY types its signal with the abort-controller shim; the built-in one is what it uses.
        file = await o.api.getFile(fileId, signal as Parameters<Api["getFile"]>[1]);
      } catch (err) {
        throw safe(err, err instanceof GrammyError && err.error_code === 400);
      }
      if (!file.file_path) throw new TelegramFileError("Telegram gave no file_path (file too big for bots?)", true);
      if (file.file_size !== undefined && file.file_size > max) throw new TelegramFileError(`file is ${mb(file.file_size)}; bots may download at most ${mb(max)}`, true);
      let res: Response;
      try {
        res = await doFetch(`${root}/file/bot${o.token}/${file.file_path}`, { signal });
      } catch (err) {
        throw safe(err);
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => {});
        throw new TelegramFileError(`download failed: HTTP ${res.status}`);
      }
      const length = Number(res.headers.get("content-length") ?? NaN);
      if (Number.isFinite(length) && length > max) {
        await res.body.cancel().catch(() => {});
        throw new TelegramFileError(`file is ${mb(length)}; bots may download at most ${mb(max)}`, true);
      }
      // Without a trustworthy length, count while streaming and stop past the cap.
      let seen = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          seen += chunk.length;
          done(seen > max ? new TelegramFileError(`file exceeds ${mb(max)}`, true) : null, chunk);
        },
      });
      // pipeline: a reader that goes away (or the cap) tears the download down too.
      const body = pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), cap, () => {});
      return { contentType: contentTypeOf(file.file_path), body, ...(Number.isFinite(length) ? { size: length } : {}) };
    },
  };
}

/** The whole file in memory, for the attachment store (photos: a few MB; `maxBytes` caps it). */
export async function downloadTelegramFile(files: ReturnType<typeof telegramFiles>, fileId: string): Promise<Buffer> {
  const f = await files.fetch(fileId);
  if (Buffer.isBuffer(f.body)) return f.body;
  const chunks: Buffer[] = [];
  try {
    for await (const c of f.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  } catch (err) {
    throw err instanceof TelegramFileError ? err : new TelegramFileError(`download failed: ${(err as Error)?.message ?? err}`);
  }
  return Buffer.concat(chunks);
}
