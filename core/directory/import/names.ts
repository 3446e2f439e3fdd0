// Names where a register has no codes: the office's own workbook names streets, companies and estates
// and never codes them. Each row is matched to what the directory holds — by code when the sheet has
// codes, else streets and companies by name (one company spelled three ways is one company, and the
// merge is reported for the clerk to confirm), estates by name within their street (the same name in
// two streets is two estates), buildings by estate and name — never by row number or order. What is
// new gets a code made here from the name's pinyin (pinyin-pro), never one the directory already uses
// for anything else. Also: "无物业 / 社区代管" is no company; 单元数 3 is 1单元, 2单元, 3单元; a bare
// building number is "N号楼"; 物业项目负责人 with a phone becomes the estate's liaison.
import { pinyin } from "pinyin-pro";
import type { Db } from "../../db/db.ts";
import type { Problem, ReadFile, ReadSheet } from "./read.ts";
import { fold, SHEETS, type RowIn } from "./sheets.ts";

/** One company written several ways in the file: what it was merged into, for the clerk to confirm. */
export interface MergedNames {
  kind: "companies" | "streets";
  name: string;
  variants: string[];
}

const NO_COMPANY = /^(无|無|暂无|暫無|无物业|無物業|社区代管|社區代管|自管|业主自管|業主自管|无物业[(（]?社区代管[)）]?|無物業[(（]?社區代管[)）]?|-|—|\/)$/;
const COMPANY_SUFFIX = /(股份有限公司|有限责任公司|有限公司|集团|公司|服务|管理|物业|物業|服務|管理)$/;

const clean = (s: string) => fold(s).replace(/\s/g, "");
/** A street's name as compared: "东城街道办事处" is "东城街道". */
const streetKey = (s: string) => clean(s).replace(/(办事处|辦事處)$/, "");
/** A company's name as compared: "华美物业服务有限公司", "华美物业管理有限公司" and "华美物业" are "华美". */
export function companyKey(s: string): string {
  let k = clean(s).replace(/[(（][^)）]*[)）]/g, "");
  for (let prev = ""; prev !== k && k.length > 2; ) {
    prev = k;
    k = k.replace(COMPANY_SUFFIX, "") || prev;
  }
  return k;
}

/** A code from a name: pinyin of its Chinese, letters and digits kept, e.g. 和平小区 → "hepingxiaoqu". */
export function codeFrom(name: string, drop?: RegExp): string {
  const base = clean(name).replace(drop ?? /$^/, "") || clean(name);
  const p = pinyin(base, { toneType: "none", type: "array", nonZh: "consecutive" })
    .join("")
    .toLowerCase()
    .replace(/ü/g, "v")
    .replace(/[^a-z0-9]+/g, "");
  return (p || "x").slice(0, 36);
}

/** Codes already used (directory and file): a new one never takes them. */
class Codes {
  private used = new Set<string>();
  constructor(existing: Iterable<string>) {
    for (const c of existing) this.used.add(c);
  }
  has(c: string) {
    return this.used.has(c);
  }
  take(c: string) {
    this.used.add(c);
  }
  make(base: string): string {
    let c = base;
    for (let n = 2; this.used.has(c); n++) c = `${base}-${n}`;
    this.used.add(c);
    return c;
  }
}

const cellText = (v: unknown) => (v === null || v === undefined ? "" : clean(String(v)));
const sheetOf = (file: ReadFile, kind: string) => file.sheets.find((s) => s.kind.kind === kind);

