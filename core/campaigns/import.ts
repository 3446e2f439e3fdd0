// Problems from a spreadsheet (.xlsx, one row per problem), by the directory import's rules: every bad
// row is reported with its sheet, row, column and reason; nothing is written when any row is bad; a
// row imported before (same 编号, or the same estate/category/description/place/date) is left as it
// is. The headers are the ledger export's (so an exported ledger imports again) plus a few optional
// ones; each in Chinese or English.
import crypto from "node:crypto";
import ExcelJS from "exceljs";
import type { Scope } from "../directory/staff.ts";
import { localStamp } from "../delivery/table-export.ts";
import { findCampaign } from "./campaigns.ts";
import { insertProblem, resolveProblemInput, PROBLEM_SOURCES, type CampaignDeps, type ProblemInput } from "./problems.ts";
import { ledgerText } from "./ledger/labels.ts";
import { assertCanWrite, CampaignError } from "./scope.ts";
import { LOCALES } from "../cases/categories.ts";
import { fromLocal } from "../clocks/zoned-time.ts";

export interface ImportProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  reason: string;
}
export interface ProblemImportResult {
  ok: boolean;
  created: number;
  unchanged: number;
  problems: ImportProblem[];
}

type Key = "key" | "estate" | "building" | "place" | "category" | "description" | "source" | "sourceRef" | "cases" | "unit" | "person" | "found";
const HEADERS: Record<Key, string[]> = {
  key: ["编号", "編號", "Ref"],
  estate: ["小区", "小區", "Estate"],
  building: ["楼栋", "樓棟", "Building"],
  place: ["位置", "位置", "Place"],
  category: ["问题类别", "問題類別", "Category"],
  description: ["问题描述", "問題描述", "Problem"],
  source: ["来源", "來源", "Source"],
  sourceRef: ["工单号", "工單號", "Order number"],
  cases: ["关联案件", "關聯案件", "Cases"],
  unit: ["责任单位", "責任單位", "Responsible unit"],
  person: ["责任人", "責任人", "Responsible person"],
  found: ["发现日期", "發現日期", "Found on"],
};
const REQUIRED: Key[] = ["estate", "category", "description"];

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("result" in v) return text((v.result ?? null) as ExcelJS.CellValue);
    if ("text" in v) return String(v.text);
    return "";
  }
  return String(v).trim();
}

