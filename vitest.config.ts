import { configDefaults, defineConfig } from "vitest/config";
import runOnce from "./test/run-once.json" with { type: "json" };
import LongestFirst from "./test/sequencer.ts";

// test/run-all.sh sets TEST_ONCE_IN=postgres on the PGlite pass when a PostgreSQL pass follows it.
const onceElsewhere = process.env.TEST_ONCE_IN === "postgres" && !process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // Files whose assertions do not depend on the database: once per `npm test` (test/run-once.json).
    exclude: [...configDefaults.exclude, ...(onceElsewhere ? Object.values(runOnce.groups).flat() : [])],
    // One migrated template database per run, copied for each test database (test/helpers/template.ts).
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Longest files first (measured, test/durations.json), so both workers finish together.
    sequence: { sequencer: LongestFirst },
    pool: "forks",
    // Two cores: more workers only thrash PGlite's WASM instances.
    // Test files share their worker process (isolate: false): each process compiles PGlite's WASM
    // and imports the app's module graph once instead of once per file — half the suite's CPU time.
    // So a test file must leave no global state behind (env, timers, singletons); none does today.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
  },
});
