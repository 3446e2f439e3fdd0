// Case 7 (API side): every REST v1, Open311 and dashboard endpoint against every kind of caller —
// district token, admin token, the case's street office, another street office, anonymous (also what
// a resident or liaison has: they hold no API credential), a forged token. Only allowed cells succeed;
// the matrix is printed. The target case belongs to 东城 (dongcheng). Open311 reads need no key (the
// GeoReport spec), so anonymous may read them. A street sees only the companies working in its
// estates, their liaisons and credit files: 华美 (huamei, liaison huamei-li) works only in 东城.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { createApiToken, createStaffUser } from "../../core/directory/staff.ts";
import { report } from "./service.ts";
import { placeToken } from "../../api/frontdoor/tokens.ts";

// The read-only committees: 社区居委会 of 和平 (the case's estate) and 业委会 of 锦绣家园 (another
// street's estate). They read what is theirs and write nothing, on every surface.
type Who = "district" | "admin" | "street-own" | "street-other" | "community-own" | "owners-other" | "anonymous" | "forged";
const WHO: Who[] = ["district", "admin", "street-own", "street-other", "community-own", "owners-other", "anonymous", "forged"];
/** Callers whose area does not hold the target case: a list they get must not show it. */
const OUTSIDE: Who[] = ["street-other", "owners-other"];

let f: OfficeFixture;
let caseId: number;
let caseNumber: string;
const tokens: Partial<Record<Who, string>> = {};

beforeAll(async () => {
  f = await officeApp({}, { surveys: true, frontDoor: true });
  const c = await f.file("heping", { description: "东城的案件 authz" });
  caseId = c.id;
  caseNumber = c.number;
  tokens.district = f.tokens.district;
  tokens.admin = f.tokens.admin;
  tokens["street-own"] = f.tokens.dongcheng;
  tokens["street-other"] = (await createApiToken(f.db.prisma, { name: "xiyuan", role: "street", street: "xiyuan" })).token;
  tokens["community-own"] = (await createApiToken(f.db.prisma, { name: "heping-community", role: "community", estates: ["heping"] })).token;
  tokens["owners-other"] = (await createApiToken(f.db.prisma, { name: "jinxiu-owners", role: "owners", estates: ["jinxiu"] })).token;
  tokens.forged = "efd_" + "A".repeat(43);
  await createStaffUser(f.db.prisma, { username: "xiyuan", password: PASSWORD, role: "street", street: "xiyuan", displayName: "西苑街道" });
  await createStaffUser(f.db.prisma, { username: "admin", password: PASSWORD, role: "admin", displayName: "admin" });
}, 180_000); // a migrated database, a front door and staff: slow when the machine is busy
afterAll(async () => f?.db.drop());

interface Endpoint {
  name: string;
  call: (auth: (r: request.Test) => request.Test) => request.Test;
  allowed: Who[];
  /** For lists: the allowed caller must not see the case when it is outside its area. */
  scopedList?: boolean;
  /** Text another street's caller must not see in a successful answer (another street's company or liaison). */
  hiddenFromOtherStreet?: string;
  /** Text no caller outside the case's area (OUTSIDE) may see in a successful answer. */
  hiddenFromOutside?: string;
  /** Open311 style: the token as the api_key form field instead of the Authorization header. */
  keyAsParameter?: boolean;
}

