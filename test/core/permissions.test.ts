// The one authorization rule (core/access/permissions.ts): README's "who may do what" table says
// exactly what the rule says; read-only roles hold no write anywhere; the area check; the dashboard
// menu and gate (api/access.ts) agree with the rule — every menu entry a role sees, it may open.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ABILITIES, can, inArea, isReadOnly, may, residentVerifiedFor, ROLE_ABILITIES, verificationCarries, type Ability } from "../../core/access/permissions.ts";
import { STAFF_ROLES } from "../../core/directory/staff.ts";
import { abilityFor, mayOpen } from "../../api/access.ts";
import { NAV, navFor } from "../../api/views/shell.tsx";

const README = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

describe("the one authorization rule", () => {
  it("README's table is the rule: one row per ability, a ✓ exactly where the role holds it", () => {
    const lines = README.split("\n");
    const at = lines.findIndex((l) => l.startsWith("| may … |"));
    const roles = lines[at]!.split("|").slice(2, -1).map((c) => c.trim());
    expect(roles).toEqual([...STAFF_ROLES]);
    const end = lines.findIndex((l, i) => i > at && !l.startsWith("|"));
    const rows = lines.slice(at + 2, end);
    const seen = new Set<string>();
    for (const row of rows) {
      const ability = /\(`([a-zA-Z.]+)`/.exec(row)![1]! as Ability;
      expect(Object.keys(ABILITIES)).toContain(ability);
      seen.add(ability);
      const cells = row.split("|").slice(2, -1).map((c) => c.trim() === "✓");
      expect({ ability, cells }).toEqual({ ability, cells: STAFF_ROLES.map((r) => can(r, ability)) });
    }
    expect([...seen].sort()).toEqual(Object.keys(ABILITIES).sort());
  });

  it("read-only roles (社区居委会, 业委会) hold no write; every other role does", () => {
    expect(STAFF_ROLES.filter(isReadOnly)).toEqual(["community", "owners"]);
    for (const role of ["community", "owners"] as const) for (const a of ROLE_ABILITIES[role]) expect(ABILITIES[a]).toBe("read");
    expect(can("community", "cases.file")).toBe(false);
  });

  it("the area: a street its street, a committee its estates, the district everywhere", () => {
    const heping = { streetId: 1, estateId: 10 };
    const jinxiu = { streetId: 2, estateId: 30 };
    const street = { role: "street" as const, streetId: 1, estateIds: null };
    const community = { role: "community" as const, streetId: null, estateIds: [10] };
    const district = { role: "district" as const, streetId: null, estateIds: null };
    expect([inArea(street, heping), inArea(street, jinxiu)]).toEqual([true, false]);
    expect([inArea(community, heping), inArea(community, jinxiu), inArea(community, { streetId: 1 })]).toEqual([true, false, false]);
    expect([inArea(district, heping), inArea(district, jinxiu)]).toEqual([true, true]);
    expect([may(street, "cases.file", heping), may(street, "cases.file", jinxiu), may(community, "cases.file", heping), may(community, "cases.read", heping)]).toEqual([true, false, false, true]);
  });

  it("verification belongs to a unit", () => {
    const verified = { status: "verified", estateId: 1, unitId: 5 };
    expect(residentVerifiedFor(verified, { estateId: 1, unitId: 5 })).toBe(true);
    expect(residentVerifiedFor(verified, { estateId: 1, unitId: 6 })).toBe(false);
    expect(verificationCarries(verified, { status: "pending", estateId: 2, unitId: 9 })).toBe(false);
    expect(verificationCarries({ ...verified, status: "pending" }, { status: "pending", estateId: 1, unitId: 5 })).toBe(false);
  });

  it("the menu comes from the gate: each entry a role sees, the gate lets it open; read-only roles see only reads", () => {
    for (const role of STAFF_ROLES) {
      const shown = navFor(role).map(([href]) => href);
      for (const [href] of NAV) expect({ role, href, shown: shown.includes(href) }).toEqual({ role, href, shown: mayOpen(role, href) });
      for (const href of shown) expect(abilityFor("GET", href), href).toBeDefined();
    }
    expect(navFor("community").map(([h]) => h)).toEqual(["/dashboard/cases", "/dashboard/overdue", "/dashboard/figures", "/dashboard/board", "/dashboard/bulletins", "/dashboard/directory"]);
    // Every write address a committee could reach is refused by the gate.
    for (const [kind, , a] of [["write", null, abilityFor("POST", "/dashboard/cases/1/note")!], ["write", null, abilityFor("POST", "/api/v1/cases")!]] as const) expect({ kind, a, may: can("community", a) }).toEqual({ kind, a, may: false });
  });
});
