// Vitest hooks for the reliability files (kept apart from service.ts, which the benches import too).
import { afterAll, beforeAll } from "vitest";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { giveChats, startService, type Running } from "./service.ts";

/**
 * The usual set-up of a reliability file: a fake Telegram, a fresh database with the demo district
 * (and, with `chats`, chats for the liaisons and offices), the whole service on them; torn down after.
 * `tune` adjusts the fake Telegram before the service starts.
 */
export function withService(o: { chats?: boolean; tune?: (api: FakeBotApi) => void } = {}): { db: TestDb; api: FakeBotApi; svc: Running } {
  const env = {} as { db: TestDb; api: FakeBotApi; svc: Running };
  beforeAll(async () => {
    env.api = new FakeBotApi();
    await env.api.start();
    o.tune?.(env.api);
    env.db = await testDatabase();
    await seedDemo(env.db.prisma);
    if (o.chats) await giveChats(env.db.prisma);
    env.svc = await startService(env.db, env.api);
  });
  afterAll(async () => {
    await env.svc?.close();
    await env.db?.drop();
    await env.api?.stop();
  });
  return env;
}
