// A throwaway database on a PostgreSQL server: created with a random name, dropped (FORCE) after.
// Tests, benches and child-process tests all make theirs here. Inside a vitest run it is a copy of the
// run's migrated template (test/helpers/template.ts), so opening it applies no migration.
import crypto from "node:crypto";
import { adminSql as admin, pgTemplate } from "./template.ts";

export interface ScratchPg {
  url: string;
  drop(): Promise<void>;
}


/** `fresh`: an empty database even inside a vitest run (for a test of the migrations themselves). */
export async function scratchPg(base: string, prefix = "t", opts: { fresh?: boolean } = {}): Promise<ScratchPg> {
  const name = `${prefix}_${crypto.randomBytes(6).toString("hex")}`;
  const template = opts.fresh ? undefined : pgTemplate();
  await admin(base, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
