// Which dates are working days: chinese-days' official data (holidays and adjusted working weekends,
// 调休) plus years the office configures (rules/calendar.json); Mon–Fri for a year nobody knows.
import { createRequire } from "node:module";
import type { Logger } from "../logger.ts";
import { isoWeekday, parseHhmm, parseYmd, type YMD, ymdString } from "./zoned-time.ts";

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}
// The package's own data file: it says which years are covered, which its API does not.
const official = createRequire(import.meta.url)("chinese-days/dist/chinese-days.json") as ChineseDaysData;
const officialHolidays = new Set(Object.keys(official.holidays));
const officialWorkdays = new Set(Object.keys(official.workdays));
const officialYears = new Set([...officialHolidays].map((d) => Number(d.slice(0, 4))));

export interface CalendarYear {
  /** Rest days that would otherwise be working days (holidays, bridging days). */
  holidays: string[];
  /** Weekend days that are working days (调休). */
  workdays: string[];
  /** true: ignore chinese-days for this year and use only this list plus Mon–Fri. */
  replace?: boolean;
  /** true: not yet the State Council's published arrangement; a warning is logged once when used. */
  provisional?: boolean;
}

export interface WorkCalendarOptions {
  years?: Record<string, CalendarYear>;
  /** Office hours on a working day, "HH:MM"; the workdays unit ends at `end`, workhours count inside. */
  officeHours?: { start: string; end: string };
  log?: Pick<Logger, "warn">;
}

export type YearSource = "chinese-days" | "config" | "chinese-days+config" | "none";

export class WorkCalendar {
  readonly officeStart: number; // minutes after midnight
  readonly officeEnd: number;
  private readonly extra = new Map<number, { holidays: Set<string>; workdays: Set<string>; replace: boolean; provisional: boolean }>();
  private readonly warned = new Set<number>();

  constructor(private readonly opts: WorkCalendarOptions = {}) {
    this.officeStart = parseHhmm(opts.officeHours?.start ?? "09:00") ?? 9 * 60;
    this.officeEnd = parseHhmm(opts.officeHours?.end ?? "18:00") ?? 18 * 60;
    if (this.officeEnd <= this.officeStart) throw new Error("officeHours: end must be after start");
    for (const [y, c] of Object.entries(opts.years ?? {})) {
      this.extra.set(Number(y), {
        holidays: new Set(c.holidays),
        workdays: new Set(c.workdays),
        replace: c.replace ?? false,
        provisional: c.provisional ?? false,
      });
    }
  }

  source(year: number): YearSource {
    const o = officialYears.has(year);
    const c = this.extra.get(year);
    if (c?.replace) return "config";
    return o && c ? "chinese-days+config" : o ? "chinese-days" : c ? "config" : "none";
  }

  isWorkday(date: YMD): boolean {
    const key = ymdString(date);
    const weekday = isoWeekday(date.year, date.month, date.day) <= 5;
    const c = this.extra.get(date.year);
    if (c) {
      if (c.provisional) this.warnOnce(date.year, `calendar for ${date.year} is marked provisional in calendar.json: replace it with the State Council's published arrangement`);
      if (c.workdays.has(key)) return true;
      if (c.holidays.has(key)) return false;
      if (c.replace) return weekday;
    }
    if (officialYears.has(date.year)) {
      if (officialWorkdays.has(key)) return true;
      if (officialHolidays.has(key)) return false;
      return weekday;
    }
    if (!c) this.warnOnce(date.year, `no holiday calendar for ${date.year} (chinese-days has none, calendar.json neither): working days fall back to Mon–Fri; add the year to rules/calendar.json`);
    return weekday;
  }

  private warnOnce(year: number, msg: string): void {
    if (this.warned.has(year)) return;
    this.warned.add(year);
    this.opts.log?.warn({ year }, msg);
  }
}

export function officialCalendarYears(): number[] {
  return [...officialYears].sort((a, b) => a - b);
}

/** Checks a configured year; returns reasons (empty when fine). */
export function checkCalendarYear(year: string, c: CalendarYear): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const [list, dates] of [["holidays", c.holidays], ["workdays", c.workdays]] as const) {
    for (const d of dates) {
      const p = parseYmd(d);
      if (!p) out.push(`${list}: "${d}" is not a date YYYY-MM-DD`);
      else if (String(p.year) !== year) out.push(`${list}: "${d}" is not in ${year}`);
      const other = seen.get(d);
      if (other && other !== list) out.push(`"${d}" is listed both as a holiday and as a working day`);
      seen.set(d, list);
    }
  }
  return out;
}
