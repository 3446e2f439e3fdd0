import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { createApp } from "../../api/app.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import { InboxWorker, type Update } from "../../core/delivery/inbox.ts";
import { silentLogger } from "../../core/logger.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";

const SECRET = "test-secret-0123456789";
const update = (id: number): Update => ({
  update_id: id,
  message: { message_id: 1, date: 1, chat: { id: 77, type: "private" }, from: { id: 77, is_bot: false, first_name: "A" }, text: "/start" },
});

describe("telegram webhook", () => {
  let db: TestDb;
  let inbox: InboxWorker;
  let app: ReturnType<typeof createApp>;
  const handled: number[] = [];
  beforeAll(async () => {
    db = await testDatabase();
    inbox = new InboxWorker({ db: db.prisma, handle: async (u) => void handled.push(u.update_id) });
    app = createApp({ db: db.prisma, log: silentLogger, webhook: { inbox, secret: SECRET }, botOn: true, botMode: "webhook" });
  });
  afterAll(async () => db.drop());
  beforeEach(async () => {
    await db.prisma.inboundUpdate.deleteMany();
    handled.length = 0;
  });

  it("stores a genuine update and answers 200 before handling it", async () => {
    const res = await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update(10));
    expect(res.status).toBe(200);
    expect(handled).toEqual([]);
    expect(await db.prisma.inboundUpdate.count({ where: { status: "pending" } })).toBe(1);
    await inbox.drain();
    expect(handled).toEqual([10]);
  });

  it("stores a re-delivered update once", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update(11));
      expect(res.status).toBe(200);
    }
    await inbox.drain();
    expect(handled).toEqual([11]);
  });

  it.each([
    ["no secret", undefined],
    ["a wrong secret", "wrong-secret-0123456789"],
    ["a secret that is a prefix", SECRET.slice(0, -1)],
  ])("refuses a call with %s: 401, nothing stored", async (_label, secret) => {
    let req = request(app).post(WEBHOOK_PATH);
    if (secret) req = req.set("X-Telegram-Bot-Api-Secret-Token", secret);
    const res = await req.send(update(12));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("unauthorized");
    expect(await db.prisma.inboundUpdate.count()).toBe(0);
  });

  it("rejects malformed JSON with 400 and no stack trace", async () => {
    const res = await request(app)
      .post(WEBHOOK_PATH)
      .set("X-Telegram-Bot-Api-Secret-Token", SECRET)
      .set("content-type", "application/json")
      .send('{"update_id": 1, "message": {');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "bad_request", message: "malformed JSON" });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts/);
    expect(await db.prisma.inboundUpdate.count()).toBe(0);
  });

  it("rejects JSON that is not an update", async () => {
    const res = await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send({ hello: "x" });
    expect(res.status).toBe(400);
    expect(await db.prisma.inboundUpdate.count()).toBe(0);
  });

  it("rejects an oversized body with 413", async () => {
    const big = { ...update(13), message: { ...(update(13).message as object), text: "x".repeat(2 * 1024 * 1024) } };
    const res = await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(big);
    expect(res.status).toBe(413);
    expect(await db.prisma.inboundUpdate.count()).toBe(0);
  });

  it("answers Telegram's calls with JSON and times them by outcome in the metrics", async () => {
    const ok = await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update(14));
    expect(ok.headers["content-type"]).toMatch(/^application\/json/);
    expect(ok.body).toEqual({ ok: true, duplicate: false });
    expect((await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send(update(14))).body).toEqual({ ok: true, duplicate: true });
    await request(app).post(WEBHOOK_PATH).send(update(15));
    const metrics = (await request(app).get("/metrics")).text;
    const count = (status: number) => Number(new RegExp(`http_request_duration_seconds_count\\{method="POST",route="${WEBHOOK_PATH}",status="${status}"\\} (\\d+)`).exec(metrics)?.[1]);
    expect(count(200)).toBeGreaterThanOrEqual(2);
    expect(count(401)).toBeGreaterThanOrEqual(1);
  });

  it("answers health and readiness", async () => {
    expect((await request(app).get("/healthz")).body).toEqual({ status: "ok" });
    expect((await request(app).get("/readyz")).body).toEqual({ status: "ready", database: "ok" });
    const status = await request(app).get("/status.json");
    expect(status.body.bot).toBe("webhook");
    expect((await request(app).get("/nope")).status).toBe(404);
  });
});
