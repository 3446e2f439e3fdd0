// media_url of an Open311 request: always kept as a link (CaseMediaLink), and fetched once after the
// case is filed. When the link answers with an image and an attachment store is wired
// (OfficeAppDeps.mediaStore), the bytes go into the case's photos; without a store the link is only
// checked (status "reachable") so a store added later can fetch the links still waiting
// (status pending or reachable, attachmentId null).
import { fetchPublicImage } from "./public-fetch.ts";
import type { Db } from "../../../core/db/db.ts";
import type { Logger } from "../../../core/logger.ts";

export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
export const MEDIA_TIMEOUT_MS = 5_000;

/** Where fetched photos go (the attachment store). Returns the Attachment it created. */
export interface MediaStore {
  put(o: { caseId: number; bytes: Buffer; contentType: string; sourceUrl: string }): Promise<{ attachmentId: number }>;
}

/** Fetches a link's photo once, from public hosts only (public-fetch.ts). */
export async function fetchMediaLink(db: Db, linkId: number, store: MediaStore | undefined, log: Logger, now: () => Date): Promise<void> {
  const link = await db.caseMediaLink.findUnique({ where: { id: linkId } });
  if (!link || link.attachmentId !== null) return;
  const done = (data: { status: string; contentType?: string | null; bytes?: number | null; attachmentId?: number | null; lastError?: string | null }) =>
    db.caseMediaLink.update({ where: { id: linkId }, data: { ...data, attempts: { increment: 1 }, checkedAt: now() } });
  try {
    const got = await fetchPublicImage(link.url, { timeoutMs: MEDIA_TIMEOUT_MS, maxBytes: MEDIA_MAX_BYTES });
    if (!got.ok) return void (await done({ status: "unreachable", contentType: got.contentType ?? null, lastError: got.reason }));
    const { contentType, body: bytes } = got;
    if (!store) return void (await done({ status: "reachable", contentType, bytes: bytes.length, lastError: null }));
    const { attachmentId } = await store.put({ caseId: link.caseId, bytes, contentType, sourceUrl: link.url });
    await done({ status: "fetched", contentType, bytes: bytes.length, attachmentId, lastError: null });
  } catch (err) {
    log.warn({ err, linkId }, "open311: media_url could not be fetched; kept as a link");
    await done({ status: "unreachable", lastError: String((err as Error)?.message ?? err).slice(0, 200) }).catch(() => {});
  }
}
