// No poster with a dead QR code: while PUBLIC_BASE_URL is this machine, a private address or plain
// http the posters page says what to set and makes no PDF (409 with the same words); with the front
// door off (FRONTDOOR_SECRET unset) the 扫码海报 entry explains it instead of a 404. The start log
// line names the front door's state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { baseUrlProblem, frontDoorState } from "../../api/frontdoor/posters.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
async function district(f: OfficeFixture) {
  const agent = request.agent(f.app);
  const form = await agent.get("/login");
  await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
  return agent;
}

describe("which base URLs make a working QR", () => {
  it("refuses this machine, private networks, one-word hosts and plain http; takes a public https address", () => {
    expect(baseUrlProblem("http://localhost:3000")).toBe("localhost");
    expect(baseUrlProblem("https://127.0.0.1")).toBe("localhost");
    expect(baseUrlProblem("https://192.168.1.20:3000")).toBe("private");
    expect(baseUrlProblem("https://10.0.0.5")).toBe("private");
    expect(baseUrlProblem("https://wuye-server")).toBe("private");
    expect(baseUrlProblem("http://wuye.example.gov.cn")).toBe("http");
    expect(baseUrlProblem("https://wuye.example.gov.cn")).toBeNull();
    expect(frontDoorState({ PUBLIC_BASE_URL: "http://localhost:3000" }, false)).toContain("OFF: FRONTDOOR_SECRET is not set");
    expect(frontDoorState({ FRONTDOOR_SECRET: "x".repeat(32), PUBLIC_BASE_URL: "http://localhost:3000" }, false)).toContain("posters are refused: PUBLIC_BASE_URL is not set");
    expect(frontDoorState({ FRONTDOOR_SECRET: "x".repeat(32), PUBLIC_BASE_URL: "https://wuye.example.gov.cn" }, true)).toBe("front door /r ON at https://wuye.example.gov.cn/r; QR posters ready");
  });
});

describe("the posters page", () => {
  let on: OfficeFixture;
  let off: OfficeFixture;
  beforeAll(async () => {
    on = await officeApp({ publicBaseUrl: "http://localhost:3000" }, { frontDoor: true });
    off = await officeApp();
  }, 180_000);
  afterAll(async () => {
    await on?.db.drop();
    await off?.db.drop();
  });

  it("at localhost: a banner naming PUBLIC_BASE_URL, no download links, a PDF asked for anyway is a 409", async () => {
    const agent = await district(on);
    const page = await agent.get("/dashboard/posters");
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="poster-refusal"');
    expect(page.text).toContain("只在这台电脑上能打开");
    expect(page.text).toContain("<code>PUBLIC_BASE_URL</code>");
    expect(page.text).toContain("<code>http://localhost:3000</code>");
    expect(page.text).not.toContain("/dashboard/posters/heping.pdf");
    const pdf = await agent.get("/dashboard/posters/heping.pdf");
    expect(pdf.status).toBe(409);
    expect(pdf.text).toContain("PUBLIC_BASE_URL");
  });

  it("with the front door off: the menu entry opens a page explaining FRONTDOOR_SECRET, not a 404", async () => {
    const agent = await district(off);
    const cases = await agent.get("/dashboard/cases");
    expect(cases.text).toContain('href="/dashboard/posters"');
    const page = await agent.get("/dashboard/posters");
    expect(page.status).toBe(200);
    expect(page.text).toContain("居民网页入口未开启");
    expect(page.text).toContain("<code>FRONTDOOR_SECRET</code>");
    expect((await agent.get("/dashboard/posters/heping.pdf")).status).toBe(409);
  });
});
