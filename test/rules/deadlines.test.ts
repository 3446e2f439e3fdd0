// core/clocks/deadlines.ts: every unit, the 2026 Chinese calendar (National Day, 调休 weekends), a
// configured 2027, the Mon–Fri fallback and the time zone; when the clocks of a case filed after
// hours start (clockStart) across a 调休 weekend.
import { describe, expect, it, vi } from "vitest";
import { addDuration, clockStart } from "../../core/clocks/deadlines.ts";
import { WorkCalendar } from "../../core/clocks/work-calendar.ts";

const tz = "Asia/Shanghai";
const cn = new WorkCalendar();
const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();

describe("addDuration", () => {
  it("minutes and hours are elapsed time, holidays included", () => {
    const start = at("2026-10-01T23:50:00+08:00"); // National Day
    expect(iso(addDuration(start, { amount: 15, unit: "minutes" }, { timezone: tz, calendar: cn }))).toBe(iso(at("2026-10-02T00:05:00+08:00")));
    expect(iso(addDuration(start, { amount: 4, unit: "hours" }, { timezone: tz, calendar: cn }))).toBe(iso(at("2026-10-02T03:50:00+08:00")));
  });

  it("days keep the local clock time across month ends", () => {
    expect(iso(addDuration(at("2026-09-29T21:30:00+08:00"), { amount: 3, unit: "days" }, { timezone: tz, calendar: cn }))).toBe(iso(at("2026-10-02T21:30:00+08:00")));
  });

  it("workdays skip the 2026 National Day holiday (1–7 Oct) and end at 18:00", () => {
    const ctx = { timezone: tz, calendar: cn };
    // Filed Wednesday 30 Sep: 1 working day later is Thursday 8 Oct, not Thursday 1 Oct.
    expect(iso(addDuration(at("2026-09-30T10:00:00+08:00"), { amount: 1, unit: "workdays" }, ctx))).toBe(iso(at("2026-10-08T18:00:00+08:00")));
    // The filing hour does not matter: the filing day never counts.
    expect(iso(addDuration(at("2026-09-30T17:59:00+08:00"), { amount: 1, unit: "workdays" }, ctx))).toBe(iso(at("2026-10-08T18:00:00+08:00")));
    // 3 working days: Thu 8, Fri 9, and Saturday 10 Oct, an adjusted working day (调休).
    expect(iso(addDuration(at("2026-09-30T10:00:00+08:00"), { amount: 3, unit: "workdays" }, ctx))).toBe(iso(at("2026-10-10T18:00:00+08:00")));
  });

  it("workdays count the adjusted working Sunday 20 Sep 2026 and skip an ordinary Sunday", () => {
    const ctx = { timezone: tz, calendar: cn };
    expect(iso(addDuration(at("2026-09-19T11:00:00+08:00"), { amount: 1, unit: "workdays" }, ctx))).toBe(iso(at("2026-09-20T18:00:00+08:00")));
    // Saturday 10 Oct works, Sunday 11 Oct does not: from Saturday the next working day is Monday 12.
    expect(iso(addDuration(at("2026-10-10T09:00:00+08:00"), { amount: 1, unit: "workdays" }, ctx))).toBe(iso(at("2026-10-12T18:00:00+08:00")));
  });

  it("workhours count only office hours on working days", () => {
    const ctx = { timezone: tz, calendar: cn };
    // 1 h left on Wed 30 Sep (17:00–18:00), then 3 h from 09:00 on Thu 8 Oct.
    expect(iso(addDuration(at("2026-09-30T17:00:00+08:00"), { amount: 4, unit: "workhours" }, ctx))).toBe(iso(at("2026-10-08T12:00:00+08:00")));
    // Filed before opening: counting starts at 09:00.
    expect(iso(addDuration(at("2026-11-24T07:30:00+08:00"), { amount: 2, unit: "workhours" }, ctx))).toBe(iso(at("2026-11-24T11:00:00+08:00")));
  });

  it("a configured 2027 calendar is used; without it 2027 falls back to Mon–Fri with one warning", () => {
    const warn = vi.fn();
    const configured = new WorkCalendar({ years: { "2027": { holidays: ["2027-01-01"], workdays: ["2027-01-09"] } }, log: { warn } });
    const start = at("2026-12-31T10:00:00+08:00"); // Thursday
    // Fri 1 Jan 2027 is configured as a holiday → next working day Monday 4 Jan.
    expect(iso(addDuration(start, { amount: 1, unit: "workdays" }, { timezone: tz, calendar: configured }))).toBe(iso(at("2027-01-04T18:00:00+08:00")));
    // Saturday 9 Jan 2027 configured as a working day: Fri 8 → Sat 9.
    expect(iso(addDuration(at("2027-01-07T10:00:00+08:00"), { amount: 2, unit: "workdays" }, { timezone: tz, calendar: configured }))).toBe(iso(at("2027-01-09T18:00:00+08:00")));
    expect(warn).not.toHaveBeenCalled();

    const bare = new WorkCalendar({ log: { warn } });
    expect(iso(addDuration(start, { amount: 1, unit: "workdays" }, { timezone: tz, calendar: bare }))).toBe(iso(at("2027-01-01T18:00:00+08:00")));
    addDuration(start, { amount: 5, unit: "workdays" }, { timezone: tz, calendar: bare });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![1])).toMatch(/2027.*Mon–Fri/);
  });

  it("a configured date wins over chinese-days", () => {
    // Say the office decides Thu 8 Oct 2026 is a day off: 1 working day from 30 Sep becomes Fri 9 Oct.
    const cal = new WorkCalendar({ years: { "2026": { holidays: ["2026-10-08"], workdays: [] } } });
    expect(iso(addDuration(at("2026-09-30T10:00:00+08:00"), { amount: 1, unit: "workdays" }, { timezone: tz, calendar: cal }))).toBe(iso(at("2026-10-09T18:00:00+08:00")));
  });

  it("the time zone decides the local date and the 18:00 close", () => {
    // 2026-09-30 20:00 UTC is already 1 Oct 04:00 in Shanghai but still 30 Sep 22:00 in Berlin.
    const start = at("2026-09-30T20:00:00Z");
    expect(iso(addDuration(start, { amount: 1, unit: "workdays" }, { timezone: tz, calendar: cn }))).toBe(iso(at("2026-10-08T18:00:00+08:00")));
    // In Berlin the filing date is 30 Sep; Chinese calendar still applies → 8 Oct 18:00 Berlin (+02:00).
    expect(iso(addDuration(start, { amount: 1, unit: "workdays" }, { timezone: "Europe/Berlin", calendar: cn }))).toBe(iso(at("2026-10-08T18:00:00+02:00")));
  });

  it("rejects a fractional or zero number of working days", () => {
    expect(() => addDuration(new Date(), { amount: 0, unit: "workdays" }, { timezone: tz, calendar: cn })).toThrow(/whole number/);
    expect(() => addDuration(new Date(), { amount: 1.5, unit: "workdays" }, { timezone: tz, calendar: cn })).toThrow(/whole number/);
  });
});

