// Why a survey form was refused (api/dashboard/surveys.ts), in zh-Hans, zh-Hant and en; merged by api/i18n/i18n.ts.
// A questionnaire's own problems are worded by core/surveys/definition-messages.ts.
export const SURVEY_FORM_STRINGS: Record<string, [string, string, string]> = {
  sv_err_form: ["表单填写有误：", "表單填寫有誤：", "The form has a problem:"],
  sv_err_value: ["内容无效", "內容無效", "not a valid value"],
  sv_err_date: ["请填写日期，如 2026-12-31", "請填寫日期，如 2026-12-31", "a date like 2026-12-31"],
  sv_err_no_such_day: ["没有 {d} 这一天", "沒有 {d} 這一天", "there is no day {d}"],
  sv_invalid_json_at: ["JSON 格式错误（第 {n} 个字符附近）", "JSON 格式錯誤（第 {n} 個字元附近）", "Not valid JSON (near character {n})"],
  sv_err_future: ["截止日期必须在今天之后", "截止日期必須在今天之後", "The closing date must be in the future"],
  sv_err_exists: ["代码为 {code} 的问卷已经存在", "代碼為 {code} 的問卷已經存在", "A survey with the code {code} exists"],
  sv_err_closed: ["问卷 {code} 已结束", "問卷 {code} 已結束", "Survey {code} is closed"],
  sv_err_not_found: ["找不到这份问卷", "找不到這份問卷", "No such survey"],
  sv_err_pick_street: ["请选择街道", "請選擇街道", "Pick a street"],
  sv_err_pick_estate: ["请选择小区", "請選擇小區", "Pick an estate"],
  sv_field_closesAt: ["截止日期", "截止日期", "Closing date"],
  sv_field_code: ["问卷代码", "問卷代碼", "Survey code"],
  sv_field_json: ["问卷 JSON", "問卷 JSON", "Questionnaire JSON"],
  sv_field_file: ["问卷文件", "問卷檔案", "Questionnaire file"],
  sv_field_scope: ["发送范围", "發送範圍", "Send to"],
  sv_field_street: ["街道", "街道", "Street"],
  sv_field_estate: ["小区", "小區", "Estate"],
  sv_field_open: ["立即开放", "立即開放", "Open now"],
  sv_field_form: ["表单", "表單", "Form"],
};
