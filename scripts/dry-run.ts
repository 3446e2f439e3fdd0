// Shows what the routing rules would do with one case, without filing it:
//   npm run dry-run -- --category water --estate heping --kind repair [--building 1号楼]
//                      [--at 2026-10-01T10:00+08:00] [--urgent] [--json case.json]
//                      [--rules-dir DIR] [--demo] [--output json]
//   npm run dry-run -- --text "3号楼电梯困人了" [--rules-dir DIR] [--output json]
// --rules-dir checks a changed folder before it goes live; --demo checks against the demo district
// of core/directory/demo-district.ts instead of the database. --text explains how understanding.json
// reads a resident's message (phrases, weights, negations, why emergency); no database needed.
// Exit codes: 0 shown, 1 invalid rules, 2 bad usage.
import fs from "node:fs";
import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { pino } from "pino";
import { KINDS, type Kind } from "../core/cases/categories.ts";
import { ConfigError, loadConfig } from "../core/config.ts";
import { openForTool, type ToolDatabase } from "../core/db/open-for-tool.ts";
import type { RouteFacts } from "../core/cases/routing-types.ts";
import { demoCatalogue, loadCatalogue, type Catalogue } from "../rules/catalogue.ts";
import { createRulesRouter, RulesLoadError, type DryRunResult } from "../rules/router.ts";
import { formatIssue } from "../rules/loader.ts";
import { renderExplanation } from "../rules/understanding/explain.ts";
import { formatUnderstandingIssue, loadUnderstanding } from "../rules/understanding/load.ts";

const USAGE = `usage: npm run dry-run -- --category CODE --estate CODE --kind complaint|repair|suggestion
       [--building NAME] [--at ISO-TIME] [--urgent] [--json case.json] [--rules-dir DIR] [--demo] [--output json]
       npm run dry-run -- --text "resident's message" [--rules-dir DIR] [--output json]`;

function fail(code: number, msg: string): never {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

dotenv.config({ quiet: true });

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      category: { type: "string" },
      text: { type: "string" },
      estate: { type: "string" },
      kind: { type: "string" },
      building: { type: "string" },
      at: { type: "string" },
      urgent: { type: "boolean" },
      json: { type: "string" },
      "rules-dir": { type: "string" },
      demo: { type: "boolean" },
      output: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }).values;
}
try {
  args = parse();
} catch (err) {
  fail(2, `${(err as Error).message}\n${USAGE}`);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  fail(2, err instanceof ConfigError ? err.message : String(err));
}

if (args.text !== undefined) {
  const dir = args["rules-dir"] ?? config.RULES_DIR;
  const loaded = loadUnderstanding(dir);
  if (!loaded.ok) fail(1, `${loaded.issues.map(formatUnderstandingIssue).join("\n")}\nNothing was read; fix the files above.`);
  const ex = loaded.understander.explain(args.text);
  process.stdout.write(args.output === "json" ? `${JSON.stringify(ex.understanding, null, 2)}\n` : renderExplanation(args.text, ex, loaded.categories, loaded.understander.rules.known, `${dir}/understanding.json`));
  process.exit(0);
}

// A case file may hold any of the flags' fields; flags win.
let fromFile: Record<string, unknown> = {};
if (args.json) {
  try {
    fromFile = JSON.parse(fs.readFileSync(args.json, "utf8")) as Record<string, unknown>;
  } catch (err) {
    fail(2, `${args.json}: ${(err as Error).message}`);
  }
}
const str = (k: string) => (typeof fromFile[k] === "string" ? (fromFile[k] as string) : undefined);
const category = args.category ?? str("category");
const estateCode = args.estate ?? str("estate");
const kind = args.kind ?? str("kind") ?? "repair";
const building = args.building ?? str("building");
const at = args.at ?? str("at") ?? str("filedAt");
const urgent = args.urgent ?? (fromFile.urgent === true || fromFile.urgencyHint === true);
if (!category || !estateCode) fail(2, `--category and --estate are required\n${USAGE}`);
if (!KINDS.includes(kind as Kind)) fail(2, `--kind must be one of ${KINDS.join(", ")}, not "${kind}"`);
const filedAt = at ? new Date(at) : new Date();
if (Number.isNaN(filedAt.getTime())) fail(2, `--at "${at}" is not a date-time, e.g. 2026-10-01T10:00+08:00`);

