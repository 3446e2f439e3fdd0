// A throwaway database on a PostgreSQL server: created with a random name, dropped (FORCE) after.
// Tests, benches and child-process tests all make theirs here.
import crypto from "node:crypto";
import pg from "pg";

export interface ScratchPg {
  url: string;
  drop(): Promise<void>;
}

async function admin(base: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function scratchPg(base: string, prefix = "t"): Promise<ScratchPg> {
  const name = `${prefix}_${crypto.randomBytes(6).toString("hex")}`;
  await admin(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
