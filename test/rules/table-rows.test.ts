// The table editor's rows (rules/editing/table-rows.ts): every shipped file goes to rows and back to the
// same JSON (nothing a row does not show is lost), and a changed cell changes only its field.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyOp, emptyRow, rowsFromText, textFromRows, type RoutingRow } from "../../rules/editing/table-rows.ts";
import { EDITABLE } from "../../rules/editing/draft.ts";
import { demoRulesDir } from "../helpers/demo-rules.ts";

const RULES = path.resolve(import.meta.dirname, "../../rules");
const read = (f: string) => fs.readFileSync(path.join(RULES, `${f}.json`), "utf8");

describe("rule files as table rows", () => {
  it.each(EDITABLE)("%s.json goes to rows and back unchanged", (file) => {
    const rows = rowsFromText(file, read(file));
    expect(rows).not.toBeNull();
    const back = JSON.parse(textFromRows(rows!));
    const orig = JSON.parse(read(file)) as Record<string, unknown>;
    // The loader's defaults written out (enabled: true, notifyOffice: false, residentHintRaisesTo) mean the same.
    const normalise = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === "enabled" && v === true) || (k === "notifyOffice" && v === false) || ((k === "holidays" || k === "workdays") && Array.isArray(v) && v.length === 0) ? undefined : v));
    expect(normalise(back)).toEqual(normalise({ residentHintRaisesTo: file === "deadlines" ? "urgent" : undefined, ...orig }));
  });

  it("writes a changed cell into its field and keeps the rest", () => {
    // The demo's rules: the shipped file's first rule names no estate to keep.
    const rows = rowsFromText("routing", fs.readFileSync(path.join(demoRulesDir(), "routing.json"), "utf8"))!;
    if (rows.file !== "routing") throw new Error("routing");
    const r0 = rows.rows[0]!;
    const edited = { ...rows, rows: [{ ...r0, target: "office", priority: "abc", weekdays: ["6", "7"], buildings: "1号楼、 2号楼" }, ...rows.rows.slice(1)] };
    const rule = (JSON.parse(textFromRows(edited)) as { rules: Record<string, unknown>[] }).rules[0]!;
    expect(rule.then).toEqual({ toOffice: true });
    expect(rule.priority).toBe("abc"); // as typed: the loader names the problem
    expect(rule.when).toMatchObject({ weekdays: [6, 7], buildings: ["1号楼", "2号楼"], estates: ["xingfu"] });
    expect(rule.description).toBe(r0.description);
  });

  it("adds, moves and removes rows", () => {
    const rows = [1, 2, 3];
    expect(applyOp(rows, { op: "up", row: 2 }, () => 0)).toEqual([1, 3, 2]);
    expect(applyOp(rows, { op: "down", row: 2 }, () => 0)).toEqual([1, 2, 3]);
    expect(applyOp(rows, { op: "remove", row: 0 }, () => 0)).toEqual([2, 3]);
    expect(applyOp(rows, { op: "add" }, () => 9)).toEqual([1, 2, 3, 9]);
    expect((emptyRow("routing") as RoutingRow).enabled).toBe(true);
  });

  it("gives null for text the table cannot show", () => {
    expect(rowsFromText("routing", "{ not json")).toBeNull();
    expect(rowsFromText("deadlines", '{"entries": 3}')).toBeNull();
  });
});
