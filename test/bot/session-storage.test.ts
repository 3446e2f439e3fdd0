// The session table as the bot uses it: many chats' sessions written at once (one statement per
// batch), a primed read taken once, and what another instance wrote seen on the next read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { SqlSessionStorage } from "../../bot/session-storage.ts";

type S = { step: string; n: number };

describe("session storage", () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(() => db.drop());

  const stored = async (key: string) => (await db.prisma.botSession.findUnique({ where: { key } }))?.value;

  it("writes of 60 chats at once are all stored, each with its own value", async () => {
    const s = new SqlSessionStorage<S>(db.hot);
    const keys = Array.from({ length: 60 }, (_, i) => `tg:${5000 + i}`);
    await Promise.all(keys.map((k, i) => s.write(k, { step: `s${i}`, n: i })));
    for (const [i, k] of keys.entries()) expect(await stored(k)).toEqual({ step: `s${i}`, n: i });
    // Written again at once: every row is updated, none duplicated.
    await Promise.all(keys.map((k, i) => s.write(k, { step: "again", n: -i })));
    expect(await db.prisma.botSession.count({ where: { key: { in: keys } } })).toBe(60);
    expect(await stored(keys[59]!)).toEqual({ step: "again", n: -59 });
  });

  it("one key written twice in one batch keeps the later value (no 'cannot affect row a second time')", async () => {
    const s = new SqlSessionStorage<S>(db.hot);
    // The first write goes alone; the three behind it are one batch, the key twice among them.
    await Promise.all([s.write("tg:1", { step: "a", n: 1 }), s.write("tg:2", { step: "b", n: 1 }), s.write("tg:2", { step: "b", n: 2 }), s.write("tg:3", { step: "c", n: 1 })]);
    expect(await stored("tg:2")).toEqual({ step: "b", n: 2 });
    expect(await stored("tg:3")).toEqual({ step: "c", n: 1 });
  });

  it("a primed value is read once; the next read sees what another instance wrote since", async () => {
    const a = new SqlSessionStorage<S>(db.hot);
    const b = new SqlSessionStorage<S>(db.hot);
    await a.write("tg:77", { step: "kind", n: 0 });
    a.prime("tg:77", { step: "kind", n: 0 });
    expect(await a.read("tg:77")).toEqual({ step: "kind", n: 0 });
    await b.write("tg:77", { step: "category", n: 1 });
    expect(await a.read("tg:77")).toEqual({ step: "category", n: 1 });
    // A prime left behind by an update that failed before its read does not outlive a write.
    a.prime("tg:77", { step: "stale", n: -1 });
    await a.write("tg:77", { step: "description", n: 2 });
    expect(await a.read("tg:77")).toEqual({ step: "description", n: 2 });
    a.prime("tg:78", undefined);
    expect(await a.read("tg:78")).toBeUndefined();
  });
});
