// Words a clerk reads for times, durations and periods, in the page's language: weekdays as 周三 /
// 週三 / Wed (core's formatLocal is English for logs and rule explanations), durations as 1天2小时 /
// 1天2小時 / 1d 2h, the board's period codes ("2026H2") as 2026年下半年.
import type { Locale } from "../../core/cases/categories.ts";
import { toLocal } from "../../core/clocks/zoned-time.ts";
import type { DeadlineState } from "../../core/clocks/deadline-state.ts";

const WEEKDAYS: Record<Locale, string[]> = {
  "zh-Hans": ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"],
  "zh-Hant": ["", "週一", "週二", "週三", "週四", "週五", "週六", "週日"],
  en: ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
};

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-12-02 周三 14:05" in the office's time zone; "—" for no time. */
export function localTime(d: Date | null | undefined, timezone: string, locale: Locale): string {
  if (!d) return "—";
  const l = toLocal(d, timezone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${WEEKDAYS[locale][l.weekday]} ${pad(l.hour)}:${pad(l.minute)}`;
}

const UNITS: Record<Locale, [string, string, string]> = {
  "zh-Hans": ["天", "小时", "分"],
  "zh-Hant": ["天", "小時", "分"],
  en: ["d ", "h ", "m"],
};

/** A length of time in days, hours and minutes ("1天2小时5分", "1d 2h 5m"). */
export function durationText(ms: number, locale: Locale): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const [ud, uh, um] = UNITS[locale];
  return `${d ? `${d}${ud}` : ""}${h}${uh}${m % 60}${um}`.trim();
}

const RULE_UNITS: Record<Locale, Record<string, [string, string]>> = {
  "zh-Hans": { minutes: ["分钟", "分钟"], hours: ["小时", "小时"], days: ["天", "天"], workdays: ["个工作日", "个工作日"], workhours: ["个工作小时", "个工作小时"] },
  "zh-Hant": { minutes: ["分鐘", "分鐘"], hours: ["小時", "小時"], days: ["天", "天"], workdays: ["個工作日", "個工作日"], workhours: ["個工作小時", "個工作小時"] },
  en: { minutes: [" minute", " minutes"], hours: [" hour", " hours"], days: [" day", " days"], workdays: [" working day", " working days"], workhours: [" working hour", " working hours"] },
};

/** A time limit from the rule files ({amount: 15, unit: "minutes"}) in words: 15分钟 / 15分鐘 / 15 minutes. */
export function ruleDuration(d: { amount: number; unit: string }, locale: Locale): string {
  const u = RULE_UNITS[locale][d.unit];
  return u ? `${d.amount}${u[d.amount === 1 ? 0 : 1]}` : `${d.amount} ${d.unit}`;
}

/** "2026H2" → 2026年下半年 / 2026 H2; "2026-03" → 2026年3月 / 2026-03; anything else as it is. */
export function periodText(period: string, locale: Locale): string {
  const h = /^(\d{4})H([12])$/.exec(period);
  if (h) {
    if (locale === "en") return `${h[2] === "1" ? "First" : "Second"} half of ${h[1]}`;
    return `${h[1]}年${h[2] === "1" ? "上" : "下"}半年`;
  }
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return locale === "en" ? period : `${m[1]}年${Number(m[2])}月`;
  return period;
}

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);

/** A deadline's standing in words: 按时完成 / 超时完成，晚了 1天5小时0分 / 已超时 2小时0分 / 未到期 ("" without a deadline). */
export function deadlineText(s: DeadlineState, t: (key: string) => string, locale: Locale): string {
  if (s.state === "none") return "";
  if (s.state === "met" || s.state === "open") return t(`deadline_${s.state}`);
  return `${t(`deadline_${s.state}`)} ${durationText(s.lateMs, locale)}`;
}
