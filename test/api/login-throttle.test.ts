// Lockout that cannot be used against staff (issue 24.4): failed logins pause a username from one
// address only, for longer each time; the account's open sessions stay valid and its holder logs in
// from their own address; the holder's office hears of the first pause in its chat (outbox) and the
// holder sees a banner at the next login; an admin lifts the pause on the staff page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { createAuth } from "../../api/auth.ts";
import { createStaffUser } from "../../core/directory/staff.ts";

const ATTACKER = "203.0.113.9";
const OWN = "198.51.100.7";
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

async function login(f: OfficeFixture, username: string, password = PASSWORD) {
  const agent = request.agent(f.app);
  const form = await agent.get("/login");
  const res = await agent.post("/login").type("form").send({ username, password, _csrf: csrfOf(form.text), next: "/dashboard/cases" });
  return { agent, res };
}

describe("failed logins: paused per username and address, never against the account", () => {
  let f: OfficeFixture;
  let auth: ReturnType<typeof createAuth>;
  beforeAll(async () => {
    f = await officeApp();
    await createStaffUser(f.db.prisma, { username: "clerk", password: PASSWORD, role: "street", street: "dongcheng", displayName: "王文员" });
    await createStaffUser(f.db.prisma, { username: "boss", password: PASSWORD, role: "admin", displayName: "管理员" });
    await f.db.prisma.office.updateMany({ where: { level: "street", street: { code: "dongcheng" } }, data: { chatId: -100777 } });
    // The same login the dashboard form uses, with the caller's address given (the form passes req.ip).
    auth = createAuth({ db: f.db.prisma, clock: f.clock, sessionTtlHours: 12, maxFailures: 3, lockMinutes: 15, secureCookies: false, timezone: "Asia/Shanghai" });
  }, 180_000); // a migrated, seeded database: slow while the machine is shared
  afterAll(async () => f?.db.drop());

  it("pauses the attacker's address only, longer each time; the clerk's session and own address still work; the office is told once", async () => {
    const { agent: clerk } = await login(f, "clerk");
    expect((await clerk.get("/dashboard/cases")).status).toBe(200);

    expect(await auth.login("clerk", "wrong-password!", ATTACKER)).toMatchObject({ ok: false, reason: "bad" });
    expect(await auth.login("clerk", "wrong-password!", ATTACKER)).toMatchObject({ ok: false, reason: "bad" });
    const third = await auth.login("clerk", "wrong-password!", ATTACKER);
    expect(third).toMatchObject({ ok: false, reason: "locked" });
    const first = !third.ok && third.until ? third.until.getTime() - f.clock.now().getTime() : 0;
    expect(first).toBe(60_000);
    // Paused: even the right password from there waits.
    expect(await auth.login("clerk", PASSWORD, ATTACKER)).toMatchObject({ ok: false, reason: "locked" });
    f.clock.advance(61_000);
    const fourth = await auth.login("clerk", "wrong-password!", ATTACKER);
    expect(!fourth.ok && fourth.until ? fourth.until.getTime() - f.clock.now().getTime() : 0).toBe(120_000);

    // The clerk: the open session is still valid, and a login from their own address works.
    expect((await clerk.get("/dashboard/cases")).status).toBe(200);
    expect(await auth.login("clerk", PASSWORD, OWN)).toMatchObject({ ok: true });

    // The street office's chat was told of the first pause, once, with the name and the address.
    const notices = await f.db.prisma.outboxMessage.findMany({ where: { chatId: -100777n } });
    expect(notices).toHaveLength(1);
    const text = (notices[0]!.payload as { text: string }).text;
    expect(text).toContain("王文员（clerk）");
    expect(text).toContain(ATTACKER);
    expect(text).toContain("已登录的会话不受影响");
  });

  it("shows the holder a banner at the next login until dismissed", async () => {
    const { agent } = await login(f, "clerk");
    const page = await agent.get("/dashboard/cases");
    expect(page.text).toContain('id="pause-banner"');
    expect(page.text).toContain(`来自 ${ATTACKER}（失败 4 次）`);
    const ok = await agent.post("/dashboard/pauses-seen").type("form").send({ _csrf: csrfOf(page.text) });
    expect(ok.status).toBe(303);
    expect((await agent.get("/dashboard/cases")).text).not.toContain('id="pause-banner"');
    // In English too.
    await f.db.prisma.staffUser.update({ where: { username: "clerk" }, data: { pausesSeenAt: null } });
    expect((await agent.get("/dashboard/cases?lang=en")).text).toContain(`from ${ATTACKER} (4 failures)`);
  });

  it("lets an admin lift the pause on the staff page; nobody else may open it", async () => {
    const { agent: street } = await login(f, "dongcheng");
    expect((await street.get("/dashboard/staff")).status).toBe(403);
    expect((await street.get("/dashboard/cases")).text).not.toContain('href="/dashboard/staff"');

    const { agent: admin } = await login(f, "boss");
    const page = await admin.get("/dashboard/staff");
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/dashboard/staff"');
    expect(page.text).toContain(`${ATTACKER} 暂停至`);
    const lifted = await admin.post("/dashboard/staff/clerk/unlock").type("form").send({ _csrf: csrfOf(page.text) });
    expect(lifted.status).toBe(303);
    expect((await admin.get(lifted.headers.location!)).text).toContain("已解除 clerk 的登录暂停");
    expect(await f.db.prisma.loginThrottle.count({ where: { username: "clerk" } })).toBe(0);
    expect(await auth.login("clerk", PASSWORD, ATTACKER)).toMatchObject({ ok: true });
  });
});
