// What every incoming photo passes before it is stored, whatever brought it (Telegram, the web form,
// an Open311 media_url): a size limit, a type read from the bytes (file-type; the name and the
// sender's claimed type are not trusted), metadata stripped (image-metadata.ts), then `put` under a
// key derived from the cleaned bytes (the same photo twice is stored once).
import crypto from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import type { AttachmentStore } from "./store.ts";
import { stripJpegMetadata, stripPngMetadata } from "./image-metadata.ts";

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

const CLEANERS: Record<string, { ext: string; strip: (b: Uint8Array) => Buffer }> = {
  "image/jpeg": { ext: "jpg", strip: stripJpegMetadata },
  "image/png": { ext: "png", strip: stripPngMetadata },
};

/** The file was looked at and will not be stored: not an accepted image, or too big. Retrying cannot help. */
export class ImageRefused extends Error {
  constructor(
    readonly reason: "type" | "size" | "damaged",
    message: string,
  ) {
    super(message);
  }
}

export interface StoredImage {
  key: string;
  contentType: string;
  size: number;
}

export async function storeImage(store: AttachmentStore, bytes: Uint8Array, o: { maxBytes?: number; keyPrefix?: string } = {}): Promise<StoredImage> {
  const max = o.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (bytes.byteLength > max) throw new ImageRefused("size", `file is ${bytes.byteLength} bytes; at most ${max} are kept`);
  const type = await fileTypeFromBuffer(bytes);
  const cleaner = type ? CLEANERS[type.mime] : undefined;
  if (!type || !cleaner) throw new ImageRefused("type", `not a JPEG or PNG image (${type ? type.mime : "unknown type"})`);
  let clean: Buffer;
  try {
    clean = cleaner.strip(bytes);
  } catch (err) {
    throw new ImageRefused("damaged", `damaged ${type.mime}: ${(err as Error).message}`);
  }
  const hash = crypto.createHash("sha256").update(clean).digest("hex");
  const key = `${o.keyPrefix ?? ""}${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.${cleaner.ext}`;
  await store.put(key, clean, { contentType: type.mime });
  return { key, contentType: type.mime, size: clean.length };
}
