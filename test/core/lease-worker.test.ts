// The claim loop shared by the inbox and the outbox, on an in-memory queue with a poll far away, so
// every claim seen here was caused by a wake-up or by a claim that filled its room.
import { afterEach, describe, expect, it } from "vitest";
import { LeaseWorker } from "../../core/delivery/lease-worker.ts";
import { silentLogger } from "../../core/logger.ts";

class MemoryQueue extends LeaseWorker<number> {
  readonly due: number[] = [];
  readonly handled: number[] = [];
  readonly claims: number[] = [];
  constructor(maxInFlight: number) {
    super({ log: silentLogger, name: "test", pollMs: 60_000, maxInFlight, recoverEveryMs: 60_000 });
  }
  protected async recoverExpired(): Promise<void> {}
  protected async claim(limit: number): Promise<number[]> {
    const rows = this.due.splice(0, limit);
    this.claims.push(rows.length);
    return rows;
  }
  protected async handle(row: number): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    this.handled.push(row);
  }
  add(...rows: number[]): void {
    this.due.push(...rows);
    this.wake();
  }
}

const until = async (cond: () => boolean, ms = 2000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 2));
  }
};

describe("lease worker loop", () => {
  let q: MemoryQueue | undefined;
  afterEach(async () => q?.stop());

  it("a backlog larger than its room is worked through without waiting for the poll", async () => {
    q = new MemoryQueue(2);
    q.due.push(1, 2, 3, 4, 5, 6, 7);
    q.start();
    await until(() => q!.handled.length === 7);
    expect(q.handled.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("after a claim that did not fill its room it claims again only when woken", async () => {
    q = new MemoryQueue(10);
    q.start();
    q.add(1);
    await until(() => q!.handled.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    // The claim that found the row, then only the one its finishing wake-up makes (a finished row
    // may unblock its chat's next): none straight after a claim that had room to spare.
    expect(q.claims).toEqual([1, 0]);
    q.add(2, 3);
    await until(() => q!.handled.length === 3);
    expect(q.handled).toEqual([1, 2, 3]);
  });
});