const rulesDir = args["rules-dir"] ?? config.RULES_DIR;
// Rule-set warnings are printed below; only errors go to stderr as log lines.
const log = pino({ level: "error", base: undefined }, pino.destination(2));

let db: ToolDatabase | undefined;
let catalogue: Catalogue;
if (args.demo) {
  catalogue = demoCatalogue();
} else {
  try {
    db = await openForTool(config);
    catalogue = await loadCatalogue(db.prisma);
  } catch (err) {
    await db?.close();
    fail(2, `cannot read the database: ${(err as Error).message.split("\n")[0]}`);
  }
  if (catalogue.estates.size === 0) {
    await db?.close();
    fail(2, "the database has no estates: run `npm run seed`, or add --demo to check against the demo district");
  }
}

let exitCode = 0;
try {
  const router = await createRulesRouter({ catalogue, rulesDir, timezone: config.TIMEZONE, log });
  const facts: RouteFacts = {
    kind: kind as Kind,
    category,
    estate: estateCode,
    street: catalogue.estates.get(estateCode)?.street ?? "",
    building,
    urgencyHint: urgent,
    filedAt,
  };
  const result = await router.dryRun(facts);
  process.stdout.write(args.output === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result, facts, rulesDir, router.status().warnings));
  // A rule naming what the directory does not know is left out and the rest route; a clerk checking a change is told, and the exit says so.
  const refused = router.status().refused;
  if (refused.length) {
    process.stderr.write(`${rulesDir}: ${refused.length} routing rule(s) left out, the others route:\n${refused.map((i) => `  - ${formatIssue(i)}`).join("\n")}\n`);
    exitCode = 1;
  }
} catch (err) {
  if (!(err instanceof RulesLoadError)) throw err;
  process.stderr.write(`${rulesDir}: ${err.message}\nNothing was routed; fix the files above.\n`);
  exitCode = 1;
} finally {
  await db?.close();
}
process.exit(exitCode);

function render(r: DryRunResult, f: RouteFacts, dir: string, warnings: string[]): string {
  const d = r.decision;
  const lines = [
    `rules:     ${dir}`,
    `case:      ${f.kind} / ${f.category}, estate ${f.estate}${f.building ? `, ${f.building}` : ""}${f.urgencyHint ? ", marked urgent" : ""}`,
    `filed:     ${r.local.filedAt} (${r.local.timezone}, ${r.local.dayType})`,
    "",
    "candidate rules (highest rank first):",
    ...(r.candidates.length
      ? r.candidates.map((c) => `  ${c.fired ? "✔ fired " : "✘ no    "} ${c.rule} (priority ${c.priority}): ${c.fired ? c.conditions.join("; ") : `failed: ${c.failed.join("; ") || "?"}`}`)
      : ["  (none for this estate and category)"]),
    "",
    d.routed
      ? `route:     ${r.company!.code} ${r.company!.name} → liaison ${r.liaison!.code} ${r.liaison!.name}   [rule ${d.rule}]`
      : `route:     NOT ROUTED → street office queue${d.rule ? `   [rule ${d.rule}]` : ""}`,
    `urgency:   ${d.urgency}${d.notifyOffice ? " (office notified at once)" : ""}`,
    `respond:   by ${r.responseDue}   [deadline entry ${r.deadlineEntry}]`,
    `resolve:   by ${r.resolutionDue}`,
    "",
    "why:",
    ...d.why.map((w) => `  - ${w}`),
    ...(warnings.length ? ["", "warnings:", ...warnings.map((w) => `  - ${w}`)] : []),
  ];
  return `${lines.join("\n")}\n`;
}
