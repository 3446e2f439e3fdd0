// Wall-clock arithmetic in an IANA time zone with Intl only (no date library): what local date and
// time an instant is, and which instant a local date and time is.

export interface LocalDateTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a readable error for a time zone Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (expected an IANA name such as Asia/Shanghai)`);
  }
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const t = instant.getTime();
  const offset = Number.isFinite(t) ? hourOffset(t, timeZone) : null;
  if (offset === null) return intlLocal(instant, timeZone);
  const w = new Date(Math.floor(t / 1000) * 1000 + offset);
  const [year, month, day] = [w.getUTCFullYear(), w.getUTCMonth() + 1, w.getUTCDate()];
  return { year, month, day, hour: w.getUTCHours(), minute: w.getUTCMinutes(), second: w.getUTCSeconds(), weekday: isoWeekday(year, month, day) };
}

function intlLocal(instant: Date, timeZone: string): LocalDateTime {
  const p = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type in p) p[part.type as keyof typeof p] = Number(part.value);
  }
  return { ...p, weekday: isoWeekday(p.year, p.month, p.day) };
}

// Intl's formatToParts costs ~10 µs a call, and the rules dry-run asks it for thousands of instants
// (bench/README.md, bulletin). The zone's offset is asked once per UTC hour and kept: when the offset
// at the hour's start equals the one at its end, no change of offset happened inside it (zones change
// at most once an hour), so every instant of the hour has it. An hour with a change returns null and
// is asked of Intl instant by instant.
const HOUR = 3_600_000;
const offsets = new Map<string, Map<number, number | null>>();
const MAX_CACHED_HOURS = 200_000;

function hourOffset(t: number, timeZone: string): number | null {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const h = Math.floor(t / HOUR);
  let o = zone.get(h);
  if (o === undefined) {
    const [a, b] = [intlOffset(h * HOUR, timeZone), intlOffset((h + 1) * HOUR - 1000, timeZone)];
    o = a === b ? a : null;
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    zone.set(h, o);
  }
  return o;
}

function intlOffset(t: number, timeZone: string): number {
  const l = intlLocal(new Date(t), timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(t / 1000) * 1000;
}

/** The instant at which the zone's clocks show this local time (the earlier one in a DST overlap). */
export function fromLocal(year: number, month: number, day: number, hour: number, minute: number, timeZone: string, second = 0): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  let t = wall - offsetMs(new Date(wall), timeZone);
  // A second pass settles instants near an offset change.
  const again = wall - offsetMs(new Date(t), timeZone);
  if (again !== t) t = again;
  return new Date(t);
}

function offsetMs(instant: Date, timeZone: string): number {
  const l = toLocal(instant, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

export function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Calendar date plus n days (n may be negative), through UTC so month and year ends roll over. */
export function addDays(date: YMD, n: number): YMD {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export interface YMD {
  year: number;
  month: number;
  day: number;
}

export function ymdString(d: YMD): string {
  return `${d.year}-${pad(d.month)}-${pad(d.day)}`;
}

export function parseYmd(s: string): YMD | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const back = addDays({ year, month, day }, 0);
  return back.year === year && back.month === month && back.day === day ? back : null;
}

/** "HH:MM" → minutes after midnight, or null. */
export function parseHhmm(s: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export function hhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const WEEKDAYS = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "2026-10-08 Thu 18:00" in the zone, for people (dry-run, why lines). */
export function formatLocal(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${ymdString(l)} ${WEEKDAYS[l.weekday]} ${pad(l.hour)}:${pad(l.minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
