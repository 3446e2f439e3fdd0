// Issue 17, item 2: every registered route (found by walking the Express router stack, so a new
// route is swept without anyone listing it) gets impossible input in its path parameters, query and
// body — ids past int4, NUL, lone surrogates, malformed %-escapes, huge numbers, impossible dates —
// as a district token (API, webhook) and as a logged-in session (pages). Any 5xx fails; the clear 400s are counted and
// must name what was wrong.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { Express } from "express";
import { createApp } from "../../api/app.ts";
import { WEBHOOK_PATH } from "../../api/webhook.ts";
import { InboxWorker } from "../../core/delivery/inbox.ts";
import { silentLogger } from "../../core/logger.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const SECRET = "sweep-secret-0123456789";
let f: OfficeFixture;
let app: Express;

interface Route {
  method: string;
  path: string;
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: string | string[] };

/** Every route of an app: mounted routers are walked with their mount path. */
export function walkRoutes(stack: Layer[], prefix = ""): Route[] {
  const out: Route[] = [];
  for (const layer of stack) {
    const mounts = ([] as string[]).concat(layer.rawPath ?? "/").map((m) => (m === "/" ? "" : m));
    if (layer.route) {
      for (const p of ([] as string[]).concat(layer.route.path)) for (const m of Object.keys(layer.route.methods)) out.push({ method: m, path: prefix + p });
    } else if (layer.handle?.stack) {
      for (const m of mounts) out.push(...walkRoutes(layer.handle.stack, prefix + m));
    }
  }
  return out;
}

const BAD_PARAMS = ["9999999999", "99999999999999999999", "-1", "1e400", "%00", "a%00b", "%ED%A0%80", "%E0%A4%A", "2026-999999"];
const BAD_QUERIES = [
  "limit=1e400&before=99999999999",
  "before=9999999999",
  "from=99999-12-31&to=0000-00-00",
  "q=%00",
  "q=%ED%A0%80",
  "state=routed%00",
  "year=99999999999999999999",
  "push=9999999999",
  "start_date=2026-02-31T00:00:00Z&end_date=2026-13-01",
  "service_request_id=9999-999999,%00",
  "page_size=1e400&lat=1e400",
  "lang=%00",
];
const BAD_BODIES: Record<string, unknown>[] = [
  { kind: "repair", category: "water", estate: "heping", description: "lone \ud800 surrogate", note: "x", decision: "approve", action: "addNote" },
  { kind: "repair", category: "water", estate: "heping", description: "nul \u0000 here", note: "nul \u0000", name: "\u0000", role: "district" },
  { description: "x", service_code: "repair.water", lat: "1e400", long: "-1e400", address_id: "heping" },
  { description: "x", service_code: "repair.water", lat: 39.9288, long: 116.4172, email: "a@b.cn", media_url: "http://x/\u0000" },
  { id: 99999999999, scope: "estate", push: 9999999999, year: 1e308, filedAt: "275760-09-14T00:00:00Z", closesAt: "9999999-01-01" },
  { "attribute[estate]": "\udfff", description: "x", service_code: "repair.water" },
];

beforeAll(async () => {
  f = await officeApp({}, { surveys: true });
  const inbox = new InboxWorker({ db: f.db.prisma, handle: async () => {} });
  const surveys = { db: f.db.prisma, surveys: f.surveys!, clock: f.clock, timezone: "Asia/Shanghai", assessmentSettings: f.office.assessmentSettings };
  app = createApp({ db: f.db.prisma, log: silentLogger, webhook: { inbox, secret: SECRET }, botOn: true, botMode: "webhook", office: f.office, surveys });
  await f.file("heping");
}, 120_000);
afterAll(async () => f?.db.drop());

