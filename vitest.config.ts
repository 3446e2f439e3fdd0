import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // One migrated template database per run, copied for each test database (test/helpers/template.ts).
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: more workers only thrash PGlite's WASM instances.
    // Test files share their worker process (isolate: false): each process compiles PGlite's WASM
    // and imports the app's module graph once instead of once per file — half the suite's CPU time.
    // So a test file must leave no global state behind (env, timers, singletons); none does today.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
  },
});
