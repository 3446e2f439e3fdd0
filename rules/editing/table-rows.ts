// The four clerk-edited rule files as rows of plain form values, and back. The dashboard's table editor
// (api/dashboard/rules/table-editor.tsx) shows one row per rule, entry, category or year; saving builds
// the file's JSON from the rows and hands it to the loader's check (draft.ts) like any other edit, so
// the table never has rules of its own. Keys a row does not show ($comment, unknown ones) ride along in
// `orig` and are written back unchanged; a cell that is not a valid value (a priority "abc") is written
// as typed, so the loader's own message names it.
import type { EditableFile } from "./draft.ts";

export const LEVELS = ["normal", "urgent", "emergency"] as const;

export interface RoutingRow {
  orig: string;
  id: string;
  description: string;
  priority: string;
  enabled: boolean;
  estates: string[];
  streets: string[];
  categories: string[];
  kinds: string[];
  buildings: string;
  timeFrom: string;
  timeTo: string;
  weekdays: string[];
  dayType: string;
  urgent: string; // "" any · "yes" · "no"
  target: string; // "$estate" · "office" · a company code · "" (none chosen)
  liaison: string;
  urgency: string;
}

export interface LevelCells {
  respond: string;
  respondUnit: string;
  resolve: string;
  resolveUnit: string;
  notifyOffice: boolean;
}

export interface DeadlineRow {
  orig: string;
  id: string;
  description: string;
  categories: string[];
  kinds: string[];
  emergencyWhen: string; // "" any · "yes" · "no" (when.emergency; not "emergency": that is a level's name in the form)
  levels: Record<(typeof LEVELS)[number], LevelCells>;
}

export interface CategoryRow {
  orig: string;
  code: string;
  zhHans: string;
  zhHant: string;
  en: string;
  kinds: string[];
  emergency: boolean;
  publicArea: boolean;
}

export interface CalendarRow {
  orig: string;
  year: string;
  holidays: string;
  workdays: string;
  replace: boolean;
  provisional: boolean;
}

export type Rows =
  | { file: "routing"; top: string; rows: RoutingRow[] }
  | { file: "deadlines"; top: string; hintRaisesTo: string; rows: DeadlineRow[] }
  | { file: "categories"; top: string; rows: CategoryRow[] }
  | { file: "calendar"; top: string; officeStart: string; officeEnd: string; rows: CalendarRow[] };

type Obj = Record<string, unknown>;
/** JSON for a hidden form field: "<" and ">" as \u escapes (still the same JSON), so no HTML reader takes them for a tag's end. */
const carry = (x: unknown) => JSON.stringify(x).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
const obj = (x: unknown): Obj => (x && typeof x === "object" && !Array.isArray(x) ? (x as Obj) : {});
const strs = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : typeof x === "string" || typeof x === "number" ? [String(x)] : []);
const str = (x: unknown): string => (x === undefined || x === null ? "" : String(x));
const tri = (x: unknown): string => (x === true ? "yes" : x === false ? "no" : "");
const parseObj = (s: string): Obj => {
  try {
    return obj(JSON.parse(s));
  } catch {
    return {};
  }
};
/** "1号楼、2号楼" or "2027-01-01, 2027-01-02" → items (、 , ， ; space or new line between them). */
export const splitList = (s: string): string[] => s.split(/[、,，;；\s]+/).filter(Boolean);

export function emptyRow(file: EditableFile): RoutingRow | DeadlineRow | CategoryRow | CalendarRow {
  switch (file) {
    case "routing":
      return routingRow({ priority: 10, enabled: true, when: {}, then: {} });
    case "deadlines":
      return deadlineRow({ when: {}, levels: {} });
    case "categories":
      return categoryRow({ kinds: [], label: {} });
    case "calendar":
      return { orig: "{}", year: "", holidays: "", workdays: "", replace: false, provisional: false };
  }
}