export async function importProblems(d: CampaignDeps, scope: Scope, campaignId: number, bytes: Buffer, o: { dryRun?: boolean } = {}): Promise<ProblemImportResult> {
  assertCanWrite(scope);
  const campaign = await findCampaign(d.db, scope, campaignId);
  const settings = d.settings();
  const problems: ImportProblem[] = [];
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { ok: false, created: 0, unchanged: 0, problems: [{ sheet: "", row: null, column: null, reason: "not an .xlsx workbook" }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { ok: false, created: 0, unchanged: 0, problems: [{ sheet: "", row: null, column: null, reason: "the workbook has no sheet" }] };
  const sheet = ws.name;
  const cols = new Map<number, Key>();
  ws.getRow(1).eachCell((c, i) => {
    const h = text(c.value);
    const k = (Object.keys(HEADERS) as Key[]).find((key) => HEADERS[key].includes(h));
    if (k) cols.set(i, k);
  });
  for (const k of REQUIRED) if (![...cols.values()].includes(k)) problems.push({ sheet, row: 1, column: HEADERS[k][0]!, reason: `missing column ${HEADERS[k][0]} (${HEADERS[k][2]})` });
  if (problems.length) return { ok: false, created: 0, unchanged: 0, problems };

  const estates = await d.db.estate.findMany({ include: { company: true } });
  const estateOf = (s: string) => estates.find((e) => e.code === s || e.name === s);
  const t = LOCALES.map((l) => ledgerText(l));
  const catOf = (s: string) => settings.categories.find((c) => c.code === s || Object.values(c.names).includes(s))?.code;
  const sourceOf = (s: string): { source: (typeof PROBLEM_SOURCES)[number]; ref: string | null } | null => {
    if (!s) return { source: "inspection", ref: null };
    for (const src of PROBLEM_SOURCES) {
      for (const tr of t) {
        const label = tr(`src_${src}`);
        if (s === src || s.startsWith(label)) return { source: src, ref: s.slice(s === src ? s.length : label.length).trim() || null };
      }
    }
    return null;
  };
  const rows: { row: number; input: ProblemInput; resolved: Awaited<ReturnType<typeof resolveProblemInput>> }[] = [];
  const keys = new Set<string>();
  for (let r = 2; r <= ws.rowCount; r++) {
    const raw = ws.getRow(r);
    const v = {} as Record<Key, string>;
    cols.forEach((k, i) => (v[k] = text(raw.getCell(i).value)));
    if (Object.values(v).every((x) => !x)) continue;
    const bad = (k: Key, reason: string) => problems.push({ sheet, row: r, column: HEADERS[k][0]!, reason });
    const before = problems.length;
    const estate = estateOf(v.estate ?? "");
    if (!estate) bad("estate", `no estate "${v.estate ?? ""}" (code or name)`);
    const category = catOf(v.category ?? "");
    if (!category) bad("category", `unknown category "${v.category ?? ""}" (${settings.categories.map((c) => c.names["zh-Hans"]).join("、")})`);
    if (!v.description) bad("description", "the problem description is empty");
    const src = sourceOf(v.source ?? "");
    if (!src) bad("source", `unknown source "${v.source}" (排查发现, 居民投诉, 12345工单, 问卷调查)`);
    let found: Date | undefined;
    if (v.found) {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(v.found.replace(/[/.]/g, "-"));
      if (!m) bad("found", `"${v.found}" is not a date YYYY-MM-DD`);
      else found = v.found.includes("T") ? new Date(v.found) : fromLocal(+m[1]!, +m[2]!, +m[3]!, 12, 0, d.timezone);
    }
    if (problems.length > before || !estate || !category || !src) continue;
    const unit = v.unit || null;
    const isCompany = !unit || unit === estate.company?.name;
    const input: ProblemInput = {
      estate: estate.code,
      building: v.building || null,
      place: v.place || null,
      category,
      description: v.description!,
      source: src.source,
      sourceRef: v.sourceRef || src.ref,
      cases: v.cases ? v.cases.split(/[,，\s]+/).filter(Boolean) : [],
      responsibleKind: isCompany ? "company" : "department",
      responsibleName: isCompany ? null : unit,
      responsiblePerson: v.person || null,
      foundOn: found,
    };
    input.importKey = v.key || crypto.createHash("sha256").update(JSON.stringify([estate.code, category, input.description, input.building, input.place, found ? localStamp(found, d.timezone).slice(0, 10) : ""])).digest("hex").slice(0, 32);
    if (keys.has(input.importKey)) {
      bad(v.key ? "key" : "description", "the same problem appears twice in the file");
      continue;
    }
    keys.add(input.importKey);
    try {
      rows.push({ row: r, input, resolved: await resolveProblemInput(d.db, settings, campaign, scope, input) });
    } catch (err) {
      if (!(err instanceof CampaignError)) throw err;
      const column: Key = /case/.test(err.message) ? "cases" : /responsible|company/.test(err.message) ? "unit" : /category/.test(err.message) ? "category" : "estate";
      bad(column, err.message);
    }
  }
  if (problems.length) return { ok: false, created: 0, unchanged: 0, problems };
  const existing = new Set((await d.db.campaignProblem.findMany({ where: { campaignId: campaign.id, importKey: { in: [...keys] } }, select: { importKey: true } })).map((p) => p.importKey));
  const fresh = rows.filter((x) => !existing.has(x.input.importKey!));
  if (!o.dryRun && fresh.length) {
    const now = d.clock.now();
    await d.db.$transaction(async (tx) => {
      for (const x of fresh) await insertProblem(tx, d, scope, campaign.id, x.input, x.resolved, now);
    }, { timeout: 120_000 });
  }
  return { ok: true, created: fresh.length, unchanged: rows.length - fresh.length, problems: [] };
}
