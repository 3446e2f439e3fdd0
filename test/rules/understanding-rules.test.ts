// rules/understanding.json as the office edits it: mistakes are rejected with the file and the place,
// the rules in force keep understanding, and an edited file is picked up by the router's reload and
// watch like the other rule files. No database: the router gets the demo catalogue.
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { demoCatalogue } from "../../rules/catalogue.ts";
import { createRulesRouter, type RulesRouter } from "../../rules/router.ts";
import { formatUnderstandingIssue, loadUnderstanding } from "../../rules/understanding/load.ts";
import { editRules, tempRules, writeRules } from "./helpers.ts";

let dir: string;
beforeEach(() => {
  dir = tempRules();
});

const errorsAfter = (edit: (j: any) => void): string => {
  editRules(dir, "understanding.json", edit);
  const r = loadUnderstanding(dir);
  if (r.ok) throw new Error("the broken file was accepted");
  return r.issues.map(formatUnderstandingIssue).join("\n");
};
const file = () => path.join(dir, "understanding.json");

describe("validation names the file and the place", () => {
  it("the shipped file is valid", () => {
    expect(loadUnderstanding(dir).ok).toBe(true);
  });

  it("a category of categories.json without rules", () => {
    const msg = errorsAfter((j) => delete j.categories.parking);
    expect(msg).toContain(`${file()} (categories): category "parking" of categories.json has no rules`);
  });

  it("an unknown category code", () => {
    expect(errorsAfter((j) => (j.categories.parkin = j.categories.parking))).toContain(`(categories.parkin): unknown category "parkin"`);
  });

  it("a weight that is not a number, and a misspelt key", () => {
    const msg = errorsAfter((j) => {
      j.categories.water.keywords.en.leak = "high";
      j.categories.water.keyword = {};
    });
    expect(msg).toMatch(/\(categories\.water\.keywords\.en\.leak\): .*number/);
    expect(msg).toMatch(/\(categories\.water\): .*keyword/);
  });

  it("an emergency category without patterns, and patterns on an ordinary category", () => {
    const msg = errorsAfter((j) => {
      delete j.categories.gas_smell.emergency;
      j.categories.noise.emergency = { "zh-Hans": ["吵"], "zh-Hant": ["嘈"], en: ["loud"] };
    });
    expect(msg).toContain(`(categories.gas_smell): "gas_smell" is an emergency category`);
    expect(msg).toContain(`(categories.noise.emergency): "noise" is not an emergency category`);
  });

  it("a language without a phrase, and an empty part in a pattern", () => {
    const msg = errorsAfter((j) => {
      j.categories.greenery.keywords["zh-Hant"] = {};
      j.categories.burst_pipe.emergency.en.push("water+");
    });
    expect(msg).toContain("(categories.greenery.keywords.zh-Hant): needs at least one phrase with a positive weight");
    expect(msg).toMatch(/\(categories\.burst_pipe\.emergency\.en\[\d+\]\): "water\+": an empty part/);
  });

  it("not JSON", () => {
    writeRules(dir, "understanding.json", '{ "settings": ');
    const r = loadUnderstanding(dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatUnderstandingIssue(r.issues[0]!)).toMatch(new RegExp(`^${file().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON`));
  });
});

describe("hot reload through the router", () => {
  let router: RulesRouter;
  beforeEach(async () => {
    router = await createRulesRouter({ catalogue: demoCatalogue(), rulesDir: dir });
  });
  afterEach(() => router.close());
  const probe = "水怪又来了";

  it("reload picks up a new phrase; a broken file is refused and the rules in force keep working", async () => {
    expect(router.understand(probe).category).toBeNull();
    expect(router.proposeAbove()).toBe(0.5);
    editRules(dir, "understanding.json", (j) => {
      j.categories.water.keywords["zh-Hans"]["水怪"] = 5;
      j.settings.proposeAbove = 0.7;
    });
    expect((await router.reload()).ok).toBe(true);
    expect(router.understand(probe).category).toBe("water");
    expect(router.proposeAbove()).toBe(0.7);

    editRules(dir, "understanding.json", (j) => (j.categories.water.keywords["zh-Hans"]["水怪"] = "many"));
    const res = await router.reload();
    expect(res.ok).toBe(false);
    expect(res.errors.join("\n")).toContain(`${file()} (categories.water.keywords.zh-Hans.水怪)`);
    expect(router.understand(probe).category).toBe("water");
    expect(router.understand("3号楼电梯困人了").emergency).toBe(true);
  });

  it("watch() reloads when the office saves the file", async () => {
    const stop = router.watch({ debounceMs: 20 });
    try {
      editRules(dir, "understanding.json", (j) => (j.categories.noise.keywords.en["kazoo"] = 5));
      await vi.waitFor(() => expect(router.understand("the kazoo next door").category).toBe("noise"), { timeout: 5_000, interval: 50 });
    } finally {
      stop();
    }
  });

  it("a folder without understanding.json is refused at start, naming the file", async () => {
    fs.rmSync(file());
    await expect(createRulesRouter({ catalogue: demoCatalogue(), rulesDir: dir })).rejects.toThrow(`${file()}: file not found`);
  });
});
