// The words for every refusal a clerk meets in the directory and its import (zh-Hans, zh-Hant, en):
// core/directory returns a reason code and its parameters (Refusal, Problem), and the dashboard, the
// REST API's error bodies and the import CLI word them here. {name} is filled from the parameters;
// a parameter ending in Zh/En is picked by language (lists of sheet and column names).
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import type { Refusal } from "../../core/directory/audit.ts";

const R: Record<string, [string, string, string]> = {
  robot_url_wecom: ["须为 https 的企业微信群机器人地址:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…", "須為 https 的企業微信群機器人地址:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…", "must be an https WeCom group robot URL: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"],
  robot_url_dingtalk: ["须为 https 的钉钉自定义机器人地址:https://oapi.dingtalk.com/robot/send?access_token=…", "須為 https 的釘釘自訂機器人地址:https://oapi.dingtalk.com/robot/send?access_token=…", "must be an https DingTalk custom robot URL: https://oapi.dingtalk.com/robot/send?access_token=…"],
  robot_secret: ["加签密钥以 SEC 开头,后跟字母和数字(在机器人安全设置里复制)", "加簽密鑰以 SEC 開頭,後跟字母和數字(在機器人安全設定裡複製)", "a signing secret starts with SEC followed by letters and digits (copy it from the robot's security settings)"],
  robot_not_set: ["此机器人尚未设置", "此機器人尚未設定", "this robot is not set up"],
  unknown_street: ["找不到街道“{code}”", "找不到街道「{code}」", 'no street "{code}"'],
  unknown_company: ["找不到物业公司“{code}”", "找不到物業公司「{code}」", 'no company "{code}"'],
  unknown_estate: ["找不到小区“{code}”", "找不到小區「{code}」", 'no estate "{code}"'],
  // project managers (core/credit/managers.ts)
  unknown_manager: ["找不到项目经理 {id}", "找不到項目經理 {id}", "no project manager {id}"],
  unknown_assignment: ["找不到任职记录 {id}", "找不到任職記錄 {id}", "no assignment {id}"],
  manager_name_required: ["请填写项目经理的真实姓名", "請填寫項目經理的真實姓名", "the manager's real name is required"],
  certificate_taken: ["证书编号 {certificate} 已属于 {holder}", "證書編號 {certificate} 已屬於 {holder}", "certificate {certificate} already belongs to {holder}"],
  estate_without_company: ["小区“{estate}”没有物业公司，请先指定", "小區「{estate}」沒有物業公司，請先指定", 'estate "{estate}" has no company; name one first'],
  unknown_office: ["找不到办公室“{code}”", "找不到辦公室「{code}」", 'no office "{code}"'],
  unknown_liaison: ["找不到联络人“{code}”", "找不到聯絡人「{code}」", 'no liaison "{code}"'],
  unknown_building: ["小区“{estate}”没有楼栋“{building}”", "小區「{estate}」沒有樓棟「{building}」", 'no building "{building}" in estate "{estate}"'],
  unknown_unit: ["{estate} {building} 没有单元“{unit}”", "{estate} {building} 沒有單元「{unit}」", 'no unit "{unit}" in {estate}/{building}'],
  invite_code_taken_estate: ["邀请码 {invite} 已属于小区“{holder}”", "邀請碼 {invite} 已屬於小區「{holder}」", 'invite code {invite} belongs to estate "{holder}"'],
  invite_code_taken_company: ["邀请码 {invite} 已属于物业公司“{holder}”", "邀請碼 {invite} 已屬於物業公司「{holder}」", 'invite code {invite} belongs to company "{holder}"'],
  company_suspended: ["物业公司“{name}”已暂停", "物業公司「{name}」已暫停", 'company "{name}" is suspended'],
  already_managed: ["小区“{estate}”已由“{company}”管理", "小區「{estate}」已由「{company}」管理", 'estate "{estate}" is already managed by "{company}"'],
  estate_has_open_cases: ["小区“{name}”还有未办结案件：请先办结或转走", "小區「{name}」還有未辦結案件：請先辦結或轉走", 'estate "{name}" has open cases: close or move them first'],
  street_has_active_estates: ["街道“{name}”还有启用中的小区：请先转移或停用这些小区", "街道「{name}」還有啟用中的小區：請先轉移或停用這些小區", 'street "{name}" still has active estates: move or deactivate them first'],
  liaison_deactivate_separately: ["请用“停用”操作停用联络人“{name}”：其未办结案件需要转交", "請用「停用」操作停用聯絡人「{name}」：其未辦結案件需要轉交", 'deactivate liaison "{name}" with its own action: its open cases must go somewhere'],
  liaison_open_cases_old_company: ["联络人“{name}”在原公司还有未办结案件：请改为停用(转交案件)", "聯絡人「{name}」在原公司還有未辦結案件：請改為停用(轉交案件)", 'liaison "{name}" has open cases with the old company: deactivate them (handing the cases on) instead'],
  liaison_already_inactive: ["联络人“{name}”已停用", "聯絡人「{name}」已停用", 'liaison "{name}" is already inactive'],
  liaison_already_active: ["联络人“{name}”已是启用状态", "聯絡人「{name}」已是啟用狀態", 'liaison "{name}" is already active'],
  liaison_company_suspended: ["联络人“{name}”所属物业公司“{company}”已暂停：请先恢复公司", "聯絡人「{name}」所屬物業公司「{company}」已暫停：請先恢復公司", 'the company "{company}" of liaison "{name}" is suspended: reactivate the company first'],
  heir_not_active: ["“{code}”不是另一位启用中的联络人", "「{code}」不是另一位啟用中的聯絡人", '"{code}" is not another active liaison'],
  heir_other_company: ["“{code}”不属于{company}", "「{code}」不屬於{company}", '"{code}" works for another company than {company}'],
  district_office_no_street: ["区物业办覆盖全区：不要填写街道", "區物業辦覆蓋全區：不要填寫街道", "a district office covers the whole district: leave the street out"],
  street_office_needs_street: ["街道办事处必须选择所属街道", "街道辦事處必須選擇所屬街道", "a street office needs its street"],
  committee_needs_estates: ["社区居委会或业委会必须填写所管小区", "社區居委會或業委會必須填寫所管小區", "a community or owners' committee needs its estates"],
  street_has_office: ["街道“{street}”已有办事处“{office}”", "街道「{street}」已有辦事處「{office}」", 'street "{street}" already has its office "{office}"'],
  already_active: ["“{name}”已是启用状态", "「{name}」已是啟用狀態", '"{name}" is already active'],
  estate_exists: ["小区编码“{code}”已存在", "小區編碼「{code}」已存在", 'estate "{code}" exists'],
  outside_area: ["超出您的管辖范围", "超出您的管轄範圍", "outside your area"],
  read_only: ["您的账号只能查看本小区的案件、数据、红黑榜和通报，不能修改", "您的帳號只能查看本小區的案件、數據、紅黑榜和通報，不能修改", "your account reads its estates' cases, figures, board and bulletins only; it changes nothing"],
  role_may_not: ["您的角色无权进行此操作", "您的角色無權進行此操作", "your role may not do this"],
  street_office_own_fields: ["街道办只能修改本办事处的名称、语言和邮箱", "街道辦只能修改本辦事處的名稱、語言和郵箱", "a street office changes only its own office's name, language and e-mail"],
  move_via_endpoint: ["更换物业公司请用 POST /api/v1/directory/estates/{code}/move", "更換物業公司請用 POST /api/v1/directory/estates/{code}/move", "change the managing company with POST /api/v1/directory/estates/{code}/move"],
  send_file: ["请把 .xlsx 或 .csv 文件作为请求正文发送", "請把 .xlsx 或 .csv 檔案作為請求正文發送", "send the .xlsx or .csv file as the request body"],
  // field checks
  v_code: ["编码为 1–41 个小写字母、数字、- 或 _(例如 heping)", "編碼為 1–41 個小寫字母、數字、- 或 _(例如 heping)", "a code of 1–41 letters a–z, digits, - or _ (e.g. heping)"],
  v_empty: ["不能为空", "不能為空", "must not be empty"],
  v_required: ["必须填写", "必須填寫", "required"],
  v_type: ["格式不对", "格式不對", "wrong kind of value"],
  v_control: ["不能包含控制字符", "不能包含控制字元", "control characters are not allowed"],
  v_too_long: ["最多 {max} 个字符", "最多 {max} 個字元", "at most {max} characters"],
  v_too_big: ["不能大于 {max}", "不能大於 {max}", "at most {max}"],
  v_too_small: ["不能小于 {min}", "不能小於 {min}", "at least {min}"],
  v_too_many: ["最多 {max} 项", "最多 {max} 項", "at most {max} items"],
  v_date: ["日期格式如 2026-01-31", "日期格式如 2026-01-31", "a date like 2026-01-31"],
  v_email: ["邮箱格式如 office@example.org", "郵箱格式如 office@example.org", "an e-mail address like office@example.org"],
  v_language: ["语言须为 zh-Hans、zh-Hant 或 en", "語言須為 zh-Hans、zh-Hant 或 en", "one of zh-Hans, zh-Hant, en"],
  v_level: ["级别须为区物业办、街道办事处、社区居委会或业委会", "級別須為區物業辦、街道辦事處、社區居委會或業委會", "one of district, street, community, owners"],
  v_mobile: ["手机号为 11 位数字(例如 13912345678)", "手機號為 11 位數字(例如 13912345678)", "An 11-digit mobile number (e.g. 13912345678)"],
  v_invite_code: ["邀请码为 4–20 个字母、数字或 -", "邀請碼為 4–20 個字母、數字或 -", "4–20 letters, digits or -"],
  v_whole_number: ["须为整数", "須為整數", "a whole number"],
  v_ends_before_start: ["结束日期早于开始日期", "結束日期早於開始日期", "ends before it starts"],
  v_unknown_fields: ["不认识的字段：{keys}", "不認識的欄位：{keys}", "unknown fields: {keys}"],
  v_one_of: ["须为以下之一：{values}", "須為以下之一：{values}", "one of {values}"],
  v_format: ["格式不对", "格式不對", "wrong format"],
  v_invalid: ["无效", "無效", "invalid"],
  // the import file
  imp_unknown_column: ["不认识的列；应为：{expectedZh}", "不認識的欄；應為：{expectedZh}", "unknown column; expected {expectedEn}"],
  imp_required_column: ["缺少必填列“{zh}”", "缺少必填欄「{zh}」", "required column missing ({zh} / {en})"],
  imp_too_large: ["文件超过 {mb} MB", "檔案超過 {mb} MB", "file larger than {mb} MB"],
  imp_not_xlsx: ["无法读取此 .xlsx 工作簿({detail})", "無法讀取此 .xlsx 活頁簿({detail})", "not a readable .xlsx workbook ({detail})"],
  imp_unknown_sheet: ["不认识的工作表；应为：{expectedZh}", "不認識的工作表；應為：{expectedZh}", "unknown sheet; expected {expectedEn}"],
  imp_too_many_rows: ["超过 {max} 行", "超過 {max} 行", "more than {max} rows"],
  imp_not_utf8: ["既不是 .xlsx 工作簿，也不是 UTF-8 编码的 CSV(请把 CSV 另存为 UTF-8)", "既不是 .xlsx 活頁簿，也不是 UTF-8 編碼的 CSV(請把 CSV 另存為 UTF-8)", "neither an .xlsx workbook nor UTF-8 CSV text (save the CSV as UTF-8)"],
  imp_bad_csv: ["CSV 格式有误：{detail}", "CSV 格式有誤：{detail}", "not valid CSV: {detail}"],
  imp_csv_kind: ["无法判断此 CSV 的内容：请按内容命名文件({expectedZh})", "無法判斷此 CSV 的內容：請按內容命名檔案({expectedZh})", "cannot tell which kind this CSV holds: name the file after its kind ({expectedEn})"],
  imp_upload_refused: ["上传被拒绝：{detail}", "上傳被拒絕：{detail}", "upload refused: {detail}"],
  imp_no_data: ["没有含数据的工作表", "沒有含數據的工作表", "no sheet with data"],
  imp_code_other_estate: ["编码“{code}”是小区“{holder}”的，不能给“{name}”(同街道已有“{name}”)", "編碼「{code}」是小區「{holder}」的，不能給「{name}」(同街道已有「{name}」)", 'code "{code}" belongs to estate {holder}; it cannot name {name} (the street already has {name})'],
  imp_estate_ambiguous: ["有 {count} 个小区叫“{name}”：请加一列“所属街道”", "有 {count} 個小區叫「{name}」：請加一欄「所屬街道」", '{count} estates are called {name}: add a column 所属街道 (street)'],
  imp_changed_since_preview: ["预览之后目录已有变动：请重新预览", "預覽之後目錄已有變動：請重新預覽", "the directory changed since the preview: preview again"],
  imp_open_cases_choice: ["“{estate}”换了物业公司，有 {n} 件未办结案件：请选择移交新公司还是留给原公司", "「{estate}」換了物業公司，有 {n} 件未辦結案件：請選擇移交新公司還是留給原公司", "{estate} changes company and has {n} open cases: choose whether they move to the new company or stay"],
  imp_twice: ["“{key}”重复出现(另见第 {row} 行)", "「{key}」重複出現(另見第 {row} 行)", '"{key}" appears twice (also row {row})'],
};

