// Photos that arrive as bytes from outside Telegram (an Open311 media_url today, the web form next):
// checked and stored through the attachment store like a resident's Telegram photo, and recorded as
// the case's Attachment, already stored (no download queue: the bytes are here).
import type { Db } from "../db/db.ts";
import type { AttachmentStore } from "../attachments/store.ts";
import { storeImage } from "../attachments/image-intake.ts";

export function casePhotoIntake(db: Db, store: AttachmentStore, maxBytes: number) {
  return {
    /** Throws ImageRefused for a non-image, an oversized or a damaged file. */
    async put(o: { caseId: number; bytes: Buffer; sourceUrl: string }): Promise<{ attachmentId: number }> {
      const stored = await storeImage(store, o.bytes, { maxBytes });
      const row = await db.attachment.create({
        data: {
          caseId: o.caseId,
          // fileId names where the photo came from when it is not a Telegram file.
          fileId: `url:${o.sourceUrl}`.slice(0, 2000),
          addedBy: "resident",
          storeStatus: "stored",
          storageKey: stored.key,
          contentType: stored.contentType,
          size: stored.size,
        },
      });
      return { attachmentId: row.id };
    },
  };
}
