// Issue 17, item 1: Open311 GeoReport v2 as two clients see it. (a) A strict client written from the
// spec (wiki.open311.org/GeoReport_v2): discovery, services, definitions, POST by lat/long,
// address_string or address_id with attribute[], tokens, GET filters, errors as {code, description}
// in JSON and XML. (b) The exact requests FixMyStreet's perllib/Open311.pm sends: form POST to
// requests.xml with jurisdiction_id, api_key, lat, long, email, first/last name, phone, media_url,
// attribute[...], then GET services.xml, services/{code}.xml, requests.xml?service_request_id=a,b and
// tokens/{token}.xml, read with an XML parser as XML::Simple would.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import request from "supertest";
import nock from "nock";
import { XMLParser } from "fast-xml-parser";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";
import { localNetworkOnly, restoreNetwork } from "../helpers/network.ts";

let f: OfficeFixture;
const xml = new XMLParser({ isArray: (name) => ["service", "request", "error", "attribute", "value", "endpoint", "format"].includes(name), parseTagValue: false });
const BASE = "/open311/v2";
const stored: { caseId: number; contentType: string; bytes: number }[] = [];

beforeAll(async () => {
  f = await officeApp({
    mediaStore: { put: async (o) => (stored.push({ caseId: o.caseId, contentType: o.contentType, bytes: o.bytes.length }), { attachmentId: 1000 + stored.length }) },
  });
  localNetworkOnly();
}, 120_000);
afterAll(async () => {
  restoreNetwork();
  await f?.db.drop();
});

