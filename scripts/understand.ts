// Runs the understanding rules over messages, for checking a changed rules/understanding.json in bulk:
//   npm run -s understand -- --jsonl [--rules-dir DIR] < messages.jsonl
//     reads lines {"text": "…"}; prints one line per good input line:
//     {"kind": …, "category": … | null, "emergency": true|false, "confidence": 0..1}
//     A bad line (not JSON, no text, a NUL character) gets "line N: reason" on stderr, no stdout
//     line, and the run goes on. Blank lines are skipped.
//   npm run -s understand -- [--rules-dir DIR] "电梯困人了"   one message, the full answer with why
// Exit codes: 0 all lines read, 1 invalid rules or some bad lines, 2 bad usage.
import readline from "node:readline";
import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { formatUnderstandingIssue, loadUnderstanding } from "../rules/understanding/load.ts";

const USAGE = `usage: npm run -s understand -- --jsonl [--rules-dir DIR] < messages.jsonl
       npm run -s understand -- [--rules-dir DIR] "message text"`;

dotenv.config({ quiet: true });
let args: { values: { jsonl?: boolean; "rules-dir"?: string; help?: boolean }; positionals: string[] };
try {
  args = parseArgs({ options: { jsonl: { type: "boolean" }, "rules-dir": { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (args.values.help || (!args.values.jsonl && args.positionals.length === 0)) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(args.values.help ? 0 : 2);
}

const rulesDir = args.values["rules-dir"] ?? process.env.RULES_DIR ?? "rules";
const loaded = loadUnderstanding(rulesDir);
if (!loaded.ok) {
  process.stderr.write(`${loaded.issues.map(formatUnderstandingIssue).join("\n")}\nNothing was read; fix the files above.\n`);
  process.exit(1);
}
const u = loaded.understander;

if (!args.values.jsonl) {
  process.stdout.write(`${JSON.stringify(u.understand(args.positionals.join(" ")), null, 2)}\n`);
  process.exit(0);
}

function textOf(line: string): { text: string } | { error: string } {
  if (line.includes("\u0000")) return { error: "contains a NUL character" };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  const text = (value as { text?: unknown } | null)?.text;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: 'expected an object {"text": "…"}' };
  if (typeof text !== "string" || !text.trim()) return { error: 'no "text" (a non-empty string)' };
  if (text.includes("\u0000")) return { error: "text contains a NUL character" };
  return { text };
}

let lineNo = 0;
let bad = 0;
const out: string[] = [];
const flush = () => {
  if (out.length) process.stdout.write(out.splice(0).join(""));
};
for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  if (!line.trim()) continue;
  const r = textOf(line);
  if ("error" in r) {
    bad++;
    flush(); // keeps stdout and stderr in input order for a reader of both
    process.stderr.write(`line ${lineNo}: ${r.error}\n`);
    continue;
  }
  const { kind, category, emergency, confidence } = u.understand(r.text);
  out.push(`${JSON.stringify({ kind, category, emergency, confidence })}\n`);
  if (out.length >= 256) flush();
}
flush();
process.exitCode = bad ? 1 : 0;
