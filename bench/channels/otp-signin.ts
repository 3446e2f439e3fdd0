// Sign-in by phone end to end over HTTP on a local app (PGlite in memory): per sign-in, a fresh
// browser (no cookies) asks a code for its number (POST /r/login: limits checked, code stored hashed,
// SMS row queued in one transaction), reads the code from the outbox row (as the phone reads the SMS —
// not timed), submits it (POST /r/login/code: checked, used up, session cookie) — the timed part is
// the two posts — and opens "my cases" with the new cookie to prove the session (not timed).
// Each sign-in is its own resident and number, from its own address (X-Forwarded-For through a
// trusted loopback proxy), so the per-number and per-address limits are met as in real use.
// `npx tsx bench/channels/otp-signin.ts [n]` prints one line of JSON; bench/channels.ts calls measureOtpSignIn.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { openDatabase } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { buildServices } from "../../app-context.ts";
import { percentile } from "../support/lib.ts";

const SECRET = "bench-frontdoor-secret-0123456789abcdef";

export async function measureOtpSignIn(n: number): Promise<{ p50Ms: number; p99Ms: number; n: number }> {
  const database = await openDatabase({ pgliteDir: "memory://" });
  await seedDemo(database.prisma);
  const attachments = fs.mkdtempSync(path.join(os.tmpdir(), "bench-otp-"));
  const config = loadConfig({ LOG_LEVEL: "silent", FRONTDOOR_SECRET: SECRET, ATTACHMENTS_DIR: attachments, JOBS_ENABLED: "false", TRUST_PROXY: "loopback" });
  const s = await buildServices(config, silentLogger, { database });
  const server = s.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const estate = await database.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
  const phones = Array.from({ length: n }, (_, i) => `137${String(10_000_000 + i).padStart(8, "0")}`);
  await database.prisma.resident.createMany({ data: phones.map((phone) => ({ name: "住户", channel: "web", status: "verified" as const, phone, smsConsent: true, estateId: estate.id })) });

  const ms: number[] = [];
  try {
    for (const [i, phone] of phones.entries()) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const jar = new Map<string, string>();
      const call = async (url: string, body?: Record<string, string>) => {
        const res = await fetch(`${base}${url}`, {
          method: body ? "POST" : "GET",
          redirect: "manual",
          headers: { "x-forwarded-for": address, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
          ...(body ? { body: new URLSearchParams(body) } : {}),
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(";");
          jar.set(pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1));
        }
        return { status: res.status, text: await res.text() };
      };
      const page = await call("/r/login");
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
      const t0 = performance.now();
      const asked = await call("/r/login", { _csrf: csrf, phone, next: "/r/cases" });
      const t1 = performance.now();
      if (asked.status !== 200) throw new Error(`code request answered ${asked.status}`);
      const row = await database.prisma.outboxMessage.findFirstOrThrow({ where: { method: "sendSms", payload: { path: ["to"], equals: `+86${phone}` } }, orderBy: { id: "desc" } });
      const code = (row.payload as { code: string }).code;
      const t2 = performance.now();
      const done = await call("/r/login/code", { _csrf: csrf, phone, code, next: "/r/cases" });
      const t3 = performance.now();
      if (done.status !== 303) throw new Error(`code submit answered ${done.status}`);
      const mine = await call("/r/cases");
      if (mine.status !== 200) throw new Error(`signed-in page answered ${mine.status}`);
      ms.push(t1 - t0 + (t3 - t2));
    }
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await s.sender?.stop();
    await s.inbox?.stop();
    await s.scheduler.stop();
    s.router.close();
    await database.close();
    fs.rmSync(attachments, { recursive: true, force: true });
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: round(percentile(ms, 50)), p99Ms: round(percentile(ms, 99)), n: ms.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify({ bench: "otp-signin", ...(await measureOtpSignIn(Number(process.argv[2] ?? 200))) }));
  process.exit(0);
}
