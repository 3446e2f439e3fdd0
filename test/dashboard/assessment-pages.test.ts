// The assessment pages a clerk reads: per-street figures (rates with n), early warnings (current
// spikes and the stored history; the credit files are test/credit/credit-api.test.ts), all linked from the nav and limited to a street user's area.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const DAY = 86_400_000;

describe("assessment pages: streets, credit files, early warnings", () => {
  let f: OfficeFixture;
  const agentFor = async (username: string) => {
    const a = request.agent(f.app);
    const form = await a.get("/login");
    await a.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
    return a;
  };
  beforeAll(async () => {
    f = await officeApp();
  });
  afterAll(async () => f.db.drop());

  it("shows per-street figures with numerator and denominator, linked from the nav", async () => {
    const c = await f.file("heping");
    await f.db.prisma.case.update({ where: { id: c.id }, data: { acceptedAt: new Date(c.responseDueAt!.getTime() - 60_000) } });
    const a = await agentFor("district");
    const page = await a.get("/dashboard/streets");
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/dashboard/streets"');
    expect(page.text).toContain("街道统计");
    const street = /<table id="fig-street">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(street).toContain("东城街道");
    // One response due and met: 1 of 1 is under the minimum sample, so it says 数据不足, not 100 %.
    expect(street).toMatch(/数据不足 · 1\/1/);
    expect(street).not.toContain("100.0%");
    expect(page.text).toMatch(/<section data-street="dongcheng"><h2>东城街道<\/h2>[\s\S]*?和平小区/);
  });

  it("shows current spikes and past warnings, a street user only its own", async () => {
    const heping = await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    const chunhui = await f.db.prisma.estate.findUniqueOrThrow({ where: { code: "chunhui" } });
    await f.db.prisma.earlyWarning.createMany({
      data: [
        { estateId: heping.id, day: "2026-10-20", recent: 9, baseline: 1.5, createdAt: new Date(f.clock.now().getTime() - 13 * DAY) },
        { estateId: chunhui.id, day: "2026-10-21", recent: 7, baseline: 1, createdAt: new Date(f.clock.now().getTime() - 12 * DAY) },
      ],
    });
    for (let i = 0; i < 5; i++) await f.file("xingfu");
    f.clock.set(new Date(f.clock.now().getTime() + 60_000));
    const a = await agentFor("district");
    const page = await a.get("/dashboard/warnings");
    expect(page.status).toBe(200);
    const current = /<table id="warnings-current">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(current).toMatch(/<td>幸福花园<\/td><td>东城街道<\/td><td class="num">5<\/td><td class="num">0.0<\/td>/);
    const past = /<table id="warnings-past">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(past).toMatch(/<td>2026-10-21<\/td><td>春晖苑<\/td>/);
    expect(past).toMatch(/<td>2026-10-20<\/td><td>和平小区<\/td><td>东城街道<\/td><td class="num">9<\/td><td class="num">1.5<\/td>/);
    const street = await agentFor("dongcheng");
    const mine = await street.get("/dashboard/warnings");
    expect(mine.text).toContain("和平小区");
    expect(mine.text).not.toContain("春晖苑");
  });
});
