// Rule files against the demo district: valid files load; each kind of mistake is rejected with
// file, rule and reason while the previous rules keep routing; a fixed file is picked up on reload.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { loadCatalogue, type Catalogue } from "../../rules/catalogue.ts";
import { loadRuleSet } from "../../rules/loader.ts";
import { createRulesRouter, RulesLoadError, type RulesRouter } from "../../rules/router.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { editRules, facts, RULES_DIR, tempRules, writeRules } from "./helpers.ts";

let db: TestDb;
let catalogue: Catalogue;

beforeAll(async () => {
  db = await testDatabase();
  await seedDemo(db.prisma);
  catalogue = await loadCatalogue(db.prisma);
});
afterAll(async () => {
  await db?.drop();
});

describe("loading rules/", () => {
  it("the shipped rule files are valid for the demo district and cover every estate and category", () => {
    const r = loadRuleSet(RULES_DIR, catalogue);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.ruleSet.counts.enabledRoutingRules).toBeGreaterThan(0);
    expect(r.ruleSet.counts.routingRules).toBeGreaterThanOrEqual(r.ruleSet.counts.enabledRoutingRules);
    expect(r.ruleSet.warnings.filter((w) => w.includes("no routing rule"))).toEqual([]);
  });
});

describe("an invalid file is rejected and the old rules stay in force", () => {
  let dir: string;
  let router: RulesRouter;
  let before: Awaited<ReturnType<RulesRouter["route"]>>;
  const probe = facts({ estate: "xingfu", street: "dongcheng", category: "water", kind: "repair" });

  beforeEach(async () => {
    dir = tempRules();
    router = await createRulesRouter({ db: db.prisma, rulesDir: dir });
    before = await router.route(probe);
    expect(before.routed).toBe(true);
  });

  const breakIt = async (file: string, edit: (j: any) => void) => {
    editRules(dir, file, edit);
    const res = await router.reload();
    expect(res.ok).toBe(false);
    // The rules in force still decide as before.
    expect(await router.route(probe)).toEqual(before);
    expect(router.status().lastReload?.ok).toBe(false);
    expect(router.status().counts).toEqual(res.counts);
    return res.errors.join("\n");
  };
  const routingFile = () => path.join(dir, "routing.json");
  const ruleNamed = (j: any, id: string) => j.rules.find((r: any) => r.id === id);

  it("bad JSON: names the file and the line", async () => {
    fs.writeFileSync(routingFile(), '{\n  "rules": [\n    { "id": "x", }\n  ]\n}');
    const res = await router.reload();
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toContain(routingFile());
    expect(res.errors[0]).toMatch(/not valid JSON.*line 3/);
    expect(await router.route(probe)).toEqual(before);
  });

  it("schema error: a misspelt key and a wrong type name the rule and the place", async () => {
    const msg = await breakIt("routing.json", (j) => {
      ruleNamed(j, "anju-repairs-technician").when.estate = "xingfu"; // should be "estates"
      ruleNamed(j, "anju-complaints-manager").priority = "high";
    });
    expect(msg).toContain(`${routingFile()}, rule "anju-repairs-technician" (rules[2].when)`);
    expect(msg).toMatch(/anju-repairs-technician.*estate/);
    expect(msg).toMatch(/rule "anju-complaints-manager" \(rules\[3\]\.priority\)/);
  });

  it("unknown estate", async () => {
    const msg = await breakIt("routing.json", (j) => ruleNamed(j, "anju-repairs-technician").when.estates.push("nowhere"));
    expect(msg).toContain(`${routingFile()}, rule "anju-repairs-technician" (rules[2].when.estates): unknown estate "nowhere"`);
  });

  it("unknown company", async () => {
    const msg = await breakIt("routing.json", (j) => (ruleNamed(j, "anju-complaints-manager").then = { company: "acme" }));
    expect(msg).toContain(`rule "anju-complaints-manager" (rules[3].then.company): unknown company "acme"`);
  });

  it("a liaison of another company", async () => {
    const msg = await breakIt("routing.json", (j) => (ruleNamed(j, "anju-complaints-manager").then.liaison = "huamei-li"));
    expect(msg).toContain(`rule "anju-complaints-manager" (rules[3].then.liaison): liaison "huamei-li" belongs to company "huamei", not "anju"`);
  });

  it("unknown category, in routing and in deadlines", async () => {
    const msg = await breakIt("routing.json", (j) => (ruleNamed(j, "jinxiu-3-lift-urgent").when.categories = ["elevator"]));
    expect(msg).toContain(`rule "jinxiu-3-lift-urgent" (rules[1].when.categories): unknown category "elevator"`);
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "jinxiu-3-lift-urgent").when.categories = ["lift"]));
    const msg2 = await breakIt("deadlines.json", (j) => (j.entries[1].when.categories = ["elevator"]));
    expect(msg2).toContain(`${path.join(dir, "deadlines.json")}, rule "lift-fault" (entries[1].when.categories): unknown category "elevator"`);
  });

  it("a building that does not exist in the estate", async () => {
    const msg = await breakIt("routing.json", (j) => (ruleNamed(j, "jinxiu-3-lift-urgent").when.buildings = ["9号楼"]));
    expect(msg).toContain(`rule "jinxiu-3-lift-urgent" (rules[1].when.buildings): building "9号楼" does not exist in estate "jinxiu"`);
  });

  it("deadlines without a catch-all entry, a calendar date in the wrong year", async () => {
    const msg = await breakIt("deadlines.json", (j) => j.entries.pop());
    expect(msg).toMatch(/deadlines\.json, rule "suggestion".*last entry must match every case/);
    fs.copyFileSync(path.join(RULES_DIR, "deadlines.json"), path.join(dir, "deadlines.json"));
    const msg2 = await breakIt("calendar.json", (j) => j.years["2027"].workdays.push("2028-01-02"));
    expect(msg2).toContain(`calendar.json, rule "2027" (years.2027): workdays: "2028-01-02" is not in 2027`);
  });

  it("a missing file", async () => {
    fs.rmSync(path.join(dir, "deadlines.json"));
    const res = await router.reload();
    expect(res.errors).toEqual([`${path.join(dir, "deadlines.json")}: file not found`]);
    expect(await router.route(probe)).toEqual(before);
  });

  it("invalid rules at start-up throw with every issue listed", async () => {
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-complaints-manager").then.liaison = "lvyuan-chen"));
    await expect(createRulesRouter({ db: db.prisma, rulesDir: dir })).rejects.toThrow(RulesLoadError);
    await expect(createRulesRouter({ db: db.prisma, rulesDir: dir })).rejects.toThrow(/liaison "lvyuan-chen" belongs to company "lvyuan"/);
  });

  it("reload picks up a changed file, and a fix after a rejected change", async () => {
    const anjuWang = catalogue.liaisons.get("anju-wang")!.id;
    expect(before.liaisonId).toBe(catalogue.liaisons.get("anju-zhao")!.id);
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-repairs-technician").then.liaison = "huamei-li"));
    expect((await router.reload()).ok).toBe(false);
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-repairs-technician").then.liaison = "anju-wang"));
    const res = await router.reload();
    expect(res).toMatchObject({ ok: true, errors: [] });
    const after = await router.route(probe);
    expect(after.liaisonId).toBe(anjuWang);
    expect(router.status().lastReload?.ok).toBe(true);
  });

  it("watch() reloads after a save, once the debounce has passed", async () => {
    const stop = router.watch({ debounceMs: 50 });
    try {
      expect(router.status().watching).toBe(true);
      editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-repairs-technician").enabled = false));
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && (await router.route(probe)).rule === "anju-repairs-technician") await new Promise((r) => setTimeout(r, 25));
      expect((await router.route(probe)).rule).toBe("estate-default-company");
    } finally {
      stop();
    }
    expect(router.status().watching).toBe(false);
  });

  it("writing a file that is not JSON at all is reported, not thrown", async () => {
    writeRules(dir, "calendar.json", "");
    const res = await router.reload();
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toMatch(/calendar\.json: not valid JSON/);
  });
});