const ALL_STAFF: Who[] = ["district", "admin", "street-own"];
const COMMITTEES: Who[] = ["community-own", "owners-other"];
const everyone = (): Endpoint[] => [
  { name: "GET /api/v1/cases", call: (a) => a(request(f.app).get("/api/v1/cases")), allowed: [...ALL_STAFF, "street-other", ...COMMITTEES], scopedList: true },
  { name: "GET /api/v1/cases.csv", call: (a) => a(request(f.app).get("/api/v1/cases.csv")), allowed: [...ALL_STAFF, "street-other", ...COMMITTEES], scopedList: true },
  { name: "GET /api/v1/cases/:id", call: (a) => a(request(f.app).get(`/api/v1/cases/${caseId}`)), allowed: [...ALL_STAFF, "community-own"] },
  { name: "GET /api/v1/cases/:number", call: (a) => a(request(f.app).get(`/api/v1/cases/${caseNumber}`)), allowed: [...ALL_STAFF, "community-own"] },
  { name: "POST /api/v1/cases (heping)", call: (a) => a(request(f.app).post("/api/v1/cases").set("Idempotency-Key", `authz-${Math.random().toString(36).slice(2, 12)}`).send({ kind: "repair", category: "water", description: "authz", estate: "heping" })), allowed: ALL_STAFF },
  { name: "POST /api/v1/cases/:id/notes", call: (a) => a(request(f.app).post(`/api/v1/cases/${caseId}/notes`).send({ note: "authz note" })), allowed: ALL_STAFF },
  { name: "POST /api/v1/cases/:id/actions startRevisit (409)", call: (a) => a(request(f.app).post(`/api/v1/cases/${caseId}/actions`).send({ action: "startRevisit" })), allowed: [] /* allowed callers get 409 (wrong state), others 401/404 */ },
  { name: "POST /api/v1/cases/:id/extensions/999", call: (a) => a(request(f.app).post(`/api/v1/cases/${caseId}/extensions/999`).send({ decision: "approve" })), allowed: [] },
  { name: "GET /api/v1/figures", call: (a) => a(request(f.app).get("/api/v1/figures?by=estate")), allowed: [...ALL_STAFF, "street-other", ...COMMITTEES], hiddenFromOutside: '"heping"' },
  { name: "GET /api/v1/board", call: (a) => a(request(f.app).get("/api/v1/board")), allowed: [...ALL_STAFF, "street-other", ...COMMITTEES], hiddenFromOutside: '"heping"' },
  { name: "GET /api/v1/estates", call: (a) => a(request(f.app).get("/api/v1/estates")), allowed: [...ALL_STAFF, "street-other"] },
  { name: "GET /api/v1/companies", call: (a) => a(request(f.app).get("/api/v1/companies")), allowed: [...ALL_STAFF, "street-other"], hiddenFromOtherStreet: '"huamei"' },
  { name: "GET /api/v1/liaisons", call: (a) => a(request(f.app).get("/api/v1/liaisons")), allowed: [...ALL_STAFF, "street-other"], hiddenFromOtherStreet: "huamei-li" },
  { name: "GET /api/v1/credit", call: (a) => a(request(f.app).get("/api/v1/credit")), allowed: [...ALL_STAFF, "street-other"], hiddenFromOtherStreet: '"huamei"' },
  { name: "GET /api/v1/credit/huamei", call: (a) => a(request(f.app).get("/api/v1/credit/huamei")), allowed: ALL_STAFF },
  { name: "POST /api/v1/rules/dry-run", call: (a) => a(request(f.app).post("/api/v1/rules/dry-run").send({ kind: "repair", category: "water", estate: "heping" })), allowed: ALL_STAFF },
  { name: "GET /api/v1/rules/status", call: (a) => a(request(f.app).get("/api/v1/rules/status")), allowed: [...ALL_STAFF, "street-other"] },
  { name: "POST /api/v1/tokens", call: (a) => a(request(f.app).post("/api/v1/tokens").send({ name: "x", role: "district" })), allowed: ["admin"] },
  { name: "GET /api/v1/directory/estates", call: (a) => a(request(f.app).get("/api/v1/directory/estates")), allowed: [...ALL_STAFF, "street-other", ...COMMITTEES], hiddenFromOutside: '"heping"' },
  { name: "GET /api/v1/directory/estates/heping", call: (a) => a(request(f.app).get("/api/v1/directory/estates/heping")), allowed: [...ALL_STAFF, "community-own"] },
  { name: "PUT /api/v1/directory/estates/heping", call: (a) => a(request(f.app).put("/api/v1/directory/estates/heping").send({ name: "和平小区", street: "dongcheng", households: 480 })), allowed: ALL_STAFF },
  { name: "PUT /api/v1/directory/companies/huamei", call: (a) => a(request(f.app).put("/api/v1/directory/companies/huamei").send({ name: "华美物业" })), allowed: ["district", "admin"] },
  { name: "POST /api/v1/directory/liaisons/x/deactivate (404)", call: (a) => a(request(f.app).post("/api/v1/directory/liaisons/nobody/deactivate").send({})), allowed: [] },
  // Editing what exists: allowed callers find nothing to change (200) or a state already reached (409 → "allowed: []").
  { name: "PATCH /api/v1/directory/offices/dongcheng", call: (a) => a(request(f.app).patch("/api/v1/directory/offices/dongcheng").send({ language: "zh-Hans" })), allowed: ALL_STAFF },
  { name: "PATCH /api/v1/directory/offices/dongcheng level", call: (a) => a(request(f.app).patch("/api/v1/directory/offices/dongcheng").send({ level: "street" })), allowed: ["district", "admin"] },
  { name: "POST /api/v1/directory/liaisons/x/reactivate (404)", call: (a) => a(request(f.app).post("/api/v1/directory/liaisons/nobody/reactivate")), allowed: [] },
  { name: "POST …/estates/heping/reactivate (409)", call: (a) => a(request(f.app).post("/api/v1/directory/estates/heping/reactivate")), allowed: [] },
  { name: "POST …/companies/huamei/reactivate (409)", call: (a) => a(request(f.app).post("/api/v1/directory/companies/huamei/reactivate")), allowed: [] },
  { name: "POST …/streets/dongcheng/reactivate (409)", call: (a) => a(request(f.app).post("/api/v1/directory/streets/dongcheng/reactivate")), allowed: [] },
  { name: "GET /api/v1/directory/offices", call: (a) => a(request(f.app).get("/api/v1/directory/offices")), allowed: [...ALL_STAFF, "street-other"] },
  { name: "POST /api/v1/directory/offices/dongcheng/email", call: (a) => a(request(f.app).post("/api/v1/directory/offices/dongcheng/email").send({ email: null })), allowed: ALL_STAFF },
  { name: "GET /api/v1/directory/audit", call: (a) => a(request(f.app).get("/api/v1/directory/audit")), allowed: ["district", "admin"] },
  { name: "POST /api/v1/directory/import (dry run)", call: (a) => a(request(f.app).post("/api/v1/directory/import?dryRun=true&filename=streets.csv").type("text/csv").send("code,name\ndongcheng,东城街道\n")), allowed: ["district", "admin"] },
  { name: "GET /open311/v2/requests/:number.json", call: (a) => a(request(f.app).get(`/open311/v2/requests/${caseNumber}.json`)), allowed: [...ALL_STAFF, "community-own", "anonymous"] },
  { name: "GET /open311/v2/requests.json", call: (a) => a(request(f.app).get("/open311/v2/requests.json")), allowed: [...ALL_STAFF, "street-other", ...COMMITTEES, "anonymous"], scopedList: true },
  // Filing through Open311, every role, into the case's estate and into another street's (issue 24:
  // a read-only committee key filed anywhere, since only the street was checked).
  { name: "POST /open311/v2/requests.json (heping)", call: (a) => a(request(f.app).post("/open311/v2/requests.json").type("form").send({ service_code: "repair.water", description: `authz open311 ${Math.random()}`, address_id: "heping" })), allowed: ALL_STAFF },
  { name: "POST /open311/v2/requests.json (jinxiu)", call: (a) => a(request(f.app).post("/open311/v2/requests.json").type("form").send({ service_code: "repair.water", description: `authz open311 ${Math.random()}`, address_id: "jinxiu" })), allowed: ["district", "admin", "street-other"] },
  { name: "POST /open311/v2/requests.json (api_key, jinxiu)", call: (a) => a(request(f.app).post("/open311/v2/requests.json").type("form").send({ service_code: "repair.water", description: `authz open311 key ${Math.random()}`, address_id: "jinxiu" })), allowed: ["district", "admin", "street-other"], keyAsParameter: true },
  { name: "POST /open311/v2/requests.json (lat/long in 锦绣家园)", call: (a) => a(request(f.app).post("/open311/v2/requests.json").type("form").send({ service_code: "repair.water", description: `authz open311 geo ${Math.random()}`, lat: "39.9481", long: "116.3012" })), allowed: ["district", "admin", "street-other"] },
];

