// The query queue behind the owner's socket (core/db/pglite-serve.ts). pglite-socket's own queue runs
// each wire message under PGlite's query lock only, so a tool's statement could land inside one of
// the service's Prisma transactions (they hold PGlite's *transaction* lock between statements), and
// the service's statements inside a tool's transaction or between its Parse and Sync. Here a tool's
// session takes PGlite's transaction lock for as long as it is inside a transaction or an
// extended-protocol exchange, and gives it back at each boundary (Query, Sync, Terminate, startup)
// when no transaction is open: the service and the tools then see each other's work only whole.
import type { PGlite } from "@electric-sql/pglite";

/** The parts of PGlite this queue drives (its lock methods are public in JS, marked internal). */
interface Engine {
  isInTransaction(): boolean;
  execProtocolRawStream(message: Uint8Array, opts: { onRawData: (data: Uint8Array) => void }): Promise<void>;
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

const QUERY = 0x51; // 'Q'
const SYNC = 0x53; // 'S'
const TERMINATE = 0x58; // 'X'

/** A simple-protocol Query message (PGlite's raw protocol takes wire messages). */
export function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const m = Buffer.alloc(5 + text.length);
  m[0] = QUERY;
  m.writeInt32BE(4 + text.length, 1);
  text.copy(m, 5);
  return m;
}
const SYNC_MESSAGE = Uint8Array.from([SYNC, 0, 0, 0, 4]);

export class SessionQueue {
  private readonly db: Engine;
  private owner: number | null = null;
  private releaseLock: (() => void) | null = null;
  private waiters: (() => void)[] = [];
  private chains = new Map<number, Promise<unknown>>();
  private closed = new Set<number>();

  constructor(db: PGlite) {
    this.db = db as unknown as Engine;
  }

  /** Same contract as pglite-socket's QueryQueueManager.enqueue: runs one wire message, in order per connection. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    this.closed.delete(handlerId);
    const prior = this.chains.get(handlerId) ?? Promise.resolve();
    const run = prior.then(
      () => this.run(handlerId, message, onData),
      () => this.run(handlerId, message, onData),
    );
    this.chains.set(handlerId, run);
    return run;
  }

  private async run(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.closed.has(handlerId)) throw new Error("Handler disconnected");
    await this.acquire(handlerId);
    // The tool went away while it waited for the database (a connect timeout on a busy machine):
    // the lock it has just been given goes back at once. Kept, it would hold the service forever.
    if (this.closed.has(handlerId)) {
      await this.abandon(handlerId);
      throw new Error("Handler disconnected");
    }
    let bytes = 0;
    try {
      await this.db._runExclusiveQuery(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (d) => {
            bytes += d.length;
            onData(d);
          },
        }),
      );
    } finally {
      const type = message[0];
      const boundary = type === QUERY || type === SYNC || type === TERMINATE || type === 0; /* startup */
      if (boundary && !this.db.isInTransaction()) this.free(handlerId);
    }
    return bytes;
  }

  private async acquire(handlerId: number): Promise<void> {
    if (this.owner === handlerId) return;
    while (this.owner !== null) await new Promise<void>((r) => this.waiters.push(r));
    this.owner = handlerId;
    // Held until the session's boundary: the service's queries and transactions wait meanwhile.
    await new Promise<void>((held) => {
      void this.db._runExclusiveTransaction(
        () =>
          new Promise<void>((release) => {
            this.releaseLock = release;
            held();
          }),
      );
    });
  }

  private free(handlerId: number): void {
    if (this.owner !== handlerId) return;
    this.owner = null;
    this.releaseLock?.();
    this.releaseLock = null;
    this.waiters.shift()?.();
  }

  getQueueLength(): number {
    return this.waiters.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.closed.add(handlerId);
  }

  /** A connection that went away mid-session: its transaction is rolled back, the database freed. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    this.closed.add(handlerId);
    this.chains.delete(handlerId);
    // Still waiting for PGlite's lock (someone else's transaction is open): its run() gives it back
    // once it has it. Rolling back now would end that other transaction.
    if (this.releaseLock === null) return;
    await this.abandon(handlerId);
  }

  /** Rolls back what the session left open and frees the database, if the session holds it. */
  private async abandon(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    try {
      await this.db._runExclusiveQuery(async () => {
        await this.db.execProtocolRaw(SYNC_MESSAGE);
        if (this.db.isInTransaction()) await this.db.execProtocolRaw(simpleQuery("ROLLBACK"));
      });
    } finally {
      this.free(handlerId);
    }
  }
}
