// grammY session storage on the BotSession table: drafts and flow steps survive restarts and are
// shared by every instance reading the same database.
import type { StorageAdapter } from "grammy";
import type { Prisma } from "../core/generated/prisma/client.ts";
import type { Db } from "../core/db.ts";

export class PrismaSessionStorage<T> implements StorageAdapter<T> {
  constructor(private readonly db: Db) {}

  async read(key: string): Promise<T | undefined> {
    const row = await this.db.botSession.findUnique({ where: { key } });
    return row ? (row.value as T) : undefined;
  }

  async write(key: string, value: T): Promise<void> {
    const json = value as unknown as Prisma.InputJsonValue;
    await this.db.botSession.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
  }

  async delete(key: string): Promise<void> {
    await this.db.botSession.deleteMany({ where: { key } });
  }
}
