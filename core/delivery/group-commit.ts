// Group commit for small writes made by many concurrent callers (outbox replies and "sent" marks,
// inbox "done" marks): while one statement is in flight, the next callers' items collect and go
// together in one statement. No timer: a lone write goes at once, so a quiet service sees no delay;
// under load a statement per update becomes a statement per batch (bench/intake).
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private busy = false;

  /** `write` gets the items in arrival order and returns one result per item, in the same order (nothing for a plain write). */
  constructor(
    private readonly write: (items: T[]) => Promise<R[] | void>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results ? results[i]! : (undefined as R)));
      } catch (err) {
        // Every caller in the batch hears of it and handles it as it would its own failed write.
        for (const b of batch) b.reject(err);
      }
    }
    this.busy = false;
  }
}
