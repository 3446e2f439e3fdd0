import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores: more workers only thrash PGlite's WASM instances.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
