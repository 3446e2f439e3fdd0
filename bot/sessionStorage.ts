// grammY session storage on the BotSession table: drafts and flow steps survive restarts and are
// shared by every instance reading the same database. Plain SQL (Database.hot): it runs twice per
// update, and a Prisma model query costs about three times the CPU of a raw one (bench/intake).
import type { StorageAdapter } from "grammy";
import type { HotSql } from "../core/hot-sql.ts";
import { jsonForDb } from "../core/text.ts";

export class SqlSessionStorage<T> implements StorageAdapter<T> {
  constructor(private readonly sql: HotSql) {}

  async read(key: string): Promise<T | undefined> {
    const rows = await this.sql.query<{ value: T }>`SELECT value FROM "BotSession" WHERE key = ${key}`;
    return rows[0]?.value;
  }

  async write(key: string, value: T): Promise<void> {
    await this.sql.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${key}, ${jsonForDb(value)}::jsonb, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()`;
  }

  async delete(key: string): Promise<void> {
    await this.sql.exec`DELETE FROM "BotSession" WHERE key = ${key}`;
  }
}
