// GET to public hosts only (api/rest/open311/public-fetch.ts), where the host is only known once its
// name is resolved: a public-looking name that resolves to this machine is refused at connect time,
// and the server behind it never sees the request. Names are resolved by a stand-in resolver (no DNS
// here); the control shows that, without the check, the same name does reach that server.
import http from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchPublicImage, privateAddress, type Resolver } from "../../api/rest/open311/public-fetch.ts";
import { jpegClean } from "../attachments/jpeg.ts";

let asked = 0;
let port = 0;
const server = http.createServer((_req, res) => {
  asked++;
  res.writeHead(200, { "content-type": "image/jpeg" }).end(jpegClean());
});
const to = (address: string, family = 4): Resolver => (_host, _options, callback) => callback(null, [{ address, family }]);

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  // Other files may have left nock holding the network: let this test's names through to its server.
  nock.enableNetConnect();
});
afterAll(() => server.close());

const options = { timeoutMs: 5_000, maxBytes: 1 << 20 };

describe("fetching a caller's URL from public hosts only", () => {
  it("refuses a name that resolves to this machine, and the server is never asked", async () => {
    // Control: the stand-in resolver does lead a plain request to the server.
    const plainLookup = (host: string, o: object, cb: Parameters<Resolver>[2]) => to("127.0.0.1")(host, { all: true }, cb);
    const control = await new Promise<number>((resolve, reject) => {
      http.get(`http://photos.example:${port}/x.jpg`, { lookup: plainLookup as never }, (res) => resolve(res.resume().statusCode!)).on("error", reject);
    });
    expect([control, asked]).toEqual([200, 1]);

    expect(await fetchPublicImage(`http://photos.example:${port}/x.jpg`, { ...options, resolve: to("127.0.0.1") })).toEqual({ ok: false, reason: "photos.example resolves to a private address (127.0.0.1)" });
    expect(await fetchPublicImage(`http://photos.example:${port}/x.jpg`, { ...options, resolve: to("::ffff:10.0.0.8", 6) })).toEqual({ ok: false, reason: "photos.example resolves to a private address (::ffff:10.0.0.8)" });
    expect(asked).toBe(1);
  });

  it("judges addresses, not spellings", () => {
    for (const a of ["127.0.0.1", "10.2.3.4", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "[::1]"]) expect(privateAddress(a), a).toBe(true);
    for (const a of ["93.184.216.34", "172.32.0.1", "100.128.0.1", "2001:db8::1", "::ffff:93.184.216.34"]) expect(privateAddress(a), a).toBe(false);
  });

  // Issue 24: the IPv4-compatible (::7f00:1) and NAT64 (64:ff9b::7f00:1) forms passed the check.
  it("judges every IPv6 form that carries an IPv4 address as that IPv4 address", () => {
    const loopbackAs = ["::7f00:1", "::127.0.0.1", "::ffff:7f00:1", "::ffff:0:7f00:1", "64:ff9b::7f00:1", "64:ff9b::127.0.0.1", "64:ff9b:1::a00:1", "2002:7f00:1::", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "0:0:0:0:0:0:7f00:1", "[64:ff9b::a9fe:a9fe]"];
    for (const a of loopbackAs) expect(privateAddress(a), a).toBe(true);
    for (const a of ["64:ff9b::5db8:d822", "2002:5db8:d822::1", "::ffff:5db8:d822", "2606:4700::1111"]) expect(privateAddress(a), a).toBe(false);
  });

  it("reads an image from a public host; refuses other answers unread, long redirect chains and other schemes", async () => {
    const host = "https://img.example";
    nock(host).get("/ok.jpg").reply(200, jpegClean(), { "content-type": "image/jpeg" });
    const ok = await fetchPublicImage(`${host}/ok.jpg`, options);
    expect(ok.ok && ok.body.equals(jpegClean())).toBe(true);
    nock(host).get("/page").reply(200, "<html>", { "content-type": "text/html; charset=utf-8" });
    expect(await fetchPublicImage(`${host}/page`, options)).toMatchObject({ ok: false, status: 200, reason: "not an image (text/html)" });
    nock(host).get("/gone.jpg").reply(404, "");
    expect(await fetchPublicImage(`${host}/gone.jpg`, options)).toMatchObject({ ok: false, reason: "HTTP 404" });
    nock(host).get("/big.jpg").reply(200, Buffer.alloc(2 << 20), { "content-type": "image/jpeg" });
    expect(await fetchPublicImage(`${host}/big.jpg`, options)).toMatchObject({ ok: false, reason: "larger than 1 MB" });
    for (let i = 0; i < 4; i++) nock(host).get(`/r${i}`).reply(302, "", { location: `/r${i + 1}` });
    expect(await fetchPublicImage(`${host}/r0`, options)).toMatchObject({ ok: false, status: 302, reason: "more than 3 redirects" });
    expect(await fetchPublicImage("ftp://img.example/x.jpg", options)).toEqual({ ok: false, reason: "not an http(s) URL of a public host" });
    expect(await fetchPublicImage("not a url", options)).toEqual({ ok: false, reason: "not an http(s) URL of a public host" });
    nock.cleanAll();
  });
});