/** Field names as a clerk reads them, for "field: reason". */
const FIELDS: Record<string, [string, string, string]> = {
  wecomWebhook: ["企业微信群机器人地址", "企業微信群機器人地址", "WeCom robot URL"],
  dingtalkWebhook: ["钉钉机器人地址", "釘釘機器人地址", "DingTalk robot URL"],
  dingtalkSecret: ["钉钉加签密钥", "釘釘加簽密鑰", "DingTalk signing secret"],
  code: ["编码", "編碼", "code"],
  name: ["名称", "名稱", "name"],
  street: ["街道", "街道", "street"],
  company: ["物业公司", "物業公司", "company"],
  estate: ["小区", "小區", "estate"],
  estates: ["所管小区", "所管小區", "estates"],
  level: ["级别", "級別", "level"],
  email: ["邮箱", "郵箱", "e-mail"],
  language: ["语言", "語言", "language"],
  households: ["户数", "戶數", "households"],
  community: ["社区", "社區", "community"],
  address: ["地址", "地址", "address"],
  latitude: ["纬度", "緯度", "latitude"],
  longitude: ["经度", "經度", "longitude"],
  contractStart: ["合同开始", "合約開始", "contract start"],
  contractEnd: ["合同结束", "合約結束", "contract end"],
  inviteCode: ["邀请码", "邀請碼", "invite code"],
  contact: ["联系方式", "聯絡方式", "contact"],
  grade: ["资质等级", "資質等級", "qualification grade"],
  units: ["单元", "單元", "units"],
  active: ["状态", "狀態", "status"],
  openCases: ["未办结案件", "未辦結案件", "open cases"],
  to: ["转交给", "轉交給", "hand on to"],
};

/** One refusal in words; an unknown code shows as itself (visible, never a crash). */
export function wordRefusal(locale: Locale, r: Refusal): string {
  const i = LOCALES.indexOf(locale);
  const zh = i < 2;
  const text = (R[r.reason]?.[i] ?? r.reason).replace(/\{(\w+)\}/g, (_m, k: string) => String(r.params?.[k] ?? r.params?.[`${k}${zh ? "Zh" : "En"}`] ?? ""));
  if (!r.field) return text;
  const label = FIELDS[r.field]?.[i] ?? r.field;
  return `${label}${zh ? "：" : ": "}${text}`;
}

/** Several refusals (all the bad fields of one form) as one line. */
export const wordRefusals = (locale: Locale, rs: Refusal[]) => rs.map((r) => wordRefusal(locale, r)).join(locale === "en" ? "; " : "；");

/** The language of an API answer: Accept-Language (zh-TW/zh-HK/zh-Hant → 繁體, en → English), else the default. */
export function apiLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]!.trim().toLowerCase();
    if (/^zh-(hant|tw|hk|mo)/.test(tag)) return "zh-Hant";
    if (tag.startsWith("zh")) return "zh-Hans";
    if (tag.startsWith("en")) return "en";
  }
  return fallback;
}
