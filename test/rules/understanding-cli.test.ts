// `npm run -s understand -- --jsonl` as a clerk or a script runs it: a child process reading JSONL on
// stdin, one answer line per good input line, bad lines reported on stderr by number without
// stopping the run, and an invalid rules folder refused.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editRules, tempRules } from "./helpers.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/understand.ts");

function runCli(args: string[], input: string, script = SCRIPT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env: { ...process.env, RULES_DIR: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("understand --jsonl", () => {
  it("answers each good line with exactly kind, category, emergency, confidence; bad lines go to stderr by number", async () => {
    const input = [
      JSON.stringify({ text: "3号楼电梯困人了，两个老人在里面" }),
      "this is not json",
      JSON.stringify({ text: "樓上漏水滴到我家天花板" }),
      JSON.stringify({ message: "no text field" }),
      "",
      JSON.stringify({ text: "a\u0000b" }),
      JSON.stringify({ text: "hello?" }),
      JSON.stringify({ text: "" }),
      "[1,2]",
      JSON.stringify({ text: "the lift on block 5 has been broken since Monday" }),
    ].join("\n");
    const r = await runCli(["--jsonl", "--rules-dir", path.join(ROOT, "rules")], input);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { kind: "repair", category: "lift_entrapment", emergency: true, confidence: expect.any(Number) },
      { kind: "repair", category: "water", emergency: false, confidence: expect.any(Number) },
      { kind: "complaint", category: null, emergency: false, confidence: 0 },
      { kind: "repair", category: "lift", emergency: false, confidence: expect.any(Number) },
    ]);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(["kind", "category", "emergency", "confidence"]);
      expect(l.confidence).toBeGreaterThanOrEqual(0);
      expect(l.confidence).toBeLessThanOrEqual(1);
    }
    const errors = r.stderr.trim().split("\n");
    expect(errors).toEqual([
      expect.stringMatching(/^line 2: not JSON/),
      expect.stringMatching(/^line 4: no "text"/),
      expect.stringMatching(/^line 6: .*NUL/),
      expect.stringMatching(/^line 8: no "text"/),
      expect.stringMatching(/^line 9: expected an object/),
    ]);
    expect(r.code).toBe(1);
  }, 60_000);

  it("exits 0 when every line was read, and 1 naming the file when the rules are invalid", async () => {
    const ok = await runCli(["--jsonl", "--rules-dir", path.join(ROOT, "rules")], `${JSON.stringify({ text: "I smell gas in the hallway" })}\n`);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ category: "gas_smell", emergency: true });

    const dir = tempRules();
    editRules(dir, "understanding.json", (j) => delete j.categories.fees);
    const bad = await runCli(["--jsonl", "--rules-dir", dir], `${JSON.stringify({ text: "x" })}\n`);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain(`${path.join(dir, "understanding.json")} (categories): category "fees"`);
  }, 60_000);
});

describe("dry-run --text", () => {
  it("explains the phrases, their weights, the negation and why it is an emergency", async () => {
    const r = await runCli(["--text", "不是漏水，是3号楼电梯困人了", "--rules-dir", path.join(ROOT, "rules")], "", path.join(ROOT, "scripts/dry-run.ts"));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\+ +6 +"电梯困人" \(zh-Hans\) → lift_entrapment/);
    expect(r.stdout).toContain('"漏水" → water, after "不是"');
    expect(r.stdout).toMatch(/YES +lift_entrapment: pattern "电梯困人" matched "电梯困人"/);
    expect(r.stdout).toMatch(/decision: +EMERGENCY .*lift_entrapment \(电梯困人/);
  }, 60_000);
});
