// Shared bench plumbing: a throwaway database (PostgreSQL when DATABASE_URL is set, else PGlite on
// disk in a temp dir, as in production) and percentiles.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { scratchPg } from "../../test/helpers/scratchPg.ts";

export interface BenchDb {
  url?: string;
  dir?: string;
  drop(): Promise<void>;
}

export async function freshDatabase(name: string): Promise<BenchDb> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
    return { dir, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  return scratchPg(base, `bench_${name}`);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