describe("after-hours start (clocks.json afterHoursStart): ordinary cases filed at night wait for the next opening", () => {
  const ctx = { timezone: tz, calendar: cn };
  const ordinary = { kinds: ["repair", "complaint"], levels: ["normal"] } as const;
  const start = (s: string, kind = "repair", urgency = "normal") => iso(clockStart(at(s), { kind, urgency }, ordinary, ctx));

  it("a stairwell light at 23:38 on a Friday before a 调休 weekend starts on the working Sunday at 09:00", () => {
    // Sat 19 Sep 2026 is a rest day, Sun 20 Sep an adjusted working day (调休).
    expect(start("2026-09-18T23:38:00+08:00")).toBe(iso(at("2026-09-20T09:00:00+08:00")));
    expect(iso(addDuration(clockStart(at("2026-09-18T23:38:00+08:00"), { kind: "repair", urgency: "normal" }, ordinary, ctx), { amount: 2, unit: "hours" }, ctx))).toBe(iso(at("2026-09-20T11:00:00+08:00")));
    // Filed on the rest Saturday itself, at noon: the same working Sunday morning.
    expect(start("2026-09-19T12:00:00+08:00", "complaint")).toBe(iso(at("2026-09-20T09:00:00+08:00")));
  });

  it("after hours on the working Saturday 10 Oct: Sunday rests, so Monday 09:00; before opening on a working day: 09:00 that day", () => {
    expect(start("2026-10-10T23:38:00+08:00")).toBe(iso(at("2026-10-12T09:00:00+08:00")));
    expect(start("2026-10-10T07:15:00+08:00")).toBe(iso(at("2026-10-10T09:00:00+08:00")));
    // National Day week: from the evening of 30 Sep to Thursday 8 Oct.
    expect(start("2026-09-30T18:00:00+08:00")).toBe(iso(at("2026-10-08T09:00:00+08:00")));
  });

  it("during office hours the clock starts at once; emergencies, urgent cases and unlisted kinds always start at filing", () => {
    expect(start("2026-09-20T10:30:00+08:00")).toBe(iso(at("2026-09-20T10:30:00+08:00")));
    expect(start("2026-09-18T23:38:00+08:00", "repair", "emergency")).toBe(iso(at("2026-09-18T23:38:00+08:00")));
    expect(start("2026-09-18T23:38:00+08:00", "repair", "urgent")).toBe(iso(at("2026-09-18T23:38:00+08:00")));
    expect(start("2026-09-18T23:38:00+08:00", "suggestion")).toBe(iso(at("2026-09-18T23:38:00+08:00")));
    expect(iso(clockStart(at("2026-09-18T23:38:00+08:00"), { kind: "repair", urgency: "normal" }, { kinds: [], levels: [] }, ctx))).toBe(iso(at("2026-09-18T23:38:00+08:00")));
  });
});
