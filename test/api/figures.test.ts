import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import ExcelJS from "exceljs";
import { officeApp, RULES_DIR, type OfficeFixture } from "../helpers/office.ts";
import { loadAssessmentSettings, type AssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { classifyEstates } from "../../core/assessment/classification.ts";

const MIN = 60_000;

describe("figures, estate board and Open311", () => {
  let f: OfficeFixture;
  let settings: AssessmentSettings;
  const auth = () => ({ Authorization: `Bearer ${f.tokens.district}` });
  beforeAll(async () => {
    // minSample 1: this small data set is enough to rate an estate.
    const rules = loadAssessmentSettings(RULES_DIR);
    settings = { ...rules, classification: { ...rules.classification, minSample: 1 } };
    f = await officeApp({ assessmentSettings: () => settings });
    // heping: four cases with known outcomes (arranged directly on the rows).
    const set = async (estate: string, o: { acceptedLate?: boolean | null; resolvedLate?: boolean | null; reopen?: number; satisfaction?: number | null; state: "closed" | "routed" }) => {
      const c = await f.file(estate);
      const r = c.responseDueAt!.getTime();
      const s = c.resolutionDueAt!.getTime();
      await f.db.prisma.case.update({
        where: { id: c.id },
        data: {
          state: o.state,
          acceptedAt: o.acceptedLate === null || o.acceptedLate === undefined ? null : new Date(o.acceptedLate ? r + MIN : r - MIN),
          resolvedAt: o.resolvedLate === null || o.resolvedLate === undefined ? null : new Date(o.resolvedLate ? s + MIN : s - MIN),
          reopenCount: o.reopen ?? 0,
          satisfaction: o.satisfaction ?? null,
          resolutionDueAt: o.state === "routed" ? new Date(s + 30 * 86_400_000) : c.resolutionDueAt,
        },
      });
      return c;
    };
    await set("heping", { acceptedLate: false, resolvedLate: false, satisfaction: 5, state: "closed" });
    await set("heping", { acceptedLate: true, resolvedLate: true, satisfaction: 2, state: "closed" });
    await set("heping", { acceptedLate: false, resolvedLate: false, reopen: 1, satisfaction: 4, state: "closed" });
    const late = await set("heping", { state: "routed" });
    await set("chunhui", { acceptedLate: false, resolvedLate: false, satisfaction: 5, state: "closed" });
    // Past heping's fourth response deadline: it is now overdue.
    f.clock.set(new Date(late.responseDueAt!.getTime() + 5 * MIN));
  });
  afterAll(async () => f.db.drop());

  it("computes response, resolution, satisfaction and repeat rates and the overdue count per estate", async () => {
    const res = await request(f.app).get("/api/v1/figures").query({ by: "estate" }).set(auth());
    expect(res.status).toBe(200);
    const heping = res.body.rows.find((r: { key: string }) => r.key === "heping");
    expect(heping).toMatchObject({ cases: 4, responseRate: 0.5, satisfactionRate: 2 / 3, repeatRate: 0.25, overdue: 1 });
    expect(heping.resolutionRate).toBeCloseTo(1 / 3);
    // Every rate comes with its numerator and denominator.
    expect(heping.counts).toEqual({ responseOk: 2, responseDue: 4, resolutionOk: 1, resolutionDue: 3, satisfied: 2, answers: 3, repeats: 1 });
    expect(res.body.minSample).toBe(1);
    const chunhui = res.body.rows.find((r: { key: string }) => r.key === "chunhui");
    expect(chunhui).toMatchObject({ cases: 1, responseRate: 1, resolutionRate: 1, satisfactionRate: 1, repeatRate: 0, overdue: 0 });
  });

  it("groups by company and by month, and exports CSV", async () => {
    const co = await request(f.app).get("/api/v1/figures").query({ by: "company" }).set(auth());
    expect(co.body.rows.find((r: { key: string }) => r.key === "huamei").cases).toBe(4);
    const trend = await request(f.app).get("/api/v1/figures").query({ by: "company", monthly: "true" }).set(auth());
    expect(trend.body.rows.every((r: { month: string }) => /^\d{4}-\d{2}$/.test(r.month))).toBe(true);
    const csv = await request(f.app).get("/api/v1/figures").query({ by: "estate", format: "csv" }).set(auth());
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.text).toContain("heping,和平小区,,4,0.5,");
    expect((await request(f.app).get("/api/v1/figures").query({ by: "planet" }).set(auth())).status).toBe(400);
    // The same export module as the dashboard: xlsx with headers in the asked language and n beside each rate.
    const xlsx = await request(f.app)
      .get("/api/v1/figures")
      .query({ by: "estate", format: "xlsx", lang: "zh-Hant" })
      .set(auth())
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => cb(null, Buffer.concat(chunks)));
      });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1, 5)).toEqual(["小區", "案件數", "響應率", "響應率 n"]);
    const heping = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(1).value === "和平小区")!;
    expect([heping.getCell(2).value, heping.getCell(3).value, heping.getCell(4).value]).toEqual([4, 0.5, "2/4"]);
  });

  it("shows each estate's stored classification with faces, on the public board without login", async () => {
    const classes = async () => {
      const board = await request(f.app).get("/api/v1/board").set(auth());
      expect(board.status).toBe(200);
      return Object.fromEntries(board.body.rows.map((r: { estate: string; class: string | null }) => [r.estate, r.class]));
    };
    // Nothing rated yet: the API board says so instead of guessing.
    expect(await classes()).toEqual({ heping: null, xingfu: null, jinxiu: null, chunhui: null });
    // Opening the board after new data re-rates it (here: the first rating).
    // heping: satisfied 2 of 3 ratings (67 % < 90 %) → 整改; chunhui: 1/1 satisfied, 2/2 deadlines met → 示范;
    // xingfu and jinxiu have no cases → too little data, 未评定 with a neutral face (never 达标).
    const first = await request(f.app).get("/board");
    expect(first.text).toMatch(/data-estate="xingfu" data-class="unrated"><div class="face"><svg class="face neutral" role="img" aria-label="平脸\(未评定\)"/);
    expect(await classes()).toEqual({ heping: "rectify", xingfu: "unrated", jinxiu: "unrated", chunhui: "model" });
    const runs = await f.db.prisma.estateClassification.count();
    await request(f.app).get("/board");
    expect(await f.db.prisma.estateClassification.count()).toBe(runs); // nothing new: not rated again
    await classifyEstates(f.db.prisma, { settings, now: f.clock.now(), timezone: "Asia/Shanghai" });
    const row = (await request(f.app).get("/api/v1/board").set(auth())).body.rows.find((r: { estate: string }) => r.estate === "heping");
    expect(row).toMatchObject({ period: "2026H2", label: "整改", smiling: false, answers: 3, cases: 4 });
    expect(row.satisfaction).toBeCloseTo(2 / 3);
    const pub = await request(f.app).get("/board");
    expect(pub.status).toBe(200);
    expect(pub.text).toMatch(/data-estate="heping" data-class="rectify"><div class="face"><svg class="face crying" role="img" aria-label="哭脸"/);
    expect(pub.text).toMatch(/data-estate="chunhui" data-class="model"><div class="face"><svg class="face smiling" role="img" aria-label="笑脸"/);
    expect(pub.text).not.toMatch(/[😊😢😐]/u); // faces are drawn, not platform emoji
    expect(pub.text).not.toContain("leak"); // no case text on the public board
    expect((await request(f.app).get("/board?lang=zh-Hant")).text).toContain("整改類");
    // New data after the rating: opening the board rates again and shows it.
    f.clock.set(new Date(f.clock.now().getTime() + MIN));
    await f.file("xingfu");
    const before = await f.db.prisma.estateClassification.count();
    await request(f.app).get("/board");
    expect(await f.db.prisma.estateClassification.count()).toBe(before + 4);
  });

  it("serves Open311 services from the categories", async () => {
    const res = await request(f.app).get("/open311/v2/services.json");
    expect(res.status).toBe(200);
    const codes = res.body.map((s: { service_code: string }) => s.service_code);
    expect(codes).toEqual(expect.arrayContaining(["repair.water", "complaint.noise", "suggestion.greenery"]));
    expect(codes).not.toContain("repair.noise");
    expect((await request(f.app).get("/open311/v2/services.json?lang=en")).body.find((s: { service_code: string }) => s.service_code === "repair.water").service_name).toBe("Repair · Water / leak");
  });

  it("files, lists and reads Open311 requests with an api_key, within the key's area", async () => {
    const post = await request(f.app)
      .post("/open311/v2/requests.json")
      .type("form")
      .send({ api_key: f.tokens.district, service_code: "repair.lift", description: "Lift stuck at floor 3", address_id: "xingfu", lat: "31.2", long: "121.4" });
    expect(post.status).toBe(201);
    const id = post.body[0].service_request_id;
    expect(id).toMatch(/^2026-\d{6}$/);
    const stored = await f.db.prisma.case.findUniqueOrThrow({ where: { number: id } });
    expect(stored).toMatchObject({ channel: "open311", kind: "repair", category: "lift", latitude: 31.2 });
    // A client retry of the same post gives the same request.
    const retry = await request(f.app).post("/open311/v2/requests.json").type("form").send({ api_key: f.tokens.district, service_code: "repair.lift", description: "Lift stuck at floor 3", address_id: "xingfu", lat: "31.2", long: "121.4" });
    expect(retry.body[0].service_request_id).toBe(id);
    const one = await request(f.app).get(`/open311/v2/requests/${id}.json`).query({ api_key: f.tokens.dongcheng });
    expect(one.status).toBe(200);
    expect(one.body[0]).toMatchObject({ service_request_id: id, status: "open", service_code: "repair.lift", address_id: "xingfu" });
    const list = await request(f.app).get("/open311/v2/requests.json").query({ api_key: f.tokens.dongcheng, service_code: "repair.water" });
    expect(list.body.length).toBeGreaterThan(0);
    expect(list.body.every((r: { address_id: string }) => ["heping", "xingfu"].includes(r.address_id))).toBe(true);
    const closed = await request(f.app).get("/open311/v2/requests.json").query({ api_key: f.tokens.district, status: "closed" });
    expect(closed.body).toHaveLength(4);
  });

  it.each([
    ["no key on a post (reads need none)", "post", "/open311/v2/requests.json", { service_code: "repair.water", description: "x", address_id: "heping" }, 403],
    ["a bad key", "get", "/open311/v2/requests.json?api_key=nope", {}, 401],
    ["a bad status", "get", "/open311/v2/requests.json?status=pending", {}, 400],
    ["a malformed id", "get", "/open311/v2/requests/abc.json", {}, 400],
    ["an unknown id", "get", "/open311/v2/requests/2026-999999.json", {}, 404],
    ["an unknown service", "post", "/open311/v2/requests.json", { service_code: "repair.noise", description: "x", address_id: "heping" }, 404],
    ["no location", "post", "/open311/v2/requests.json", { service_code: "repair.water", description: "x" }, 400],
    ["another street's estate", "post", "/open311/v2/requests.json", { service_code: "repair.water", description: "x", address_id: "jinxiu", street: true }, 403],
  ])("answers Open311 errors as a list: %s", async (_l, method, url, body, status) => {
    const { street, ...rest } = body as Record<string, unknown>;
    const key = url.includes("api_key") || _l.startsWith("no key") ? {} : { api_key: street ? f.tokens.dongcheng : f.tokens.district };
    const before = await f.db.prisma.case.count();
    const res = method === "get" ? await request(f.app).get(url).query(key) : await request(f.app).post(url).type("form").send({ ...key, ...rest });
    expect(res.status).toBe(status);
    expect(res.body[0]).toMatchObject({ code: status, description: expect.any(String) });
    expect(await f.db.prisma.case.count()).toBe(before);
  });
});
