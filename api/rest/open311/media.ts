// media_url of an Open311 request: always kept as a link (CaseMediaLink), and fetched once after the
// case is filed. When the link answers with an image and an attachment store is wired
// (OfficeAppDeps.mediaStore), the bytes go into the case's photos; without a store the link is only
// checked (status "reachable") so a store added later can fetch the links still waiting
// (status pending or reachable, attachmentId null).
import { isIP } from "node:net";
import type { Db } from "../../../core/db/db.ts";
import type { Logger } from "../../../core/logger.ts";

export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
export const MEDIA_TIMEOUT_MS = 5_000;

/** Where fetched photos go (the attachment store). Returns the Attachment it created. */
export interface MediaStore {
  put(o: { caseId: number; bytes: Buffer; contentType: string; sourceUrl: string }): Promise<{ attachmentId: number }>;
}

/**
 * Only plain web links to public hosts are fetched: a link naming this machine or a private network
 * (an IP literal or localhost) is kept as a link, never requested. A public name that resolves to a
 * private address is not caught here (that needs resolving first, or an egress proxy).
 */
export const fetchableUrl = (u: string) => {
  try {
    const url = new URL(u);
    return (url.protocol === "http:" || url.protocol === "https:") && !privateHost(url.hostname);
  } catch {
    return false;
  }
};

function privateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split(".").map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  if (isIP(host) === 6) return host === "::1" || host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:");
  return false;
}

export async function fetchMediaLink(db: Db, linkId: number, store: MediaStore | undefined, log: Logger, now: () => Date): Promise<void> {
  const link = await db.caseMediaLink.findUnique({ where: { id: linkId } });
  if (!link || link.attachmentId !== null) return;
  const done = (data: { status: string; contentType?: string | null; bytes?: number | null; attachmentId?: number | null; lastError?: string | null }) =>
    db.caseMediaLink.update({ where: { id: linkId }, data: { ...data, attempts: { increment: 1 }, checkedAt: now() } });
  try {
    if (!fetchableUrl(link.url)) return void (await done({ status: "unreachable", lastError: "not an http(s) URL of a public host" }));
    const res = await fetch(link.url, { signal: AbortSignal.timeout(MEDIA_TIMEOUT_MS), redirect: "follow" });
    const contentType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!res.ok) return void (await done({ status: "unreachable", lastError: `HTTP ${res.status}` }));
    if (!contentType.startsWith("image/")) return void (await done({ status: "unreachable", contentType, lastError: `not an image (${contentType || "no content type"})` }));
    if (Number(res.headers.get("content-length") ?? 0) > MEDIA_MAX_BYTES) return void (await done({ status: "unreachable", contentType, lastError: "larger than 10 MB" }));
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MEDIA_MAX_BYTES) return void (await done({ status: "unreachable", contentType, lastError: "larger than 10 MB" }));
    if (!store) return void (await done({ status: "reachable", contentType, bytes: bytes.length, lastError: null }));
    const { attachmentId } = await store.put({ caseId: link.caseId, bytes, contentType, sourceUrl: link.url });
    await done({ status: "fetched", contentType, bytes: bytes.length, attachmentId, lastError: null });
  } catch (err) {
    log.warn({ err, linkId }, "open311: media_url could not be fetched; kept as a link");
    await done({ status: "unreachable", lastError: String((err as Error)?.message ?? err).slice(0, 200) }).catch(() => {});
  }
}
