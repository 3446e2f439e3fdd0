// Plain SQL for the few statements every update runs (inbox and outbox bookkeeping). On PostgreSQL
// they go straight to the pg pool: a `$queryRaw` through Prisma's client runtime costs ~0.3 ms of
// CPU, the driver alone ~0.08 ms (bench/intake). On PGlite they stay on Prisma, because the
// embedded database is one connection that Prisma's transactions hold: a query beside them could
// land inside someone else's transaction.
import type pg from "pg";
import type { PrismaClient } from "./generated/prisma/client.ts";

export interface HotSql {
  /** Rows of a statement; int8 columns come back as bigint on both databases. */
  query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /** Number of rows a statement changed. */
  exec(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  /** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (tx: HotSql) => Promise<T>): Promise<T>;
}

type Raw = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

/** Prisma's raw queries; given a Prisma transaction client, its statements run in that transaction. */
export function prismaHotSql(db: Raw & Partial<Pick<PrismaClient, "$transaction">>): HotSql {
  return {
    query: <T>(strings: TemplateStringsArray, ...values: unknown[]) => db.$queryRaw<T[]>(strings, ...values),
    exec: (strings, ...values) => db.$executeRaw(strings, ...values),
    transaction: db.$transaction ? (fn) => db.$transaction!((tx) => fn(prismaHotSql(tx))) : alreadyInTransaction,
  };
}

/** The transaction() of statements that already run in one (no nesting, on either database). */
const alreadyInTransaction: HotSql["transaction"] = () => {
  throw new Error("hot-sql: already inside a transaction");
};

export const PG_INT8 = 20;
const WHOLE_ROW = /\b(SELECT|RETURNING)\s+([\w"]+\.)?\*/i;
/** feature_not_supported, raised as "cached plan must not change result type". */
const CACHED_PLAN_CHANGED = "0A000";
export const PG_TIMESTAMP = 1114;

/** A `timestamp(3)` value as PostgreSQL prints it, read as the UTC it holds (Prisma's convention). */
export const utcTimestampText = (t: string) => `${t.replace(" ", "T")}+00:00`;

/**
 * Same conventions as Prisma's: DateTime columns are `timestamp(3)` holding UTC, so a Date goes in
 * as its UTC ISO text and a timestamp comes out read as UTC, whatever the machine's time zone.
 */
export function poolHotSql(pool: pg.Pool, types: typeof pg.types, opts: { prepare?: boolean } = {}): HotSql {
  const parsers = {
    getTypeParser: ((oid: number, format?: "text" | "binary") => {
      if (oid === PG_INT8) return (v: string) => BigInt(v);
      if (oid === PG_TIMESTAMP) return (v: string) => new Date(utcTimestampText(v));
      return types.getTypeParser(oid, format);
    }) as typeof types.getTypeParser,
  };
  // Prepared statements: PostgreSQL parses and plans each once per connection instead of on every
  // call — planning cost it as much as running these statements did (bench/intake). A template
  // literal's strings are one object per call site, so the text and name are made once per site.
  // Whole-row selects (SELECT *, RETURNING *) stay unprepared: a migration that adds a column would
  // make their cached plans fail ("cached plan must not change result type").
  const sites = new WeakMap<TemplateStringsArray, { text: string; name?: string }>();
  let named = 0;
  const site = (strings: TemplateStringsArray) => {
    let s = sites.get(strings);
    if (!s) {
      const text = strings.reduce((t, part, i) => `${t}$${i}${part}`);
      s = { text, name: opts.prepare !== false && !WHOLE_ROW.test(text) ? `hot${++named}` : undefined };
      sites.set(strings, s);
    }
    return s;
  };
  const run = async (runner: pg.Pool | pg.PoolClient, strings: TemplateStringsArray, values: unknown[]) => {
    const s = site(strings);
    const statement = { text: s.text, name: s.name, values: values.map((v) => (v instanceof Date ? v.toISOString() : v)), types: parsers };
    try {
      return await runner.query(statement);
    } catch (err) {
      // The table changed under a prepared statement (a migration by a newer instance): this call
      // site goes unprepared from now on. Outside a transaction the statement is tried again at once;
      // inside one it cannot be (the transaction is aborted), the caller's retry will succeed.
      if (!s.name || (err as { code?: string }).code !== CACHED_PLAN_CHANGED) throw err;
      s.name = undefined;
      if (runner !== pool) throw err;
      return await runner.query({ ...statement, name: undefined });
    }
  };
  const on = (runner: pg.Pool | pg.PoolClient, transaction: HotSql["transaction"]): HotSql => ({
    query: async <T>(strings: TemplateStringsArray, ...values: unknown[]) => (await run(runner, strings, values)).rows as T[],
    exec: async (strings, ...values) => (await run(runner, strings, values)).rowCount ?? 0,
    transaction,
  });
  return on(pool, async (fn) => {
    const client = await pool.connect();
    // A cut connection also emits 'error' on the client; the statement in flight rejects with it.
    const ignore = () => {};
    client.on("error", ignore);
    try {
      await client.query("BEGIN");
      const result = await fn(on(client, alreadyInTransaction));
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

/**
 * The columns of a model as the generated client knows them, under `alias`, each named
 * "<alias>.<field>" in the result (rowOf takes the row back out), for statements that read whole
 * rows, alone or several models joined: spelled out instead of `*`, they can be prepared — a column
 * a later migration adds changes neither their result nor the type the code was compiled against.
 * Field names are the column names (the schema uses no @map; a field that did would fail loudly in
 * every test).
 */
export const aliasedColumnsOf = (fields: Record<string, string>, alias: string): string =>
  Object.values(fields)
    .map((f) => `${alias}."${f}" AS "${alias}.${f}"`)
    .join(", ");

/** The row aliasedColumnsOf selected under `alias`, or null when its outer join found none (no id). */
export function rowOf<T>(row: Record<string, unknown>, fields: Record<string, string>, alias: string): T | null {
  if (row[`${alias}.id`] === null || row[`${alias}.id`] === undefined) return null;
  return Object.fromEntries(Object.values(fields).map((f) => [f, row[`${alias}.${f}`]])) as T;
}

/** A tagged-template strings object built at run time (made once per statement: it is the cache key). */
export function sqlTemplate(...parts: string[]): TemplateStringsArray {
  return Object.assign([...parts], { raw: [...parts] }) as unknown as TemplateStringsArray;
}
