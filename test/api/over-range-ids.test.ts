// Issue 24 item 8: no 500 for an over-range id anywhere. A street office's survey push with
// `id: 99999999999` reached a Prisma lookup and answered 500 (the input sweep runs as the district,
// which skips that lookup). Ids in bodies are refused centrally: any id-named field past int4, and
// any query Prisma refuses because a number does not fit its column, is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

let f: OfficeFixture;

describe("over-range ids", () => {
  beforeAll(async () => {
    f = await officeApp({}, { surveys: true });
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("a street office's survey push to estate 99999999999 is a 400 naming the id", async () => {
    const res = await request(f.app).post("/api/v1/surveys/1/push").set("authorization", `Bearer ${f.tokens.dongcheng}`).send({ scope: "estate", id: 99999999999 });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("invalid body: id: an id is at most 2147483647");
  });

  it("an id-named field past int4 in any JSON body is refused before a handler sees it", async () => {
    for (const [path, body] of [
      ["/api/v1/cases", { kind: "repair", category: "water", description: "漏水", estate: "heping", unitId: 99999999999 }],
      ["/api/v1/surveys/1/push", { scope: "street", id: 1e20 }],
    ] as const) {
      const res = await request(f.app).post(path).set("authorization", `Bearer ${f.tokens.dongcheng}`).set("idempotency-key", "over-range-1").send(body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.message).toMatch(/^invalid body: (unitId|id): an id is at most 2147483647$/);
    }
  });
});
