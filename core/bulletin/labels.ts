// Words of the bulletin in the three product locales: the PDF (core) and the dashboard pages (api,
// merged into api/i18n) read the same table, so page and PDF never disagree. Month names, percents,
// counts and times are formatted here too, per locale, for the same reason.
import type { Locale } from "../cases/categories.ts";
import { toLocal } from "../clocks/zoned-time.ts";

export const BULLETIN_LABELS: Record<string, [string, string, string]> = {
  bu_bulletins: ["定期通报", "定期通報", "Monthly bulletins"],
  bu_title: ["{month}物业服务定期通报", "{month}物業服務定期通報", "Property service bulletin, {month}"],
  bu_file: ["定期通报", "定期通報", "Bulletin"],
  bu_district: ["全区", "全區", "District"],
  bu_scope: ["范围", "範圍", "Scope"],
  bu_month: ["月份", "月份", "Month"],
  bu_generated: ["生成时间", "生成時間", "Generated"],
  bu_totals: ["本月受理 {cases} 件，其中超时 {missed} 件，重复投诉 {repeats} 件。", "本月受理 {cases} 件，其中逾時 {missed} 件，重複投訴 {repeats} 件。", "Cases this month: {cases}; missed a deadline: {missed}; repeat complaints: {repeats}."],
  bu_rank_companies: ["物业公司排名", "物業公司排名", "Companies ranked"],
  bu_rank_estates: ["小区排名", "小區排名", "Estates ranked"],
  bu_rank: ["名次", "名次", "Rank"],
  bu_name: ["名称", "名稱", "Name"],
  bu_cases: ["案件数", "案件數", "Cases"],
  bu_response: ["响应率", "響應率", "Response"],
  bu_resolution: ["办结率", "辦結率", "Resolution"],
  bu_satisfaction: ["满意率", "滿意率", "Satisfaction"],
  bu_rank_note: [
    "按响应率、办结率、满意率的平均值排名，只计分母不少于最少样本数（{min}）的比率；不足的显示“数据不足”，不计入；三项都不足的不排名，列为“未评定”。",
    "按響應率、辦結率、滿意率的平均值排名，只計分母不少於最少樣本數（{min}）的比率；不足的顯示「數據不足」，不計入；三項都不足的不排名，列為「未評定」。",
    "Ranked by the mean of the response, resolution and satisfaction rates whose denominator reaches the minimum sample ({min}); a rate under it reads “Too little data” and is left out; with all three under it a row is not ranked but listed as “Not rated”.",
  ],
  bu_colon: ["：", "：", ": "],
  bu_missed_n: ["{title}（{n}）", "{title}（{n}）", "{title} ({n})"],
  bu_too_few: ["数据不足", "數據不足", "Too little data"],
  bu_unrated_companies: ["未评定的物业公司（数据不足）", "未評定的物業公司（數據不足）", "Companies not rated (too little data)"],
  bu_unrated_estates: ["未评定的小区（数据不足）", "未評定的小區（數據不足）", "Estates not rated (too little data)"],
  bu_missed: ["本月超时案件", "本月逾時案件", "Cases that missed a deadline"],
  bu_repeats: ["本月重复投诉（重新打开）", "本月重複投訴（重新打開）", "Repeat complaints (reopened)"],
  bu_none: ["无", "無", "None"],
  bu_more: ["另有 {n} 件未列出", "另有 {n} 件未列出", "{n} more not listed"],
  bu_board: ["红黑榜变化", "紅黑榜變化", "Estate board changes"],
  bu_change: ["变化", "變化", "Change"],
  bu_campaigns: ["整改专项", "整改專項", "Rectification campaigns"],
  bu_campaigns_none: ["本月没有进行中的整改专项。", "本月沒有進行中的整改專項。", "No rectification campaign ran this month."],
  bu_campaign_line: [
    "{name}（{phase}）：登记问题 {registered} 项，已销号 {closed} 项，整改率 {rr}（目标 {tr}）；按期整改 {onTime} / {due}，维修及时率 {tl}（目标 {tt}）；仍超时 {overdue} 项。",
    "{name}（{phase}）：登記問題 {registered} 項，已銷號 {closed} 項，整改率 {rr}（目標 {tr}）；按期整改 {onTime} / {due}，維修及時率 {tl}（目標 {tt}）；仍逾時 {overdue} 項。",
    "{name} ({phase}): {registered} problems registered, {closed} closed, rectification rate {rr} (target {tr}); {onTime} of {due} on time, timeliness {tl} (target {tt}); {overdue} still overdue.",
  ],
  bu_phase_before: ["未开始", "未開始", "not started"],
  bu_phase_inspect: ["排查阶段", "排查階段", "inspection"],
  bu_phase_rectify: ["整改阶段", "整改階段", "rectification"],
  bu_phase_accept: ["验收阶段", "驗收階段", "acceptance"],
  bu_phase_after: ["已结束", "已結束", "ended"],
  bu_board_none: ["本月红黑榜无变化。", "本月紅黑榜無變化。", "No changes on the board this month."],
  bu_class_model: ["示范", "示範", "Model"],
  bu_class_compliant: ["达标", "達標", "Compliant"],
  bu_class_rectify: ["整改", "整改", "Must improve"],
  bu_class_unrated: ["未评定", "未評定", "Not rated"],
  bu_class_new: ["（首次评定）", "（首次評定）", "(first rating)"],
  bu_chart: ["各物业公司比率", "各物業公司比率", "Rates by company"],
  bu_number: ["编号", "編號", "Number"],
  bu_estate: ["小区", "小區", "Estate"],
  bu_company: ["物业公司", "物業公司", "Company"],
  bu_category: ["类别", "類別", "Category"],
  bu_filed: ["提交时间", "提交時間", "Filed"],
  bu_pdf: ["下载 PDF", "下載 PDF", "Download PDF"],
  bu_print: ["打印", "列印", "Print"],
  bu_view: ["查看", "查看", "View"],
  bu_empty: ["还没有通报。每月1日自动生成上个月的通报。", "還沒有通報。每月1日自動生成上個月的通報。", "No bulletins yet. Each month's bulletin is made on the 1st of the next month."],
  bu_no_company: ["未派单", "未派單", "Not routed"],
  bu_mail_text: ["附件为 {title}（{scope}）。网页版：{url}", "附件為 {title}（{scope}）。網頁版：{url}", "Attached: {title} ({scope}). On the web: {url}"],
};

