import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { Api } from "grammy";
import { contentTypeOf, telegramFiles } from "../../bot/transport/files.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
// Enough of a JPEG and a PNG for the bytes to be recognisable; nobody decodes them.
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 2, 3, 0xff, 0xd9]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7]);

describe("case photos on the dashboard", () => {
  const tg = new FakeBotApi();
  let f: OfficeFixture;
  let files: ReturnType<typeof telegramFiles>;
  const agents: Record<string, ReturnType<typeof request.agent>> = {};
  const logIn = async (username: string) => {
    const a = request.agent(f.app);
    const form = await a.get("/login");
    await a.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
    return a;
  };
  let own: { id: number; photo: number; png: number; lost: number }; // a dongcheng case (heping)
  let other: { id: number; photo: number }; // a xiyuan case (jinxiu)

  beforeAll(async () => {
    const apiRoot = await tg.start();
    files = telegramFiles({ api: new Api(tg.token, { apiRoot }), token: tg.token, apiRoot, timeoutMs: 5_000 });
    f = await officeApp({ files });
    agents.district = await logIn("district");
    agents.dongcheng = await logIn("dongcheng");
    tg.addFile("AgACAgphoto-1", JPEG, "photos/file_1.jpg");
    tg.addFile("AgACAgphoto-2", PNG, "photos/file_2.png");
    tg.addFile("AgACAgphoto-3", JPEG, "photos/file_3.jpg");
    const attach = (caseId: number, fileId: string, addedBy: string, caption: string | null = null) => f.db.prisma.attachment.create({ data: { caseId, fileId, addedBy, caption, createdAt: f.clock.now() } }).then((a) => a.id);
    const c1 = await f.file("heping", { description: "楼道漏水" });
    own = {
      id: c1.id,
      photo: await attach(c1.id, "AgACAgphoto-1", "resident", "楼道积水 <b>"),
      png: await attach(c1.id, "AgACAgphoto-2", "liaison", "修好了"),
      // Telegram does not know this file id (e.g. another bot's, or expired).
      lost: await attach(c1.id, "AgACAgunknown", "resident"),
    };
    const c2 = await f.file("jinxiu", { description: "电梯故障" });
    other = { id: c2.id, photo: await attach(c2.id, "AgACAgphoto-3", "resident", "电梯") };
  });
  afterAll(async () => {
    await f.db.drop();
    await tg.stop();
  });

  it("shows thumbnails with caption, who added it and when, linking to the full image", async () => {
    const page = await agents.district!.get(`/dashboard/cases/${own.id}?lang=en`);
    expect(page.status).toBe(200);
    const src = `/dashboard/cases/${own.id}/photos/${own.photo}`;
    expect(page.text).toContain(`<a href="${src}"`);
    expect(page.text).toContain(`<img loading="lazy" src="${src}"`);
    expect(page.text).toContain(`/dashboard/cases/${own.id}/photos/${own.png}`);
    expect(page.text).toContain("楼道积水 &lt;b>"); // caption, escaped
    expect(page.text).not.toContain("楼道积水 <b>");
    expect(page.text).not.toContain("楼道积水 <b>");
    expect(page.text).toContain("修好了");
    expect(page.text).toContain("from the resident");
    expect(page.text).toContain("from the liaison");
    expect(page.text).toMatch(/from the resident · 2026-11-02/);
    expect(page.text).not.toContain("AgACAg"); // no raw Telegram file ids any more
  });

  it("streams the image bytes with their content type, private caching and nosniff", async () => {
    const jpg = await agents.district!.get(`/dashboard/cases/${own.id}/photos/${own.photo}`);
    expect(jpg.status).toBe(200);
    expect(jpg.headers["content-type"]).toBe("image/jpeg");
    expect(jpg.headers["cache-control"]).toBe("private, max-age=86400");
    expect(jpg.headers["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.compare(jpg.body as Buffer, JPEG)).toBe(0);
    const png = await agents.district!.get(`/dashboard/cases/${own.id}/photos/${own.png}`);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(Buffer.compare(png.body as Buffer, PNG)).toBe(0);
    // A street user sees its own street's photos.
    const mine = await agents.dongcheng!.get(`/dashboard/cases/${own.id}/photos/${own.photo}`);
    expect(mine.status).toBe(200);
    expect(Buffer.compare(mine.body as Buffer, JPEG)).toBe(0);
  });

  it("hides another street's case and its photos from a street user (404)", async () => {
    expect((await agents.dongcheng!.get(`/dashboard/cases/${other.id}`)).status).toBe(404);
    const res = await agents.dongcheng!.get(`/dashboard/cases/${other.id}/photos/${other.photo}`);
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).not.toMatch(/^image\//);
    // The district sees it.
    expect((await agents.district!.get(`/dashboard/cases/${other.id}/photos/${other.photo}`)).status).toBe(200);
  });

  it("answers 404 for an unknown attachment or one of another case, 400 for a malformed id", async () => {
    expect((await agents.district!.get(`/dashboard/cases/${own.id}/photos/999999`)).status).toBe(404);
    // other.photo exists, but belongs to the other case.
    expect((await agents.district!.get(`/dashboard/cases/${own.id}/photos/${other.photo}`)).status).toBe(404);
    expect((await agents.district!.get(`/dashboard/cases/999999/photos/${own.photo}`)).status).toBe(404);
    expect((await agents.district!.get(`/dashboard/cases/${own.id}/photos/abc`)).status).toBe(400);
  });

  it("answers 502 when Telegram refuses the file or it is too big, without leaking the token", async () => {
    const lost = await agents.district!.get(`/dashboard/cases/${own.id}/photos/${own.lost}`).set("Accept", "application/json");
    expect(lost.status).toBe(502);
    expect(lost.body.message).toMatch(/invalid file_id/);
    expect(JSON.stringify(lost.body)).not.toContain(tg.token);
    // Over the cap (here 8 bytes instead of Telegram's 20 MB): refused before downloading.
    f.office.files = telegramFiles({ api: new Api(tg.token, { apiRoot: tg.apiRoot }), token: tg.token, apiRoot: tg.apiRoot, maxBytes: 8 });
    try {
      const big = await agents.district!.get(`/dashboard/cases/${own.id}/photos/${own.photo}`).set("Accept", "application/json");
      expect(big.status).toBe(502);
      expect(big.body.message).toMatch(/at most/);
    } finally {
      f.office.files = files;
    }
  });

  it("answers 503 when the bot is off, and the page says why there are no thumbnails", async () => {
    delete f.office.files;
    try {
      const res = await agents.district!.get(`/dashboard/cases/${own.id}/photos/${own.photo}`).set("Accept", "application/json");
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/bot is off/);
      const page = await agents.district!.get(`/dashboard/cases/${own.id}?lang=en`);
      expect(page.text).not.toContain("<img");
      expect(page.text).toContain("Photos cannot be shown while the bot is off");
      expect(page.text).toContain("修好了");
    } finally {
      f.office.files = files;
    }
  });

  it("sends an anonymous visitor to the login page", async () => {
    const res = await request(f.app).get(`/dashboard/cases/${own.id}/photos/${own.photo}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(`/dashboard/cases/${own.id}/photos/${own.photo}`)}`);
  });

  it("names content types by extension, JPEG when unknown", () => {
    expect(["photos/a.jpg", "b.JPEG", "c.png", "d.webp", "e.bin", "noext"].map(contentTypeOf)).toEqual(["image/jpeg", "image/jpeg", "image/png", "image/webp", "image/jpeg", "image/jpeg"]);
  });
});