function routingRow(r: Obj): RoutingRow {
  const w = obj(r.when);
  const t = obj(r.then);
  const time = obj(w.time);
  return {
    orig: carry(r),
    id: str(r.id),
    description: str(r.description),
    priority: str(r.priority ?? 10),
    enabled: r.enabled !== false,
    estates: strs(w.estates),
    streets: strs(w.streets),
    categories: strs(w.categories),
    kinds: strs(w.kinds),
    buildings: strs(w.buildings).join("、"),
    timeFrom: str(time.from),
    timeTo: str(time.to),
    weekdays: strs(w.weekdays),
    dayType: str(w.dayType),
    urgent: tri(w.urgent),
    target: t.toOffice === true ? "office" : str(t.company),
    liaison: str(t.liaison),
    urgency: str(t.urgency),
  };
}

function levelCells(l: unknown): LevelCells {
  const o = obj(l);
  const respond = obj(o.respond);
  const resolve = obj(o.resolve);
  return { respond: str(respond.amount), respondUnit: str(respond.unit) || "hours", resolve: str(resolve.amount), resolveUnit: str(resolve.unit) || "workdays", notifyOffice: o.notifyOffice === true };
}

function deadlineRow(e: Obj): DeadlineRow {
  const w = obj(e.when);
  const l = obj(e.levels);
  return {
    orig: carry(e),
    id: str(e.id),
    description: str(e.description),
    categories: strs(w.categories),
    kinds: strs(w.kinds),
    emergencyWhen: tri(w.emergency),
    levels: { normal: levelCells(l.normal), urgent: levelCells(l.urgent), emergency: levelCells(l.emergency) },
  };
}

function categoryRow(c: Obj): CategoryRow {
  const label = obj(c.label);
  return { orig: carry(c), code: str(c.code), zhHans: str(label["zh-Hans"]), zhHant: str(label["zh-Hant"]), en: str(label.en), kinds: strs(c.kinds), emergency: c.emergency === true, publicArea: c.publicArea === true };
}

/** The file's text as rows; null when it is not JSON of the expected shape (the advanced JSON view is then the way to fix it). */
export function rowsFromText(file: EditableFile, text: string): Rows | null {
  let raw: Obj;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    raw = parsed as Obj;
  } catch {
    return null;
  }
  const { rules, entries, categories, years, ...rest } = raw;
  switch (file) {
    case "routing":
      if (!Array.isArray(rules)) return null;
      return { file, top: carry(rest), rows: rules.map((r) => routingRow(obj(r))) };
    case "deadlines": {
      if (!Array.isArray(entries)) return null;
      const { residentHintRaisesTo, ...top } = rest;
      return { file, top: carry(top), hintRaisesTo: residentHintRaisesTo === null ? "none" : str(residentHintRaisesTo ?? "urgent"), rows: entries.map((e) => deadlineRow(obj(e))) };
    }
    case "categories":
      if (!Array.isArray(categories)) return null;
      return { file, top: carry(rest), rows: categories.map((c) => categoryRow(obj(c))) };
    case "calendar": {
      const { officeHours, ...top } = rest;
      const oh = obj(officeHours);
      return {
        file,
        top: carry(top),
        officeStart: str(oh.start ?? "09:00"),
        officeEnd: str(oh.end ?? "18:00"),
        rows: Object.entries(obj(years)).map(([year, y]) => {
          const o = obj(y);
          return { orig: carry(o), year, holidays: strs(o.holidays).join("\n"), workdays: strs(o.workdays).join("\n"), replace: o.replace === true, provisional: o.provisional === true };
        }),
      };
    }
  }
}

/** A number when the cell holds one, else the text as typed (the loader then says what is wrong with it). */
const num = (s: string): unknown => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s.trim()) : s.trim());
/** Sets k when the value is given, removes it when not (a condition left out matches everything). */
function put(o: Obj, k: string, v: unknown) {
  if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) delete o[k];
  else o[k] = v;
}
const triValue = (s: string) => (s === "yes" ? true : s === "no" ? false : undefined);

