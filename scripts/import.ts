// `npm run import -- FILE.xlsx|FILE.csv [--dry-run]`: imports the directory of a district (one sheet
// per kind; see core/directory/import/sheets.ts). Bad rows are listed with sheet, row, column and
// reason (in DEFAULT_LOCALE, or --lang zh-Hans|zh-Hant|en), and then nothing is written. `npm run import -- --example > district.xlsx` writes the demo
// district as a filled example.
import "dotenv/config";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig } from "../core/config.ts";
import { openForTool, runTool } from "../core/db/open-for-tool.ts";
import { createLogger } from "../core/logger.ts";
import { readDistrictFile } from "../core/directory/import/read.ts";
import { importDistrict } from "../core/directory/import/apply.ts";
import { rememberedMapping } from "../core/directory/import/mapping.ts";
import { exampleWorkbook } from "../core/directory/import/example.ts";
import { pickLocale } from "../api/i18n/i18n.ts";
import { wordRefusal } from "../api/i18n/refusal-strings.ts";

const { values: a, positionals } = parseArgs({ allowPositionals: true, options: { "dry-run": { type: "boolean" }, example: { type: "boolean" }, lang: { type: "string" }, "open-cases": { type: "string" } } });
const openCases = a["open-cases"];
if (openCases !== undefined && openCases !== "move" && openCases !== "stay") {
  console.error("--open-cases is move (to the new company) or stay (with the old one)");
  process.exit(2);
}

if (a.example) {
  if (process.stdout.isTTY) {
    console.error("the example is a binary .xlsx: redirect it, e.g. npm run import -- --example > district.xlsx");
    process.exit(2);
  }
  process.stdout.write(await exampleWorkbook());
  process.exit(0);
}
const file = positionals[0];
if (!file) {
  console.error("usage: npm run import -- FILE.xlsx|FILE.csv [--dry-run] [--lang zh-Hans|zh-Hant|en]   ·   npm run import -- --example > district.xlsx");
  process.exit(2);
}
let bytes: Buffer;
try {
  bytes = fs.readFileSync(file);
} catch (err) {
  console.error(`cannot read ${file}: ${(err as Error).message}`);
  process.exit(2);
}

await runTool(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
  // Through the running service on the embedded database, or the folder itself when it is stopped.
  const database = await openForTool(config, log);
  try {
    const read = await readDistrictFile(bytes, file, { mapping: await rememberedMapping(database.prisma) });
    // Without a case service here, open cases of an estate changing company stay with the old one
    // (--open-cases stay); moving them is the dashboard's or the API's (they go through the case service).
    const result = await importDistrict(database.prisma, `cli import:${file.replace(/^.*[\\/]/, "")}`, read, { dryRun: a["dry-run"], now: new Date(), ...(openCases === "stay" ? { openCases: new Proxy({}, { get: () => "stay" as const }) } : {}) });
    const locale = pickLocale(a.lang, config.DEFAULT_LOCALE);
    const en = locale === "en";
    for (const p of result.problems) {
      const where = `${p.sheet}${p.row ? (en ? ` row ${p.row}` : ` 第 ${p.row} 行`) : ""}${p.column ? (en ? ` column ${p.column}` : ` ${p.column}`) : ""}`;
      console.log(`${where}${en ? ": " : "："}${wordRefusal(locale, p)}`);
    }
    const counts = Object.entries(result.counts)
      .map(([k, c]) => `${k} +${c.created} ~${c.updated} =${c.unchanged}`)
      .join(" · ");
    for (const sh of result.sheets) {
      const unused = sh.mapping.filter((m) => m.key === null).map((m) => m.header);
      console.log(`${sh.name}: ${en ? `headers on row ${sh.headerRow}` : `表头在第 ${sh.headerRow} 行`}${unused.length ? ` · ${en ? "not used" : "未使用的列"}: ${unused.join("、")}` : ""}`);
    }
    for (const m of result.merged) console.log(`${en ? "merged" : "合并"}: ${m.variants.join(" · ")} → ${m.name}`);
    for (const c of result.changes) console.log(`  ${c.action === "create" ? "+" : c.action === "deactivate" ? "-" : "~"} ${c.record}${c.field ? ` · ${c.field.replace(/^dir_/, "")} ${c.before ?? "—"} → ${c.after ?? "—"}` : ""}${c.openCases ? ` · ${c.openCases} open cases` : ""}`);
    if (!result.ok) {
      console.log(en ? `${result.problems.length} problem(s): nothing was written` : `共 ${result.problems.length} 处问题：未写入任何内容`);
      return 1;
    }
    console.log(`${result.dryRun ? "dry run, nothing written" : "imported"}: ${counts}  (+ created, ~ updated, = unchanged)`);
  } finally {
    await database.close();
  }
});
