import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbRunCoordinator } from "../../jobs/coordinator.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

describe("job run coordinator", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(async () => db.drop());

  it("lets exactly one of several instances run each slot", async () => {
    const instances = ["a", "b", "c"].map((o) => dbRunCoordinator(db.prisma, o));
    const slots = ["digest:2026-05-06T01:00:00.000Z", "digest:2026-05-07T01:00:00.000Z", "sweep:2026-05-06T01:05:00.000Z"];
    for (const key of slots) {
      const votes = await Promise.all(instances.map((c) => c.shouldRun(key, 60_000)));
      expect(votes.filter(Boolean)).toHaveLength(1);
      const winner = instances[votes.indexOf(true)]!;
      await winner.onComplete?.(key);
    }
    const rows = await db.prisma.jobRun.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((r) => r.key)).toEqual([...slots].sort());
    expect(rows.every((r) => r.finishedAt !== null)).toBe(true);
  });
});