describe("a strict GeoReport v2 client", () => {
  it("discovers the endpoint and lists services with definitions, in JSON and XML alike", async () => {
    const disco = await request(f.app).get(`${BASE}/discovery.json`);
    expect(disco.body.endpoints[0]).toMatchObject({ specification: "http://wiki.open311.org/GeoReport_v2", formats: ["application/json", "text/xml"] });
    const dx = xml.parse((await request(f.app).get(`${BASE}/discovery.xml`)).text);
    expect(dx.discovery.endpoints.endpoint[0].formats.format).toEqual(["application/json", "text/xml"]);
    const json = (await request(f.app).get(`${BASE}/services.json`)).body as { service_code: string; metadata: boolean }[];
    const xs = await request(f.app).get(`${BASE}/services.xml`);
    expect(xs.type).toBe("application/xml");
    const fromXml = xml.parse(xs.text).services.service as { service_code: string }[];
    expect(fromXml.map((s) => s.service_code)).toEqual(json.map((s) => s.service_code));
    expect(json.every((s) => s.metadata === true)).toBe(true);
    const def = (await request(f.app).get(`${BASE}/services/repair.water.json`)).body;
    expect(def.service_code).toBe("repair.water");
    const estate = def.attributes.find((a: { code: string }) => a.code === "estate");
    expect(estate).toMatchObject({ variable: true, datatype: "singlevaluelist", required: false });
    expect(estate.values).toContainEqual({ key: "heping", name: "和平小区" });
    const dxml = xml.parse((await request(f.app).get(`${BASE}/services/repair.water.xml`)).text).service_definition;
    expect(dxml.attributes.attribute.map((a: { code: string }) => a.code)).toEqual(["estate", "building", "unit", "urgent"]);
    expect((await request(f.app).get(`${BASE}/services/repair.nothing.xml`)).text).toMatch(/<errors><error><code>404<\/code>/);
  });

  it("posts by lat/long, address_string or address_id; each is its own case; reads need no key", async () => {
    const key = f.tokens.district;
    const post = (p: Record<string, string>) => request(f.app).post(`${BASE}/requests.json`).type("form").send({ api_key: key, service_code: "repair.lift", ...p });
    const byPoint = await post({ description: "电梯坏了", lat: "39.9290", long: "116.4170", email: "wang@example.cn", first_name: "伟", last_name: "王", "attribute[building]": "2号楼", "attribute[urgent]": "true" });
    expect(byPoint.status).toBe(201);
    const id1 = byPoint.body[0].service_request_id as string;
    const byAddress = await post({ description: "电梯坏了", address_string: "北京市 幸福花园 3号楼", email: "li@example.cn" });
    const byId = await post({ description: "电梯坏了", address_id: "jinxiu", device_id: "dev-1" });
    const ids = [id1, byAddress.body[0].service_request_id, byId.body[0].service_request_id];
    expect(new Set(ids).size).toBe(3);
    const cases = await f.db.prisma.case.findMany({ where: { number: { in: ids } }, include: { estate: true, building: true, reporter: true } });
    const byNumber = Object.fromEntries(cases.map((c) => [c.number, c]));
    expect(byNumber[id1]!.estate.code).toBe("heping");
    expect(byNumber[id1]!.building?.name).toBe("2号楼");
    expect(byNumber[id1]!.urgencyHint).toBe(true);
    expect(byNumber[id1]!.reporter).toMatchObject({ email: "wang@example.cn", firstName: "伟", lastName: "王" });
    expect(byNumber[ids[1]!]!.estate.code).toBe("xingfu");
    expect(byNumber[ids[2]!]!.reporter?.deviceId).toBe("dev-1");
    // Reads without a key: one request, a comma list, filters.
    const one = await request(f.app).get(`${BASE}/requests/${id1}.json`);
    expect(one.body[0]).toMatchObject({ service_request_id: id1, status: "open", service_code: "repair.lift", address_id: "heping", lat: 39.929, long: 116.417 });
    const list = await request(f.app).get(`${BASE}/requests.json`).query({ service_request_id: `${id1},${ids[2]}` });
    expect(list.body.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([id1, ids[2]].sort());
    const lifts = await request(f.app).get(`${BASE}/requests.json`).query({ service_code: "repair.lift,complaint.noise", status: "open,closed", start_date: "2026-11-01T00:00:00+08:00", end_date: "2026-11-03T00:00:00Z" });
    expect(lifts.body.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual([...ids].sort());
    expect((await request(f.app).get(`${BASE}/requests.json`).query({ status: "closed", service_code: "repair.lift" })).body).toEqual([]);
    // Every request has a point (the estate's centre when the reporter gave none).
    expect(lifts.body.every((r: { lat: number | null; long: number | null }) => typeof r.lat === "number" && typeof r.long === "number")).toBe(true);
    const token = await request(f.app).get(`${BASE}/tokens/${id1}.xml`);
    expect(xml.parse(token.text).service_requests.request[0].service_request_id).toBe(id1);
  });

  it("is a duplicate only for the same client and content within the window", async () => {
    const post = (p: Record<string, string>) => request(f.app).post(`${BASE}/requests.json`).type("form").send({ api_key: f.tokens.district, service_code: "complaint.noise", address_id: "chunhui", description: "楼上装修太吵", ...p });
    const a = (await post({ email: "a@example.cn" })).body[0].service_request_id;
    expect((await post({ email: "a@example.cn" })).body[0].service_request_id).toBe(a); // a retry
    expect((await post({ email: "b@example.cn" })).body[0].service_request_id).not.toBe(a); // another resident
    f.clock.advance(11 * 60_000);
    expect((await post({ email: "a@example.cn" })).body[0].service_request_id).not.toBe(a); // later: a new report
    f.clock.set(new Date("2026-11-02T10:00:00+08:00"));
  });

  it("refuses with the spec's error list saying why, in the asked format", async () => {
    const post = (fmt: string, p: Record<string, string>) => request(f.app).post(`${BASE}/requests.${fmt}`).type("form").send({ service_code: "repair.water", description: "漏水", ...p });
    const noKey = await post("xml", { address_id: "heping" });
    expect(noKey.status).toBe(403);
    expect(xml.parse(noKey.text).errors.error[0]).toEqual({ code: "403", description: expect.stringContaining("api_key") });
    const far = await post("json", { api_key: f.tokens.district, lat: "31.23", long: "121.47" });
    expect(far.status).toBe(400);
    expect(far.body).toEqual([{ code: 400, description: expect.stringMatching(/no estate within 800 m/) }]);
    const blank = await post("json", { api_key: f.tokens.district, lat: "", long: "" });
    expect(blank.body[0].description).toMatch(/location is required/);
    expect(await f.db.prisma.case.count({ where: { latitude: 0 } })).toBe(0);
    const badKey = await request(f.app).get(`${BASE}/requests.xml`).query({ api_key: "not-a-key" });
    expect([badKey.status, xml.parse(badKey.text).errors.error[0].code]).toEqual([401, "401"]);
    const badDate = await request(f.app).get(`${BASE}/requests.json`).query({ start_date: "yesterday" });
    expect(badDate.body).toEqual([{ code: 400, description: expect.stringContaining("start_date") }]);
  });
});

describe("FixMyStreet's Open311 client (perllib/Open311.pm request shapes)", () => {
  it("sends a report with a photo link, finds it by id and token, and reads services", async () => {
    nock("https://fms.example").get("/photo/1.jpeg").reply(200, Buffer.alloc(2048, 1), { "Content-Type": "image/jpeg" });
    const services = xml.parse((await request(f.app).get(`${BASE}/services.xml`).query({ jurisdiction_id: "district.example" })).text);
    expect(services.services.service.length).toBeGreaterThan(5);
    const meta = xml.parse((await request(f.app).get(`${BASE}/services/repair.water.xml`).query({ jurisdiction_id: "district.example" })).text);
    expect(meta.service_definition.service_code).toBe("repair.water");
    // send_service_request: a form POST, every field as FixMyStreet fills it (last_name may be empty).
    const description = "title:  漏水\n\ndetail: 厨房天花板漏水\n\nurl: https://fms.example/report/42\n\nSubmitted via FixMyStreet\n";
    const res = await request(f.app)
      .post(`${BASE}/requests.xml`)
      .type("form")
      .send({
        jurisdiction_id: "district.example",
        api_key: f.tokens.district,
        lat: "39.9341",
        long: "116.4250",
        email: "resident@example.cn",
        description,
        service_code: "repair.water",
        first_name: "Ming",
        last_name: "",
        phone: "13800138000",
        media_url: "https://fms.example/photo/1.jpeg",
        "attribute[building]": "1号楼",
      });
    expect(res.status).toBe(201);
    const obj = xml.parse(res.text);
    const id = obj.service_requests.request[0].service_request_id as string;
    expect(id).toMatch(/^\d{4}-\d{6}$/);
    const c = await f.db.prisma.case.findUniqueOrThrow({ where: { number: id }, include: { estate: true, reporter: true, mediaLinks: true } });
    expect([c.estate.code, c.channel, c.description]).toEqual(["xingfu", "open311", description.trim()]);
    expect(c.reporter).toMatchObject({ email: "resident@example.cn", firstName: "Ming", lastName: null, phone: "13800138000" });
    // The photo link is kept, and fetched into the case's photos through the attachment store.
    expect(c.mediaLinks.map((l) => l.url)).toEqual(["https://fms.example/photo/1.jpeg"]);
    await vi.waitFor(async () => expect((await f.db.prisma.caseMediaLink.findFirstOrThrow({ where: { caseId: c.id } })).status).toBe("fetched"), { timeout: 15_000 });
    expect(stored).toContainEqual({ caseId: c.id, contentType: "image/jpeg", bytes: 2048 });
    // get_service_requests and get_service_request_id_from_token.
    const list = xml.parse((await request(f.app).get(`${BASE}/requests.xml`).query({ jurisdiction_id: "district.example", service_request_id: `${id},2026-999999` })).text);
    expect(list.service_requests.request.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    expect(list.service_requests.request[0].media_url).toBe("https://fms.example/photo/1.jpeg");
    const token = xml.parse((await request(f.app).get(`${BASE}/tokens/${id}.xml`).query({ jurisdiction_id: "district.example" })).text);
    expect(token.service_requests.request[0].service_request_id).toBe(id);
  });

  it("keeps an unreachable media_url as a link", async () => {
    nock("https://gone.example").get("/p.jpg").reply(404);
    const res = await request(f.app).post(`${BASE}/requests.xml`).type("form").send({ jurisdiction_id: "x", api_key: f.tokens.district, lat: "39.9481", long: "116.3012", email: "x@example.cn", description: "路灯坏了", service_code: "repair.electricity", first_name: "A", last_name: "B", media_url: "https://gone.example/p.jpg" });
    const id = xml.parse(res.text).service_requests.request[0].service_request_id;
    const c = await f.db.prisma.case.findUniqueOrThrow({ where: { number: id } });
    await vi.waitFor(async () => expect((await f.db.prisma.caseMediaLink.findFirstOrThrow({ where: { caseId: c.id } })).status).toBe("unreachable"), { timeout: 15_000 });
    expect((await f.db.prisma.caseMediaLink.findFirstOrThrow({ where: { caseId: c.id } })).lastError).toBe("HTTP 404");
  });
});
