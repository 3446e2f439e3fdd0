// grammY session storage on the BotSession table: drafts and flow steps survive restarts and are
// shared by every instance reading the same database. Plain SQL: it runs twice per update, and a
// Prisma model query costs about three times the CPU of a raw one (bench/intake).
import type { StorageAdapter } from "grammy";
import type { Db } from "../core/db.ts";
import { jsonForDb } from "../core/text.ts";

export class PrismaSessionStorage<T> implements StorageAdapter<T> {
  constructor(private readonly db: Db) {}

  async read(key: string): Promise<T | undefined> {
    const rows = await this.db.$queryRaw<{ value: T }[]>`SELECT value FROM "BotSession" WHERE key = ${key}`;
    return rows[0]?.value;
  }

  async write(key: string, value: T): Promise<void> {
    await this.db.$executeRaw`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${key}, ${jsonForDb(value)}::jsonb, now())
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()`;
  }

  async delete(key: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "BotSession" WHERE key = ${key}`;
  }
}
