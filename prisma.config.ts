// Prisma CLI config. Native engines cannot be downloaded here, so the CLI runs on the JS engine
// with a driver adapter (run CLI commands with PRISMA_CLI_QUERY_ENGINE_TYPE=client; npm scripts do).
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (url) {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url });
    }
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const dir = process.env.PGLITE_DIR ?? "./data/pglite";
    if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
    // Same nominal type mismatch as in core/db/db.ts (older driver-adapter-utils inside the adapter).
    return new PrismaPGlite(new PGlite(dir)) as unknown as InstanceType<typeof import("@prisma/adapter-pg").PrismaPg>;
  },
});
