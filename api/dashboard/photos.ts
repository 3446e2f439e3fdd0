// A case's photo, streamed from the attachment store once the evidence fetcher has kept it
// (core/cases/evidence-fetcher.ts); until then (pending) from Telegram through OfficeAppDeps.files.
// On the dashboard: same session and area rules as the case page; the attachment must belong to that
// case. At /p/<token>: one photo for whoever holds the signed link the outbox sent in place of a photo
// Telegram refused (core/attachments/photo-links.ts) — no login; expired 410, forged or altered 404.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import express, { type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { inArea } from "../../core/access/permissions.ts";
import type { Logger } from "../../core/logger.ts";
import { HttpError, parse } from "../http.ts";
import { DbId } from "../input-guard.ts";
import { scopeOf } from "../auth.ts";
import type { OfficeAppDeps } from "../office.ts";
import type { Attachment } from "../../core/db/generated/prisma/client.ts";
import { view } from "./layout.ts";

export const photoUrl = (caseId: number, attachmentId: number) => `/dashboard/cases/${caseId}/photos/${attachmentId}`;

export function photoPages(db: Db, d: OfficeAppDeps, log: Logger): Router {
  const r = express.Router();

  r.get("/cases/:id/photos/:attachmentId", async (req, res) => {
    const id = parse(DbId, req.params.id, "case id");
    const attachmentId = parse(DbId, req.params.attachmentId, "attachment id");
    // One narrow query per thumbnail (a case page asks for several): the attachment with its case's
    // street, under the case page's rule — outside the caller's area looks the same as not there.
    const a = await db.attachment.findFirst({ where: { id: attachmentId, caseId: Number(id) }, include: { case: { select: { streetId: true, estateId: true } } } });
    const scope = scopeOf(res);
    if (!a || !inArea(scope, a.case)) throw new HttpError(404, "not_found", `case ${id} has no attachment ${attachmentId}`);
    await sendAttachment(a, d, log, res);
  });
  return r;
}

/** GET /p/<token>: the photo a signed link names (mounted before any login, only when d.photoLinks is set). */
export function photoLinkPages(db: Db, d: OfficeAppDeps, log: Logger): Router {
  const r = express.Router();
  r.get("/p/:token", async (req, res) => {
    const v = view(req, res, d.defaultLocale, d.timezone);
    // The link is the permission: it stays out of other sites' logs, and out of shared caches.
    res.set({ "Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store" });
    const check = d.photoLinks!.check(req.params.token, d.clock.now());
    if (!check.ok) throw check.reason === "expired" ? new HttpError(410, "gone", v.t("photo_link_expired")) : new HttpError(404, "not_found", v.t("photo_link_invalid"));
    const a = await db.attachment.findUnique({ where: { id: check.attachmentId } });
    if (!a) throw new HttpError(404, "not_found", v.t("photo_link_invalid"));
    if (a.storeStatus === "refused" || a.storeStatus === "failed") throw new HttpError(410, "gone", v.t("photo_link_not_kept"));
    await sendAttachment(a, d, log, res, "private, no-store");
  });
  return r;
}

/** Streams one attachment: from the store when kept, else from Telegram while it is still pending. */
async function sendAttachment(a: Attachment, d: OfficeAppDeps, log: Logger, res: express.Response, cache = "private, max-age=86400"): Promise<void> {
  const attachmentId = a.id;
  if (a.storeStatus === "stored" && a.storageKey && d.attachments) {
    const obj = await d.attachments.get(a.storageKey);
    if (!obj) throw new HttpError(404, "not_found", `photo ${attachmentId} is missing from the attachment store`);
    res.set({ "Content-Type": a.contentType ?? obj.contentType, "Content-Length": String(obj.size), "Cache-Control": cache, "X-Content-Type-Options": "nosniff" });
    try {
      await pipeline(obj.body, res);
    } catch (err) {
      log.warn({ err, caseId: a.caseId, attachmentId }, "photo: stream failed");
    }
    return;
  }
  if (a.storeStatus === "refused" || a.storeStatus === "failed") throw new HttpError(410, "gone", `photo ${attachmentId} was not kept: ${a.fetchError ?? a.storeStatus}`);
  if (!d.files) throw new HttpError(503, "unavailable", "photos cannot be shown while the Telegram bot is off (no BOT_TOKEN)");
  let f: Awaited<ReturnType<NonNullable<OfficeAppDeps["files"]>["fetch"]>>;
  try {
    f = await d.files.fetch(a.fileId);
  } catch (err) {
    log.warn({ err, caseId: a.caseId, attachmentId }, "photo: fetch failed");
    throw new HttpError(502, "bad_gateway", `could not fetch the photo from Telegram: ${(err as Error)?.message ?? err}`);
  }
  res.set({ "Content-Type": f.contentType, "Cache-Control": cache, "X-Content-Type-Options": "nosniff" });
  if (Buffer.isBuffer(f.body)) {
    res.send(f.body);
    return;
  }
  if (f.size !== undefined) res.set("Content-Length", String(f.size));
  const body = f.body instanceof ReadableStream ? Readable.fromWeb(f.body as WebReadableStream<Uint8Array>) : (f.body as NodeJS.ReadableStream);
  try {
    await pipeline(body, res);
  } catch (err) {
    // pipeline has cut the response short (a client that went away lands here too).
    log.warn({ err, caseId: a.caseId, attachmentId }, "photo: stream failed");
  }
}
