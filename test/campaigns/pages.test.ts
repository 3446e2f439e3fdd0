// The campaign pages as an inspector and an office use them: create a campaign, register a problem
// with a photo on the phone form (multipart, as the camera input sends it), see it in the ledger
// with the live figures in the page's language, act on it, and the public page without personal data.
import zlib from "node:zlib";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** A real 2×2 PNG (signature, IHDR, IDAT, IEND with CRCs), as a phone camera upload would be checked. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const raw = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 0, 255]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

describe("campaign pages", { timeout: 300_000 }, () => {
  let f: OfficeFixture;
  let agent: ReturnType<typeof request.agent>;
  let csrf: string;
  beforeAll(async () => {
    f = await officeApp({}, { campaigns: true });
    agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    csrf = csrfOf((await agent.get("/dashboard/campaigns")).text);
  }, 180_000);
  afterAll(async () => f?.db.close());

  it("creates a campaign, registers a problem with a photo, shows it in the ledger with its figures, fails a round with a notice, and publishes counts only", async () => {
    const list = await agent.get("/dashboard/campaigns");
    expect(list.text).toContain("新建整改专项");
    const created = await agent.post("/dashboard/campaigns").type("form").send({ _csrf: csrf, name: "老旧小区专项整治", inspect_from: "2026-10-01", inspect_to: "2026-10-31", rectify_from: "2026-11-01", rectify_to: "2026-12-31", accept_from: "2027-01-04", accept_to: "2027-01-15", categories: ["fire", "facilities"] });
    expect(created.status).toBe(303);
    const ledgerUrl = created.headers.location as string;
    const form = await agent.get(`${ledgerUrl}/problems/new`);
    expect(form.text).toContain('capture="environment"');
    expect(form.text).toContain("消防");
    expect(form.text).not.toContain("环境卫生"); // not a category of this campaign

    const posted = await agent
      .post(`${ledgerUrl}/problems`)
      .field("_csrf", csrf)
      .field("estate", "heping")
      .field("building", "2号楼")
      .field("category", "fire")
      .field("description", "灭火器过期")
      .field("source", "inspection")
      .attach("photos", png(), { filename: "camera.png", contentType: "image/png" });
    expect(posted.status).toBe(303);
    const problemUrl = (posted.headers.location as string).split("?")[0]!;
    const problem = await agent.get(problemUrl);
    expect(problem.text).toContain("灭火器过期");
    expect(problem.text).toContain("华美物业");
    const photo = /src="(\/dashboard\/campaigns\/\d+\/photos\/\d+)"/.exec(problem.text)?.[1];
    expect(photo).toBeDefined();
    const img = await agent.get(photo!).buffer(true);
    expect(img.headers["content-type"]).toBe("image/png");

    // A bad form keeps the inspector on the form with the reason, and stores nothing.
    const bad = await agent.post(`${ledgerUrl}/problems`).field("_csrf", csrf).field("estate", "heping").field("category", "fire").field("description", "   ").field("source", "inspection");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("describe the problem");

    const ledger = await agent.get(ledgerUrl);
    expect(ledger.text).toContain("整改率");
    expect(ledger.text).toContain("0.0% · 0/1");
    expect(ledger.text).toContain("灭火器过期");

    const pid = problemUrl.split("/").pop()!;
    await agent.post(`${problemUrl}/actions`).field("_csrf", csrf).field("action", "set_measure").field("measure", "更换灭火器").field("deadlineWorkdays", "3");
    const failed = await agent.post(`${problemUrl}/actions`).field("_csrf", csrf).field("action", "fail").field("note", "数量不足").field("deadlineWorkdays", "2");
    expect(failed.status).toBe(303);
    const after = await agent.get(problemUrl);
    expect(after.text).toContain("整改通知书 第1轮");
    expect(after.text).toContain("验收不合格");
    expect(after.text).toContain("数量不足");
    expect(pid).toMatch(/^\d+$/);

    const en = await agent.get(`${ledgerUrl}?lang=en`);
    expect(en.text).toContain("Rectification rate");
    expect(en.text).toContain("Fire safety");

    const slug = (await f.db.prisma.campaign.findFirstOrThrow({ where: { name: "老旧小区专项整治" } })).publicSlug;
    const pub = await request(f.app).get(`/campaigns/${slug}`);
    expect(pub.status).toBe(200);
    expect(pub.text).toContain("和平小区");
    expect(pub.text).not.toContain("灭火器过期");
  });
});
