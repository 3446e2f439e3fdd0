// Works around a pool leak in Prisma 6.19's client engine with @prisma/adapter-pg: when the COMMIT
// or ROLLBACK statement of an interactive transaction fails (its connection was cut, e.g. by a
// PostgreSQL restart), Prisma never calls the adapter's commit()/rollback(), which is what returns
// the pooled client. A few cut connections exhaust the pool and every query then times out for good.
// Here a failed COMMIT/ROLLBACK releases the client with its error, so the pool drops it and
// reconnects. Shown by test/reliability/pg-restart.test.ts.
// Also: Prisma's query interpreter runs the parts of a "concat" plan with Promise.all, which inside an
// interactive transaction means several client.query() calls at once on its one pg client (pg queues
// them, and warns: "Calling client.query() when the client is already executing a query is
// deprecated", 13 times in the PostgreSQL suite). Here a transaction's statements run one at a time.
import type { PrismaPg } from "@prisma/adapter-pg";

interface Query {
  sql: string;
}
interface PgTx {
  client: { release(err?: Error | boolean): void };
  queryRaw(q: Query): Promise<unknown>;
  executeRaw(q: Query): Promise<number>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
interface Adapter {
  startTransaction(isolationLevel?: unknown): Promise<PgTx>;
}

export function releaseOnFailedEnd(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as unknown as Adapter;
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const tx = await start(isolationLevel);
      let released = false;
      // One statement at a time on the transaction's client, in the order Prisma issued them.
      let queue: Promise<unknown> = Promise.resolve();
      const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
        const turn = queue.then(run, run);
        queue = turn.catch(() => {});
        return turn;
      };
      const queryRaw = tx.queryRaw.bind(tx);
      tx.queryRaw = (q) => inTurn(() => queryRaw(q));
      const executeOne = tx.executeRaw.bind(tx);
      const execute = (q: Query) => inTurn(() => executeOne(q));
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.executeRaw = async (q) => {
        try {
          return await execute(q);
        } catch (err) {
          if (!released && /^\s*(COMMIT|ROLLBACK)\s*$/i.test(q.sql)) {
            released = true;
            // The adapter's 'error' listener stays on: the dying client may still emit.
            tx.client.release(err instanceof Error ? err : new Error(String(err)));
          }
          throw err;
        }
      };
      tx.commit = async () => {
        if (!released) (released = true), await commit();
      };
      tx.rollback = async () => {
        if (!released) (released = true), await rollback();
      };
      return tx;
    };
    return adapter as never;
  };
  return factory;
}
