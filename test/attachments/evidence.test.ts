// Evidence kept: photos a resident or liaison sent are downloaded from (fake) Telegram into the
// attachment store — type read from the bytes, size-limited, EXIF stripped — served to the dashboard
// from the store; a failed download stays pending (shown so) and is retried from the database.
// The same store on S3-compatible storage, against an in-process fake S3.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { Api } from "grammy";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { FakeS3 } from "../helpers/fakeS3.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { downloadTelegramFile, telegramFiles } from "../../bot/transport/files.ts";
import { telegramFetch } from "../../bot/transport/transport.ts";
import { diskStore } from "../../core/attachments/store.ts";
import { s3Store } from "../../core/attachments/s3-store.ts";
import { ImageRefused, storeImage } from "../../core/attachments/image-intake.ts";
import { EvidenceFetcher } from "../../core/cases/evidence-fetcher.ts";
import { GPS_MARK, jpegClean, jpegWithGps } from "./jpeg.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe("evidence kept on disk", () => {
  const tg = new FakeBotApi();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evidence-"));
  const store = diskStore(dir);
  let f: OfficeFixture;
  let fetcher: EvidenceFetcher;
  let agent: ReturnType<typeof request.agent>;
  let caseId: number;
  const attach = (fileId: string, addedBy = "resident") => f.db.prisma.attachment.create({ data: { caseId, fileId, addedBy, createdAt: f.clock.now() } }).then((a) => a.id);
  const row = (id: number) => f.db.prisma.attachment.findUniqueOrThrow({ where: { id } });

  beforeAll(async () => {
    const apiRoot = await tg.start();
    const files = telegramFiles({ api: new Api(tg.token, { apiRoot, fetch: telegramFetch() }), token: tg.token, apiRoot, timeoutMs: 5_000 });
    f = await officeApp({ files, attachments: store });
    fetcher = new EvidenceFetcher({ db: f.db.prisma, store, download: (id) => downloadTelegramFile(files, id), maxBytes: 1024, clock: f.clock });
    agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
    caseId = (await f.file("heping", { description: "楼道漏水" })).id;
  });
  afterAll(async () => {
    await f.db.drop();
    await tg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores a photo with its EXIF position stripped, typed by its bytes, and serves it from the store", async () => {
    // Telegram names it .png; the bytes say JPEG.
    tg.addFile("AgAC-gps", jpegWithGps(), "photos/file_9.png");
    const id = await attach("AgAC-gps");
    expect(await fetcher.drain()).toBe(1);
    const a = await row(id);
    expect(a).toMatchObject({ storeStatus: "stored", contentType: "image/jpeg", size: jpegClean().length, fetchError: null });
    const onDisk = fs.readFileSync(path.join(dir, a.storageKey!));
    expect(a.storageKey).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    expect(onDisk.equals(jpegClean())).toBe(true);
    expect(onDisk.includes(GPS_MARK)).toBe(false);
    expect(onDisk.includes(Buffer.from("Exif"))).toBe(false);
    // Served from the store, also with Telegram gone.
    tg.addFile("AgAC-gps", Buffer.from("changed at Telegram"), "photos/file_9.png");
    const res = await agent.get(`/dashboard/cases/${caseId}/photos/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/jpeg");
    expect(Buffer.compare(res.body as Buffer, jpegClean())).toBe(0);
  });

  it("refuses a file that is not an image, and one over the size limit, saying why on the case page", async () => {
    tg.addFile("AgAC-text", Buffer.from("#!/bin/sh\necho not a photo\n"), "photos/file_10.jpg");
    tg.addFile("AgAC-big", Buffer.concat([jpegWithGps(), Buffer.alloc(2000)]), "photos/file_11.jpg");
    const text = await attach("AgAC-text");
    const big = await attach("AgAC-big");
    await fetcher.drain();
    expect(await row(text)).toMatchObject({ storeStatus: "refused", storageKey: null, fetchError: expect.stringMatching(/not a JPEG or PNG/) });
    expect(await row(big)).toMatchObject({ storeStatus: "refused", storageKey: null, fetchError: expect.stringMatching(/at most 1024/) });
    const page = await agent.get(`/dashboard/cases/${caseId}?lang=zh-Hans`);
    expect(page.text.split("未保存(不是图片或过大)").length - 1).toBe(2);
    expect(page.text).toContain("not a JPEG or PNG image");
    expect((await agent.get(`/dashboard/cases/${caseId}/photos/${text}`).set("Accept", "application/json")).status).toBe(410);
  });

  it("keeps a photo whose download failed pending, shows it so, and stores it on a later try", async () => {
    tg.addFile("AgAC-later", jpegWithGps(), "photos/file_12.jpg");
    const down = (call: { method: string }) => (call.method === "getFile" ? { status: 502, body: "<html>502 Bad Gateway</html>" } : undefined);
    tg.faults.push(down);
    const id = await attach("AgAC-later", "liaison");
    await fetcher.drain();
    const pending = await row(id);
    expect(pending).toMatchObject({ storeStatus: "pending", fetchAttempts: 1, fetchError: expect.stringContaining("502") });
    expect(pending.nextFetchAt!.getTime()).toBeGreaterThan(f.clock.now().getTime());
    const page = await agent.get(`/dashboard/cases/${caseId}?lang=zh-Hans`);
    expect(page.text).toContain("待保存(正在从 Telegram 下载)");
    // Not due yet: nothing is tried.
    expect(await fetcher.drain()).toBe(0);
    tg.faults.length = 0;
    f.clock.set(pending.nextFetchAt!);
    expect(await fetcher.drain()).toBe(1);
    expect(await row(id)).toMatchObject({ storeStatus: "stored", fetchAttempts: 2, contentType: "image/jpeg" });
  });
});

describe("attachment store on S3-compatible storage", () => {
  const s3 = new FakeS3();
  let store: ReturnType<typeof s3Store>;
  beforeAll(async () => {
    const endpoint = await s3.start();
    store = s3Store({ bucket: "evidence", endpoint, accessKeyId: "test", secretAccessKey: "test-secret", prefix: "attachments/" });
  });
  afterAll(async () => {
    store.client.destroy();
    await s3.stop();
  });

  it("puts a cleaned photo, gets it back, deletes it", async () => {
    const stored = await storeImage(store, jpegWithGps());
    expect(stored.contentType).toBe("image/jpeg");
    const kept = s3.objects.get(`/evidence/attachments/${stored.key}`);
    expect(kept?.contentType).toBe("image/jpeg");
    expect(kept?.bytes.equals(jpegClean())).toBe(true);
    const got = await store.get(stored.key);
    const chunks: Buffer[] = [];
    for await (const c of got!.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).equals(jpegClean())).toBe(true);
    await store.delete(stored.key);
    expect(await store.get(stored.key)).toBeNull();
  });

  it("refuses what is not an image before anything is uploaded", async () => {
    const before = s3.requests.length;
    await expect(storeImage(store, Buffer.from("%PDF-1.4 not a photo"))).rejects.toBeInstanceOf(ImageRefused);
    await expect(storeImage(store, jpegWithGps(), { maxBytes: 10 })).rejects.toThrow(/at most 10/);
    expect(s3.requests.length).toBe(before);
  });
});
