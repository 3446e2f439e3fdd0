// Database.hot runs the per-update statements: on PostgreSQL straight on the pg pool, on PGlite
// through Prisma. Both must read and write exactly what Prisma does — bigint ids, UTC timestamps
// whatever the machine's time zone, jsonb, arrays — or the inbox, outbox and sessions would drift.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase, testDbKind, type TestDb } from "../helpers/db.ts";
import { skipBecause, POSTGRES_ONLY } from "../helpers/skip.ts";
import { enqueueWith } from "../../core/delivery/outbox.ts";
import pg from "pg";
import { aliasedColumnsOf, poolHotSql, rowOf, sqlTemplate } from "../../core/db/hot-sql.ts";
import { Prisma } from "../../core/db/generated/prisma/client.ts";
import { scratchPg } from "../helpers/scratchPg.ts";

let db: TestDb;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe(`hot SQL (${testDbKind()})`, () => {
  it("bigint columns come back as bigint, int as number, jsonb parsed", async () => {
    const big = 9_007_199_254_740_993n; // beyond Number's exact range
    await db.hot.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${"k1"}, ${JSON.stringify({ a: [1, "二"] })}::jsonb, now())`;
    await enqueueWith(db.hot.query, { chatId: big, payload: { text: "你好" }, dedupeKey: "hot:1" });
    const [row] = await db.hot.query<{ id: number; chatId: bigint; payload: unknown; attempts: number }>`SELECT id, "chatId", payload, attempts FROM "OutboxMessage" WHERE "dedupeKey" = ${"hot:1"}`;
    expect(typeof row!.id).toBe("number");
    expect(row!.chatId).toBe(big);
    expect(row!.payload).toEqual({ text: "你好" });
    const [s] = await db.hot.query<{ value: unknown }>`SELECT value FROM "BotSession" WHERE key = ${"k1"}`;
    expect(s!.value).toEqual({ a: [1, "二"] });
    // The same row through Prisma agrees.
    expect((await db.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "hot:1" } })).chatId).toBe(big);
  });

  it("timestamps are UTC both ways, also when the process runs in another time zone", async () => {
    const tz = process.env.TZ;
    process.env.TZ = "Asia/Shanghai";
    try {
      const at = new Date("2026-11-25T01:02:03.456Z");
      await enqueueWith(db.hot.query, { chatId: 1, payload: { text: "t" }, dedupeKey: "hot:2" });
      expect(await db.hot.exec`UPDATE "OutboxMessage" SET "nextAttemptAt" = ${at} WHERE "dedupeKey" = ${"hot:2"}`).toBe(1);
      // Written by hot SQL, read by Prisma; and the other way round.
      expect((await db.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: "hot:2" } })).nextAttemptAt?.toISOString()).toBe(at.toISOString());
      const later = new Date("2026-11-25T23:59:59.001Z");
      await db.prisma.outboxMessage.update({ where: { dedupeKey: "hot:2" }, data: { leaseUntil: later } });
      const [r] = await db.hot.query<{ leaseUntil: Date; nextAttemptAt: Date }>`SELECT "leaseUntil", "nextAttemptAt" FROM "OutboxMessage" WHERE "dedupeKey" = ${"hot:2"}`;
      expect(r!.leaseUntil.toISOString()).toBe(later.toISOString());
      expect(r!.nextAttemptAt.toISOString()).toBe(at.toISOString());
      // And a comparison against a Date parameter means the same instant.
      const [n] = await db.hot.query<{ n: number }>`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "dedupeKey" = ${"hot:2"} AND "nextAttemptAt" = ${at}`;
      expect(n!.n).toBe(1);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it("an enqueue of several rows with nulls and a duplicate key inserts the new ones only", async () => {
    const first = await enqueueWith(db.hot.query, [
      { chatId: 5, payload: { text: "a" }, dedupeKey: "hot:3" },
      { chatId: 5, method: "editMessageReplyMarkup", payload: { message_id: 1, reply_markup: { inline_keyboard: [] } }, dedupeKey: "hot:4" },
      { chatId: 6, payload: { text: 'quote " and \\ backslash, {braces}' } },
    ]);
    expect(first).toEqual(["hot:3", "hot:4"]);
    expect(await enqueueWith(db.hot.query, { chatId: 5, payload: { text: "a" }, dedupeKey: "hot:3" })).toEqual([]);
    const rows = await db.prisma.outboxMessage.findMany({ where: { chatId: { in: [5n, 6n] } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.chatId, r.method, r.dedupeKey, r.caseId])).toEqual([
      [5n, "sendMessage", "hot:3", null],
      [5n, "editMessageReplyMarkup", "hot:4", null],
      [6n, "sendMessage", null, null],
    ]);
    expect(rows[2]!.payload).toEqual({ text: 'quote " and \\ backslash, {braces}' });
  });

  it("a transaction commits what it wrote when it returns, and nothing when it throws", async () => {
    const keys = async () => (await db.hot.query<{ key: string }>`SELECT key FROM "BotSession" WHERE key LIKE ${"tx:%"} ORDER BY key`).map((r) => r.key);
    const out = await db.hot.transaction(async (tx) => {
      await tx.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${"tx:a"}, '{}'::jsonb, now())`;
      const [r] = await tx.query<{ n: number }>`SELECT count(*)::int AS n FROM "BotSession" WHERE key = ${"tx:a"}`;
      return r!.n;
    });
    expect(out).toBe(1);
    await expect(
      db.hot.transaction(async (tx) => {
        await tx.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${"tx:b"}, '{}'::jsonb, now())`;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    // A failing statement rolls back the statements before it.
    await expect(
      db.hot.transaction(async (tx) => {
        await tx.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${"tx:c"}, '{}'::jsonb, now())`;
        await tx.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${"tx:a"}, '{}'::jsonb, now())`;
      }),
    ).rejects.toThrow();
    expect(await keys()).toEqual(["tx:a"]);
    await expect(db.hot.transaction((tx) => tx.transaction(async () => 1))).rejects.toThrow(/already inside a transaction/);
    // The connection is usable afterwards (nothing left open on it).
    expect(await db.hot.transaction(async (tx) => (await tx.query<{ one: number }>`SELECT 1 AS one`)[0]!.one)).toBe(1);
  });

  it.skipIf(skipBecause(testDbKind() !== "postgres", POSTGRES_ONLY))("a transaction whose connection is cut fails, and the pool lends a working one next", async () => {
    const err = await db.hot
      .transaction(async (tx) => {
        await tx.exec`INSERT INTO "BotSession" (key, value, "updatedAt") VALUES (${"cut:a"}, '{}'::jsonb, now())`;
        await tx.query`SELECT pg_terminate_backend(pg_backend_pid())`;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(await db.hot.query`SELECT key FROM "BotSession" WHERE key = ${"cut:a"}`).toEqual([]);
    // Every pooled connection still answers (the dead one was dropped, not lent again).
    const answers = await Promise.all(Array.from({ length: 8 }, () => db.hot.transaction(async (tx) => (await tx.query<{ one: number }>`SELECT 1 AS one`)[0]!.one)));
    expect(answers).toEqual(Array(8).fill(1));
  });

  it("a whole row read with the model's columns spelled out and aliased equals what Prisma reads; an absent one is null", async () => {
    const r = await db.prisma.resident.create({ data: { telegramUserId: 9_007_199_254_740_993n, chatId: 5n, name: "王五", status: "verified", blockedAt: new Date("2026-11-25T01:02:03.004Z") } });
    const byUser = sqlTemplate(`SELECT ${aliasedColumnsOf(Prisma.ResidentScalarFieldEnum, "r")} FROM (SELECT `, `::bigint AS u) w LEFT JOIN "Resident" r ON r."telegramUserId" = w.u`);
    const [row] = await db.hot.query<Record<string, unknown>>(byUser, r.telegramUserId);
    expect(rowOf(row!, Prisma.ResidentScalarFieldEnum, "r")).toEqual(r);
    const [none] = await db.hot.query<Record<string, unknown>>(byUser, 1n);
    expect(rowOf(none!, Prisma.ResidentScalarFieldEnum, "r")).toBeNull();
    if (testDbKind() === "postgres") {
      // Prepared on the connection that ran it (a plain SELECT * would not be).
      const onConnection = await db.hot.transaction(async (tx) => {
        await tx.query(byUser, r.telegramUserId);
        return (await tx.query<{ statement: string }>`SELECT statement FROM pg_prepared_statements`).map((p) => p.statement);
      });
      expect(onConnection.some((st) => st.startsWith('SELECT r."id" AS "r.id", r."telegramUserId"'))).toBe(true);
    }
  });

  describe.skipIf(skipBecause(testDbKind() !== "postgres", POSTGRES_ONLY))("prepared statements", () => {
    // One connection, so what a call prepares is visible to the next call.
    const onePool = async (prepare: boolean) => {
      const scratch = await scratchPg(process.env.TEST_DATABASE_URL!, "hot_prepared");
      const pool = new pg.Pool({ connectionString: scratch.url, max: 1 });
      // Dropping the database (FORCE) can reach a connection that pool.end() has let go of but that
      // is still closing: its "terminating connection" is expected here, not a failure. Like the
      // service's own pool (core/db/db.ts), this one listens for such errors.
      const ignore = () => {};
      pool.on("error", ignore);
      pool.on("connect", (client) => client.on("error", ignore));
      return { sql: poolHotSql(pool, pg.types, { prepare }), pool, drop: async () => (await pool.end(), await scratch.drop()) };
    };
    const prepared = (sql: ReturnType<typeof poolHotSql>) => sql.query<{ statement: string }>`SELECT statement FROM pg_prepared_statements ORDER BY statement`;

    it("are made once per call site, not for whole-row selects, and not when turned off", async () => {
      for (const prepare of [true, false]) {
        const p = await onePool(prepare);
        try {
          await p.sql.exec`CREATE TABLE t (a int, b text)`;
          const put = (a: number) => p.sql.exec`INSERT INTO t (a, b) VALUES (${a}, ${String(a)})`;
          const whole = () => p.sql.query`SELECT * FROM t`;
          for (let i = 0; i < 3; i++) await put(i);
          expect(await whole()).toHaveLength(3);
          const statements = (await prepared(p.sql)).map((r) => r.statement);
          if (prepare) {
            // The insert site and the pg_prepared_statements query itself; never the SELECT *.
            expect(statements.filter((s) => s.startsWith("INSERT INTO t"))).toHaveLength(1);
            expect(statements.some((s) => s.includes("SELECT * FROM t"))).toBe(false);
          } else {
            expect(statements).toEqual([]);
          }
        } finally {
          await p.drop();
        }
      }
    });

    it("a call site whose table changed under it goes on unprepared instead of failing for good", async () => {
      const p = await onePool(true);
      try {
        await p.sql.exec`CREATE TABLE t (a int)`;
        await p.sql.exec`INSERT INTO t VALUES (1)`;
        const read = () => p.sql.query<{ a: unknown }>`SELECT a FROM t`;
        expect(await read()).toEqual([{ a: 1 }]);
        // A migration by another instance changes the column's type.
        await p.sql.exec`ALTER TABLE t ALTER COLUMN a TYPE text`;
        expect(await read()).toEqual([{ a: "1" }]);
        expect(await read()).toEqual([{ a: "1" }]);
        // Inside a transaction the failing statement cannot be retried; the next attempt works.
        const txRead = (tx: ReturnType<typeof poolHotSql>) => tx.query<{ a: unknown }>`SELECT a FROM t`;
        expect(await p.sql.transaction(txRead)).toEqual([{ a: "1" }]);
        await p.sql.exec`ALTER TABLE t ALTER COLUMN a TYPE int USING a::int`;
        await expect(p.sql.transaction(txRead)).rejects.toThrow(/cached plan/);
        expect(await p.sql.transaction(txRead)).toEqual([{ a: 1 }]);
      } finally {
        await p.drop();
      }
    });
  });
});
