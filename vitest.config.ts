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
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
