// The table editor's form back into rows (rules/editing/table-rows.ts): fields are named r[<row>][<cell>]
// (levels r[<row>][normal][respond]), parsed by express.urlencoded({ extended: true }). Anything missing
// or of the wrong shape reads as empty; the loader's check decides what is valid. Also: which button was
// pressed (check, add a row, or remove/move row N).
import { z } from "zod";
import { HttpError } from "../../http.ts";
import type { EditableFile } from "../../../rules/editing/draft.ts";
import { LEVELS, type CalendarRow, type CategoryRow, type DeadlineRow, type LevelCells, type RoutingRow, type RowOp, type Rows } from "../../../rules/editing/table-rows.ts";

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (x && typeof x === "object" && !Array.isArray(x) ? (x as Obj) : {});
const s = (x: unknown): string => (typeof x === "string" ? x : "");
const list = (x: unknown): string[] => (Array.isArray(x) ? x.filter((v): v is string => typeof v === "string" && v !== "") : typeof x === "string" && x !== "" ? [x] : []);
const on = (x: unknown) => x === "on" || (Array.isArray(x) && x.includes("on"));

/** Rows in their index order (qs gives an array, or an object once indexes pass its array limit). */
function rowList(x: unknown): Obj[] {
  if (Array.isArray(x)) return x.map(obj);
  return Object.entries(obj(x))
    .filter(([k]) => /^\d{1,4}$/.test(k))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, v]) => obj(v));
}

/** A file is a few hundred rows at most (MAX_RULE_FILE_BYTES): more is not a clerk's form. */
const MAX_ROWS = 2000;

export function rowsFromForm(file: EditableFile, body: unknown): Rows {
  const b = obj(body);
  const rows = rowList(b.r);
  if (rows.length > MAX_ROWS) throw new HttpError(413, "too_large", `at most ${MAX_ROWS} rows`);
  const top = s(b.top) || "{}";
  switch (file) {
    case "routing":
      return { file, top, rows: rows.map(routingRow) };
    case "deadlines":
      return { file, top, hintRaisesTo: s(b.hint) || "urgent", rows: rows.map(deadlineRow) };
    case "categories":
      return { file, top, rows: rows.map(categoryRow) };
    case "calendar":
      return { file, top, officeStart: s(b.officeStart), officeEnd: s(b.officeEnd), rows: rows.map(calendarRow) };
  }
}

const routingRow = (r: Obj): RoutingRow => ({
  orig: s(r.orig) || "{}",
  id: s(r.id),
  description: s(r.description),
  priority: s(r.priority),
  enabled: on(r.enabled),
  estates: list(r.estates),
  streets: list(r.streets),
  categories: list(r.categories),
  kinds: list(r.kinds),
  buildings: s(r.buildings),
  timeFrom: s(r.timeFrom),
  timeTo: s(r.timeTo),
  weekdays: list(r.weekdays),
  dayType: s(r.dayType),
  urgent: s(r.urgent),
  target: s(r.target),
  liaison: s(r.liaison),
  urgency: s(r.urgency),
});

const level = (x: unknown): LevelCells => {
  const l = obj(x);
  return { respond: s(l.respond), respondUnit: s(l.respondUnit), resolve: s(l.resolve), resolveUnit: s(l.resolveUnit), notifyOffice: on(l.notifyOffice) };
};

const deadlineRow = (r: Obj): DeadlineRow => ({
  orig: s(r.orig) || "{}",
  id: s(r.id),
  description: s(r.description),
  categories: list(r.categories),
  kinds: list(r.kinds),
  emergencyWhen: s(r.emergencyWhen),
  levels: Object.fromEntries(LEVELS.map((u) => [u, level(r[u])])) as DeadlineRow["levels"],
});

const categoryRow = (r: Obj): CategoryRow => ({
  orig: s(r.orig) || "{}",
  code: s(r.code),
  zhHans: s(r.zhHans),
  zhHant: s(r.zhHant),
  en: s(r.en),
  kinds: list(r.kinds),
  emergency: on(r.emergency),
  publicArea: on(r.publicArea),
});

const calendarRow = (r: Obj): CalendarRow => ({
  orig: s(r.orig) || "{}",
  year: s(r.year),
  holidays: s(r.holidays),
  workdays: s(r.workdays),
  replace: on(r.replace),
  provisional: on(r.provisional),
});

const OpValue = z.union([z.literal("check"), z.literal("add"), z.string().regex(/^(remove|up|down):\d{1,4}$/)]);

/** The pressed button: "check" (build, check and dry-run) or a row operation. */
export function opOf(body: unknown): "check" | RowOp {
  const r = OpValue.safeParse(obj(body).op ?? "check");
  if (!r.success) throw new HttpError(400, "invalid_request", "unknown table action");
  if (r.data === "check") return "check";
  if (r.data === "add") return { op: "add" };
  const [op, row] = r.data.split(":") as ["remove" | "up" | "down", string];
  return { op, row: Number(row) };
}
