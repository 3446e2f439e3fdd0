// An Open311 report's media_url, end to end with the real attachment store: the photo is fetched
// into the case's photos (checked by its bytes, location stripped), and a link naming this machine
// or a private network is kept as a link without ever being requested — nor followed to by a redirect.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import nock from "nock";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";
import { diskStore } from "../../core/attachments/store.ts";
import { mediaPhotoStore } from "../../core/attachments/case-photos.ts";
import { fetchableUrl } from "../../api/rest/open311/public-fetch.ts";
import { jpegClean, jpegWithGps } from "../attachments/jpeg.ts";
import { localNetworkOnly, restoreNetwork } from "../helpers/network.ts";

let f: OfficeFixture;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "open311-media-"));
const store = diskStore(dir);

beforeAll(async () => {
  f = await officeApp({ attachments: store, mediaStore: { put: (o) => mediaPhotoStore(f.db.prisma, store, 1 << 20).put(o) } });
  localNetworkOnly();
}, 120_000);
afterAll(async () => {
  restoreNetwork();
  await f?.db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const report = (mediaUrl: string) =>
  request(f.app).post("/open311/v2/requests.json").type("form").send({ api_key: f.tokens.district, service_code: "repair.water", address_id: "heping", description: "楼道漏水，见照片", media_url: mediaUrl });

/** The case's media link once the fetch after filing has decided about it. */
const checkedLink = (number: string) =>
  vi.waitFor(async () => {
    const l = await f.db.prisma.caseMediaLink.findFirstOrThrow({ where: { case: { number } } });
    if (l.status === "pending") throw new Error("still pending");
    return l;
  }, { timeout: 15_000 });

describe("Open311 media_url into the case's photos", () => {
  it("fetches the photo into the attachment store, location stripped, as the case's photo", async () => {
    nock("https://fms.example").get("/photo/7.jpeg").reply(200, jpegWithGps(), { "Content-Type": "image/jpeg" });
    const res = await report("https://fms.example/photo/7.jpeg");
    expect(res.status).toBe(201);
    const number = res.body[0].service_request_id as string;
    const link = await vi.waitFor(async () => {
      const l = await f.db.prisma.caseMediaLink.findFirstOrThrow({ where: { case: { number } } });
      if (l.status !== "fetched") throw new Error(`still ${l.status}`);
      return l;
    }, { timeout: 15_000 });
    const photo = await f.db.prisma.attachment.findUniqueOrThrow({ where: { id: link.attachmentId! } });
    expect(photo).toMatchObject({ storeStatus: "stored", contentType: "image/jpeg", fileId: "url:https://fms.example/photo/7.jpeg" });
    expect(fs.readFileSync(path.join(dir, photo.storageKey!)).equals(jpegClean())).toBe(true);
  });

  it("keeps a link to this machine or a private network as a link, never requesting it", async () => {
    for (const url of ["http://127.0.0.1:9/x.jpg", "http://10.1.2.3/x.jpg", "http://[::1]/x.jpg", "http://localhost/x.jpg", "http://192.168.0.7/x.jpg", "file:///etc/passwd"]) {
      expect(fetchableUrl(url)).toBe(false);
    }
    expect(fetchableUrl("https://fms.example/photo/7.jpeg")).toBe(true);
    const res = await report("http://169.254.169.254/latest/meta-data");
    expect(res.status).toBe(201);
    const number = res.body[0].service_request_id as string;
    const link = await checkedLink(number);
    expect(link).toMatchObject({ status: "unreachable", url: "http://169.254.169.254/latest/meta-data", attachmentId: null });
    expect(link.lastError).toContain("public host");
  });

  it("does not follow a redirect from a public link to this machine", async () => {
    // A real server on this machine that would hand out an image: it must never be asked.
    let asked = 0;
    const inside = http.createServer((_req, res) => {
      asked++;
      res.writeHead(200, { "content-type": "image/jpeg" }).end(jpegClean());
    });
    await new Promise<void>((r) => inside.listen(0, "127.0.0.1", r));
    const port = (inside.address() as AddressInfo).port;
    try {
      nock("https://fms.example").get("/photo/9.jpeg").reply(302, "", { Location: `http://127.0.0.1:${port}/secret.jpg` });
      const res = await report("https://fms.example/photo/9.jpeg");
      const number = res.body[0].service_request_id as string;
      const link = await checkedLink(number);
      expect(link).toMatchObject({ status: "unreachable", attachmentId: null, lastError: `redirected to http://127.0.0.1:${port}, not a public host` });
      expect(asked).toBe(0);
    } finally {
      inside.close();
    }
  });
});
