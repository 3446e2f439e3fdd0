// What campaign messages say, in the three languages: the 回访 question to the residents who raised a
// problem, and the escalation of an overdue problem to the street, then the district office. They
// go out through the outbox (Telegram chat, SMS) in the transaction that causes them.
import type { Locale } from "../cases/categories.ts";
import { LOCALES } from "../cases/categories.ts";

const TEXT: Record<string, [string, string, string]> = {
  revisit: [
    "【整改回访】您反映的问题（{estate}：{description}）已整改并验收通过。请回复：满意 / 较满意 / 不满意。工作人员也会电话回访。",
    "【整改回訪】您反映的問題（{estate}：{description}）已整改並驗收通過。請回覆：滿意 / 較滿意 / 不滿意。工作人員也會電話回訪。",
    "[Rectification follow-up] The problem you raised ({estate}: {description}) has been fixed and passed inspection. Please reply: satisfied / fairly satisfied / not satisfied. Staff may also call you.",
  ],
  escalate1: [
    "⚠️ 整改超时：{campaign} · {estate} 问题 #{seq}（{description}），责任单位 {unit}，整改时限 {deadline} 已过，请街道督办。",
    "⚠️ 整改逾時：{campaign} · {estate} 問題 #{seq}（{description}），責任單位 {unit}，整改時限 {deadline} 已過，請街道督辦。",
    "⚠️ Rectification overdue: {campaign} · {estate} problem #{seq} ({description}), responsible {unit}, deadline {deadline} passed — street office to follow up.",
  ],
  escalate2: [
    "🚨 整改超时未改（已升级至区物业办）：{campaign} · {estate} 问题 #{seq}（{description}），责任单位 {unit}，时限 {deadline}。",
    "🚨 整改逾時未改（已升級至區物業辦）：{campaign} · {estate} 問題 #{seq}（{description}），責任單位 {unit}，時限 {deadline}。",
    "🚨 Still not rectified (escalated to the district office): {campaign} · {estate} problem #{seq} ({description}), responsible {unit}, deadline {deadline}.",
  ],
};

export function campaignMessage(locale: string, key: keyof typeof TEXT, params: Record<string, string | number>): string {
  const i = Math.max(0, LOCALES.indexOf(locale as Locale));
  return TEXT[key]![i]!.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ""));
}

export function shorten(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
