// QR posters: an A4 PDF per estate and per building, a sticker sheet per building, downloadable
// from the dashboard within the caller's area. The QR on them decodes (jsQR) to a signed link that
// opens the front door for that estate and building.
import { describe, expect, it } from "vitest";
import request from "supertest";
import jsQRModule from "jsqr";
import { createStaffUser } from "../../core/directory/staff.ts";
import { qrMatrix, posterPdf, PosterFontMissing } from "../../api/frontdoor/posters.ts";
import { PASSWORD } from "../helpers/office.ts";
import { Phone, withFrontDoor } from "./fixture.ts";

// A public https address: posters are refused at localhost (poster-refusal.test.ts).
const e = withFrontDoor({ PUBLIC_BASE_URL: "https://wuye.example.gov.cn" });
// jsqr is CommonJS: its function is the default export at runtime, `.default` to NodeNext's types.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

async function staff(username: string, role: "district" | "street" | "community", extra: { street?: string; estates?: string[] } = {}) {
  await createStaffUser(e.db.prisma, { username, password: PASSWORD, role, ...extra });
  // The service's address is https (cookies marked Secure), the test talks plain http to it: the
  // cookies are carried by hand, as the proxy in front would.
  const jar = new Map<string, string>();
  const keep = (r: request.Response) => {
    for (const c of ([] as string[]).concat(r.headers["set-cookie"] ?? [])) {
      const [pair] = c.split(";");
      jar.set(pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1));
    }
    return r;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const form = keep(await request(e.svc.s.app).get("/login"));
  keep(await request(e.svc.s.app).post("/login").set("Cookie", cookie()).type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) }));
  return { get: (path: string) => request(e.svc.s.app).get(path).set("Cookie", cookie()) };
}

/** Reads a QR matrix the way a phone camera would read the printed squares (jsQR on pixels). */
function decode(m: boolean[][]): string | null {
  const scale = 4;
  const quiet = 4;
  const size = (m.length + 2 * quiet) * scale;
  const px = new Uint8ClampedArray(size * size * 4).fill(255);
  m.forEach((row, r) =>
    row.forEach((dark, c) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const i = (((r + quiet) * scale + dy) * size + (c + quiet) * scale + dx) * 4;
          px[i] = px[i + 1] = px[i + 2] = 0;
        }
    }),
  );
  return jsQR(px, size, size)?.data ?? null;
}

const pages = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;

describe("QR posters", () => {
  it("a district user downloads estate and building posters and sticker sheets; the QR opens that building's registration", async () => {
    const agent = await staff("poster-district", "district");
    const list = await agent.get("/dashboard/posters");
    expect(list.status).toBe(200);
    expect(list.text).toContain("扫码海报");
    for (const name of ["和平小区", "幸福花园", "锦绣家园", "春晖苑"]) expect(list.text).toContain(name);

    const heping = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true }, orderBy: { id: "asc" } } } });
    const b = heping.buildings[1]!;
    const poster = await agent.get(`/dashboard/posters/heping.pdf?building=${b.id}`).buffer(true);
    expect(poster.status).toBe(200);
    expect(poster.headers["content-type"]).toBe("application/pdf");
    const pdf = poster.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pages(pdf)).toBe(1);
    expect(pdf.toString("latin1")).toContain("WenQuanYiZenHei");

    const estatePoster = (await agent.get("/dashboard/posters/heping.pdf").buffer(true)).body as Buffer;
    expect(pages(estatePoster)).toBe(1);
    const stickers = await agent.get(`/dashboard/posters/heping/stickers.pdf?building=${b.id}`).buffer(true);
    expect(stickers.status).toBe(200);
    expect(pages(stickers.body as Buffer)).toBe(Math.max(1, Math.ceil(b.units.length / 12)));

    // What the poster draws for this building decodes to the signed link, which opens its registration.
    const link = await e.link("heping", b.name);
    const read = decode(qrMatrix(link));
    expect(read).toBe(link);
    const page = await new Phone().get(read!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("和平小区");
    expect(page.text).toContain(b.name);
  });

  it("a street office gets its own estates only; a committee member none; a missing font is a clear error", async () => {
    const street = await staff("poster-dongcheng", "street", { street: "dongcheng" });
    const list = await street.get("/dashboard/posters");
    expect(list.text).toContain("和平小区");
    expect(list.text).not.toContain("锦绣家园");
    expect((await street.get("/dashboard/posters/heping.pdf")).status).toBe(200);
    expect((await street.get("/dashboard/posters/jinxiu.pdf")).status).toBe(404);
    expect((await street.get("/dashboard/posters/heping/stickers.pdf")).status).toBe(400);
    expect((await street.get("/dashboard/posters/heping.pdf?building=999999")).status).toBe(404);

    const committee = await staff("poster-community", "community", { estates: ["heping"] });
    expect((await committee.get("/dashboard/posters")).status).toBe(403);
    expect((await committee.get("/dashboard/posters/heping.pdf")).status).toBe(403);
    expect((await request(e.svc.s.app).get("/dashboard/posters/heping.pdf")).status).toBe(303);

    await expect(posterPdf({ estateName: "和平小区", url: "http://x/r/1.0.a", boardUrl: "http://x/board", fontPath: "/nonexistent/font.ttc" })).rejects.toThrow(PosterFontMissing);
  });
});
