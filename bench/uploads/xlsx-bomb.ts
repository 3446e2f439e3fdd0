// An xlsx "bomb" beside a health poller (issue 24 item 5): a clerk's upload of a workbook with
// BENCH_N rows (default 1,000,000 rows, ~11 MB zipped) to the import preview, while /healthz is asked
// every 20 ms. Before issue 24 the whole workbook was loaded on the main thread first (18–27 s stalled,
// +2 GB). Now a worker counts the rows with the streaming reader and stops past the 200,000 limit.
// Figures side by side: healthz p50/p99/max with no upload, and during BENCH_PARALLEL (default 2)
// bombs at once; the answer and its time; the service's peak RSS growth. PGlite in memory
// (DATABASE_URL is not used: what is measured is the service's own event loop). ONE line of JSON last.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import request from "supertest";
import { loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { openDatabase } from "../../core/db/db.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createStaffUser } from "../../core/directory/staff.ts";
import { buildServices } from "../../app-context.ts";
import { percentile } from "../support/lib.ts";

const ROWS = Number(process.env.BENCH_N ?? 1_000_000);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 2);
const PASSWORD = "bench-password-0123456789";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-bomb-"));
const bombFile = path.join(tmp, "bomb.xlsx");
{
  const t0 = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: bombFile, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet("小区");
  ws.addRow(["户数"]).commit();
  for (let i = 0; i < ROWS; i++) ws.addRow([i % 10]).commit();
  await wb.commit();
  console.log(`bomb: ${ROWS.toLocaleString("en")} rows, ${(fs.statSync(bombFile).size / 1048576).toFixed(1)} MB (made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
const bomb = fs.readFileSync(bombFile);

const database = await openDatabase({ pgliteDir: "memory://" });
await seedDemo(database.prisma);
await createStaffUser(database.prisma, { username: "bench-district", password: PASSWORD, role: "district", displayName: "区物业办" });
const config = loadConfig({ LOG_LEVEL: "silent", ATTACHMENTS_DIR: path.join(tmp, "att"), JOBS_ENABLED: "false" });
const s = await buildServices(config, silentLogger, { database });
const server = s.app.listen(0, "127.0.0.1");
await new Promise((r) => server.once("listening", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const agent = request.agent(s.app); // same process and app as the polled server
const csrfOf = (html: string) => {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form on the page: ${html.slice(0, 300)}`);
  return m[1]!;
};
const loginCsrf = csrfOf((await agent.get("/login")).text); // before the post is made: the agent attaches cookies then
const login = await agent.post("/login").type("form").send({ username: "bench-district", password: PASSWORD, _csrf: loginCsrf });
if (login.status !== 303) throw new Error(`login refused: ${login.status} ${login.text.slice(0, 300)}`);
const csrf = csrfOf((await agent.get("/dashboard/directory/import")).text);

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
/** /healthz every 20 ms until `stop()`; returns each answer's time in ms. */
function poll(): { stop: () => Promise<number[]> } {
  const times: number[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => http.get(`${base}/healthz`, { agent: keepAlive }, (res) => res.resume().on("end", () => resolve())).on("error", reject));
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return { stop: async () => ((on = false), await loop, times) };
}

/** The problems table's first reason, as the clerk reads it. */
const reasonOf = (html: string) => /id="import-problems"[\s\S]*?<tbody>[\s\S]*?<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>[^<]*<\/td>\s*<td[^>]*>([^<]*)<\/td>/.exec(html)?.[1] ?? html.replace(/<[^>]+>/g, " ").slice(0, 80);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
const summary = (t: number[]) => ({ n: t.length, p50: +percentile(t, 50).toFixed(1), p99: +percentile(t, 99).toFixed(1), max: +Math.max(...t).toFixed(1) });

const quiet = poll();
await new Promise((r) => setTimeout(r, 3000));
const idle = summary(await quiet.stop());

const rssBefore = process.memoryUsage.rss();
peakRss = rssBefore;
const busy = poll();
const t0 = performance.now();
const answers = await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    const res = await agent.post("/dashboard/directory/import/preview").field("_csrf", csrf).attach("file", bomb, "bomb.xlsx");
    return { status: res.status, ms: Math.round(performance.now() - t0), refusal: reasonOf(res.text) };
  }),
);
const during = summary(await busy.stop());
clearInterval(sampler);
const rssGrowthMb = Math.round((peakRss - rssBefore) / 1048576);

console.log(`\n${"".padEnd(26)}${"no upload".padStart(12)}${`${PARALLEL} bombs`.padStart(12)}`);
console.log(`${"healthz answers".padEnd(26)}${String(idle.n).padStart(12)}${String(during.n).padStart(12)}`);
for (const k of ["p50", "p99", "max"] as const) console.log(`${`healthz ${k} (ms)`.padEnd(26)}${idle[k].toFixed(1).padStart(12)}${during[k].toFixed(1).padStart(12)}`);
console.log(`\nanswers: ${answers.map((a) => `${a.status} in ${(a.ms / 1000).toFixed(1)} s («${a.refusal}»)`).join("; ")}`);
console.log(`peak RSS growth while the bombs were read: +${rssGrowthMb} MB`);

server.close();
keepAlive.destroy();
await database.close();
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify({ bench: "xlsx-bomb", rows: ROWS, parallel: PARALLEL, healthzIdle: idle, healthzDuring: during, answers: answers.map((a) => ({ status: a.status, ms: a.ms })), rssGrowthMb }));
process.exit(0);
