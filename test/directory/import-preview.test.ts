// The import's preview waits in the database, not in one web process: a file previewed on one app
// instance is confirmed on another (as behind a load balancer, or after a restart), exactly once —
// a second confirm on either instance is refused — and only by the user who previewed it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import ExcelJS from "exceljs";
import { officeApp, PASSWORD, RULES_DIR, type OfficeFixture } from "../helpers/office.ts";
import { exampleWorkbook } from "../../core/directory/import/example.ts";
import { createApp } from "../../api/app.ts";
import { CaseService } from "../../core/cases/case-service.ts";
import { createRulesRouter } from "../../rules/router.ts";
import { createStaffUser } from "../../core/directory/staff.ts";
import { silentLogger } from "../../core/logger.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const D = "/dashboard/directory";

let f: OfficeFixture;
let second: ReturnType<typeof createApp>;
let router2: Awaited<ReturnType<typeof createRulesRouter>>;
beforeAll(async () => {
  f = await officeApp();
  // A second web process on the same database: its own router, case service and app.
  router2 = await createRulesRouter({ db: f.db.prisma, rulesDir: RULES_DIR, timezone: "Asia/Shanghai", clock: f.clock });
  const cases2 = new CaseService({ db: f.db.prisma, router: router2, clock: f.clock, timezone: "Asia/Shanghai" });
  second = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: { ...f.office, router: router2, cases: cases2 } });
  await createStaffUser(f.db.prisma, { username: "district2", password: PASSWORD, role: "district", displayName: "区物业办二" });
});
afterAll(async () => {
  router2?.close();
  await f?.db.drop();
});

async function logIn(app: Parameters<typeof request.agent>[0], username: string) {
  const agent = request.agent(app);
  const form = await agent.get("/login");
  const res = await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
  const cookie = res.headers["set-cookie"] as unknown as string[];
  const csrf = csrfOf((await agent.get(`${D}/estates`)).text);
  return { agent, csrf, cookie: cookie.map((c) => c.split(";")[0]).join("; ") };
}

async function fileWithStreet(code: string, name: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await exampleWorkbook()) as unknown as ArrayBuffer);
  wb.worksheets.find((w) => w.name === "街道")!.addRow([code, name, "启用"]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("import preview across app instances", { timeout: 120_000 }, () => {
  it("previewed on instance A, confirmed on instance B (same session), once; the preview row is gone", async () => {
    const a = await logIn(f.app, "district");
    const preview = await a.agent.post(`${D}/import/preview`).field("_csrf", a.csrf).attach("file", await fileWithStreet("nanhu", "南湖街道"), "district.xlsx");
    expect(preview.status).toBe(200);
    expect(preview.text).toContain("预览：文件无误，尚未写入");
    const token = /name="token" value="([^"]+)"/.exec(preview.text)![1]!;
    const expect_ = /name="expect" value="([^"]+)"/.exec(preview.text)![1]!; // the previewed changes' fingerprint
    expect(await f.db.prisma.importPreview.count({ where: { actor: "user:district" } })).toBe(1);
    expect(await f.db.prisma.street.count({ where: { code: "nanhu" } })).toBe(0);

    // The same browser session reaches the other instance (sessions live in the database too).
    const done = await request(second).post(`${D}/import/confirm`).set("Cookie", a.cookie).type("form").send({ _csrf: a.csrf, token, expect: expect_ });
    expect(done.status).toBe(200);
    expect(done.text).toContain("导入完成");
    expect(await f.db.prisma.street.findUniqueOrThrow({ where: { code: "nanhu" } })).toMatchObject({ name: "南湖街道" });
    expect(await f.db.prisma.directoryAudit.count({ where: { entity: "street", key: "nanhu", action: "create" } })).toBe(1);
    expect(await f.db.prisma.importPreview.count()).toBe(0);

    // Spent: a second confirm, on either instance, is refused in words and writes nothing.
    for (const app of [f.app, second]) {
      const again = await request(app).post(`${D}/import/confirm`).set("Cookie", a.cookie).type("form").send({ _csrf: a.csrf, token, expect: expect_ });
      expect(again.status).toBe(409);
      expect(again.text).toContain("预览已过期或已使用");
    }
  });

  it("two confirms racing on the two instances import once", async () => {
    const a = await logIn(f.app, "district");
    const preview = await a.agent.post(`${D}/import/preview`).field("_csrf", a.csrf).attach("file", await fileWithStreet("beihu", "北湖街道"), "district.xlsx");
    const token = /name="token" value="([^"]+)"/.exec(preview.text)![1]!;
    const expect_ = /name="expect" value="([^"]+)"/.exec(preview.text)![1]!; // the previewed changes' fingerprint
    const [x, y] = await Promise.all(
      [f.app, second].map((app) => request(app).post(`${D}/import/confirm`).set("Cookie", a.cookie).type("form").send({ _csrf: a.csrf, token, expect: expect_ })),
    );
    expect([x!.status, y!.status].sort()).toEqual([200, 409]);
    expect(await f.db.prisma.directoryAudit.count({ where: { entity: "street", key: "beihu", action: "create" } })).toBe(1);
  });

  it("another user's token, or an expired preview, is refused; a new preview replaces the user's last", async () => {
    const a = await logIn(f.app, "district");
    const b = await logIn(second, "district2");
    const first = await a.agent.post(`${D}/import/preview`).field("_csrf", a.csrf).attach("file", await fileWithStreet("xihu", "西湖街道"), "district.xlsx");
    const token = /name="token" value="([^"]+)"/.exec(first.text)![1]!;
    const stolen = await b.agent.post(`${D}/import/confirm`).type("form").send({ _csrf: b.csrf, token });
    expect(stolen.status).toBe(409);
    expect(await f.db.prisma.street.count({ where: { code: "xihu" } })).toBe(0);

    // A second preview by the same user replaces the first: the first token no longer works.
    const next = await a.agent.post(`${D}/import/preview`).field("_csrf", a.csrf).attach("file", await fileWithStreet("donghu", "东湖街道"), "district.xlsx");
    const token2 = /name="token" value="([^"]+)"/.exec(next.text)![1]!;
    expect(await f.db.prisma.importPreview.count({ where: { actor: "user:district" } })).toBe(1);
    expect((await request(second).post(`${D}/import/confirm`).set("Cookie", a.cookie).type("form").send({ _csrf: a.csrf, token })).status).toBe(409);

    // Thirty minutes later the preview has expired (the clock both instances read).
    const at = f.clock.now();
    f.clock.set(new Date(at.getTime() + 31 * 60_000));
    try {
      const late = await request(second).post(`${D}/import/confirm`).set("Cookie", a.cookie).type("form").send({ _csrf: a.csrf, token: token2 });
      expect(late.status).toBe(409);
      expect(late.text).toContain("预览已过期或已使用");
      expect(await f.db.prisma.street.count({ where: { code: "donghu" } })).toBe(0);
    } finally {
      f.clock.set(at);
    }
  });
});
