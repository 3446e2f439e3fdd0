// Issue 24 item 5 (multipart part): nothing of a body is read before the caller is known. An
// anonymous 59 MB multipart post used to be read into memory before the session and CSRF checks
// (six in parallel: +277 MB); a declared length past the form's limit is now refused at once, and
// the /r per-address limit answers 429 in the resident's language (it answered 500, "reading 'view'").
// Item 8: X-Forwarded-For is not believed without TRUST_PROXY, so it buys no fresh address bucket.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { Phone, withFrontDoor } from "./fixture.ts";

const e = withFrontDoor();
const MB = 1024 * 1024;

/**
 * Declares a `declared`-byte multipart body, sends only its first MB, and waits for the answer:
 * a server that reads the body first never answers.
 */
function postUnfinished(url: string, declared: number, cookie = ""): Promise<{ status: number; text: string; sentMb: number }> {
  return new Promise((resolve, reject) => {
    const boundary = "----frontdoor59mb";
    const req = http.request(url, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(declared), accept: "text/html", cookie } });
    let sent = 0;
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        resolve({ status: res.statusCode!, text, sentMb: sent / MB });
        req.destroy();
      });
    });
    req.on("error", (err) => (sent > 0 ? undefined : reject(err)));
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nforged\r\n--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    req.write(head);
    sent += head.length;
    req.write(Buffer.alloc(MB, 0xff));
    sent += MB;
    // The rest never comes: the answer must not wait for it.
  });
}

async function signedIn(): Promise<Phone> {
  const phone = new Phone();
  const link = await e.link("heping");
  await phone.get(link);
  const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true }, orderBy: { id: "asc" } } } });
  const res = await phone.postForm(link, { unitId: String(estate.buildings[0]!.units[0]!.id), name: "王阿姨", invite: "HEPING01" });
  expect(res.status).toBe(303);
  await phone.get(`${e.svc.base}/r/file`);
  return phone;
}

describe("the front door reads no body before it knows who sends it", () => {
  it("answers an anonymous 59 MB filing and addition with 401 before the body arrives", async () => {
    for (const url of [`${e.svc.base}/r/file`, `${e.svc.base}/r/cases/2026-000001/info`]) {
      const res = await postUnfinished(url, 59 * MB);
      expect(res.status).toBe(401);
      expect(res.text).toContain("请先扫描小区的二维码登记");
      expect(res.sentMb).toBeLessThan(2);
    }
  }, 60_000);

  it("refuses a signed-in resident's body declared past the form's limit with 413 at once, in their language", async () => {
    const phone = await signedIn();
    const cookie = ["rd_b", "rd_s"].map((k) => `${k}=${phone.cookie(k)}`).join("; ");
    const res = await postUnfinished(`${e.svc.base}/r/file?lang=en`, 59 * MB, cookie);
    expect(res.status).toBe(413);
    expect(res.text).toContain("A photo is too big (at most 1 MB each). Nothing was saved; fix it and submit again.");
    expect(res.sentMb).toBeLessThan(2);
  }, 60_000);

  it("answers the per-address limit with 429 and Retry-After, and X-Forwarded-For without TRUST_PROXY buys no fresh bucket", async () => {
    const burst = (n: number, forwardedFor?: (i: number) => string) =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const res = await fetch(`${e.svc.base}/r/x?lang=en`, { headers: { accept: "text/html", ...(forwardedFor ? { "x-forwarded-for": forwardedFor(i) } : {}) } });
          return { status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text() };
        }),
      );
    // The limit is 120 a minute per address: 13 rounds of 10 pass it.
    const answers = [];
    for (let round = 0; round < 13; round++) answers.push(...(await burst(10)));
    expect(answers.filter((a) => a.status >= 500).map((a) => a.status)).toEqual([]);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(Number(limited[0]!.retryAfter)).toBeGreaterThan(0);
    expect(limited[0]!.text).toContain("Too many requests; try again in a while.");
    // Made-up forwarded addresses are not believed: still this address, still over its limit.
    expect((await burst(10, (i) => `203.0.113.${i + 1}`)).map((a) => a.status)).toEqual(Array(10).fill(429));
  }, 240_000);
});
