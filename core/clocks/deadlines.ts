// The only place due times are computed. Units and their meaning (documented for the office too, in
// rules/deadlines.json):
//   minutes, hours  elapsed time; nights, weekends and holidays count (emergencies).
//   days            calendar days: the same local clock time N days later.
//   workdays        end of the Nth working day AFTER the filing's local date, at the close of office
//                   hours (default 18:00). The filing day itself never counts, whatever the hour,
//                   so "1 working day" from Wed 10:00 or Wed 17:59 is Thu 18:00, and from Sat
//                   (or a holiday) it is the close of the next working day. Working days follow the
//                   Chinese calendar: public holidays are rest days, adjusted weekends (调休) work.
//   workhours       N hours counted only inside office hours (default 09:00–18:00) on working days,
//                   starting at the filing time or at the next opening if filed outside them.
// When a clock starts (clockStart): at the filing, except for the kinds and urgency levels listed
// in rules/clocks.json `afterHoursStart` (by default ordinary repairs and complaints) filed outside
// office hours or on a rest day — theirs starts at the next opening (09:00 of the next working day),
// so a stairwell light reported at 23:38 is not overdue at 01:38. Emergencies are never listed.
import type { WorkCalendar } from "./work-calendar.ts";
import { addDays, fromLocal, toLocal, type YMD } from "./zoned-time.ts";

export const DURATION_UNITS = ["minutes", "hours", "days", "workdays", "workhours"] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

export interface DeadlineContext {
  timezone: string;
  calendar: WorkCalendar;
}

// A typo'd calendar (every day a holiday) must not hang intake: give up after ten years of days.
const MAX_DAYS_SCANNED = 3660;

export function addDuration(start: Date, d: Duration, ctx: DeadlineContext): Date {
  if (!Number.isFinite(d.amount) || d.amount < 0) throw new RangeError(`duration amount must be ≥ 0, got ${d.amount}`);
  switch (d.unit) {
    case "minutes":
      return new Date(start.getTime() + d.amount * 60_000);
    case "hours":
      return new Date(start.getTime() + d.amount * 3_600_000);
    case "days": {
      const l = toLocal(start, ctx.timezone);
      const t = addDays(l, d.amount);
      return withMs(fromLocal(t.year, t.month, t.day, l.hour, l.minute, ctx.timezone, l.second), start);
    }
    case "workdays":
      return addWorkdays(start, d.amount, ctx);
    case "workhours":
      return addWorkhours(start, d.amount, ctx);
  }
}

/** The moment `at` itself if it falls in office hours on a working day, else the next opening. */
export function nextOpening(at: Date, { timezone, calendar }: DeadlineContext): Date {
  const l = toLocal(at, timezone);
  const minute = l.hour * 60 + l.minute + l.second / 60;
  if (calendar.isWorkday(l) && minute >= calendar.officeStart && minute < calendar.officeEnd) return at;
  let day: YMD = l;
  if (!calendar.isWorkday(day) || minute >= calendar.officeEnd) day = addDays(day, 1);
  for (let scanned = 0; !calendar.isWorkday(day); day = addDays(day, 1)) {
    if (++scanned > MAX_DAYS_SCANNED) throw new Error(`no working day within ${MAX_DAYS_SCANNED} days: check the calendar`);
  }
  return atMinute(day, calendar.officeStart, timezone);
}

/** Which cases wait for the next opening when filed outside office hours (rules/clocks.json). */
export interface AfterHoursStart {
  kinds: readonly string[];
  levels: readonly ("urgent" | "normal")[];
}

/** When the response and resolution clocks of a case start (see the header). */
export function clockStart(filedAt: Date, c: { kind: string; urgency: string }, afterHours: AfterHoursStart, ctx: DeadlineContext): Date {
  const waits = afterHours.kinds.includes(c.kind) && (afterHours.levels as readonly string[]).includes(c.urgency);
  return waits ? nextOpening(filedAt, ctx) : filedAt;
}

function addWorkdays(start: Date, n: number, { timezone, calendar }: DeadlineContext): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`workdays must be a whole number ≥ 1, got ${n}`);
  let day: YMD = toLocal(start, timezone);
  for (let counted = 0, scanned = 0; counted < n; ) {
    day = addDays(day, 1);
    if (++scanned > MAX_DAYS_SCANNED) throw new Error(`no ${n} working days within ${MAX_DAYS_SCANNED} days: check the calendar`);
    if (calendar.isWorkday(day)) counted++;
  }
  return atMinute(day, calendar.officeEnd, timezone);
}

function addWorkhours(start: Date, hours: number, { timezone, calendar }: DeadlineContext): Date {
  let left = Math.round(hours * 60); // minutes still to count
  const l = toLocal(start, timezone);
  let day: YMD = l;
  let from = l.hour * 60 + l.minute + l.second / 60; // minute of day where counting starts today
  for (let scanned = 0; ; scanned++) {
    if (scanned > MAX_DAYS_SCANNED) throw new Error(`no ${hours} working hours within ${MAX_DAYS_SCANNED} days: check the calendar`);
    if (calendar.isWorkday(day)) {
      const open = Math.max(from, calendar.officeStart);
      const available = Math.max(0, calendar.officeEnd - open);
      if (left <= available) return atMinute(day, open + left, timezone);
      left -= available;
    }
    day = addDays(day, 1);
    from = 0;
  }
}

function atMinute(day: YMD, minuteOfDay: number, timezone: string): Date {
  const whole = Math.floor(minuteOfDay);
  const seconds = Math.round((minuteOfDay - whole) * 60);
  return fromLocal(day.year, day.month, day.day, Math.floor(whole / 60), whole % 60, timezone, seconds);
}

function withMs(d: Date, like: Date): Date {
  return new Date(d.getTime() + (like.getTime() % 1000));
}

/**
 * "15 minutes", "1 workday": for logs, the stored routing explanation and the API, which are English.
 * A person reads durations in their own language from the dashboard (api/views/format.ts ruleDuration)
 * and the bot (its locale files) — never this, which once showed zh-Hant and en pages "(15分钟)".
 */
export function describeDuration(d: Duration): string {
  const unit = d.amount === 1 ? d.unit.replace(/s$/, "") : d.unit;
  return `${d.amount} ${unit}`;
}
