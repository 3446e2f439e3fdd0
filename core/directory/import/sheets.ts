// The spreadsheet layout of a district: one sheet per kind, in the order they depend on each other,
// with Chinese sheet and column names (English accepted). A row becomes a directory input here;
// validation is the directory's own (../fields.ts), so the messages match the API's.
import { BuildingInput, CompanyInput, EstateInput, LiaisonInput, OfficeInput, StreetInput } from "../fields.ts";
import type { z } from "zod";

export type Cell = string | number | Date | boolean | null | undefined;
export type RowIn = Record<string, Cell>;

export interface Column {
  key: string;
  zh: string;
  en: string;
  required?: boolean;
  example?: string;
}

export interface SheetKind {
  kind: "streets" | "companies" | "estates" | "buildings" | "liaisons" | "offices";
  zh: string;
  en: string;
  columns: Column[];
  schema: z.ZodType;
  /** Row cells (by column key) → the input its schema checks. */
  toInput(r: RowIn): unknown;
}

const str = (v: Cell) => (v === null || v === undefined ? undefined : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());
const opt = (v: Cell) => {
  const s = str(v);
  return s === undefined || s === "" ? undefined : s;
};
const num = (v: Cell) => {
  const s = opt(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(/,/g, ""));
  return Number.isFinite(n) ? n : s; // a string lets the schema say "expected number"
};
const day = (v: Cell) => (v instanceof Date ? v.toISOString().slice(0, 10) : opt(v));
const list = (v: Cell) => (opt(v) ?? "").split(/[,，、;；\s]+/).filter(Boolean);
const YES = new Set(["启用", "啟用", "正常", "在管", "是", "active", "yes", "true", "1"]);
const NO = new Set(["停用", "暂停", "暫停", "否", "inactive", "suspended", "no", "false", "0"]);
const status = (v: Cell) => {
  const s = opt(v)?.toLowerCase();
  if (s === undefined) return undefined;
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  return s; // the schema refuses it: "expected boolean"
};
const LEVELS: Record<string, string> = { 区: "district", 区物业办: "district", 街道: "street", 社区: "community", 社区居委会: "community", 居委会: "community", 业委会: "owners" };
const level = (v: Cell) => {
  const s = opt(v);
  return s === undefined ? undefined : (LEVELS[s] ?? s.toLowerCase());
};

const col = (key: string, zh: string, en: string, required = false): Column => ({ key, zh, en, required });

export const SHEETS: SheetKind[] = [
  {
    kind: "streets",
    zh: "街道",
    en: "streets",
    columns: [col("code", "编码", "code", true), col("name", "名称", "name", true), col("active", "状态", "status")],
    schema: StreetInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), active: status(r.active) }),
  },
  {
    kind: "companies",
    zh: "物业公司",
    en: "companies",
    columns: [col("code", "编码", "code", true), col("name", "名称", "name", true), col("contact", "联系方式", "contact"), col("grade", "资质等级", "grade"), col("inviteCode", "邀请码", "invite code"), col("active", "状态", "status")],
    schema: CompanyInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), contact: opt(r.contact), grade: opt(r.grade), inviteCode: opt(r.inviteCode), active: status(r.active) }),
  },
  {
    kind: "estates",
    zh: "小区",
    en: "estates",
    columns: [
      col("code", "编码", "code", true),
      col("name", "名称", "name", true),
      col("street", "街道", "street", true),
      col("community", "社区", "community"),
      col("address", "地址", "address"),
      col("households", "户数", "households", true),
      col("latitude", "纬度", "latitude"),
      col("longitude", "经度", "longitude"),
      col("company", "物业公司", "company"),
      col("contractStart", "合同开始", "contract start"),
      col("contractEnd", "合同结束", "contract end"),
      col("inviteCode", "邀请码", "invite code"),
    ],
    schema: EstateInput,
    toInput: (r) => ({
      code: opt(r.code),
      name: opt(r.name),
      street: opt(r.street),
      community: opt(r.community),
      address: opt(r.address),
      households: num(r.households),
      latitude: num(r.latitude),
      longitude: num(r.longitude),
      company: opt(r.company),
      contractStart: day(r.contractStart),
      contractEnd: day(r.contractEnd),
      inviteCode: opt(r.inviteCode),
    }),
  },
  {
    kind: "buildings",
    zh: "楼栋",
    en: "buildings",
    columns: [col("estate", "小区", "estate", true), col("name", "楼栋", "building", true), col("units", "单元", "units")],
    schema: BuildingInput,
    toInput: (r) => ({ estate: opt(r.estate), name: opt(r.name), units: list(r.units) }),
  },
  {
    kind: "liaisons",
    zh: "联络人",
    en: "liaisons",
    columns: [col("code", "编码", "code", true), col("name", "姓名", "name", true), col("company", "物业公司", "company", true), col("phone", "手机号", "phone")],
    schema: LiaisonInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), company: opt(r.company), ...(opt(r.phone) ? { phone: opt(r.phone)!.replace(/[\s-]/g, "") } : {}) }),
  },
  {
    kind: "offices",
    zh: "办公室",
    en: "offices",
    columns: [col("code", "编码", "code", true), col("name", "名称", "name", true), col("level", "级别", "level", true), col("street", "街道", "street"), col("estates", "小区", "estates"), col("email", "邮箱", "email")],
    schema: OfficeInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), level: level(r.level), street: opt(r.street), estates: list(r.estates), email: opt(r.email) }),
  },
];

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, " ");

export function sheetKind(name: string): SheetKind | undefined {
  const n = norm(name);
  return SHEETS.find((s) => norm(s.zh) === n || norm(s.en) === n || norm(s.kind) === n);
}

export function columnOf(kind: SheetKind, header: string): Column | undefined {
  const n = norm(header.replace(/[*＊]/g, ""));
  return kind.columns.find((c) => norm(c.zh) === n || norm(c.en) === n || norm(c.key) === n);
}