describe("reliability: authorization matrix", () => {
  it("REST v1 and Open311: only the allowed cells succeed", async () => {
    const matrix: Record<string, Record<string, string>> = {};
    const wrong: string[] = [];
    let tried = 0;
    for (const e of everyone()) {
      matrix[e.name] = {};
      for (const who of WHO) {
        tried++;
        const before = await f.db.prisma.caseEvent.count();
        const beforeCases = await f.db.prisma.case.count();
        const res = await e.call((r) => (tokens[who] ? (e.keyAsParameter ? r.query({ api_key: tokens[who]! }) : r.set("Authorization", `Bearer ${tokens[who]}`)) : r));
        let ok = res.status >= 200 && res.status < 300;
        if (ok && e.hiddenFromOutside && OUTSIDE.includes(who) && res.text.includes(e.hiddenFromOutside)) {
          ok = false;
          wrong.push(`${e.name} × ${who}: shows ${e.hiddenFromOutside}, outside its area`);
        }
        if (ok && e.hiddenFromOutside && who === "district" && !res.text.includes(e.hiddenFromOutside)) wrong.push(`${e.name} × district: ${e.hiddenFromOutside} missing`);
        if (ok && e.scopedList && OUTSIDE.includes(who) && res.text.includes(caseNumber)) {
          ok = false;
          wrong.push(`${e.name} × ${who}: lists a case outside its area`);
        }
        if (ok && e.hiddenFromOtherStreet && who === "street-other" && res.text.includes(e.hiddenFromOtherStreet)) {
          ok = false;
          wrong.push(`${e.name} × ${who}: shows ${e.hiddenFromOtherStreet}, another street's`);
        }
        // And the check can fail: the district does see it.
        if (ok && e.hiddenFromOtherStreet && who === "district" && !res.text.includes(e.hiddenFromOtherStreet)) wrong.push(`${e.name} × district: ${e.hiddenFromOtherStreet} missing`);
        matrix[e.name]![who] = String(res.status);
        const allowed = e.allowed.includes(who);
        if (ok !== allowed) wrong.push(`${e.name} × ${who}: ${res.status}, expected ${allowed ? "success" : "refusal"}`);
        // A refused call changes nothing.
        if (!ok && ((await f.db.prisma.caseEvent.count()) !== before || (await f.db.prisma.case.count()) !== beforeCases)) wrong.push(`${e.name} × ${who}: refused but wrote`);
        if (/at .*\.(ts|js):\d+/.test(res.text)) wrong.push(`${e.name} × ${who}: stack trace in answer`);
      }
    }
    console.log(`\n${"endpoint".padEnd(52)}${WHO.map((w) => w.padEnd(14)).join("")}`);
    for (const [name, row] of Object.entries(matrix)) console.log(`${name.padEnd(52)}${WHO.map((w) => row[w]!.padEnd(14)).join("")}`);
    report("authz-api", { tried, lost: 0, duplicated: 0, wrongCells: wrong.length, wrong: wrong.slice(0, 10) });
    expect(wrong).toEqual([]);
  }, 300_000);

  it("dashboard pages and actions: sessions per role, CSRF, area", async () => {
    const staffInAreaOf = (who: string) => ["district", "admin", "street-own"].includes(who);
    // The committees read the case page of their estate (by id and by number) but are offered no form and write nothing.
    const readsCase = (who: string) => staffInAreaOf(who) || who === "community-own";
    await createStaffUser(f.db.prisma, { username: "heping-community", password: PASSWORD, role: "community", estates: ["heping"], displayName: "和平社区居委会" });
    await createStaffUser(f.db.prisma, { username: "jinxiu-owners", password: PASSWORD, role: "owners", estates: ["jinxiu"], displayName: "锦绣家园业委会" });
    const users: Record<string, string | null> = { district: "district", admin: "admin", "street-own": "dongcheng", "street-other": "xiyuan", "community-own": "heping-community", "owners-other": "jinxiu-owners", anonymous: null };
    const wrong: string[] = [];
    const matrix: Record<string, Record<string, string>> = { "GET /dashboard/cases/:id": {}, "GET /dashboard/cases/:number": {}, "POST /dashboard/cases/:id/note": {}, "GET /dashboard/cases (lists it)": {}, "POST /dashboard/rules/reload": {}, "POST /dashboard/rules/edit/routing/preview": {}, "POST /dashboard/rules/edit/routing/save": {}, "POST /dashboard/rules/versions/:id/restore": {}, "GET /dashboard/posters/heping.pdf": {}, "GET /r/cases/:number": {} };
    // The editor's routes with the file's own text: a permitted save finds nothing to change, so the
    // matrix never rewrites the repository's rules; a refused one must not even get that far.
    const routingText = fs.readFileSync(path.join(f.router.status().rulesDir, "routing.json"), "utf8");
    const version = await f.db.prisma.ruleVersion.create({ data: { file: "routing.json", content: routingText, previous: routingText, staffName: "matrix", reason: "matrix" } });
    for (const [who, username] of Object.entries(users)) {
      const agent = request.agent(f.app);
      if (username) {
        const form = await agent.get("/login");
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
        await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrf, next: "/dashboard/cases" });
      }
      const page = await agent.get(`/dashboard/cases/${caseId}`);
      matrix["GET /dashboard/cases/:id"]![who] = String(page.status);
      const byNumber = await agent.get(`/dashboard/cases/${caseNumber}`);
      matrix["GET /dashboard/cases/:number"]![who] = String(byNumber.status);
      const opensByNumber = byNumber.status === 303 && byNumber.headers.location === `/dashboard/cases/${caseId}`;
      if (opensByNumber !== readsCase(who)) wrong.push(`case by number × ${who}: ${byNumber.status} ${byNumber.headers.location ?? ""}`);
      // A form offered is a form the user may send.
      if (page.status === 200 && page.text.includes(`action="/dashboard/cases/${caseId}/`) !== staffInAreaOf(who)) wrong.push(`case page × ${who}: write forms ${staffInAreaOf(who) ? "missing" : "offered"}`);
      const list = await agent.get("/dashboard/cases");
      matrix["GET /dashboard/cases (lists it)"]![who] = list.status === 200 ? String(list.text.includes(caseNumber)) : String(list.status);
      // CSRF from a page this user may see (the list), then the action.
      const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)?.[1] ?? "none";
      const before = await f.db.prisma.caseEvent.count({ where: { caseId } });
      const note = await agent.post(`/dashboard/cases/${caseId}/note`).type("form").send({ _csrf: csrf, note: `note by ${who}` });
      const wrote = (await f.db.prisma.caseEvent.count({ where: { caseId } })) > before;
      matrix["POST /dashboard/cases/:id/note"]![who] = `${note.status}${wrote ? " (written)" : ""}`;
      const reload = await agent.post("/dashboard/rules/reload").type("form").send({ _csrf: csrf });
      matrix["POST /dashboard/rules/reload"]![who] = String(reload.status);
      // QR posters of a 东城 estate: staff of that area only. The resident's case page: a staff
      // session is no resident session (the front door's cookie is its own).
      const poster = await agent.get("/dashboard/posters/heping.pdf");
      matrix["GET /dashboard/posters/heping.pdf"]![who] = String(poster.status);
      // The fixture's address is localhost, so staff of the area get past the gate to the refusal
      // to make a dead QR (409, test/web/poster-refusal.test.ts); everyone else is stopped before.
      if ((poster.status === 409) !== staffInAreaOf(who)) wrong.push(`poster × ${who}: ${poster.status}`);
      const residentPage = await agent.get(`/r/cases/${caseNumber}`);
      matrix["GET /r/cases/:number"]![who] = String(residentPage.status);
      if (residentPage.status !== 401) wrong.push(`resident case page × ${who}: ${residentPage.status}`);
      const edits = [
        ["POST /dashboard/rules/edit/routing/preview", await agent.post("/dashboard/rules/edit/routing/preview").type("form").send({ _csrf: csrf, text: routingText, reason: "matrix" })],
        ["POST /dashboard/rules/edit/routing/save", await agent.post("/dashboard/rules/edit/routing/save").type("form").send({ _csrf: csrf, text: routingText, reason: "matrix" })],
        ["POST /dashboard/rules/versions/:id/restore", await agent.post(`/dashboard/rules/versions/${version.id}/restore`).type("form").send({ _csrf: csrf, which: "after" })],
      ] as const;
      const staffInArea = staffInAreaOf(who);
      if ((page.status === 200) !== readsCase(who)) wrong.push(`case page × ${who}: ${page.status}`);
      if (wrote !== staffInArea) wrong.push(`note × ${who}: ${wrote ? "written" : "refused"}`);
      if (["street-other", "owners-other"].includes(who) && list.text.includes(caseNumber)) wrong.push(`${who} lists a dongcheng case`);
      if (readsCase(who) && !list.text.includes(caseNumber)) wrong.push(`${who} does not list its own case`);
      const mayReload = ["district", "admin"].includes(who);
      const refused = (r: request.Response) => r.status >= 400 || String(r.headers.location ?? "").startsWith("/login");
      if (!refused(reload) !== mayReload) wrong.push(`rules reload × ${who}: ${reload.status}`);
      for (const [name, res] of edits) {
        matrix[name]![who] = String(res.status);
        if (!refused(res) !== mayReload) wrong.push(`${name} × ${who}: ${res.status}`);
      }
      // Without the CSRF token nobody writes.
      const forged = await agent.post(`/dashboard/cases/${caseId}/note`).type("form").send({ note: "no csrf" });
      if (!refused(forged)) wrong.push(`note without CSRF × ${who}: ${forged.status}`);
    }
    console.log(JSON.stringify(matrix, null, 1));
    report("authz-dashboard", { tried: Object.keys(users).length * 11, lost: 0, duplicated: 0, wrongCells: wrong.length, wrong });
    expect(wrong).toEqual([]);
  }, 240_000);
  it("dashboard directory pages and forms: sessions per role, area, CSRF; a refused form writes nothing", async () => {
    await createStaffUser(f.db.prisma, { username: "heping-committee", password: PASSWORD, role: "community", estates: ["heping"], displayName: "和平社区" });
    const users: Record<string, string | null> = { district: "district", admin: "admin", "street-own": "dongcheng", "street-other": "xiyuan", committee: "heping-committee", anonymous: null };
    const D = "/dashboard/directory";
    const STAFF = ["district", "admin", "street-own", "street-other"];
    const OWN = ["district", "admin", "street-own"];
    const WIDE = ["district", "admin"];
    const pages: [string, string[]][] = [
      [`${D}/estates`, [...STAFF, "committee"]],
      [`${D}/estates/heping`, [...OWN, "committee"]],
      [`${D}/estates/new`, STAFF],
      [`${D}/companies`, STAFF],
      [`${D}/liaisons`, STAFF],
      [`${D}/offices`, STAFF],
      [`${D}/offices/dongcheng`, OWN],
      [`${D}/streets`, STAFF],
      [`${D}/import`, WIDE],
      [`${D}/import/example.xlsx`, WIDE],
    ];
    const forms: [string | ((who: string) => string), (who: string) => Record<string, string>, string[]][] = [
      [`${D}/estates`, (who) => ({ code: `authz-${who}`, name: `权限${who}`, street: "dongcheng", households: "10" }), OWN],
      [`${D}/estates/heping`, (who) => ({ name: "和平小区", street: "dongcheng", households: String(480 + who.length) }), OWN],
      [`${D}/estates/heping/buildings`, (who) => ({ name: `楼-${who}`, units: "1单元" }), OWN],
      [`${D}/companies`, (who) => ({ code: "huamei", name: "华美物业", contact: `tel ${who}` }), WIDE],
      [`${D}/liaisons`, (who) => ({ code: `li-${who}`, name: `联络人${who}`, company: "huamei" }), WIDE],
      [`${D}/offices/dongcheng/email`, (who) => ({ email: `${who}@example.org` }), OWN],
      [`${D}/offices/dongcheng/link-code`, () => ({}), OWN],
      [`${D}/streets`, (who) => ({ code: `st-${who}`, name: `街道${who}` }), WIDE],
      [`${D}/offices`, (who) => ({ code: `of-${who}`, name: `办公室${who}`, level: "community", street: "dongcheng", estates: "heping" }), WIDE],
      // Editing what exists: an office (a street office its own), renaming and reactivating liaisons,
      // suspending and reactivating a company, reactivating an estate (own street) and a street.
      [`${D}/offices/dongcheng/edit`, (who) => ({ name: `东城街道办事处-${who}`, language: "zh-Hans", level: "street", street: "dongcheng" }), OWN],
      [`${D}/liaisons/huamei-li/rename`, (who) => ({ name: `李工-${who}` }), WIDE],
      [(who) => `${D}/liaisons/li-${who}/deactivate`, () => ({}), WIDE],
      [(who) => `${D}/liaisons/li-${who}/reactivate`, () => ({}), WIDE],
      [`${D}/companies/huamei/suspend`, () => ({}), WIDE],
      [`${D}/companies/huamei/reactivate`, () => ({}), WIDE],
      [(who) => `${D}/estates/authz-${who}/deactivate`, () => ({}), OWN],
      [(who) => `${D}/estates/authz-${who}/reactivate`, () => ({}), OWN],
      [(who) => `${D}/streets/st-${who}/deactivate`, () => ({}), WIDE],
      [(who) => `${D}/streets/st-${who}/reactivate`, () => ({}), WIDE],
    ];
    const wrong: string[] = [];
    const matrix: Record<string, Record<string, string>> = {};
    const refused = (r: request.Response) => r.status >= 400 || String(r.headers.location ?? "").startsWith("/login");
    for (const [who, username] of Object.entries(users)) {
      const agent = request.agent(f.app);
      if (username) {
        const login = await agent.get("/login");
        await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: /name="_csrf" value="([^"]+)"/.exec(login.text)![1]! });
      }
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(`${D}/estates`)).text)?.[1] ?? "none";
      for (const [path, allowed] of pages) {
        const r = await agent.get(path);
        (matrix[`GET ${path}`] ??= {})[who] = String(r.status);
        if (refused(r) === allowed.includes(who)) wrong.push(`GET ${path} × ${who}: ${r.status}`);
        if (/at .*\.(ts|js):\d+/.test(r.text)) wrong.push(`GET ${path} × ${who}: stack trace`);
      }
      for (const [at, body, allowed] of forms) {
        const path = typeof at === "string" ? at : at(who);
        const key = typeof at === "string" ? at : at(":who");
        const before = await f.db.prisma.directoryAudit.count();
        const r = await agent.post(path).type("form").send({ _csrf: csrf, ...body(who) });
        const wrote = (await f.db.prisma.directoryAudit.count()) > before;
        (matrix[`POST ${key}`] ??= {})[who] = `${r.status}${wrote ? " (written)" : ""}`;
        if (wrote !== allowed.includes(who) || refused(r) === allowed.includes(who)) wrong.push(`POST ${path} × ${who}: ${r.status}${wrote ? " written" : ""}`);
        // Without the CSRF token nobody writes.
        const forgedBefore = await f.db.prisma.directoryAudit.count();
        const forged = await agent.post(path).type("form").send(body(`${who}-forged`));
        if (!refused(forged) || (await f.db.prisma.directoryAudit.count()) !== forgedBefore) wrong.push(`POST ${path} without CSRF × ${who}: ${forged.status}`);
      }
      const preview = await agent.post(`${D}/import/preview`).field("_csrf", csrf).attach("file", Buffer.from("code,name\ndongcheng,东城街道\n"), "streets.csv");
      (matrix[`POST ${D}/import/preview`] ??= {})[who] = String(preview.status);
      if (refused(preview) === WIDE.includes(who)) wrong.push(`import preview × ${who}: ${preview.status}`);
    }
    console.log(JSON.stringify(matrix, null, 1));
    report("authz-directory-pages", { tried: Object.keys(users).length * (pages.length + 2 * forms.length + 1), lost: 0, duplicated: 0, wrongCells: wrong.length, wrong: wrong.slice(0, 10) });
    expect(wrong).toEqual([]);
  }, 180_000);
  it("web front door: each resident files and reads only their own; a pending resident's case waits; staff credentials are no resident's", async () => {
    const secret = "office-fixture-frontdoor-secret-0123456789";
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "none";
    /** A phone that registers at the estate's poster (with the invite code: verified; without: pending). */
    const resident = async (estate: string, invite: string | null) => {
      const agent = request.agent(f.app);
      const e = await f.db.prisma.estate.findUniqueOrThrow({ where: { code: estate }, include: { buildings: { include: { units: true }, orderBy: { id: "asc" } } } });
      const link = `/r/${placeToken(secret, { estateId: e.id, buildingId: null })}`;
      const form = await agent.get(link);
      await agent.post(link).type("form").send({ _csrf: csrfOf(form.text), unitId: String(e.buildings[0]!.units[0]!.id), ...(invite ? { invite } : {}) });
      return agent;
    };
    const file = async (agent: request.Agent, text: string) => {
      const form = await agent.get("/r/file");
      return agent.post("/r/file").field("_csrf", csrfOf(form.text)).field("description", text).field("category", "water").field("draft", `authz-${Math.random().toString(36).slice(2, 12)}`);
    };
    const own = await resident("heping", "HEPING01");
    const other = await resident("jinxiu", "JINXIU01");
    const pending = await resident("heping", null);
    const staff = request.agent(f.app);
    const login = await staff.get("/login");
    await staff.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(login.text) });
    const wrong: string[] = [];
    const matrix: Record<string, Record<string, string>> = {};
    const cell = (row: string, who: string, v: string) => ((matrix[row] ??= {})[who] = v);

    const filed = await file(own, "自己的漏水 authz");
    const number = decodeURIComponent(/cases\/([^?]+)/.exec(String(filed.headers.location))?.[1] ?? "");
    const mine = await f.db.prisma.case.findUnique({ where: { number } });
    cell("POST /r/file", "resident", `${filed.status} ${mine?.state ?? "none"}`);
    if (!mine || mine.state === "awaiting_approval") wrong.push(`verified resident's case: ${mine?.state ?? "not filed"}`);
    const held = await file(pending, "待审核住户的漏水 authz");
    const heldCase = await f.db.prisma.case.findUnique({ where: { number: decodeURIComponent(/cases\/([^?]+)/.exec(String(held.headers.location))?.[1] ?? "") } });
    cell("POST /r/file", "pending-resident", `${held.status} ${heldCase?.state ?? "none"}`);
    if (heldCase?.state !== "awaiting_approval" || heldCase.liaisonId !== null) wrong.push(`pending resident's case: ${heldCase?.state ?? "not filed"}`);
    for (const [who, agent] of [["anonymous", request.agent(f.app)], ["staff-session", staff]] as const) {
      const before = await f.db.prisma.case.count();
      const r = await file(agent, `${who} authz`);
      cell("POST /r/file", who, String(r.status));
      if ((await f.db.prisma.case.count()) !== before) wrong.push(`POST /r/file × ${who}: filed a case`);
    }
    const bearer = await request(f.app).post("/r/file").set("Authorization", `Bearer ${f.tokens.district}`).field("description", "token authz").field("category", "water");
    cell("POST /r/file", "district-token", String(bearer.status));
    if (bearer.status < 400) wrong.push(`POST /r/file × district token: ${bearer.status}`);

    for (const [who, agent, allowed] of [["resident", own, true], ["other-resident", other, false], ["pending-resident", pending, false], ["staff-session", staff, false], ["anonymous", request.agent(f.app), false]] as const) {
      const page = await agent.get(`/r/cases/${number}`);
      cell("GET /r/cases/:number", who, String(page.status));
      if ((page.status === 200) !== allowed) wrong.push(`GET /r/cases/:number × ${who}: ${page.status}`);
      if (!allowed && page.text.includes("自己的漏水")) wrong.push(`GET /r/cases/:number × ${who}: shows the description`);
      const list = await agent.get("/r/cases");
      if (!allowed && list.text.includes(number)) wrong.push(`GET /r/cases × ${who}: lists another's case`);
      const before = await f.db.prisma.caseEvent.count({ where: { caseId: mine!.id } });
      const info = await agent.post(`/r/cases/${number}/info`).field("_csrf", csrfOf(page.text)).field("text", `more from ${who}`);
      const wrote = (await f.db.prisma.caseEvent.count({ where: { caseId: mine!.id } })) > before;
      cell("POST /r/cases/:number/info", who, `${info.status}${wrote ? " (written)" : ""}`);
      if (wrote !== allowed) wrong.push(`POST /r/cases/:number/info × ${who}: ${wrote ? "written" : "refused"}`);
    }
    console.log(JSON.stringify(matrix, null, 1));
    report("authz-frontdoor", { tried: 14, lost: 0, duplicated: 0, wrongCells: wrong.length, wrong });
    expect(wrong).toEqual([]);
  }, 180_000);
});
