import fs from "node:fs";
import { expect, it } from "vitest";

const keys = (locale: string) =>
  fs
    .readFileSync(`bot/locales/${locale}.ftl`, "utf8")
    .split("\n")
    .map((l) => /^([a-zA-Z][\w-]*) =/.exec(l)?.[1])
    .filter((k): k is string => Boolean(k))
    .sort();

it("every locale has the same messages as zh-Hans (a missing one would show its key to a resident)", () => {
  const base = keys("zh-Hans");
  expect(base.length).toBeGreaterThan(100);
  expect(keys("zh-Hant")).toEqual(base);
  expect(keys("en")).toEqual(base);
});
