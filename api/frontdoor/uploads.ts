// The multipart forms of the front door (filing, adding to a case): limits that refuse a huge field,
// too many or too big files before anything is kept, and photos checked and stored through the
// attachment store (core/attachments/image-intake.ts: type from the bytes, metadata stripped). All
// photos of a form are checked before the case is filed, so a bad file leaves no case behind.
import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import { fileTypeFromBuffer } from "file-type";
import { ImageRefused, storeImage, type StoredImage } from "../../core/attachments/image-intake.ts";
import type { AttachmentStore } from "../../core/attachments/store.ts";
import type { Say } from "./strings.ts";
import { INTAKE_LIMITS } from "../../core/cases/intake.ts";

/** The intake's limit (core/cases/intake.ts), the same on every channel. */
export const MAX_PHOTOS = INTAKE_LIMITS.maxPhotos;
/** Longer than any description the case store keeps: a longer field is refused as too long. */
const MAX_FIELD_BYTES = 64 * 1024;

export class FormRefused extends Error {}

/** Parses a multipart form into req.body / req.files; a limit hit becomes res.locals.formError. */
export function multipart(maxPhotoBytes: number) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxPhotoBytes, files: MAX_PHOTOS, fields: 20, fieldSize: MAX_FIELD_BYTES, parts: 40 },
  }).array("photos", MAX_PHOTOS);
  return (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        res.locals.formError = err.code;
        req.files = [];
        return next();
      }
      next(err);
    });
  };
}

/** The words for a refused form (a multer limit code). */
export function limitText(say: Say, code: string, maxPhotoBytes: number, maxText: number): string {
  if (code === "LIMIT_FILE_SIZE") return say("too_big", { mb: Math.round(maxPhotoBytes / 1024 / 1024) });
  if (code === "LIMIT_FILE_COUNT" || code === "LIMIT_UNEXPECTED_FILE") return say("too_many", { n: MAX_PHOTOS });
  return say("too_long", { max: maxText });
}

export const uploadedPhotos = (req: Request) => ((req.files as Express.Multer.File[] | undefined) ?? []).filter((f) => f.size > 0);

/** Checks and stores every photo, or refuses them all with the resident's words. */
export async function storePhotos(store: AttachmentStore, files: Express.Multer.File[], maxBytes: number, say: Say): Promise<StoredImage[]> {
  // Every file looked at before any is stored: one bad file keeps all of them out of the store.
  for (const f of files) {
    const type = await fileTypeFromBuffer(f.buffer);
    if (f.size > maxBytes) throw new FormRefused(say("too_big", { mb: Math.round(maxBytes / 1024 / 1024) }));
    if (type?.mime !== "image/jpeg" && type?.mime !== "image/png") throw new FormRefused(say("not_image", { name: f.originalname.slice(0, 60) }));
  }
  const out: StoredImage[] = [];
  for (const f of files) {
    try {
      out.push(await storeImage(store, f.buffer, { maxBytes }));
    } catch (err) {
      if (!(err instanceof ImageRefused)) throw err;
      const name = f.originalname.slice(0, 60);
      throw new FormRefused(err.reason === "size" ? say("too_big", { mb: Math.round(maxBytes / 1024 / 1024) }) : say("not_image", { name }));
    }
  }
  return out;
}
