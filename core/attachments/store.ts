// The attachment store: bytes by key, on disk (default, under the data folder) or in S3-compatible
// storage (s3-store.ts). Domain-free — it knows nothing of cases or Telegram — so every way evidence
// comes in (bot photos, the web form, Open311 media_url) stores through the same `put`, after
// image-intake.ts has checked and cleaned the bytes.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";

export interface StoredObject {
  body: NodeJS.ReadableStream;
  contentType: string;
  size: number;
}

export interface AttachmentStore {
  readonly kind: "disk" | "s3";
  /** Writes the bytes under `key` (replacing what was there); atomic: a reader never sees half a file. */
  put(key: string, bytes: Uint8Array, o: { contentType: string }): Promise<void>;
  /** The bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<StoredObject | null>;
  /** Removes `key`; no error when it was not there. */
  delete(key: string): Promise<void>;
}

/** Keys are relative paths of safe segments ("ab/cd/<sha256>.jpg"): never absolute, never "..". */
export function checkKey(key: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(key) || key.split("/").includes("..") || key.length > 512) {
    throw new Error(`attachment store: bad key ${JSON.stringify(key)}`);
  }
  return key;
}

const TYPES: Record<string, string> = { jpg: "image/jpeg", png: "image/png", webp: "image/webp", pdf: "application/pdf" };

/** Files under a folder; the content type comes from the key's extension (intake names keys by checked type). */
export function diskStore(root: string): AttachmentStore {
  const dir = path.resolve(root);
  const file = (key: string) => path.join(dir, checkKey(key));
  return {
    kind: "disk",
    async put(key, bytes) {
      const target = file(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      // Write aside, then rename: a crash leaves a stray temp file, never a torn photo.
      const tmp = `${target}.${crypto.randomUUID()}.tmp`;
      await fsp.writeFile(tmp, bytes, { mode: 0o640 });
      await fsp.rename(tmp, target);
    },
    async get(key) {
      const target = file(key);
      try {
        const st = await fsp.stat(target);
        return { body: fs.createReadStream(target), size: st.size, contentType: TYPES[path.extname(key).slice(1).toLowerCase()] ?? "application/octet-stream" };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async delete(key) {
      await fsp.rm(file(key), { force: true });
    },
  };
}
