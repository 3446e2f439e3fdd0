// The words of the ledger (台账) in the three languages, shared by the dashboard, the xlsx export and
// the PDFs, so a column or a state reads the same wherever the office meets it.
import type { Locale } from "../../cases/categories.ts";
import { LOCALES } from "../../cases/categories.ts";

const L: Record<string, [string, string, string]> = {
  col_seq: ["序号", "序號", "No."],
  col_estate: ["小区", "小區", "Estate"],
  col_category: ["问题类别", "問題類別", "Category"],
  col_description: ["问题描述", "問題描述", "Problem"],
  col_source: ["来源", "來源", "Source"],
  col_found: ["发现日期", "發現日期", "Found on"],
  col_unit: ["责任单位", "責任單位", "Responsible unit"],
  col_person: ["责任人", "責任人", "Responsible person"],
  col_measure: ["整改措施", "整改措施", "Measure"],
  col_deadline: ["整改时限", "整改時限", "Deadline"],
  col_progress: ["进展", "進展", "Progress"],
  col_rounds: ["验收轮次", "驗收輪次", "Acceptance rounds"],
  col_verdict: ["验收结论", "驗收結論", "Acceptance verdict"],
  col_closed: ["销号日期", "銷號日期", "Closed on"],
  col_revisit: ["回访结果", "回訪結果", "Follow-up result"],
  col_recheck_due: ["回头看日期", "回頭看日期", "Re-check date"],
  col_recheck: ["回头看结论", "回頭看結論", "Re-check result"],
  src_inspection: ["排查发现", "排查發現", "Inspection"],
  src_complaint: ["居民投诉", "居民投訴", "Residents' complaint"],
  src_hotline: ["12345工单", "12345工單", "12345 order"],
  src_survey: ["问卷调查", "問卷調查", "Survey"],
  st_found: ["已登记", "已登記", "Registered"],
  st_proposed: ["待审核措施", "待審核措施", "Measure proposed"],
  st_rectifying: ["整改中", "整改中", "Rectifying"],
  st_awaiting_acceptance: ["待验收", "待驗收", "Awaiting acceptance"],
  st_accepted: ["验收通过", "驗收通過", "Accepted"],
  st_revisit: ["回访中", "回訪中", "Follow-up with residents"],
  st_closed: ["已销号", "已銷號", "Closed"],
  st_reopened: ["重新整改", "重新整改", "Reopened"],
  verdict_pass: ["合格", "合格", "Pass"],
  verdict_fail: ["不合格", "不合格", "Fail"],
  rv_satisfied: ["满意", "滿意", "Satisfied"],
  rv_fairly: ["较满意", "較滿意", "Fairly satisfied"],
  rv_dissatisfied: ["不满意", "不滿意", "Dissatisfied"],
  rc_pass: ["未复发", "未復發", "Not found again"],
  rc_fail: ["复发，重新整改", "復發，重新整改", "Found again, reopened"],
  rk_company: ["物业公司", "物業公司", "Managing company"],
  rk_developer: ["开发建设单位", "開發建設單位", "Developer"],
  rk_department: ["职能部门", "職能部門", "Department"],
  ledger: ["整改台账", "整改台賬", "Rectification ledger"],
  estate_file: ["整改档案", "整改檔案", "Rectification file"],
  notice_title: ["整改通知书", "整改通知書", "Rectification notice"],
  overdue: ["已超时", "已逾時", "overdue"],
  repeat: ["重复", "重複", "repeat"],
};

export type LedgerText = (key: string) => string;

export function ledgerText(locale: Locale): LedgerText {
  const i = LOCALES.indexOf(locale);
  return (key) => L[key]?.[i] ?? key;
}
