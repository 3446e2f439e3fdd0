// Issue 24 item 8: a full disk and a database that stops answering are 503 with Retry-After, not
// 500; the log line says what to do, and /readyz turns false on a full disk even though a SELECT
// still answers. The faults are PostgreSQL's own errors, raised by a trigger on the case table:
// disk_full (53100, what a full disk gives as "could not extend file") and admin_shutdown (57P01,
// what a backend cut gives as "terminating connection due to administrator command").
import { Writable } from "node:stream";
import pino from "pino";
import request from "supertest";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

let f: OfficeFixture;
let app: Express;
const lines: { level: number; msg: string }[] = [];

const fault = (code: string, message: string) =>
  f.db.sql.exec(`CREATE OR REPLACE FUNCTION outage_fault() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = '${code}'; END $$ LANGUAGE plpgsql;
    DROP TRIGGER IF EXISTS outage_fault ON "Case"; CREATE TRIGGER outage_fault BEFORE INSERT ON "Case" FOR EACH ROW EXECUTE FUNCTION outage_fault()`);
const file = (key: string) =>
  request(app).post("/api/v1/cases").set("authorization", `Bearer ${f.tokens.district}`).set("idempotency-key", key).send({ kind: "repair", category: "water", description: "3号楼水管漏水", estate: "heping" });

describe("disk full and database outages", () => {
  beforeAll(async () => {
    f = await officeApp();
    const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
    app = createApp({ db: f.db.prisma, log, botOn: false, botMode: "polling", office: f.office });
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("a full disk: 503 with Retry-After, a log line saying to free space, /readyz false", async () => {
    expect((await request(app).get("/readyz")).status).toBe(200);
    await fault("disk_full", 'could not extend file "base/5/16650": No space left on device');
    const res = await file("outage-disk-1");
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("30");
    expect(res.body).toEqual({ error: "disk_full", message: "the database's disk is full; try again in a minute" });
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([
      "database disk full: free space on the disk holding the database (PGLITE_DIR, or the PostgreSQL server's data directory); requests answer 503 with Retry-After and /readyz is false meanwhile",
    ]);
    const ready = await request(app).get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: "not_ready", database: "disk_full" });
    // The advice is logged once a minute, not once per request.
    await file("outage-disk-2");
    expect(lines.filter((l) => l.level >= 50)).toHaveLength(1);
  });

  it("a cut backend: 503 with Retry-After and the advice to check PostgreSQL", async () => {
    await fault("57P01", "terminating connection due to administrator command");
    const res = await file("outage-cut-1");
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBe("30");
    expect(res.body.error).toBe("database_unavailable");
    expect(lines.at(-1)!.msg).toMatch(/^database unavailable: check that PostgreSQL is running and reachable at DATABASE_URL/);
    await f.db.sql.exec(`DROP TRIGGER outage_fault ON "Case"`);
    expect((await file("outage-cut-2")).status).toBe(201);
  });
});