function routingRule(r: RoutingRow): Obj {
  const o = parseObj(r.orig);
  const out: Obj = { ...o };
  put(out, "id", r.id.trim());
  put(out, "description", r.description.trim());
  put(out, "priority", num(r.priority));
  out.enabled = r.enabled;
  const when: Obj = { ...obj(o.when) };
  put(when, "estates", r.estates);
  put(when, "streets", r.streets);
  put(when, "categories", r.categories);
  put(when, "kinds", r.kinds);
  put(when, "buildings", splitList(r.buildings));
  put(when, "time", r.timeFrom || r.timeTo ? { from: r.timeFrom.trim(), to: r.timeTo.trim() } : undefined);
  put(when, "weekdays", r.weekdays.map((d) => num(d)));
  put(when, "dayType", r.dayType);
  put(when, "urgent", triValue(r.urgent));
  const then: Obj = {};
  if (obj(o.then).$comment !== undefined) then.$comment = obj(o.then).$comment;
  if (r.target === "office") then.toOffice = true;
  else {
    put(then, "company", r.target);
    put(then, "liaison", r.target === "$estate" ? "" : r.liaison);
  }
  put(then, "urgency", r.urgency);
  out.when = when;
  out.then = then;
  return out;
}

function deadlineEntry(e: DeadlineRow): Obj {
  const o = parseObj(e.orig);
  const out: Obj = { ...o };
  put(out, "id", e.id.trim());
  put(out, "description", e.description.trim());
  const when: Obj = { ...obj(o.when) };
  put(when, "categories", e.categories);
  put(when, "kinds", e.kinds);
  put(when, "emergency", triValue(e.emergencyWhen));
  const levels: Obj = {};
  const old = obj(o.levels);
  if (old.$comment !== undefined) levels.$comment = old.$comment;
  for (const u of LEVELS) {
    const c = e.levels[u];
    // A level with both amounts empty is left out (the entry does not set it).
    if (!c.respond.trim() && !c.resolve.trim()) continue;
    const before = obj(old[u]);
    levels[u] = { ...before, respond: { amount: num(c.respond), unit: c.respondUnit }, resolve: { amount: num(c.resolve), unit: c.resolveUnit }, notifyOffice: c.notifyOffice };
  }
  out.when = when;
  out.levels = levels;
  return out;
}

function category(c: CategoryRow): Obj {
  const o = parseObj(c.orig);
  const out: Obj = { ...o, code: c.code.trim(), kinds: c.kinds };
  if (c.emergency) out.emergency = true;
  else delete out.emergency;
  if (c.publicArea) out.publicArea = true;
  else delete out.publicArea;
  out.label = { "zh-Hans": c.zhHans.trim(), "zh-Hant": c.zhHant.trim(), en: c.en.trim() };
  return out;
}

/** The file's JSON text built from the rows (two-space indent, as the shipped files). */
export function textFromRows(r: Rows): string {
  const top = parseObj(r.top);
  let out: Obj;
  switch (r.file) {
    case "routing":
      out = { ...top, rules: r.rows.map(routingRule) };
      break;
    case "deadlines":
      out = { ...top, residentHintRaisesTo: r.hintRaisesTo === "none" ? null : r.hintRaisesTo, entries: r.rows.map(deadlineEntry) };
      break;
    case "categories":
      out = { ...top, categories: r.rows.map(category) };
      break;
    case "calendar": {
      const years: Obj = {};
      for (const y of r.rows) {
        const o = parseObj(y.orig);
        const entry: Obj = { ...o, holidays: splitList(y.holidays), workdays: splitList(y.workdays) };
        if (y.replace) entry.replace = true;
        else delete entry.replace;
        if (y.provisional) entry.provisional = true;
        else delete entry.provisional;
        years[y.year.trim()] = entry;
      }
      out = { ...top, officeHours: { start: r.officeStart.trim(), end: r.officeEnd.trim() }, years };
      break;
    }
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

export type RowOp = { op: "add" } | { op: "remove" | "up" | "down"; row: number };

/** Adds, removes or moves a row (order matters: equal priorities and deadline entries go top to bottom). */
export function applyOp<T>(rows: T[], op: RowOp, empty: () => T): T[] {
  const out = [...rows];
  if (op.op === "add") out.push(empty());
  else if (op.row >= 0 && op.row < out.length) {
    if (op.op === "remove") out.splice(op.row, 1);
    else {
      const to = op.op === "up" ? op.row - 1 : op.row + 1;
      if (to >= 0 && to < out.length) [out[op.row], out[to]] = [out[to]!, out[op.row]!];
    }
  }
  return out;
}
