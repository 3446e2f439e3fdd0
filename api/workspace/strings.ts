// What the liaison workspace (/w/) says, in zh-Hans (default), zh-Hant and en. Case states and the
// sign-in words come from the residents' table (api/frontdoor/strings.ts) where they read the same.
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import { sayer as residentSayer, type Say } from "../frontdoor/strings.ts";

const T: Record<string, [string, string, string]> = {
  app: ["物业联络人工作台", "物業聯絡人工作台", "Liaison workspace"],
  w_login_intro: ["输入名录中登记的您的手机号，我们发送 6 位验证码(5 分钟内有效)。", "輸入名錄中登記的您的手機號，我們發送 6 位驗證碼(5 分鐘內有效)。", "Enter the mobile number the directory holds for you; we send a 6-digit code (valid 5 minutes)."],
  w_code_sent: ["如果该号码登记在联络人名录中，验证码已发送到 {phone}。没有收到？请联系街道办核对名录中的号码。", "如果該號碼登記在聯絡人名錄中，驗證碼已發送到 {phone}。沒有收到？請聯繫街道辦核對名錄中的號碼。", "If this number is in the liaison directory, a code was sent to {phone}. Nothing came? Ask the street office to check the number in the directory."],
  w_not_liaison: ["该号码不在联络人名录中，请联系街道办核对。", "該號碼不在聯絡人名錄中，請聯繫街道辦核對。", "This number is not in the liaison directory; ask the street office to check it."],
  w_login_needed: ["请先用手机号登录联络人工作台。", "請先用手機號登錄聯絡人工作台。", "Sign in to the liaison workspace with your phone first."],
  w_cases: ["待办案件", "待辦案件", "Open cases"],
  w_cases_empty: ["目前没有待办案件。", "目前沒有待辦案件。", "No open cases."],
  w_logout: ["退出", "退出", "Sign out"],
  w_due: ["时限", "時限", "Due"],
  w_overdue: ["已超时", "已超時", "Overdue"],
  w_no_due: ["无时限", "無時限", "No deadline"],
  w_place: ["位置", "位置", "Where"],
  w_reporter: ["报告人", "報告人", "Reported by"],
  w_reporter_hidden: ["住户(身份由街道办保密)", "住戶(身份由街道辦保密)", "A resident (identity kept by the street office)"],
  w_accept: ["受理", "受理", "Accept"],
  w_accepted: ["已受理案件 {number}，处理时限从现在开始。", "已受理案件 {number}，處理時限從現在開始。", "Case {number} accepted."],
  w_message: ["给住户留言", "給住戶留言", "Message the resident"],
  w_message_sent: ["留言已转给住户。", "留言已轉給住戶。", "Sent to the resident."],
  w_resolve: ["办结(说明和照片)", "辦結(說明和照片)", "Resolve (note and photos)"],
  w_resolve_note: ["处理说明", "處理說明", "What was done"],
  w_resolve_photos: ["现场照片(可拍照)", "現場照片(可拍照)", "Photos (camera)"],
  w_resolved: ["案件 {number} 已办结，系统将回访住户。", "案件 {number} 已辦結，系統將回訪住戶。", "Case {number} resolved; the resident will be asked."],
  w_extend: ["申请延期", "申請延期", "Ask for more time"],
  w_extend_reason: ["延期原因", "延期原因", "Reason"],
  w_extend_days: ["延长", "延長", "Extend by"],
  w_extend_option: ["{n} 个工作日(至 {due})", "{n} 個工作日(至 {due})", "{n} working day(s) (to {due})"],
  w_extend_sent: ["延期申请已提交街道办：至 {due}。", "延期申請已提交街道辦：至 {due}。", "Extension asked of the street office: to {due}."],
  w_extend_pending: ["案件 {number} 已有待审批的延期申请。", "案件 {number} 已有待審批的延期申請。", "Case {number} has an extension waiting for a decision."],
  w_transfer: ["不属于我们(退回街道办)", "不屬於我們(退回街道辦)", "Not ours (back to the street office)"],
  w_transfer_reason: ["原因", "原因", "Why"],
  w_transferred: ["案件 {number} 已退回街道办。", "案件 {number} 已退回街道辦。", "Case {number} went back to the street office."],
  w_stale: ["案件 {number} 现在是“{state}”，此操作已不适用。", "案件 {number} 現在是「{state}」，此操作已不適用。", "Case {number} is now “{state}”; that action no longer applies."],
  w_need_text: ["请填写内容。", "請填寫內容。", "Please write something."],
  w_not_found: ["没有找到该案件(或不属于贵公司)。", "沒有找到該案件(或不屬於貴公司)。", "Case not found (or not your company's)."],
  w_no_resident: ["该案件没有可联系的住户。", "該案件沒有可聯繫的住戶。", "This case has no resident to write to."],
  w_timeline: ["处理记录", "處理記錄", "History"],
  w_from_resident: ["住户", "住戶", "Resident"],
  w_from_company: ["物业", "物業", "Company"],
  w_photo_alt: ["案件照片 {n}", "案件照片 {n}", "Case photo {n}"],
  w_residents_not_here: ["这是物业联络人的工作台。住户请使用“我的案件”。", "這是物業聯絡人的工作台。住戶請使用「我的案件」。", "This is the liaisons' workspace. Residents: use “My cases”."],
  ev_filed: ["住户提交了案件", "住戶提交了案件", "The resident filed the case"],
  ev_confirmFixed: ["住户确认已解决", "住戶確認已解決", "The resident confirmed the fix"],
  ev_satisfaction: ["住户满意度评价", "住戶滿意度評價", "The resident's rating"],
  ev_reopen: ["住户回访未解决，重新打开", "住戶回訪未解決，重新打開", "Reopened: not fixed at the revisit"],
  ev_accept: ["已受理", "已受理", "Accepted"],
  ev_resolve: ["已办结", "已辦結", "Resolved"],
  ev_extension_requested: ["申请延期", "申請延期", "Extension asked"],
};

export function workspaceSayer(locale: Locale): Say {
  const i = LOCALES.indexOf(locale);
  const fallback = residentSayer(locale);
  return (key, vars) => {
    const s = T[key]?.[i];
    if (s === undefined) return fallback(key, vars);
    return vars ? s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? "")) : s;
  };
}
