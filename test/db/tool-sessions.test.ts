// The owner's queue for the npm tools' connections (core/db/pglite-sessions.ts). Seen in
// embedded-tools on a busy machine: a tool that gave up while it waited for the database (its connect
// timeout) left the database locked after the owner's transaction ended — the service answered no one.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SessionQueue, simpleQuery } from "../../core/db/pglite-sessions.ts";
import { PGLITE_ONLY, skipBecause } from "../helpers/skip.ts";
import { testDbKind } from "../helpers/db.ts";

let pg: PGlite;
beforeAll(async () => {
  pg = await PGlite.create("memory://");
  await pg.exec("CREATE TABLE t (v text)");
});
afterAll(() => pg.close());

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (database left locked)`)), ms))]);

it.skipIf(skipBecause(testDbKind() !== "pglite", PGLITE_ONLY))("a tool that disconnects while waiting for the service's transaction leaves the database free, and that transaction whole", async () => {
  const queue = new SessionQueue(pg);
  let release!: () => void;
  const serviceTx = pg.transaction(async (tx) => {
    await tx.exec("INSERT INTO t VALUES ('service')");
    await new Promise<void>((r) => (release = r));
  });
  await new Promise((r) => setTimeout(r, 20));
  // The tool's statement waits for the service's transaction…
  const tool = queue.enqueue(1, simpleQuery("INSERT INTO t VALUES ('tool')"), () => {});
  await new Promise((r) => setTimeout(r, 20));
  // …and the tool goes away meanwhile (pglite-socket's detach calls these two).
  queue.clearQueueForHandler(1);
  await queue.clearTransactionIfNeeded(1);
  release();
  await within(serviceTx, 5_000, "the service's transaction");
  await expect(tool).rejects.toThrow(/disconnected/);
  // The service goes on: a query and a transaction both answer.
  await within(pg.query("SELECT 1"), 5_000, "a query after the tool left");
  await within(pg.transaction((tx) => tx.exec("INSERT INTO t VALUES ('after')")), 5_000, "a transaction after the tool left");
  const rows = (await pg.query<{ v: string }>("SELECT v FROM t ORDER BY v")).rows.map((r) => r.v);
  expect(rows).toEqual(["after", "service"]);
  // A later tool connection is served too.
  await within(queue.enqueue(2, simpleQuery("SELECT 1"), () => {}), 5_000, "the next tool");
});
