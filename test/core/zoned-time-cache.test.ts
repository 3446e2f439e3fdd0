// toLocal asks Intl once per UTC hour and zone and does the rest with Date arithmetic
// (core/clocks/zoned-time.ts): it must agree with Intl at every instant, across offset changes too —
// whole-hour DST (New York, London), half-hour DST (Lord Howe), none (Shanghai).
import { describe, expect, it } from "vitest";
import { toLocal } from "../../core/clocks/zoned-time.ts";

function intl(d: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(d)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

describe("toLocal with the per-hour offset cache", () => {
  it.each(["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Shanghai"])("agrees with Intl around the year's offset changes in %s", (zone) => {
    const windows = [Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 28), Date.UTC(2026, 3, 4), Date.UTC(2026, 9, 3), Date.UTC(2026, 9, 24), Date.UTC(2026, 10, 0)];
    let checked = 0;
    for (const start of windows)
      for (let t = start; t < start + 3 * 86_400_000; t += 7 * 60_000 + 13_000) {
        const d = new Date(t);
        const { weekday, ...mine } = toLocal(d, zone);
        expect(mine, `${zone} ${d.toISOString()}`).toEqual(intl(d, zone));
        expect(weekday).toBe(((new Date(Date.UTC(mine.year, mine.month - 1, mine.day)).getUTCDay() + 6) % 7) + 1);
        checked++;
      }
    expect(checked).toBeGreaterThan(3000);
  });
});
