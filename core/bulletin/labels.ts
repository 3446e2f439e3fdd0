// Words of the bulletin in the three product locales: the PDF (core) and the dashboard pages (api,
// merged into api/i18n) read the same table, so page and PDF never disagree.
export const BULLETIN_LABELS: Record<string, [string, string, string]> = {
  bu_bulletins: ["定期通报", "定期通報", "Monthly bulletins"],
  bu_title: ["{month} 物业服务定期通报", "{month} 物業服務定期通報", "Property service bulletin, {month}"],
  bu_district: ["全区", "全區", "District"],
  bu_scope: ["范围", "範圍", "Scope"],
  bu_month: ["月份", "月份", "Month"],
  bu_generated: ["生成时间", "生成時間", "Generated"],
  bu_totals: ["本月受理 {cases} 件，其中超时 {missed} 件，重复投诉 {repeats} 件。", "本月受理 {cases} 件，其中逾時 {missed} 件，重複投訴 {repeats} 件。", "{cases} cases this month; {missed} missed a deadline, {repeats} were repeat complaints."],
  bu_rank_companies: ["物业公司排名", "物業公司排名", "Companies ranked"],
  bu_rank_estates: ["小区排名", "小區排名", "Estates ranked"],
  bu_rank: ["名次", "名次", "Rank"],
  bu_name: ["名称", "名稱", "Name"],
  bu_cases: ["案件数", "案件數", "Cases"],
  bu_response: ["响应率", "響應率", "Response"],
  bu_resolution: ["办结率", "辦結率", "Resolution"],
  bu_satisfaction: ["满意率", "滿意率", "Satisfaction"],
  bu_rank_note: ["按响应率、办结率、满意率的平均值排名；无数据的比率不计入，显示为“—”。", "按響應率、辦結率、滿意率的平均值排名；無數據的比率不計入，顯示為「—」。", "Ranked by the mean of response, resolution and satisfaction rates; a rate without data is left out and shown as “—”."],
  bu_missed: ["本月超时案件", "本月逾時案件", "Cases that missed a deadline"],
  bu_repeats: ["本月重复投诉（重新打开）", "本月重複投訴（重新打開）", "Repeat complaints (reopened)"],
  bu_none: ["无", "無", "None"],
  bu_more: ["另有 {n} 件未列出", "另有 {n} 件未列出", "{n} more not listed"],
  bu_board: ["红黑榜变化", "紅黑榜變化", "Estate board changes"],
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

export type BulletinLocale = "zh-Hans" | "zh-Hant" | "en";
const IDX: Record<BulletinLocale, number> = { "zh-Hans": 0, "zh-Hant": 1, en: 2 };

export function bulletinText(locale: BulletinLocale, key: string, vars: Record<string, string | number> = {}): string {
  let s = BULLETIN_LABELS[key]?.[IDX[locale]] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  return s;
}

/** "83.3% · 5/6", or "—" when nothing was due. */
export function rateText(rate: number | null, ok: number, base: number): string {
  return rate === null ? "—" : `${(rate * 100).toFixed(1)}% · ${ok}/${base}`;
}
