// bench:reliability — the long variants of test/reliability: main.ts SIGKILLed in the middle of
// RELIABILITY_N filings (default 1,000; RELIABILITY_RESIDENTS at once, default 50), then restarted;
// and RELIABILITY_FUZZ fuzzed update sequences (default 10,000). DATABASE_URL selects PostgreSQL (a
// scratch database is made and dropped), else PGlite in a temp dir. RELIABILITY_REAL_LEASE=1 waits
// out the real 60 s leases after the kill instead of expiring the dead process's leases by hand.
// RELIABILITY_ONLY=kill|fuzz runs one. Prints figures, then one JSON line.
import { runKillScenario } from "../test/reliability/kill-run.ts";
import { runFuzz } from "../test/reliability/fuzz.ts";

const only = process.env.RELIABILITY_ONLY;
const out: Record<string, unknown> = { backend: process.env.DATABASE_URL ? "postgres" : "pglite" };
let failed = false;

if (!only || only === "kill") {
  const n = Number(process.env.RELIABILITY_N ?? 1000);
  const k = await runKillScenario({
    filings: n,
    residents: Number(process.env.RELIABILITY_RESIDENTS ?? 50),
    killAt: 0.4,
    pgBase: process.env.DATABASE_URL,
    realLease: process.env.RELIABILITY_REAL_LEASE === "1",
    log: (l) => console.error(`kill: ${l}`),
  });
  const { childLog, ...figures } = k;
  console.error(`kill: ${k.tried} filings, ${k.told} told, lost ${k.lost}, duplicated ${k.duplicated}, re-sent at the at-least-once boundary ${k.resent} of ${k.leasedAtKill} leased at the kill, ${k.seconds.toFixed(1)} s`);
  if (k.lost || k.duplicated) {
    failed = true;
    console.error(childLog);
  }
  out.kill = figures;
}
if (!only || only === "fuzz") {
  const t0 = Date.now();
  const f = await runFuzz({ sequences: Number(process.env.RELIABILITY_FUZZ ?? 10_000) });
  console.error(`fuzz: ${f.sequences} sequences, ${f.updates} updates, malformed ${f.malformed}, thrown ${f.thrown}, apologies ${f.apologies}, invariant violations ${f.invariantViolations}${f.firstProblem ? `; first: ${f.firstProblem}` : ""}`);
  if (f.firstProblem) failed = true;
  out.fuzz = { ...f, seconds: (Date.now() - t0) / 1000 };
}
console.log(JSON.stringify({ ok: !failed, ...out }));
process.exit(failed ? 1 : 0);