export type BulletinLocale = Locale;
const IDX: Record<Locale, number> = { "zh-Hans": 0, "zh-Hant": 1, en: 2 };

export function bulletinText(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  let s = BULLETIN_LABELS[key]?.[IDX[locale]] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, typeof v === "number" ? count(v, locale) : v);
  return s;
}

/** "2026-11" as "2026年11月" / "November 2026". */
export function monthName(month: string, locale: Locale): string {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y!, m! - 1, 1)));
}

/** The bulletin's title for a month, e.g. "2026年11月物业服务定期通报". */
export const bulletinTitle = (month: string, locale: Locale) => bulletinText(locale, "bu_title", { month: monthName(month, locale) });

export const count = (n: number, locale: Locale) => new Intl.NumberFormat(locale).format(n);

export const percentText = (x: number, locale: Locale) => new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);

/** Whether a rate's denominator is enough to state it (rules/assessment.json classification.minSample). */
export const enough = (base: number, minSample: number) => base > 0 && base >= minSample;

/** "83.3% · 5/6", "数据不足 · 2/3" under the minimum sample, or "— · 0/0" when nothing was due. */
export function rateText(locale: Locale, ok: number, base: number, minSample: number): string {
  const n = `${count(ok, locale)}/${count(base, locale)}`;
  if (base === 0) return `— · ${n}`;
  return `${enough(base, minSample) ? percentText(ok / base, locale) : bulletinText(locale, "bu_too_few")} · ${n}`;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** "2026-11-04 10:00" in the time zone: digits read the same in the three languages. */
export function localMinute(iso: string, timezone: string): string {
  const l = toLocal(new Date(iso), timezone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** One campaign's line in the bulletin: counts with their rates and targets ("—" without a denominator). */
export function campaignLineText(locale: Locale, c: { name: string; phase: string; registered: number; closed: number; closedOnTime: number; due: number; overdue: number; rectificationRate: number | null; timelinessRate: number | null; targets: { rectification: number; timeliness: number } }): string {
  const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 1000) / 10}%`);
  return bulletinText(locale, "bu_campaign_line", {
    name: c.name,
    phase: bulletinText(locale, `bu_phase_${c.phase}`),
    registered: c.registered,
    closed: c.closed,
    rr: pct(c.rectificationRate),
    tr: pct(c.targets.rectification),
    onTime: c.closedOnTime,
    due: c.due,
    tl: pct(c.timelinessRate),
    tt: pct(c.targets.timeliness),
    overdue: c.overdue,
  });
}
