// The one writer of a case's Attachment rows, for every channel and every moment (filing, a photo
// added later, a liaison's resolution photos, an Open311 media link fetched): a Telegram photo is a
// file id waiting for core/cases/evidence-fetcher.ts to download it (pending); a photo that arrived
// as bytes (web form, Mini App, media_url) is already in the attachment store (stored). It runs in
// the caller's transaction, so a case and its photos commit together or not at all.
import type { Db } from "../db/db.ts";
import { prismaHotSql, type HotSql } from "../db/hot-sql.ts";
import type { AttachmentStore } from "./store.ts";
import { storeImage } from "./image-intake.ts";

/** A photo Telegram holds: its file id (downloaded into the store afterwards). */
export interface TelegramPhoto {
  fileId: string;
  fileUniqueId?: string | null;
  caption?: string | null;
}

/** A photo already in the attachment store (checked by image-intake.ts); `source` names where it came from. */
export interface StoredPhoto {
  storageKey: string;
  contentType: string;
  size: number;
  /** "web" for an upload, or the URL it was fetched from. */
  source: string;
  caption?: string | null;
}

export type CasePhoto = TelegramPhoto | StoredPhoto;

export const isStored = (p: CasePhoto): p is StoredPhoto => "storageKey" in p;

/** What the fileId column says for a photo that is not a Telegram file (kept for the timeline and the card). */
const fileIdOf = (p: CasePhoto) => (isStored(p) ? (p.source === "web" ? `web:${p.storageKey}` : `url:${p.source}`).slice(0, 2000) : p.fileId);

/**
 * Writes the photos in order, in one statement (the filing's hot path: one round trip whatever the
 * count). Returns the new rows' ids in the same order.
 */
export async function addCasePhotos(tx: HotSql, caseId: number, photos: readonly CasePhoto[], o: { addedBy: "resident" | "liaison"; at: Date }): Promise<number[]> {
  if (photos.length === 0) return [];
  const rows = await tx.query<{ id: number }>`
    INSERT INTO "Attachment" ("caseId", "fileId", "fileUniqueId", caption, "addedBy", "createdAt", "storeStatus", "storageKey", "contentType", size)
    SELECT ${caseId}, f.id, f.uid, f.caption, ${o.addedBy}, ${o.at}::timestamp,
      (CASE WHEN f.key IS NULL THEN 'pending' ELSE 'stored' END)::"AttachmentStoreStatus", f.key, f.type, f.size
    FROM unnest(${photos.map(fileIdOf)}::text[], ${photos.map((p) => (isStored(p) ? null : (p.fileUniqueId ?? null)))}::text[],
      ${photos.map((p) => p.caption ?? null)}::text[], ${photos.map((p) => (isStored(p) ? p.storageKey : null))}::text[],
      ${photos.map((p) => (isStored(p) ? p.contentType : null))}::text[], ${photos.map((p) => (isStored(p) ? p.size : null))}::int[])
      WITH ORDINALITY AS f(id, uid, caption, key, type, size, n)
    ORDER BY f.n
    RETURNING id`;
  return rows.map((r) => r.id);
}

/**
 * Photos that arrive as bytes after the case exists (an Open311 media_url fetched after the answer):
 * checked and stored through the attachment store, then written as the case's attachment, stored.
 */
export function mediaPhotoStore(db: Db, store: AttachmentStore, maxBytes: number) {
  return {
    /** Throws ImageRefused for a non-image, an oversized or a damaged file. */
    async put(o: { caseId: number; bytes: Buffer; sourceUrl: string }): Promise<{ attachmentId: number }> {
      const stored = await storeImage(store, o.bytes, { maxBytes });
      const photo: StoredPhoto = { storageKey: stored.key, contentType: stored.contentType, size: stored.size, source: o.sourceUrl };
      const [attachmentId] = await addCasePhotos(prismaHotSql(db), o.caseId, [photo], { addedBy: "resident", at: new Date() });
      return { attachmentId: attachmentId! };
    },
  };
}
