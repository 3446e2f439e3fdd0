import { describe, expect, it } from "vitest";
import { encode, parse, type Callback } from "../../bot/callbacks.ts";
import { loadCategories } from "../../core/cases/categories.ts";

describe("callback data", () => {
  const samples: Callback[] = [
    { a: "lang", locale: "zh-Hant" },
    { a: "menu", item: "mine" },
    { a: "est", tok: "Ab_-1234", id: 17 },
    { a: "kind", tok: "Ab_-1234", kind: "suggestion" },
    { a: "urg", tok: "Ab_-1234", urgent: false },
    { a: "urg", tok: "Ab_-1234", urgent: true },
    { a: "co", id: 999_999_999 },
    { a: "conf", tok: "zzzzzzzz" },
  ];

  it("round-trips every shape and stays within 64 bytes, also for the longest category code", () => {
    for (const cb of samples) expect(parse(encode(cb))).toEqual(cb);
    for (const c of loadCategories("rules").list) expect(Buffer.byteLength(encode({ a: "cat", tok: "Ab_-1234", code: c.code }))).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(encode({ a: "cat", tok: "Ab_-1234", code: "a".repeat(31) }))).toBeLessThanOrEqual(64);
  });

  it("rejects anything malformed, out of range or from another version", () => {
    for (const bad of [undefined, "", "v1", "v1:", "v2:menu:new", "v1:menu:delete", "v1:co:-1", "v1:co:01", "v1:co:1e3", "v1:co:1234567890", "v1:est:short:1", "v1:urg:Ab_-1234:maybe", "v1:__proto__", "v1:toString:1", "v1:conf:Ab_-1234:extra"]) {
      expect(parse(bad)).toBeNull();
    }
  });
});
