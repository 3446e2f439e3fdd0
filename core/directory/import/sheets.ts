// The spreadsheet layout of a district: one sheet per kind, in the order they depend on each other,
// with Chinese sheet and column names (English accepted) and the synonyms offices' own registers use
// (小区名单 / 项目名称 / 所属街道 / 物业服务企业 / 总户数 / 楼栋号 …). Codes are optional: names are
// resolved to codes by names.ts. A row becomes a directory input here; validation is the directory's
// own (../fields.ts), so the messages match the API's.
import { BuildingInput, CompanyInput, EstateInput, LiaisonInput, OfficeInput, StreetInput } from "../fields.ts";
import type { z } from "zod";

export type Cell = string | number | Date | boolean | null | undefined;
export type RowIn = Record<string, Cell>;

export interface Column {
  key: string;
  zh: string;
  en: string;
  required?: boolean;
  /** Other headers offices write for this column (compared without spaces, * or brackets). */
  also?: string[];
}

export interface SheetKind {
  kind: "streets" | "companies" | "estates" | "buildings" | "liaisons" | "offices";
  zh: string;
  en: string;
  /** Other sheet names offices use (a sheet whose name contains one of them is taken as this kind). */
  also: string[];
  columns: Column[];
  schema: z.ZodType;
  /** Row cells (by column key) → the input its schema checks. */
  toInput(r: RowIn): unknown;
}

const str = (v: Cell) => (v === null || v === undefined ? undefined : v instanceof Date ? v.toISOString().slice(0, 10) : fold(String(v)));
const opt = (v: Cell) => {
  const s = str(v);
  return s === undefined || s === "" ? undefined : s;
};
const num = (v: Cell) => {
  const s = opt(v);
  if (s === undefined) return undefined;
  const n = Number(s.replace(/[,，\s]/g, ""));
  return Number.isFinite(n) ? n : s; // a string lets the schema say "expected number"
};
/** Full-width digits and letters as ASCII, every kind of space as one: "１２２１" is 1221. */
export const fold = (s: string) =>
  s
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00a0]+/g, " ")
    .trim();
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

const col = (key: string, zh: string, en: string, required = false, also: string[] = []): Column => ({ key, zh, en, required, also });

