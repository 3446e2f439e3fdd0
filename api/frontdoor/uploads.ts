// The multipart forms of the front door (filing, adding to a case). Nothing of a body is read before
// the caller is known: no resident session → 401 at once, a declared length past what the form may
// carry → 413 at once (both close the connection instead of reading on). Then the CSRF token (the
// form's first field) is checked before any file is accepted, files stream to disk up to their
// limits, and photos are checked and stored one at a time through the attachment store
// (core/attachments/image-intake.ts: type from the bytes, metadata stripped). All photos of a form
// are checked before the case is filed, so a bad file leaves no case behind. Issue 24: six
// anonymous 59 MB bodies used to be read into memory before the session and CSRF checks.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import { fileTypeFromFile } from "file-type";
import { ImageRefused, storeImage, type StoredImage } from "../../core/attachments/image-intake.ts";
import type { AttachmentStore } from "../../core/attachments/store.ts";
import { HttpError } from "../http.ts";
import { csrfValid } from "./tokens.ts";
import { visitOf } from "./session.ts";
import type { Say } from "./strings.ts";
import { INTAKE_LIMITS } from "../../core/cases/intake.ts";
import type { FrontDoorDeps } from "./deps.ts";

/** The intake's limit (core/cases/intake.ts), the same on every channel. */
export const MAX_PHOTOS = INTAKE_LIMITS.maxPhotos;
/** Longer than any description the case store keeps: a longer field is refused as too long. */
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_FIELDS = 20;
/** Multipart headers and boundaries around each part. */
const PART_OVERHEAD = 2 * 1024;
const UPLOAD_DIR = path.join(os.tmpdir(), "frontdoor-uploads");

export class FormRefused extends Error {}

/** The most a well-formed form may declare as its length: every photo at its limit, every field full. */
export const maxFormBytes = (maxPhotoBytes: number) => MAX_PHOTOS * (maxPhotoBytes + PART_OVERHEAD) + MAX_FIELDS * (MAX_FIELD_BYTES + PART_OVERHEAD);

/** Refuses before reading the body; the connection is closed rather than drained. */
function refuseUnread(res: Response, next: NextFunction, err: HttpError) {
  res.setHeader("Connection", "close");
  next(err);
}

/** Parses a multipart form into req.body / req.files; a limit hit becomes res.locals.formError. */
export function multipart(d: Pick<FrontDoorDeps, "maxPhotoBytes" | "secret">, who: (res: Response) => { signedIn: boolean; say: Say } = (res) => ({ signedIn: visitOf(res).resident !== null, say: visitOf(res).view.say })) {
  const maxPhotoBytes = d.maxPhotoBytes;
  const upload = multer({
    storage: multer.diskStorage({
      destination: (_req, _file, cb) => fs.mkdir(UPLOAD_DIR, { recursive: true }, (err) => cb(err ?? null, UPLOAD_DIR)),
    }),
    limits: { fileSize: maxPhotoBytes, files: MAX_PHOTOS, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: 40 },
    // The token comes before the files in the form (api/frontdoor/pages.tsx): a file is accepted only
    // after it, so a cross-site post never gets a byte stored.
    fileFilter: (req, _file, cb) => {
      const res = req.res!;
      if (csrfValid(d.secret, res.locals.browserId as string | undefined, (req.body as Record<string, unknown> | undefined)?._csrf)) return cb(null, true);
      cb(new HttpError(403, "csrf", who(res).say("expired_form")));
    },
  }).array("photos", MAX_PHOTOS);
  return (req: Request, res: Response, next: NextFunction) => {
    const { signedIn, say } = who(res);
    const view = { say };
    if (!signedIn) return refuseUnread(res, next, new HttpError(401, "unauthorized", say("login_needed")));
    const declared = Number(req.headers["content-length"]);
    if (declared > maxFormBytes(maxPhotoBytes)) {
      return refuseUnread(res, next, new HttpError(413, "too_large", `${view.say("too_big", { mb: Math.round(maxPhotoBytes / 1024 / 1024) })} ${view.say("nothing_saved")}`));
    }
    // The stored copies go when the answer is sent, kept or not.
    res.once("close", () => {
      for (const f of (req.files as Express.Multer.File[] | undefined) ?? []) if (f.path) fs.rm(f.path, { force: true }, () => {});
    });
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
    const type = await fileTypeFromFile(f.path);
    if (f.size > maxBytes) throw new FormRefused(say("too_big", { mb: Math.round(maxBytes / 1024 / 1024) }));
    if (type?.mime !== "image/jpeg" && type?.mime !== "image/png") throw new FormRefused(say("not_image", { name: f.originalname.slice(0, 60) }));
  }
  const out: StoredImage[] = [];
  // One photo in memory at a time.
  for (const f of files) {
    try {
      out.push(await storeImage(store, await fs.promises.readFile(f.path), { maxBytes }));
    } catch (err) {
      if (!(err instanceof ImageRefused)) throw err;
      const name = f.originalname.slice(0, 60);
      throw new FormRefused(err.reason === "size" ? say("too_big", { mb: Math.round(maxBytes / 1024 / 1024) }) : say("not_image", { name }));
    }
  }
  return out;
}
