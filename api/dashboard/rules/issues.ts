// A loader issue in the clerk's language: the frame (file, rule, place) always, and the reasons the
// loader gives most often; any other reason keeps the loader's own words after the translated frame.
import path from "node:path";
import type { RuleIssue } from "../../../rules/loader.ts";
import type { View } from "../layout.ts";

const REASONS: [RegExp, [string, string, string]][] = [
  [/^unknown estate "(.+)"$/, ['未知小区代码 "$1"', '未知小區代碼 "$1"', 'unknown estate "$1"']],
  [/^unknown company "(.+)"$/, ['未知物业公司代码 "$1"', '未知物業公司代碼 "$1"', 'unknown company "$1"']],
  [/^unknown liaison "(.+)"$/, ['未知联络人代码 "$1"', '未知聯絡人代碼 "$1"', 'unknown liaison "$1"']],
  [/^unknown street "(.+)"$/, ['未知街道代码 "$1"', '未知街道代碼 "$1"', 'unknown street "$1"']],
  [/^unknown category "(.+)" \(see categories.json\)$/, ['未知类别代码 "$1"（见 categories.json）', '未知類別代碼 "$1"（見 categories.json）', 'unknown category "$1" (see categories.json)']],
  [/^liaison "(.+)" belongs to company "(.+)", not "(.+)"$/, ['联络人 "$1" 属于物业公司 "$2"，不属于 "$3"', '聯絡人 "$1" 屬於物業公司 "$2"，不屬於 "$3"', 'liaison "$1" belongs to company "$2", not "$3"']],
  [/^duplicate id.*$/, ["编号重复", "編號重複", "duplicate id"]],
  [/^not valid JSON: (.*)$/, ["不是有效的 JSON：$1", "不是有效的 JSON：$1", "not valid JSON: $1"]],
  [/^too large \(over (\d+) KB\)$/, ["文件过大（超过 $1 KB）", "文件過大（超過 $1 KB）", "too large (over $1 KB)"]],
  [/^contains a NUL character$/, ["含有空字符（NUL）", "含有空字元（NUL）", "contains a NUL character"]],
  [/^Invalid input: expected number, received \w+$/, ["应填数字", "應填數字", "expected a number"]],
  [/^Invalid input: expected boolean, received \w+$/, ["应为 是/否", "應為 是/否", "expected yes or no"]],
  [/^Invalid input: expected (\w+), received (\w+)$/, ["格式错误：应为 $1，实际为 $2", "格式錯誤：應為 $1，實際為 $2", "expected $1, received $2"]],
  [/^Too small: expected number to be >=(\d+)$/, ["数值太小：至少为 $1", "數值太小：至少為 $1", "too small: at least $1"]],
  [/^Too big: expected number to be <=(\d+)$/, ["数值太大：最多为 $1", "數值太大：最多為 $1", "too big: at most $1"]],
  [/^Unrecognized key: "(.+)"$/, ['无法识别的字段 "$1"（拼写错误？）', '無法識別的欄位 "$1"（拼寫錯誤？）', 'unrecognised key "$1" (a typo?)']],
  [/^Too small: expected number to be >0$/, ["必须大于 0", "必須大於 0", "must be more than 0"]],
  [/^Too small: expected (?:array|string) to have >=1 (?:items|characters)$/, ["不能为空", "不能為空", "must not be empty"]],
  [/^Invalid option: expected one of (.*)$/, ["请从列表中选择（$1）", "請從列表中選擇（$1）", "pick one of $1"]],
  [/^Invalid string: must match pattern .*$/, ["格式不对：只能用小写字母、数字和下划线，以字母开头", "格式不對：只能用小寫字母、數字和底線，以字母開頭", "use lower-case letters, digits and _ , starting with a letter"]],
  [/^Invalid input$/, ["格式错误", "格式錯誤", "invalid value"]],
  [/^expected a local time "HH:MM", e\.g\. "18:00"$/, ["时间应写成 时:分，例如 18:00", "時間應寫成 時:分，例如 18:00", 'a local time "HH:MM", e.g. "18:00"']],
  [/^expected a date YYYY-MM-DD$/, ["日期应写成 年-月-日，例如 2027-01-01", "日期應寫成 年-月-日，例如 2027-01-01", "a date YYYY-MM-DD"]],
  [/^id: letters, digits.*$/, ["编号只能用字母、数字和 - _ .，最多64个字符", "編號只能用字母、數字和 - _ .，最多64個字元", "id: letters, digits, - _ . (max 64)"]],
  [/^time: from and to are equal.*$/, ["开始和结束时间相同（时间段为空）", "開始和結束時間相同（時間段為空）", "from and to are equal (an empty window)"]],
  [/^then: toOffice cannot be combined.*$/, ["转街道办时不能同时指定物业公司或联络人", "轉街道辦時不能同時指定物業公司或聯絡人", "to the street office: no company or liaison with it"]],
  [/^then: needs a company.*$/, ["请选择派给哪家物业公司（或小区自己的物业公司、转街道办）", "請選擇派給哪家物業公司（或小區自己的物業公司、轉街道辦）", "choose a company (or the estate's own company, or the street office)"]],
  [/^then: a liaison cannot be named with company "\$estate".*$/, ["派给小区自己的物业公司时不能指定联络人", "派給小區自己的物業公司時不能指定聯絡人", "no liaison with the estate's own company"]],
  [/^levels: set at least one.*$/, ["至少填写一个紧急程度的时限", "至少填寫一個緊急程度的時限", "set at least one urgency level"]],
  [/^workdays: amount must be a whole number$/, ["工作日数必须是整数", "工作日數必須是整數", "working days: a whole number"]],
  [/^officeHours: end must be after start$/, ["下班时间必须晚于上班时间", "下班時間必須晚於上班時間", "office hours: the end must be after the start"]],
  [/^year keys are four digits.*$/, ["年份应为四位数字，例如 2027", "年份應為四位數字，例如 2027", 'a year is four digits, e.g. "2027"']],
  [/^buildings need estates.*$/, ["指定楼栋时必须同时选择小区（各小区的楼栋名称会重复）", "指定樓棟時必須同時選擇小區（各小區的樓棟名稱會重複）", "buildings need estates: building names repeat across estates"]],
  [/^building "(.+)" does not exist in estate "(.+)" \(it has (.*)\)$/, ['小区 "$2" 没有楼栋 "$1"（现有：$3）', '小區 "$2" 沒有樓棟 "$1"（現有：$3）', 'building "$1" does not exist in estate "$2" (it has $3)']],
  [/^estate "(.+)" is in street "(.+)", not in (.+): the rule can never fire for it$/, ['小区 "$1" 属于街道 "$2"，不在所选街道内：这条规则对它永远不会生效', '小區 "$1" 屬於街道 "$2"，不在所選街道內：這條規則對它永遠不會生效', 'estate "$1" is in street "$2", not in $3: the rule can never fire for it']],
  [/^the last entry must match every case.*?(?: \(missing: (.*)\))?$/, ["最后一条必须适用于所有案件（条件留空），并填写一般、加急、特急三级时限$1", "最後一條必須適用於所有案件（條件留空），並填寫一般、加急、特急三級時限$1", "the last entry must match every case (no conditions) and set all three levels $1"]],
  [/^(?:holidays: |workdays: )?"(.+)" is not a date YYYY-MM-DD$/, ['"$1" 不是 年-月-日 格式的日期', '"$1" 不是 年-月-日 格式的日期', '"$1" is not a date YYYY-MM-DD']],
  [/^(?:holidays|workdays): "(.+)" is not in (\d{4})$/, ['"$1" 不在 $2 年', '"$1" 不在 $2 年', '"$1" is not in $2']],
  [/^"(.+)" is listed both as a holiday and as a working day$/, ['"$1" 同时被列为放假日和上班日', '"$1" 同時被列為放假日和上班日', '"$1" is listed both as a day off and as a working day']],
  [/^(?:categories\.json: )?duplicate category code$/, ["类别代码重复", "類別代碼重複", "duplicate category code"]],
  [/^file not found$/, ["文件不存在", "文件不存在", "file not found"]],
];
const IDX = { "zh-Hans": 0, "zh-Hant": 1, en: 2 } as const;