/** Fills the codes a row names by name; returns the merges to confirm and the rows it could not place. */
export async function resolveNames(db: Db, file: ReadFile, o: { register: boolean }): Promise<{ merged: MergedNames[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const merged: MergedNames[] = [];
  const [streets, companies, estates, liaisons] = await Promise.all([
    db.street.findMany({ select: { id: true, code: true, name: true } }),
    db.company.findMany({ select: { id: true, code: true, name: true } }),
    db.estate.findMany({ select: { code: true, name: true, streetId: true } }),
    db.liaison.findMany({ select: { code: true, name: true, companyId: true } }),
  ]);
  const ensure = (kind: (typeof SHEETS)[number]["kind"]): ReadSheet => {
    let s = sheetOf(file, kind);
    if (!s) {
      const k = SHEETS.find((x) => x.kind === kind)!;
      s = { kind: k, name: k.zh, headers: new Map(), rows: [], headerRow: 1, mapping: [] };
      file.sheets.push(s);
    }
    return s;
  };
  const col = (s: ReadSheet, key: string) => s.headers.get(key) ?? key;

  // Streets: by code, else by name; new ones get a code.
  const streetCodes = new Codes(streets.map((s) => s.code));
  const streetByKey = new Map(streets.map((s) => [streetKey(s.name), s.code]));
  const streetCodeSet = new Set(streets.map((s) => s.code));
  const streetSheet = sheetOf(file, "streets");
  for (const r of streetSheet?.rows ?? []) {
    const code = cellText(r.cells.code).toLowerCase();
    const key = streetKey(cellText(r.cells.name));
    if (code) {
      streetCodes.take(code);
      streetCodeSet.add(code);
      streetByKey.set(key, code);
    } else r.cells.code = streetByKey.get(key) ?? streetByKey.set(key, streetCodes.make(codeFrom(key, /(街道|镇|乡)$/))).get(key)!;
    r.cells.name = cellText(r.cells.name).replace(/(办事处|辦事處)$/, "");
  }
  const streetOf = (v: unknown): string | undefined => {
    const s = cellText(v);
    if (!s) return undefined;
    if (streetCodeSet.has(s.toLowerCase())) return s.toLowerCase();
    const key = streetKey(s);
    let code = streetByKey.get(key);
    // A file with codes names what exists: an unknown one stays as written (refused as unknown_street).
    if (!code && !o.register) return s;
    if (!code) {
      code = streetCodes.make(codeFrom(key, /(街道|镇|乡)$/));
      streetByKey.set(key, code);
      ensure("streets").rows.push({ row: 0, cells: { code, name: key } });
    }
    return code;
  };

  // Companies: by code, else by name with spellings merged.
  const companyCodes = new Codes(companies.map((c) => c.code));
  const companyCodeSet = new Set(companies.map((c) => c.code));
  const companyByKey = new Map(companies.map((c) => [companyKey(c.name), c.code]));
  const spellings = new Map<string, Set<string>>();
  const companySheet = sheetOf(file, "companies");
  for (const r of companySheet?.rows ?? []) {
    const code = cellText(r.cells.code).toLowerCase();
    const key = companyKey(cellText(r.cells.name));
    (spellings.get(key) ?? spellings.set(key, new Set()).get(key)!).add(cellText(r.cells.name));
    if (code) {
      companyCodes.take(code);
      companyCodeSet.add(code);
      companyByKey.set(key, code);
    } else r.cells.code = companyByKey.get(key) ?? companyByKey.set(key, companyCodes.make(codeFrom(key))).get(key)!;
  }
  const companyOf = (v: unknown): string | null | undefined => {
    const s = cellText(v);
    if (!s) return undefined;
    if (NO_COMPANY.test(s)) return null;
    if (companyCodeSet.has(s.toLowerCase())) return s.toLowerCase();
    const key = companyKey(s);
    let code = companyByKey.get(key);
    if (!code && !o.register) return s;
    (spellings.get(key) ?? spellings.set(key, new Set()).get(key)!).add(s);
    if (!code) {
      code = companyCodes.make(codeFrom(key));
      companyByKey.set(key, code);
      ensure("companies").rows.push({ row: 0, cells: { code, name: s } });
    }
    return code;
  };

  const liaisonCodes = new Codes(liaisons.map((l) => l.code));
  const liaisonCodesEarly = liaisonCodes;
  // A liaisons sheet of the register: the company by name too, a code made when it has none.
  for (const r of sheetOf(file, "liaisons")?.rows ?? []) {
    const company = companyOf(r.cells.company);
    if (company) r.cells.company = company;
    if (!cellText(r.cells.code) && company && cellText(r.cells.name)) r.cells.code = liaisonCodesEarly.make(`${company}-${codeFrom(cellText(r.cells.name))}`.slice(0, 41));
  }
  // Estates: by code when the sheet has codes, else by name within the street.
  const estateSheet = sheetOf(file, "estates");
  const streetIdByCode = new Map(streets.map((s) => [s.code, s.id]));
  const estateCodes = new Codes(estates.map((e) => e.code));
  const estateByCode = new Map(estates.map((e) => [e.code, e]));
  const estateByName = new Map(estates.map((e) => [`${e.streetId}/${clean(e.name)}`, e.code]));
  const fileEstates: { street: string; name: string; code: string }[] = [];
  const companyIdByCode = new Map(companies.map((c) => [c.code, c.id]));
  for (const r of estateSheet?.rows ?? []) {
    const street = streetOf(r.cells.street);
    if (street) r.cells.street = street;
    const company = companyOf(r.cells.company);
    if (company !== undefined) r.cells.company = company;
    const name = cellText(r.cells.name);
    r.cells.name = name;
    const given = cellText(r.cells.code).toLowerCase();
    const sid = street ? streetIdByCode.get(street) : undefined;
    const sameName = sid !== undefined ? estateByName.get(`${sid}/${name}`) : undefined;
    if (given) {
      // A code names one estate for good: a row that gives another estate's code with its own name is refused.
      const holder = estateByCode.get(given);
      if (holder && sameName && sameName !== given) problems.push({ sheet: estateSheet!.name, row: r.row, column: col(estateSheet!, "code"), reason: "imp_code_other_estate", params: { code: given, holder: holder.name, name } });
      estateCodes.take(given);
    } else if (name && street) r.cells.code = sameName ?? fileEstates.find((e) => e.street === street && e.name === name)?.code ?? estateCodes.make(codeFrom(name));
    if (name && street) fileEstates.push({ street, name, code: String(r.cells.code ?? given) });
    // 物业项目负责人 with a phone: the estate's own liaison (of its company), its project manager.
    const manager = cellText(r.cells.manager);
    if (manager && company) {
      const cid = companyIdByCode.get(company);
      const inDb = cid === undefined ? undefined : liaisons.find((l) => l.companyId === cid && clean(l.name) === manager);
      const inFile = ensure("liaisons").rows.find((x) => x.cells.company === company && cellText(x.cells.name) === manager);
      const code = inDb?.code ?? (inFile ? String(inFile.cells.code) : liaisonCodes.make(`${company}-${codeFrom(manager)}`.slice(0, 41)));
      const phone = cellText(r.cells.managerPhone) || undefined;
      if (!inFile) ensure("liaisons").rows.push({ row: r.row, cells: { code, name: manager, company, phone } });
      r.cells.projectManager = code;
    }
  }
  for (const names of spellings.values()) if (names.size > 1) merged.push({ kind: "companies", name: [...names][0]!, variants: [...names] });

  // Buildings: the estate by code, else by name (within the street when the sheet says which).
  const buildingSheet = sheetOf(file, "buildings");
  for (const r of buildingSheet?.rows ?? []) {
    const estate = cellText(r.cells.estate);
    if (estate && !estateByCode.has(estate.toLowerCase()) && !fileEstates.some((e) => e.code === estate.toLowerCase())) {
      const street = r.cells.street ? streetOf(r.cells.street) : undefined;
      const inFile = fileEstates.filter((e) => e.name === estate && (!street || e.street === street));
      const inDb = estates.filter((e) => clean(e.name) === estate && (!street || e.streetId === streetIdByCode.get(street)));
      const codes = [...new Set([...inFile.map((e) => e.code), ...inDb.map((e) => e.code)])];
      if (codes.length > 1) problems.push({ sheet: buildingSheet!.name, row: r.row, column: col(buildingSheet!, "estate"), reason: "imp_estate_ambiguous", params: { name: estate, count: codes.length } });
      else if (codes.length === 1) r.cells.estate = codes[0]!;
    }
    const name = cellText(r.cells.name);
    if (/^\d+$/.test(name)) r.cells.name = `${name}号楼`;
    const count = cellText(r.cells.unitCount);
    if (count && !cellText(r.cells.units)) {
      const n = Number(count);
      if (!Number.isInteger(n) || n < 0 || n > 200) problems.push({ sheet: buildingSheet!.name, row: r.row, column: col(buildingSheet!, "unitCount"), reason: "v_whole_number" });
      else r.cells.units = Array.from({ length: n }, (_, i) => `${i + 1}单元`).join(",");
    }
  }
  return { merged, problems };
}

export type { RowIn };
