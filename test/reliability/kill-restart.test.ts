// Case 2: main.ts as a child process is SIGKILLed in the middle of a burst of filings, then started
// again. Every resident told a number has the case; every due message is delivered; the only
// repeats allowed are rows leased at the kill (Telegram accepted, not yet marked sent) — counted.
// The 1,000-filing variant is in `npm run bench:reliability`.
//
// Residents behave as people do when the bot trips: after an apology they press again, after a
// refused press ("this button has expired") they cancel and file again. A refusal is allowed only
// for a press that was itself handled twice across the kill; any other refusal fails the test.
import { describe, expect, it } from "vitest";
import { report } from "./service.ts";
import { runKillScenario } from "./kill-run.ts";

const FILINGS = Number(process.env.RELIABILITY_KILL_N ?? 48);
const RESIDENTS = Number(process.env.RELIABILITY_KILL_RESIDENTS ?? 12);

describe("reliability: SIGKILL mid-burst, restart", () => {
  it("loses nothing a resident was told, duplicates nothing beyond the at-least-once boundary", async () => {
    const f = await runKillScenario({ filings: FILINGS, residents: RESIDENTS, killAt: 0.4, pgBase: process.env.TEST_DATABASE_URL, log: (l) => console.log(`kill: ${l}`) });
    const { childLog, stallEvidence, ...figures } = f;
    report("kill-restart", figures);
    for (const e of stallEvidence) console.log(e);
    expect(f.stalls, "a resident waited for an answer that never came (evidence above)").toBe(0);
    expect(f.toldBeforeKill, "the kill happened mid-burst").toBeLessThan(f.tried);
    expect(f.told).toBe(f.tried);
    expect(f.casesFound).toBe(f.told);
    expect(f.lost).toBe(0);
    expect(f.duplicated).toBe(0);
    expect(f.resent).toBeLessThanOrEqual(f.leasedAtKill);
    expect(f.delivery).toMatchObject({ lost: 0, duplicated: 0, outOfOrder: 0, unexplained: 0 });
    expect(f.refusedUnexplained).toEqual([]);
    // Only the bot's apology path may log an error (a transaction timed out on an overloaded machine:
    // the resident was told to try again, nothing was half-written); nothing fatal.
    expect(f.otherErrors, childLog).toEqual([]);
    expect(childLog).not.toMatch(/"level":60/);
  }, 600_000);
});
