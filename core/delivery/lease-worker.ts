// The loop shared by the outbox sender and the webhook inbox: claim leased rows (oldest per chat
// first), handle them concurrently up to a limit, and claim again as soon as any finishes — no
// round barrier, so one slow row never holds up the others. Expired leases (a crashed worker)
// are returned to the queue now and then, not on every claim.
import type { Logger } from "../logger.ts";

export interface LeaseWorkerOptions {
  log: Logger;
  name: string;
  pollMs: number;
  maxInFlight: number;
  /** How often expired leases are recovered while running. */
  recoverEveryMs: number;
}

export abstract class LeaseWorker<Row> {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private readonly inFlight = new Set<Promise<void>>();
  private lastRecover = 0;

  protected constructor(private readonly w: LeaseWorkerOptions) {}

  /** Returns rows whose lease expired to the queue. */
  protected abstract recoverExpired(): Promise<void>;
  /** Leases up to `limit` rows that may be handled now. */
  protected abstract claim(limit: number): Promise<Row[]>;
  /** Handles one leased row; must record the outcome itself and not throw. */
  protected abstract handle(row: Row): Promise<void>;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits for what is in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  /** New work was stored: look now rather than at the next poll. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      // Every row the claim had room for: more may be due. Fewer: nothing else was due when it ran,
      // and what becomes due later wakes us (a store, a finished row, a NOTIFY) or the poll finds it.
      let full = false;
      try {
        const now = Date.now();
        if (now - this.lastRecover >= this.w.recoverEveryMs) {
          this.lastRecover = now;
          await this.recoverExpired();
        }
        const room = this.w.maxInFlight - this.inFlight.size;
        if (room > 0) {
          this.pendingWake = false;
          const rows = await this.claim(room);
          full = rows.length === room;
          for (const r of rows) {
            const p: Promise<void> = this.handle(r)
              .catch((err) => this.w.log.error({ err }, `${this.w.name}: handler failed`))
              .finally(() => {
                this.inFlight.delete(p);
                this.wake(); // a finished row may unblock its chat's next one
              });
            this.inFlight.add(p);
          }
        }
      } catch (err) {
        this.w.log.error({ err }, `${this.w.name}: claim failed; retrying`);
        await sleep(Math.min(this.w.pollMs, 1000));
      }
      if (!this.running) break;
      // A wake-up while every slot is busy must wait: looping on it would spin without ever
      // yielding, and the in-flight rows could never finish. Their completion wakes us anyway.
      if (full || (this.pendingWake && this.inFlight.size < this.w.maxInFlight)) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.w.pollMs);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** One claim-and-handle round, awaited (tests step through with it). */
  async runOnce(): Promise<number> {
    await this.recoverExpired();
    const rows = await this.claim(this.w.maxInFlight);
    await Promise.all(rows.map((r) => this.handle(r)));
    return rows.length;
  }

  /** Rounds until nothing is due (tests, benches, shutdown). */
  async drain(maxRounds = 100_000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runOnce();
      if (n === 0) break;
      total += n;
    }
    return total;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
