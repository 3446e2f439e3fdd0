// First run: with no staff user a one-time setup link creates the first admin (once only); / is the
// public landing page, /status the status page; PUBLIC_BASE_URL follows PORT when unset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";
import { setupTokenIfNeeded } from "../../core/directory/setup.ts";
import { loadConfig } from "../../core/config.ts";

let f: OfficeFixture;
beforeAll(async () => {
  f = await officeApp();
  // A fresh install: no staff at all.
  await f.db.prisma.webSession.deleteMany();
  await f.db.prisma.staffUser.deleteMany();
}, 240_000);
afterAll(async () => f?.db.drop());

describe("first run", () => {
  it("the setup link creates the first admin once, then is refused", async () => {
    const token = (await setupTokenIfNeeded(f.db.prisma))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const form = await request(f.app).get(`/setup?token=${token}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain("创建第一个管理员账户");

    const short = await request(f.app).post("/setup").type("form").send({ token, username: "boss", password: "short" });
    expect(short.status).toBe(400);
    expect(short.text).toContain("密码至少 10 个字符");
    expect(await f.db.prisma.staffUser.count()).toBe(0);

    const ok = await request(f.app).post("/setup").type("form").send({ token, username: "boss", displayName: "王主任", password: "a-long-enough-password" });
    expect(ok.status).toBe(303);
    const boss = await f.db.prisma.staffUser.findUniqueOrThrow({ where: { username: "boss" } });
    expect(boss.role).toBe("admin");

    const again = await request(f.app).post("/setup").type("form").send({ token, username: "mallory", password: "another-long-password" });
    expect(again.status).toBe(410);
    expect((await request(f.app).get(`/setup?token=${token}`)).status).toBe(410);
    expect(await f.db.prisma.staffUser.count()).toBe(1);
    // With a staff user, no new link is offered.
    expect(await setupTokenIfNeeded(f.db.prisma)).toBeNull();

    const agent = request.agent(f.app);
    const login = await agent.get("/login");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    const done = await agent.post("/login").type("form").send({ username: "boss", password: "a-long-enough-password", _csrf: csrf, next: "/dashboard/cases" });
    expect(done.headers.location).toBe("/dashboard/cases");
  });

  it("a made-up token is refused", async () => {
    expect((await request(f.app).get("/setup?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAA")).status).toBe(410);
    expect((await request(f.app).get("/setup")).status).toBe(410);
  });

  it("/ is the public landing page, /status the status page", async () => {
    const home = await request(f.app).get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("和平小区");
    expect(home.text).toContain('href="/login"');
    expect(home.text).toContain("居民如何使用");
    const en = await request(f.app).get("/?lang=en");
    expect(en.text).toContain("How residents reach us");
    const status = await request(f.app).get("/status");
    expect(status.status).toBe(200);
    expect(status.text).toContain("各状态案件数");
    expect((await request(f.app).get("/status?lang=en")).text).toContain("Cases by state");
  });

  it("PUBLIC_BASE_URL defaults to the configured port", () => {
    expect(loadConfig({ PORT: "4123" }).PUBLIC_BASE_URL).toBe("http://localhost:4123");
    expect(loadConfig({ PORT: "4123", PUBLIC_BASE_URL: "https://x.example.org/" }).PUBLIC_BASE_URL).toBe("https://x.example.org");
  });
});
