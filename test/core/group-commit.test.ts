// Group commit: concurrent small writes go as one statement while another is in flight.
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../core/delivery/group-commit.ts";

/** A write the test finishes by hand, recording each batch it was given. */
function manualWrite() {
  const batches: number[][] = [];
  const finish: ((fail?: Error) => void)[] = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve, reject) => finish.push((fail) => (fail ? reject(fail) : resolve(items.map((i) => `r${i}`)))));
  };
  return { batches, finish, write };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("group commit", () => {
  it("writes a lone item at once, and what arrives meanwhile together, each caller with its own result", async () => {
    const w = manualWrite();
    const g = new GroupCommit(w.write);
    const first = g.add(1);
    expect(w.batches).toEqual([[1]]);
    const rest = [g.add(2), g.add(3), g.add(4)];
    await tick();
    expect(w.batches).toEqual([[1]]); // nothing more goes while the first is in flight
    w.finish[0]!();
    expect(await first).toBe("r1");
    await tick();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    w.finish[1]!();
    expect(await Promise.all(rest)).toEqual(["r2", "r3", "r4"]);
    // Idle again: the next item goes at once.
    const later = g.add(5);
    expect(w.batches.at(-1)).toEqual([5]);
    w.finish[2]!();
    expect(await later).toBe("r5");
  });

  it("a failed write fails every caller of that batch, and the next batch still goes", async () => {
    const w = manualWrite();
    const g = new GroupCommit(w.write);
    const a = g.add(1);
    const b = [g.add(2), g.add(3)];
    const c = g.add(4).catch((e: Error) => e.message);
    w.finish[0]!();
    await a;
    await tick();
    w.finish[1]!(new Error("connection cut"));
    await expect(Promise.all(b.map((p) => p.catch((e: Error) => e.message)))).resolves.toEqual(["connection cut", "connection cut"]);
    await tick();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    expect(await c).toBe("connection cut");
    const d = g.add(5);
    expect(w.batches.at(-1)).toEqual([5]);
    w.finish[2]!();
    expect(await d).toBe("r5");
  });

  it("splits what waits into batches of at most maxBatch", async () => {
    const w = manualWrite();
    const g = new GroupCommit(w.write, 2);
    const all = [1, 2, 3, 4, 5].map((i) => g.add(i));
    for (let i = 0; i < 3; i++) {
      await tick();
      w.finish[i]!();
    }
    expect(await Promise.all(all)).toEqual(["r1", "r2", "r3", "r4", "r5"]);
    expect(w.batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
