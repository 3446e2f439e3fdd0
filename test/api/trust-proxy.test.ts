// Issue 24 item 8: X-Forwarded-For is honoured only from the proxies TRUST_PROXY names. It was
// trusted from loopback with no proxy configured, so a client on this machine (or behind any local
// forwarder) made up an address per request and never met a per-address limit.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { ConfigError, loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

let f: OfficeFixture;
const LIMIT = 3;

/** LIMIT + 2 tokenless API reads, each claiming another forwarded address; the statuses. */
async function claimedAddresses(trustProxy: string[]): Promise<number[]> {
  const app = createApp({ db: f.db.prisma, log: silentLogger, botOn: false, botMode: "polling", office: f.office, trustProxy });
  const out: number[] = [];
  for (let i = 0; i < LIMIT + 2; i++) out.push((await request(app).get("/api/v1/cases").set("x-forwarded-for", `198.51.100.${i + 1}`)).status);
  return out;
}

describe("TRUST_PROXY", () => {
  beforeAll(async () => {
    f = await officeApp({ apiRateLimitPerMin: LIMIT });
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("unset: the connecting address counts, whatever X-Forwarded-For says", async () => {
    expect(await claimedAddresses([])).toEqual([401, 401, 401, 429, 429]);
  });

  it("set to the proxy's address: each forwarded client has its own bucket", async () => {
    expect(await claimedAddresses(["loopback"])).toEqual([401, 401, 401, 401, 401]);
  });

  it("is read from the environment as addresses, CIDRs or names, and a wrong entry stops the start", () => {
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8,::1" }).TRUST_PROXY).toEqual(["loopback", "10.0.0.0/8", "::1"]);
    expect(loadConfig({}).TRUST_PROXY).toEqual([]);
    expect(() => loadConfig({ TRUST_PROXY: "nginx.local" })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: "10.0.0.0/33" })).toThrow(/TRUST_PROXY/);
  });
});
