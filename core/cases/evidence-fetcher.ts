// Keeps the evidence: every Attachment row starts `pending`, and this worker downloads its file
// (from Telegram, through the injected `download`) into the attachment store — checked, cleaned and
// stored by core/attachments/image-intake.ts. The Attachment table is the durable queue: a failed
// download is retried with backoff across restarts (never an in-memory retry), a file that is not an
// image or too big is `refused`, and one Telegram no longer has is `failed` after its retries — each
// with its reason, shown on the case page. Nothing is dropped silently.
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import { systemClock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { LeaseWorker } from "../delivery/lease-worker.ts";
import type { AttachmentStore } from "../attachments/store.ts";
import { ImageRefused, storeImage } from "../attachments/image-intake.ts";

export interface EvidenceFetcherOptions {
  db: Db;
  store: AttachmentStore;
  /** The file's bytes; an error with `permanent: true` means asking again cannot help. */
  download: (fileId: string) => Promise<Uint8Array>;
  maxBytes?: number;
  clock?: Clock;
  log?: Logger;
  pollMs?: number;
  leaseMs?: number;
  /** Tries before a file that cannot be fetched is marked failed (default 12: about 2 days of backoff). */
  maxAttempts?: number;
  maxBackoffMs?: number;
  /** Downloads at once (default 2: the bot's other traffic shares the connection to Telegram). */
  concurrency?: number;
}

interface Row {
  id: number;
  fileId: string;
  fetchAttempts: number;
}

export class EvidenceFetcher extends LeaseWorker<Row> {
  private readonly o: Required<Omit<EvidenceFetcherOptions, "maxBytes">> & Pick<EvidenceFetcherOptions, "maxBytes">;
  private readonly owner = crypto.randomUUID();

  constructor(opts: EvidenceFetcherOptions) {
    const o = { clock: systemClock, log: silentLogger, pollMs: 5000, leaseMs: 120_000, maxAttempts: 12, maxBackoffMs: 6 * 3_600_000, concurrency: 2, ...opts };
    super({ log: o.log, name: "evidence", pollMs: o.pollMs, maxInFlight: o.concurrency, recoverEveryMs: o.leaseMs / 4 });
    this.o = o;
  }

  protected async recoverExpired(): Promise<void> {
    // A lease lives in fetchLeaseUntil on a pending row; an expired one is simply claimable again.
  }

  protected async claim(limit: number): Promise<Row[]> {
    const now = this.o.clock.now();
    return this.o.db.$queryRaw<Row[]>`
      UPDATE "Attachment" a SET "fetchLeaseUntil" = ${new Date(now.getTime() + this.o.leaseMs)}, "fetchAttempts" = a."fetchAttempts" + 1
      FROM (SELECT id FROM "Attachment"
            WHERE "storeStatus" = 'pending' AND ("nextFetchAt" IS NULL OR "nextFetchAt" <= ${now})
              AND ("fetchLeaseUntil" IS NULL OR "fetchLeaseUntil" < ${now})
            ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED) due
      WHERE a.id = due.id
      RETURNING a.id, a."fileId", a."fetchAttempts"`;
  }

  protected async handle(row: Row): Promise<void> {
    const db = this.o.db;
    try {
      const bytes = await this.o.download(row.fileId);
      const stored = await storeImage(this.o.store, bytes, { maxBytes: this.o.maxBytes });
      await db.attachment.update({
        where: { id: row.id },
        data: { storeStatus: "stored", storageKey: stored.key, contentType: stored.contentType, size: stored.size, fetchError: null, fetchLeaseUntil: null, nextFetchAt: null },
      });
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (err instanceof ImageRefused) {
        this.o.log.warn({ attachmentId: row.id, err: message }, "evidence: refused");
        await db.attachment.update({ where: { id: row.id }, data: { storeStatus: "refused", fetchError: message, fetchLeaseUntil: null } });
        return;
      }
      const permanent = (err as { permanent?: unknown })?.permanent === true;
      const last = permanent || row.fetchAttempts >= this.o.maxAttempts;
      this.o.log.warn({ attachmentId: row.id, attempts: row.fetchAttempts, err: message }, last ? "evidence: could not be fetched" : "evidence: will retry");
      const delay = Math.min(30_000 * 2 ** (row.fetchAttempts - 1), this.o.maxBackoffMs);
      await db.attachment.update({
        where: { id: row.id },
        data: last
          ? { storeStatus: "failed", fetchError: message, fetchLeaseUntil: null }
          : { fetchError: message, fetchLeaseUntil: null, nextFetchAt: new Date(this.o.clock.now().getTime() + delay) },
      });
    }
  }
}
