// grammY session storage on the BotSession table: drafts and flow steps survive restarts and are
// shared by every instance reading the same database. Plain SQL (Database.hot): it runs twice per
// update, and a Prisma model query costs about three times the CPU of a raw one (bench/intake).
// The bot reads the session in the statement that finds who is writing and primes it here.
import type { StorageAdapter } from "grammy";
import type { HotSql } from "../core/hot-sql.ts";
import { jsonForDb } from "../core/text.ts";

export class SqlSessionStorage<T> implements StorageAdapter<T> {
  /** Values read in the same statement as other rows of this update (see prime). */
  private readonly primed = new Map<string, T | undefined>();

  constructor(private readonly sql: HotSql) {}

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
    await this.sql.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${key}, ${jsonForDb(value)}::jsonb, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()`;
  }

  async delete(key: string): Promise<void> {
    this.primed.delete(key);
    await this.sql.exec`DELETE FROM "BotSession" WHERE key = ${key}`;
  }
}