/** The loader's reason alone, in the page's language (common ones; others as the loader wrote them). */
export function localReason(vw: View, reason: string): string {
  for (const [re, tr] of REASONS) if (re.test(reason)) return reason.replace(re, tr[IDX[vw.locale]]);
  return reason;
}

export function localIssue(vw: View, i: RuleIssue): string {
  const { t } = vw;
  const reason = localReason(vw, i.reason);
  const where = [path.basename(i.file), i.rule ? `${t("rl_rule")} "${i.rule}"` : null, i.at ? `${t("rl_issue_at")} ${i.at}` : null].filter(Boolean).join(" · ");
  return `${where}${vw.locale === "en" ? ": " : "："}${reason}`;
}

export interface PlacedIssues {
  /** Row index → cell name → reasons in the page's language. */
  cells: Map<number, Map<string, string[]>>;
  /** Issues that belong to no row of this table (another file, the file as a whole), framed in full. */
  other: string[];
}

/**
 * Puts each loader issue next to the row and cell of the table editor it is about: routing rules[N].when…
 * → row N, cell "when"; deadlines entries[N].levels.urgent… → cell "urgent"; categories (one issue
 * whose reason lists "categories.N.field: …") → row N; calendar years.YYYY… → the row of that year.
 */
export function placeIssues(vw: View, file: string, issues: RuleIssue[], years: string[] = []): PlacedIssues {
  const out: PlacedIssues = { cells: new Map(), other: [] };
  const put = (row: number, cell: string, reason: string) => {
    let r = out.cells.get(row);
    if (!r) out.cells.set(row, (r = new Map()));
    r.set(cell, [...(r.get(cell) ?? []), localReason(vw, reason)]);
  };
  for (const i of issues) {
    const name = path.basename(i.file);
    let m: RegExpExecArray | null;
    if (name !== `${file}.json`) out.other.push(localIssue(vw, i));
    else if (file === "routing" && (m = /^rules\[(\d+)\](?:\.(\w+))?/.exec(i.at ?? ""))) put(Number(m[1]), m[2] === "when" || m[2] === "then" ? m[2] : "rule", i.reason);
    else if (file === "deadlines" && (m = /^entries\[(\d+)\](?:\.(\w+)(?:\.(\w+))?)?/.exec(i.at ?? ""))) put(Number(m[1]), m[2] === "when" ? "when" : m[2] === "levels" && m[3] ? m[3] : "rule", i.reason);
    else if (file === "categories" && /^categories\.\d+/.test(i.reason)) {
      for (const part of i.reason.split("; ")) {
        const c = /^categories\.(\d+)\.?([\w-]*)[\w.-]*: (.*)$/.exec(part);
        if (c) put(Number(c[1]), c[2] === "label" ? "label" : c[2] === "kinds" ? "kinds" : "code", c[3]!);
        else out.other.push(localIssue(vw, { ...i, reason: part }));
      }
    } else if (file === "calendar" && (m = /^years\.(\d{4}|[^.[\]]+)(?:\.(\w+))?/.exec(i.at ?? "")) && years.includes(m[1]!))
      put(years.indexOf(m[1]!), m[2] === "holidays" || m[2] === "workdays" ? m[2] : (/^(holidays|workdays):/.exec(i.reason)?.[1] ?? "year"), i.reason);
    else if (file === "calendar" && (i.at ?? "").startsWith("officeHours")) put(-1, "officeHours", i.reason);
    else out.other.push(localIssue(vw, i));
  }
  return out;
}
