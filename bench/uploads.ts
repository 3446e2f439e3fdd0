// Anonymous multipart bodies against the front door's upload forms (issue 24 item 5): BENCH_N bodies
// of BENCH_MB MB each (default 6 × 59 MB) posted at once to /r/file without a session, as a stranger
// would. Figures: the service's resident memory growth (peak RSS sampled every 10 ms, minus the RSS
// before), the answers, how much of the bodies the service took in before answering, and the time
// until all were answered. The client streams its bodies from one 64 KB chunk, so its own memory
// does not count. PGlite in memory; DATABASE_URL is not used. Figures side by side, then ONE line of JSON.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../core/config.ts";
import { silentLogger } from "../core/logger.ts";
import { openDatabase } from "../core/db/db.ts";
import { seedDemo } from "../core/directory/demo-district.ts";
import { buildServices } from "../app-context.ts";

const N = Number(process.env.BENCH_N ?? 6);
const MB = Number(process.env.BENCH_MB ?? 59);
const SECRET = "bench-frontdoor-secret-0123456789abcdef";

const database = await openDatabase({ pgliteDir: "memory://" });
await seedDemo(database.prisma);
const attachments = fs.mkdtempSync(path.join(os.tmpdir(), "bench-uploads-"));
const config = loadConfig({ LOG_LEVEL: "silent", FRONTDOOR_SECRET: SECRET, ATTACHMENTS_DIR: attachments, JOBS_ENABLED: "false" });
const s = await buildServices(config, silentLogger, { database });
const server = s.app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const port = (server.address() as AddressInfo).port;

/** One anonymous post of `mb` MB (six photos' worth of parts), streamed; resolves with the answer. */
function post(mb: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve) => {
    const boundary = "----bench-uploads";
    const photos = 6;
    const perPhoto = Math.floor((mb * 1024 * 1024) / photos);
    const chunk = Buffer.alloc(64 * 1024, 0xab);
    const head = (i: number) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const csrf = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nforged\r\n`);
    let length = csrf.length + tail.length;
    for (let i = 0; i < photos; i++) length += head(i).length + perPhoto + 2;
    const req = http.request({ host: "127.0.0.1", port, path: "/r/file", method: "POST", headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(length) } });
    let sent = 0;
    let status = 0;
    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      resolve({ status, sent });
    };
    req.on("response", (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on("end", finish);
    });
    req.on("error", finish);
    req.on("close", finish);
    void (async () => {
      const write = (b: Buffer) => new Promise<void>((ok) => (req.destroyed ? ok() : req.write(b, () => ok())));
      await write(csrf);
      sent += csrf.length;
      for (let i = 0; i < photos && !req.destroyed && !status; i++) {
        const h = head(i);
        await write(h);
        for (let left = perPhoto; left > 0 && !req.destroyed && !status; left -= chunk.length) {
          const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
          await write(piece);
          sent += piece.length;
        }
        await write(Buffer.from("\r\n"));
      }
      if (!req.destroyed) req.end(tail);
    })();
  });
}

global.gc?.();
await new Promise((r) => setTimeout(r, 200));
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const t0 = performance.now();
const answers = await Promise.all(Array.from({ length: N }, () => post(MB)));
const ms = Math.round(performance.now() - t0);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const growthMb = Math.round((peak - before) / 1024 / 1024);
const statuses = [...new Set(answers.map((a) => a.status))].join(",");
const sentMb = Math.round(answers.reduce((n, a) => n + a.sent, 0) / 1024 / 1024);

console.log(`${N} anonymous bodies of ${MB} MB to /r/file at once`);
console.log(`  answers            ${statuses}`);
console.log(`  RSS growth (peak)  ${growthMb} MB`);
console.log(`  bodies sent        ${sentMb} of ${N * MB} MB before the answer`);
console.log(`  all answered in    ${ms} ms`);
server.close();
await s.database.close();
fs.rmSync(attachments, { recursive: true, force: true });
console.log(JSON.stringify({ bench: "uploads", bodies: N, mbEach: MB, statuses, rssGrowthMb: growthMb, sentMb, ms }));
process.exit(0);