export const SHEETS: SheetKind[] = [
  {
    kind: "streets",
    zh: "街道",
    en: "streets",
    also: ["街道名单", "街道办事处", "街道信息"],
    columns: [col("code", "编码", "code", false, ["街道编码", "街道代码"]), col("name", "名称", "name", true, ["街道名称", "街道", "街道办事处"]), col("active", "状态", "status")],
    schema: StreetInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), active: status(r.active) }),
  },
  {
    kind: "companies",
    zh: "物业公司",
    en: "companies",
    also: ["物业企业名录", "物业企业", "物业服务企业", "物业公司名录", "企业名录"],
    columns: [
      col("code", "编码", "code", false, ["企业编码", "公司编码"]),
      col("name", "名称", "name", true, ["企业名称", "公司名称", "物业服务企业", "物业企业", "物业公司", "物业企业名称", "物业服务企业名称"]),
      col("contact", "联系方式", "contact", false, ["联系电话", "企业电话", "办公电话"]),
      col("grade", "资质等级", "grade", false, ["资质", "企业资质"]),
      col("inviteCode", "邀请码", "invite code"),
      col("active", "状态", "status"),
    ],
    schema: CompanyInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), contact: opt(r.contact), grade: opt(r.grade), inviteCode: opt(r.inviteCode), active: status(r.active) }),
  },
  {
    kind: "estates",
    zh: "小区",
    en: "estates",
    also: ["小区名单", "小区信息", "住宅小区", "小区登记表", "小区一览表", "项目名单"],
    columns: [
      col("code", "编码", "code", false, ["小区编码", "小区代码", "项目编码"]),
      col("name", "名称", "name", true, ["小区名称", "项目名称", "小区", "小区(项目)名称", "住宅小区名称"]),
      col("street", "街道", "street", true, ["所属街道", "街道办事处", "所属街道办事处", "街道(镇)"]),
      col("community", "社区", "community", false, ["所属社区", "社区居委会", "所属社区居委会"]),
      col("address", "地址", "address", false, ["小区地址", "坐落", "详细地址"]),
      col("households", "户数", "households", true, ["总户数", "住户数", "户数(户)"]),
      col("latitude", "纬度", "latitude"),
      col("longitude", "经度", "longitude"),
      col("company", "物业公司", "company", false, ["物业服务企业", "物业企业", "物业服务企业名称", "物业管理单位", "物业服务单位"]),
      col("contractStart", "合同开始", "contract start", false, ["合同开始日期", "服务合同开始"]),
      col("contractEnd", "合同结束", "contract end", false, ["合同结束日期", "合同到期", "服务合同到期"]),
      col("inviteCode", "邀请码", "invite code"),
      col("manager", "物业项目负责人", "project manager", false, ["项目负责人", "项目经理", "物业负责人"]),
      col("managerPhone", "联系电话", "phone", false, ["负责人电话", "负责人联系电话", "项目负责人电话", "联系方式", "手机"]),
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
      projectManager: opt(r.projectManager),
    }),
  },
  {
    kind: "buildings",
    zh: "楼栋",
    en: "buildings",
    also: ["楼栋明细", "楼栋信息", "楼栋清单", "楼宇"],
    columns: [
      col("estate", "小区", "estate", true, ["小区名称", "项目名称", "所属小区"]),
      col("name", "楼栋", "building", true, ["楼栋号", "楼号", "楼栋名称", "幢号", "栋号"]),
      col("units", "单元", "units", false, ["单元名称"]),
      col("street", "街道", "street", false, ["所属街道", "街道办事处"]),
      col("unitCount", "单元数", "unit count", false, ["单元数量", "单元个数"]),
    ],
    schema: BuildingInput,
    toInput: (r) => ({ estate: opt(r.estate), name: opt(r.name), units: list(r.units) }),
  },
  {
    kind: "liaisons",
    zh: "联络人",
    en: "liaisons",
    also: ["联络人名单"],
    columns: [col("code", "编码", "code", false), col("name", "姓名", "name", true), col("company", "物业公司", "company", true, ["物业服务企业", "物业企业"]), col("phone", "联系电话", "phone", false, ["手机号", "手机号码", "电话", "手机"])],
    schema: LiaisonInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), company: opt(r.company), ...(opt(r.phone) ? { phone: opt(r.phone)!.replace(/[\s-]/g, "").replace(/^(\+?86)(?=1[3-9]\d{9}$)/, "") } : {}) }),
  },
  {
    kind: "offices",
    zh: "办公室",
    en: "offices",
    also: [],
    columns: [col("code", "编码", "code", true), col("name", "名称", "name", true), col("level", "级别", "level", true), col("street", "街道", "street"), col("estates", "小区", "estates"), col("email", "邮箱", "email")],
    schema: OfficeInput,
    toInput: (r) => ({ code: opt(r.code), name: opt(r.name), level: level(r.level), street: opt(r.street), estates: list(r.estates), email: opt(r.email) }),
  },
];

const norm = (s: string) => fold(s).toLowerCase().replace(/[\s_]+/g, " ");
/** A header as compared: no spaces, stars, brackets or line breaks ("总户数（户）" is "总户数户"). */
const bare = (s: string) => norm(s).replace(/[\s*＊()（）\[\]【】:：]/g, "");

export function sheetKind(name: string): SheetKind | undefined {
  const n = norm(name);
  return (
    SHEETS.find((s) => norm(s.zh) === n || norm(s.en) === n || norm(s.kind) === n || s.also.some((a) => norm(a) === n)) ??
    // "2026年小区名单(11月)": a known name inside a longer one, the longest known name first.
    SHEETS.flatMap((s) => [s.zh, ...s.also].map((a) => ({ s, a }))).sort((x, y) => y.a.length - x.a.length).find(({ a }) => a.length >= 2 && n.includes(norm(a)))?.s
  );
}

export function columnOf(kind: SheetKind, header: string): Column | undefined {
  const n = bare(header);
  if (!n) return undefined;
  return kind.columns.find((c) => bare(c.zh) === n || bare(c.en) === n || bare(c.key) === n) ?? kind.columns.find((c) => (c.also ?? []).some((a) => bare(a) === n));
}
