// The front door as a Telegram Mini App: launch data (initData) signed with the bot's token signs
// the bot's resident in; forged, expired, replayed or unregistered launch data is refused.
import { describe, expect, it } from "vitest";
import { sign } from "@telegram-apps/init-data-node";
import { FRONTDOOR_SECRET, withFrontDoor } from "./fixture.ts";
import { startService } from "../reliability/service.ts";

const e = withFrontDoor();

async function post(initData: string) {
  const res = await fetch(`${e.svc.base}/r/tg`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ initData }) });
  return { status: res.status, body: (await res.json()) as { ok?: boolean; next?: string; error?: string; message?: string }, cookie: res.headers.getSetCookie().find((c) => c.startsWith("rd_s=")) };
}

describe("Telegram Mini App", () => {
  it("valid initData signs the bot's resident in; forged, expired, replayed and unknown users are refused", async () => {
    const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    await e.db.prisma.resident.create({ data: { telegramUserId: 777001n, chatId: 777001n, name: "小张", language: "zh-Hans", status: "verified", estateId: estate.id } });
    const user = { id: 777001, first_name: "小张" };

    const page = await fetch(`${e.svc.base}/r/app`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    // The script is inlined (one round trip less on a slow line) and allowed by its hash only.
    expect(await page.text()).toContain("tgWebAppData");
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'/);

    const good = sign({ user }, e.api.token, new Date());
    const ok = await post(good);
    expect(ok).toMatchObject({ status: 200, body: { ok: true, next: "/r/file" } });
    const form = await fetch(`${e.svc.base}/r/file`, { headers: { cookie: ok.cookie!.split(";")[0]!, accept: "text/html" } });
    expect(await form.text()).toContain("我要报修/投诉");

    const replay = await post(good);
    expect(replay).toMatchObject({ status: 401, body: { error: "replayed_init_data" } });
    expect(replay.cookie).toBeUndefined();

    const forged = await post(sign({ user }, "123456:another-bot-token-AAAAAAAAAAAA", new Date()));
    expect(forged).toMatchObject({ status: 401, body: { error: "invalid_init_data", message: expect.stringContaining("无法确认您的 Telegram 身份") } });
    const tampered = await post(sign({ user }, e.api.token, new Date()).replace("777001", "777002"));
    expect(tampered.status).toBe(401);
    const expired = await post(sign({ user }, e.api.token, new Date(Date.now() - 2 * 3600_000)));
    expect(expired).toMatchObject({ status: 401, body: { error: "invalid_init_data" } });
    expect((await post("")).status).toBe(401);

    const stranger = await post(sign({ user: { id: 999001, first_name: "路人" } }, e.api.token, new Date()));
    expect(stranger).toMatchObject({ status: 404, body: { error: "not_registered", message: expect.stringContaining("/start") } });
    expect(stranger.cookie).toBeUndefined();
  });

  it("the same initData through a second app instance on the same database is refused (replays are kept in the database), and housekeeping drops expired ones", async () => {
    const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    await e.db.prisma.resident.create({ data: { telegramUserId: 777101n, chatId: 777101n, name: "小李", language: "zh-Hans", status: "verified", estateId: estate.id } });
    const second = await startService(e.db, e.api, { env: { FRONTDOOR_SECRET } });
    try {
      const initData = sign({ user: { id: 777101, first_name: "小李" } }, e.api.token, new Date());
      const at = async (base: string) => (await fetch(`${base}/r/tg`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ initData }) })).json();
      expect(await at(e.svc.base)).toMatchObject({ ok: true });
      expect(await at(second.base)).toMatchObject({ error: "replayed_init_data" });
      expect(await e.db.prisma.miniAppLaunch.count()).toBeGreaterThan(0);
      // Nightly housekeeping, two hours on: every launch hash has expired and goes.
      const { housekeepingJob } = await import("../../jobs/housekeeping.ts");
      const report = await housekeepingJob(e.db.prisma, { now: () => new Date(Date.now() + 2 * 3600_000) }).run();
      expect(report).toMatchObject({ miniAppLaunchesPurged: expect.any(Number) });
      expect(await e.db.prisma.miniAppLaunch.count()).toBe(0);
    } finally {
      await second.close();
    }
  });
});
