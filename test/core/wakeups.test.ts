// The web process's NOTIFY: a burst of enqueues must not become a burst of statements, and a failed
// NOTIFY only logs (the worker's polling picks the work up).
import { describe, expect, it } from "vitest";
import { wakeNotifier } from "../../core/delivery/wakeups.ts";
import { silentLogger } from "../../core/logger.ts";
import type { HotSql } from "../../core/db/hot-sql.ts";

// Records the channel of each pg_notify; each statement finishes when the test says so.
function fakeDb(fail = false) {
  const sent: string[] = [];
  let release: (() => void)[] = [];
  const db: HotSql = {
    query: () => Promise.reject(new Error("not used")),
    transaction: () => Promise.reject(new Error("not used")),
    exec: (strings, ...values) => {
      expect(strings.join("?")).toBe("SELECT pg_notify(?, '')");
      sent.push(`NOTIFY ${String(values[0])}`);
      return new Promise<number>((resolve, reject) => release.push(() => (fail ? reject(new Error("connection cut")) : resolve(1))));
    },
  };
  const finishAll = async () => {
    const r = release;
    release = [];
    r.forEach((f) => f());
    await new Promise((x) => setTimeout(x, 0));
  };
  return { db, sent, finishAll };
}

describe("wake-up notifier", () => {
  it("folds calls made while a NOTIFY is in flight into one more, per channel", async () => {
    const f = fakeDb();
    const notify = wakeNotifier(f.db, silentLogger);
    for (let i = 0; i < 50; i++) notify("outbox_wake");
    notify("inbox_wake");
    expect(f.sent).toEqual(["NOTIFY outbox_wake", "NOTIFY inbox_wake"]);
    await f.finishAll();
    // The 49 calls during the first NOTIFY: one more, so nothing enqueued meanwhile waits for a poll.
    expect(f.sent).toEqual(["NOTIFY outbox_wake", "NOTIFY inbox_wake", "NOTIFY outbox_wake"]);
    await f.finishAll();
    expect(f.sent).toHaveLength(3);
    notify("outbox_wake");
    expect(f.sent).toHaveLength(4);
  });

  it("a failed NOTIFY does not throw and the next call tries again", async () => {
    const f = fakeDb(true);
    const notify = wakeNotifier(f.db, silentLogger);
    notify("inbox_wake");
    await f.finishAll();
    notify("inbox_wake");
    expect(f.sent).toEqual(["NOTIFY inbox_wake", "NOTIFY inbox_wake"]);
  });
});
