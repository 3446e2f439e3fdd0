// Plain SQL for the few statements every update runs (inbox and outbox bookkeeping). On PostgreSQL
// they go straight to the pg pool: a `$queryRaw` through Prisma's client runtime costs ~0.3 ms of
// CPU, the driver alone ~0.08 ms (bench/intake). On PGlite they stay on Prisma, because the
// embedded database is one connection that Prisma's transactions hold: a query beside them could
// land inside someone else's transaction.
import type pg from "pg";
import type { Db } from "./db.ts";

export interface HotSql {
  /** Rows of a statement; int8 columns come back as bigint on both databases. */
  query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /** Number of rows a statement changed. */
  exec(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: HotSql) => Promise<T>): Promise<T>;
}

type Raw = Pick<Db, "$queryRaw" | "$executeRaw">;

/** Prisma's raw queries; given a Prisma transaction client, its statements run in that transaction. */
export function prismaHotSql(db: Raw & Partial<Pick<Db, "$transaction">>): HotSql {
  return {
    query: <T>(strings: TemplateStringsArray, ...values: unknown[]) => db.$queryRaw<T[]>(strings, ...values),
    exec: (strings, ...values) => db.$executeRaw(strings, ...values),
    transaction: (fn) => {
      if (!db.$transaction) throw new Error("hot-sql: already inside a transaction");
      return db.$transaction((tx) => fn(prismaHotSql(tx)));
    },
  };
}

export const PG_INT8 = 20;
export const PG_TIMESTAMP = 1114;

/** A `timestamp(3)` value as PostgreSQL prints it, read as the UTC it holds (Prisma's convention). */
export const utcTimestampText = (t: string) => `${t.replace(" ", "T")}+00:00`;

/**
 * Same conventions as Prisma's: DateTime columns are `timestamp(3)` holding UTC, so a Date goes in
 * as its UTC ISO text and a timestamp comes out read as UTC, whatever the machine's time zone.
 */
export function poolHotSql(pool: pg.Pool, types: typeof pg.types): HotSql {
  const parsers = {
    getTypeParser: ((oid: number, format?: "text" | "binary") => {
      if (oid === PG_INT8) return (v: string) => BigInt(v);
      if (oid === PG_TIMESTAMP) return (v: string) => new Date(utcTimestampText(v));
      return types.getTypeParser(oid, format);
    }) as typeof types.getTypeParser,
  };
  const statement = (strings: TemplateStringsArray, values: unknown[]) => ({
    text: strings.reduce((t, s, i) => `${t}$${i}${s}`),
    values: values.map((v) => (v instanceof Date ? v.toISOString() : v)),
    types: parsers,
  });
  const on = (runner: pg.Pool | pg.PoolClient, transaction: HotSql["transaction"]): HotSql => ({
    query: async <T>(strings: TemplateStringsArray, ...values: unknown[]) => (await runner.query(statement(strings, values))).rows as T[],
    exec: async (strings, ...values) => (await runner.query(statement(strings, values))).rowCount ?? 0,
    transaction,
  });
  const nested: HotSql["transaction"] = () => {
    throw new Error("hot-sql: already inside a transaction");
  };
  return on(pool, async (fn) => {
    const client = await pool.connect();
    // A cut connection also emits 'error' on the client; the statement in flight rejects with it.
    const ignore = () => {};
    client.on("error", ignore);
    try {
      await client.query("BEGIN");
      const result = await fn(on(client, nested));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      // On a cut connection the ROLLBACK fails too; pg-pool then drops the client instead of lending
      // it again (it checks that the client is still queryable). test/core/hot-sql.test.ts shows it.
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.off("error", ignore);
      client.release();
    }
  });
}
