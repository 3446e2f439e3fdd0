// bench:reliability — the long variants of test/reliability: main.ts SIGKILLed in the middle of
// RELIABILITY_N filings (default 1,000; RELIABILITY_RESIDENTS at once, default 50; RELIABILITY_KILLS
// kills, default 1), then restarted; and RELIABILITY_FUZZ_RUNS fuzzed update sequences (default
// 10,000; RELIABILITY_FUZZ is the old name) on a random seed, printed (FUZZ_SEED replays one);
// RELIABILITY_FUZZ_FLOWS is the share of sequences that first walk a case down the lifecycle (default
// 1/3). DATABASE_URL selects PostgreSQL (a scratch database is made and dropped), else PGlite in a
// temp dir; the fuzz follows TEST_DATABASE_URL (it runs on the test harness), which is set from
// DATABASE_URL when not given. RELIABILITY_REAL_LEASE=1 waits out the real 60 s leases after the kill
// instead of expiring the dead process's leases by hand. RELIABILITY_ONLY=kill|fuzz runs one.
// Prints figures, then one JSON line.
import { runKillScenario } from "../test/reliability/kill-run.ts";
import { runFuzz } from "../test/reliability/fuzz.ts";

const only = process.env.RELIABILITY_ONLY;
// The fuzz runs on the test harness, whose database is TEST_DATABASE_URL's server (else PGlite).
if (process.env.DATABASE_URL && !process.env.TEST_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
const out: Record<string, unknown> = { backend: process.env.DATABASE_URL ? "postgres" : "pglite" };
let failed = false;

if (!only || only === "kill") {
  const n = Number(process.env.RELIABILITY_N ?? 1000);
  // RELIABILITY_KILLS kills (default 1, at 40% of the numbers told); several are spread evenly.
  const kills = Number(process.env.RELIABILITY_KILLS ?? 1);
  const k = await runKillScenario({
    filings: n,
    residents: Number(process.env.RELIABILITY_RESIDENTS ?? 50),
    killAt: kills <= 1 ? 0.4 : Array.from({ length: kills }, (_, i) => (i + 1) / (kills + 1)),
    pgBase: process.env.DATABASE_URL,
    realLease: process.env.RELIABILITY_REAL_LEASE === "1",
    log: (l) => console.error(`kill: ${l}`),
  });
  const { childLog, stallEvidence, ...figures } = k;
  for (const e of stallEvidence) console.error(e);
  console.error(
    `kill: ${k.tried} filings tried, ${k.told} numbers told, ${k.casesFound} of them found as the teller's case (${k.cases} cases), lost ${k.lost}, duplicated ${k.duplicated}; ` +
      `messages ${k.delivery.sent} of ${k.delivery.due} delivered, re-sent at the at-least-once boundary ${k.resent} of ${k.leasedAtKill} leased at the kill(s), numbers told twice ${k.noticesDoubled}; ` +
      `stalls ${k.stalls}, apologies ${k.apologies}, refused presses ${k.refusedPresses} (explained ${k.refusedExplained}); ${k.kills} kill(s), ${k.seconds.toFixed(1)} s`,
  );
  if (k.lost || k.duplicated || k.stalls || k.refusedUnexplained.length || k.otherErrors.length) {
    failed = true;
    console.error(childLog);
  }
  out.kill = figures;
}
if (!only || only === "fuzz") {
  const t0 = Date.now();
  // A new seed each run (printed first, so a failure can be replayed with FUZZ_SEED=<seed>).
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const runs = Number(process.env.RELIABILITY_FUZZ_RUNS ?? process.env.RELIABILITY_FUZZ ?? 10_000);
  console.error(`fuzz: ${runs} sequences, seed ${seed} (replay: FUZZ_SEED=${seed})`);
  const f = await runFuzz({ sequences: runs, seed, flowShare: process.env.RELIABILITY_FUZZ_FLOWS ? Number(process.env.RELIABILITY_FUZZ_FLOWS) : undefined });
  const seconds = (Date.now() - t0) / 1000;
  console.error(`fuzz: ${f.sequences} sequences (${f.flows} walked a case down the lifecycle first), ${f.updates} updates, ${seconds.toFixed(0)} s; malformed ${f.malformed}, thrown ${f.thrown}, apologies ${f.apologies}, invariant violations ${f.invariantViolations}${f.firstProblem ? `; first: ${f.firstProblem}` : ""}`);
  console.error(`fuzz: ${f.cases} cases, ${f.transitions} transitions; reached ${JSON.stringify(f.reached)}; final ${JSON.stringify(f.final)}`);
  if (f.firstProblem) failed = true;
  out.fuzz = { ...f, failures: f.firstProblem ? 1 : 0, seconds };
}
console.log(JSON.stringify({ ok: !failed, ...out }));
process.exit(failed ? 1 : 0);
