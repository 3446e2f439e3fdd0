// Date filters read days in TIMEZONE: `from=2026-11-01&to=2026-11-01` is the whole of 1 November in
// Beijing — a case filed at 07:00 that morning is in (a UTC day began at 08:00 and dropped it), one
// filed at 23:30 that night is in (the "to" day used to be dropped), the evening before is out — in the
// REST list, its CSV, the dashboard's case list and the figures page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

let f: OfficeFixture;
const numbers: Record<string, string> = {};
beforeAll(async () => {
  f = await officeApp();
  for (const [name, at] of [["eve", "2026-10-31T23:30:00+08:00"], ["morning", "2026-11-01T07:00:00+08:00"], ["night", "2026-11-01T23:30:00+08:00"], ["next", "2026-11-02T00:30:00+08:00"]] as const) {
    f.clock.set(new Date(at));
    numbers[name] = (await f.file("heping", { description: `filed ${name}` })).number;
  }
  f.clock.set(new Date("2026-11-10T10:00:00+08:00"));
}, 180_000);
afterAll(async () => f?.db.drop());

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("a day in a filter is a day in TIMEZONE", () => {
  it("REST list and CSV: 1 November from 00:00 to 24:00 Beijing time", async () => {
    const list = await request(f.app).get("/api/v1/cases?from=2026-11-01&to=2026-11-01").set("Authorization", `Bearer ${f.tokens.district}`);
    expect(list.status).toBe(200);
    expect((list.body.items as { number: string }[]).map((c) => c.number).sort()).toEqual([numbers.morning, numbers.night].sort());
    const csv = await request(f.app).get("/api/v1/cases.csv?from=2026-11-01&to=2026-11-01").set("Authorization", `Bearer ${f.tokens.district}`);
    expect(csv.text).toContain(numbers.morning);
    expect(csv.text).toContain(numbers.night);
    expect(csv.text).not.toContain(numbers.eve);
    expect(csv.text).not.toContain(numbers.next);
    // A time with an offset is still taken as it is.
    const exact = await request(f.app).get(`/api/v1/cases?from=${encodeURIComponent("2026-11-01T12:00:00+08:00")}`).set("Authorization", `Bearer ${f.tokens.district}`);
    expect((exact.body.items as { number: string }[]).map((c) => c.number).sort()).toEqual([numbers.night, numbers.next].sort());
  });

  it("the dashboard's case list and the figures page show the same day", async () => {
    const agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    const page = await agent.get("/dashboard/cases?from=2026-11-01&to=2026-11-01");
    expect(page.status).toBe(200);
    for (const n of [numbers.morning, numbers.night]) expect(page.text).toContain(n);
    for (const n of [numbers.eve, numbers.next]) expect(page.text).not.toContain(n);
    const figures = await agent.get("/dashboard/figures?from=2026-11-01&to=2026-11-01");
    expect(figures.status).toBe(200);
    expect(figures.text).toContain('value="2026-11-01"');
    expect(figures.text).not.toContain('value="2026-11-02"');
  });
});
