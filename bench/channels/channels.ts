// npm run bench:channels — BENCH_N escalations (default 200) to one office's WeCom robot and DingTalk
// robot, both local fakes (test/helpers/fakeRobots.ts: 20/min, DingTalk's 10-minute ban, 4096 bytes,
// signature checked), through the outbox rows and the robot sender (core/delivery/robots). Two
// shapes: a burst (all queued at once, as one escalation sweep of many cases) and a stream (one case
// a second, each its own sweep). Figures: messages sent, cases delivered, dropped, peak messages in
// any minute, time to drain. The clock is simulated (ManualClock, 1 s steps): a stream drains in
// minutes of robot time, run here in seconds of wall time; the HTTP to the fakes is real (127.0.0.1).
// DATABASE_URL: PostgreSQL (scratch database), else PGlite in a temp dir.
import { measureOtpSignIn } from "./otp-signin.ts";
import { openDatabase } from "../../core/db/db.ts";
import { ManualClock } from "../../core/clock.ts";
import { enqueue } from "../../core/delivery/outbox.ts";
import { RobotSender } from "../../core/delivery/robots/robot-sender.ts";
import { robotEscalations } from "../../core/delivery/robots/robot-messages.ts";
import type { CaseBrief } from "../../core/clocks/clock-notices.ts";
import { FakeRobots } from "../../test/helpers/fakeRobots.ts";
import { freshDatabase } from "../support/lib.ts";

const N = Number(process.env.BENCH_N ?? 200);
const SECRET = "SEC0123456789abcdef0123456789abcdef";
const brief = (i: number): CaseBrief => ({ id: i, number: `C2026-${String(i).padStart(5, "0")}`, kind: "complaint", category: "电梯故障", urgency: "normal", estate: "阳光花园", company: "安居物业", liaison: "李四", dueAt: null, which: "response", minutes: 75 });

interface Figures {
  messages: number;
  cases: number;
  dropped: number;
  refused: number;
  peakPerMinute: number;
  drainSimS: number;
  wallMs: number;
}

async function run(shape: "burst" | "stream"): Promise<Record<"wecom" | "dingtalk", Figures>> {
  const target = await freshDatabase("channels");
  const database = await openDatabase({ databaseUrl: target.url, pgliteDir: target.dir, poolMax: 4 });
  const clock = new ManualClock(new Date("2026-12-08T10:00:00+08:00"));
  const fake = await new FakeRobots(clock).start();
  try {
    const db = database.prisma;
    fake.wecomKeys.add("bench-wecom");
    fake.dingtalk.set("bench-ding", SECRET);
    const office = await db.office.create({
      data: { level: "street", name: "东湖街道办", wecomWebhook: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=bench-wecom", dingtalkWebhook: "https://oapi.dingtalk.com/robot/send?access_token=bench-ding", dingtalkSecret: SECRET },
    });
    const sender = new RobotSender({ db, fetch: fake.fetch, clock, baseUrl: "https://ts.example.cn" });
    const start = clock.now().getTime();
    const wall = performance.now();
    const lastAt = { wecom: start, dingtalk: start };
    if (shape === "burst") await enqueue(db, robotEscalations(office, ["wecom", "dingtalk"], 1, Array.from({ length: N }, (_, i) => brief(i + 1)), "esc:1:burst:office:1"));
    for (let s = 0; s < N * 10 + 3600; s++) {
      if (shape === "stream" && s < N) await enqueue(db, robotEscalations(office, ["wecom", "dingtalk"], 1, [brief(s + 1)], `esc:1:${s}:office:1`));
      const before = fake.received.length;
      await sender.drainOnce();
      for (const r of fake.received.slice(before)) lastAt[r.provider] = clock.now().getTime();
      if ((shape === "burst" || s >= N) && (await db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } })) === 0) break;
      clock.advance(1000);
    }
    const wallMs = performance.now() - wall;
    const out = {} as Record<"wecom" | "dingtalk", Figures>;
    for (const [p, key, method] of [["wecom", "bench-wecom", "sendWecom"], ["dingtalk", "bench-ding", "sendDingtalk"]] as const) {
      const got = fake.received.filter((r) => r.key === key);
      const all = got.map((r) => r.content).join("\n");
      const named = Array.from({ length: N }, (_, i) => brief(i + 1).number).filter((n) => all.includes(n)).length;
      out[p] = {
        messages: got.length,
        cases: named,
        dropped: N - named,
        refused: fake.answers.filter((a) => a.key === key && a.errcode !== 0).length + (await db.outboxMessage.count({ where: { method, status: "failed" } })),
        peakPerMinute: fake.peakPerMinute(key),
        drainSimS: Math.round((lastAt[p] - start) / 1000),
        wallMs: Math.round(wallMs),
      };
    }
    return out;
  } finally {
    await fake.stop();
    await database.close();
    await target.drop();
  }
}

const burst = await run("burst");
const stream = await run("stream");
const rows: [string, (f: Figures) => string | number][] = [
  ["messages sent", (f) => f.messages],
  ["cases delivered", (f) => `${f.cases} / ${N}`],
  ["dropped", (f) => f.dropped],
  ["refused (45009/130101/dead)", (f) => f.refused],
  ["peak messages / minute", (f) => f.peakPerMinute],
  ["time to drain (simulated s)", (f) => f.drainSimS],
  ["wall time, both robots (ms)", (f) => f.wallMs],
];
const w = (s: string | number, n: number) => String(s).padStart(n);
console.log(`${N} escalations to one WeCom robot and one DingTalk robot (local fakes; simulated clock, 1 s steps)`);
console.log(`${"".padEnd(30)}${w("burst WeCom", 14)}${w("burst DingTalk", 16)}${w("stream WeCom", 14)}${w("stream DingTalk", 17)}`);
for (const [label, f] of rows) console.log(`${label.padEnd(30)}${w(f(burst.wecom), 14)}${w(f(burst.dingtalk), 16)}${w(f(stream.wecom), 14)}${w(f(stream.dingtalk), 17)}`);

// Sign-in by phone (bench/channels/otp-signin.ts): BENCH_N residents ask for a code and submit it,
// over HTTP on a local app, PGlite in memory (the figure is on PGlite).
const otp = await measureOtpSignIn(N);
console.log(`\nOTP sign-in, ${otp.n} residents (request code → submit code → session; PGlite): p50 ${otp.p50Ms.toFixed(1)} ms, p99 ${otp.p99Ms.toFixed(1)} ms`);

console.log(
  JSON.stringify({
    bench: "channels",
    db: process.env.DATABASE_URL ? "postgres" : "pglite",
    n: N,
    clock: "simulated",
    burst: { wecom: burst.wecom, dingtalk: burst.dingtalk },
    stream: { wecom: stream.wecom, dingtalk: stream.dingtalk },
    otp_signin: { n: otp.n, p50Ms: +otp.p50Ms.toFixed(1), p99Ms: +otp.p99Ms.toFixed(1) },
  }),
);
process.exit(0);