describe("impossible input on every route", () => {
  it("finds the routes by walking the router stack", () => {
    const routes = walkRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack);
    const names = new Set(routes.map((r) => `${r.method} ${r.path}`));
    // The walk reaches into mounted routers (else the sweep would test nothing).
    for (const r of ["get /api/v1/cases/:id", "post /api/v1/cases", "get /open311/v2/requests.:format", "post /open311/v2/requests.:format", "get /dashboard/cases/:id/photos/:attachmentId", "post /telegram/webhook", "get /api/v1/credit/:company"])
      expect(names, r).toContain(r);
    expect(routes.length).toBeGreaterThan(50);
  });

  it("answers 4xx, never 5xx, with a message that says what was wrong", async () => {
    const routes = walkRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack);
    const session = request.agent(app);
    const form = await session.get("/login");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    await session.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrf, next: "/dashboard/cases" });
    const fiveHundreds: string[] = [];
    const unclear: string[] = [];
    let tried = 0;
    let refused400 = 0;
    const call = async (who: "token" | "session", method: string, url: string, body?: Record<string, unknown>, form = false) => {
      const agent = who === "session" ? session : request(app);
      let r = (agent as unknown as Record<string, (u: string) => request.Test>)[method]!(url);
      if (who === "token") r = r.set("Authorization", `Bearer ${f.tokens.district}`);
      if (url.startsWith(WEBHOOK_PATH)) r = r.set("X-Telegram-Bot-Api-Secret-Token", SECRET);
      if (body) r = form ? r.type("form").send(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]))) : r.send(body);
      const res = await r;
      tried++;
      const what = `${who} ${method.toUpperCase()} ${url}${body ? ` ${JSON.stringify(body).slice(0, 60)}` : ""}`;
      if (res.status >= 500) fiveHundreds.push(`${what} → ${res.status} ${res.text.slice(0, 120)}`);
      if (res.status === 400) {
        refused400++;
        if (!/NUL|surrogate|%-escape|at most|invalid|must|required|not |expected|too_big|too_small|out of range|bad|malformed|无效|失效|必须|格式|超出|至少/i.test(res.text)) unclear.push(`${what} → ${res.text.slice(0, 120)}`);
      }
      if (/at .*\.(ts|js):\d+/.test(res.text)) fiveHundreds.push(`${what}: stack trace`);
    };
    for (const route of routes) {
      const params = (route.path.match(/:\w+/g) ?? []).length;
      const urls = params ? BAD_PARAMS.map((v) => route.path.replace(/:\w+/g, v)) : [route.path];
      // (Pages answer in the reader's language, zh-Hans by default: their words count too.)
      // The API and the webhook as a token holder, the pages as a logged-in person.
      const callers = /^\/(api|open311|telegram)\//.test(route.path) ? (["token"] as const) : (["session"] as const);
      for (const who of callers) {
        for (const url of urls) await call(who, route.method, url);
        const base = route.path.replace(/:(\w+)/g, (_m, name: string) => (name === "format" ? "json" : name === "file" ? "2026-000001.json" : name === "company" || name === "estate" ? "heping" : "1"));
        for (const q of BAD_QUERIES) await call(who, route.method, `${base}?${q}`);
        if (route.method === "post") for (const b of BAD_BODIES) for (const asForm of [false, true]) await call(who, "post", base, b, asForm);
      }
    }
    // The webhook's own body: NUL and lone surrogates in an update, an update_id no column holds.
    for (const text of ["nul \u0000", "lone \ud800"]) await call("token", "post", WEBHOOK_PATH, { update_id: 5, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, text } });
    await call("token", "post", WEBHOOK_PATH, { update_id: 1e30 });
    console.log(`sweep: ${routes.length} routes, ${tried} calls, ${refused400} answered 400`);
    expect(fiveHundreds).toEqual([]);
    expect(unclear).toEqual([]);
    expect(refused400).toBeGreaterThan(routes.length);
  }, 600_000);

  it("says what was wrong, for each kind of impossible value", async () => {
    const auth = { Authorization: `Bearer ${f.tokens.district}` };
    const id = await request(app).get("/api/v1/cases/9999999999").set(auth);
    expect([id.status, id.body.message]).toEqual([400, expect.stringContaining("at most 2147483647")]);
    const nul = await request(app).post("/api/v1/cases/1/notes").set(auth).send({ note: "a\u0000b" });
    expect([nul.status, nul.body.message]).toEqual([400, expect.stringContaining("NUL")]);
    const surrogate = await request(app).post("/api/v1/cases/1/notes").set(auth).send({ note: "a\ud800b" });
    expect([surrogate.status, surrogate.body.message]).toEqual([400, expect.stringContaining("surrogate")]);
    const photo = await request(app).get("/dashboard/cases/1/photos/99999999999").set(auth);
    expect(photo.status).not.toBeGreaterThanOrEqual(500);
    const open311 = await request(app).get("/open311/v2/requests.xml").query({ start_date: "2026-02-31T00:00:00Z" });
    expect(open311.status).toBe(400);
    expect(open311.text).toMatch(/<errors><error><code>400<\/code><description>[^<]*start_date/);
    const hook = await request(app).post(WEBHOOK_PATH).set("X-Telegram-Bot-Api-Secret-Token", SECRET).send({ update_id: 7, message: { text: "\u0000" } });
    expect([hook.status, hook.body.message]).toEqual([400, expect.stringContaining("NUL")]);
  });
});
