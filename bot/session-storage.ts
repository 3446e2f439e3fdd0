// grammY session storage on the BotSession table: drafts and flow steps survive restarts and are
// shared by every instance reading the same database. Plain SQL (Database.hot): it is used on every
// update, and a Prisma model query costs about three times the CPU of a raw one (bench/intake).
// The bot reads the session in the statement that finds who is writing and primes it here; writes
// of concurrent updates go as one statement.
import type { StorageAdapter } from "grammy";
import type { HotSql } from "../core/db/hot-sql.ts";
import { jsonForDb } from "../core/text.ts";
import { GroupCommit } from "../core/delivery/group-commit.ts";

export class SqlSessionStorage<T> implements StorageAdapter<T> {
  /** Values read in the same statement as other rows of this update (see prime). */
  private readonly primed = new Map<string, T | undefined>();

  /** Writes of concurrently handled updates go together (core/delivery/group-commit.ts). */
  private readonly writes: GroupCommit<{ key: string; value: T }, void>;

  constructor(private readonly sql: HotSql) {
    this.writes = new GroupCommit(async (items) => {
      // A chat's updates are handled one at a time, so a key comes once per batch; were it twice,
      // the later value wins (one statement cannot update a row twice).
      const last = new Map(items.map((i) => [i.key, i.value]));
      await this.sql.exec`INSERT INTO "BotSession" (key, value, "updatedAt")
        SELECT k, v, now() FROM unnest(${[...last.keys()]}::text[], ${[...last.values()].map((v) => jsonForDb(v))}::jsonb[]) AS u(k, v)
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()`;
    });
  }

  /**
   * The session as a statement that read it with other rows just now found it: the next read of the
   * key takes it instead of a round trip. Only for a read that follows at once, in the same update
   * (the bot handles one update per chat at a time).
   */
  prime(key: string, value: T | undefined): void {
    this.primed.set(key, value);
  }

  async read(key: string): Promise<T | undefined> {
    if (this.primed.has(key)) {
      const value = this.primed.get(key);
      this.primed.delete(key);
      return value;
    }
    const rows = await this.sql.query<{ value: T }>`SELECT value FROM "BotSession" WHERE key = ${key}`;
    return rows[0]?.value;
  }

  async write(key: string, value: T): Promise<void> {
    this.primed.delete(key);
    await this.writes.add({ key, value });
  }

  async delete(key: string): Promise<void> {
    this.primed.delete(key);
    await this.sql.exec`DELETE FROM "BotSession" WHERE key = ${key}`;
  }
}
