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
import { editRules, facts, readRules, RULES_DIR, tempRules, writeRules } from "./helpers.ts";

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

describe("a rule naming what the directory does not know is left out alone; the others stay in force", () => {
  let dir: string;
  let router: RulesRouter;
  const xingfuRepair = facts({ estate: "xingfu", street: "dongcheng", category: "water", kind: "repair" });
  const xingfuComplaint = facts({ estate: "xingfu", street: "dongcheng", category: "noise", kind: "complaint" });
  const ruleNamed = (j: any, id: string) => j.rules.find((r: any) => r.id === id);
  beforeEach(async () => {
    dir = tempRules();
    router = await createRulesRouter({ db: db.prisma, rulesDir: dir });
  });
  const leaveOut = async (edit: (j: any) => void) => {
    editRules(dir, "routing.json", edit);
    const res = await router.reload();
    expect(res.ok).toBe(true);
    expect(router.status().routingInForce).toBe(true);
    // The other anju rule still decides complaints.
    expect((await router.route(xingfuComplaint)).rule).toBe("anju-complaints-manager");
    return router.status().refused.map((i) => `${i.rule} (${i.at}): ${i.reason}`);
  };

  it("unknown estate: the rule is out, its cases fall to the next rule", async () => {
    const refused = await leaveOut((j) => ruleNamed(j, "anju-repairs-technician").when.estates.push("nowhere"));
    expect(refused).toEqual([`anju-repairs-technician (rules[2].when.estates): unknown estate "nowhere"`]);
    expect(await router.route(xingfuRepair)).toMatchObject({ routed: true, rule: "estate-default-company", liaisonId: catalogue.liaisons.get("anju-wang")!.id });
  });

  it("unknown company, a liaison of another company, a building the estate does not have", async () => {
    expect(await leaveOut((j) => (ruleNamed(j, "anju-repairs-technician").then = { company: "acme" }))).toEqual([`anju-repairs-technician (rules[2].then.company): unknown company "acme"`]);
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-repairs-technician").then = { company: "anju", liaison: "huamei-li" }));
    await router.reload();
    expect(router.status().refused.map((i) => i.reason)).toEqual([`liaison "huamei-li" belongs to company "huamei", not "anju"`]);
    editRules(dir, "routing.json", (j) => {
      ruleNamed(j, "anju-repairs-technician").then = { company: "anju", liaison: "anju-zhao" };
      ruleNamed(j, "jinxiu-3-lift-urgent").when.buildings = ["9号楼"];
    });
    await router.reload();
    expect(router.status().refused.map((i) => `${i.rule}: ${i.reason}`)).toEqual([`jinxiu-3-lift-urgent: building "9号楼" does not exist in estate "jinxiu" (it has 1号楼, 2号楼, 3号楼)`]);
    expect((await router.route(xingfuRepair)).rule).toBe("anju-repairs-technician");
  });

  it("the dashboard's save of routing.json is still refused for it, next to the rule", async () => {
    const { checkDraft } = await import("../../rules/editing/draft.ts");
    const j = readRules(dir, "routing.json");
    ruleNamed(j, "anju-repairs-technician").when.estates.push("nowhere");
    const checked = checkDraft(dir, catalogue, "routing", JSON.stringify(j));
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.issues.map((i) => `${i.file} ${i.at}: ${i.reason}`)).toEqual([`routing.json rules[2].when.estates: unknown estate "nowhere"`]);
  });

  it("every rule left out: no routing in force (readyz says so), deadlines still set", async () => {
    writeRules(dir, "routing.json", { rules: [{ id: "only", when: { estates: ["nowhere"] }, then: { company: "$estate" } }] });
    expect((await router.reload()).ok).toBe(true);
    expect(router.status().routingInForce).toBe(false);
    const d = await router.route(xingfuRepair);
    expect(d).toMatchObject({ routed: false, rule: null });
    expect(d.resolutionDueAt).toBeInstanceOf(Date);
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

  it("unknown category, in routing and in deadlines", async () => {
    const msg = await breakIt("routing.json", (j) => (ruleNamed(j, "jinxiu-3-lift-urgent").when.categories = ["elevator"]));
    expect(msg).toContain(`rule "jinxiu-3-lift-urgent" (rules[1].when.categories): unknown category "elevator"`);
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "jinxiu-3-lift-urgent").when.categories = ["lift"]));
    const msg2 = await breakIt("deadlines.json", (j) => (j.entries[1].when.categories = ["elevator"]));
    expect(msg2).toContain(`${path.join(dir, "deadlines.json")}, rule "lift-fault" (entries[1].when.categories): unknown category "elevator"`);
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
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-complaints-manager").when.categories = ["elevator"]));
    await expect(createRulesRouter({ db: db.prisma, rulesDir: dir })).rejects.toThrow(RulesLoadError);
    await expect(createRulesRouter({ db: db.prisma, rulesDir: dir })).rejects.toThrow(/unknown category "elevator"/);
  });

  it("reload picks up a changed file, and a fix after a rejected change", async () => {
    const anjuWang = catalogue.liaisons.get("anju-wang")!.id;
    expect(before.liaisonId).toBe(catalogue.liaisons.get("anju-zhao")!.id);
    editRules(dir, "routing.json", (j) => (ruleNamed(j, "anju-repairs-technician").when.estate = "xingfu"));
    expect((await router.reload()).ok).toBe(false);
    editRules(dir, "routing.json", (j) => delete ruleNamed(j, "anju-repairs-technician").when.estate);
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
