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
  [/^Invalid input: expected (\w+), received (\w+)$/, ["格式错误：应为 $1，实际为 $2", "格式錯誤：應為 $1，實際為 $2", "expected $1, received $2"]],
  [/^Too small: expected number to be >=(\d+)$/, ["数值太小：至少为 $1", "數值太小：至少為 $1", "too small: at least $1"]],
  [/^Too big: expected number to be <=(\d+)$/, ["数值太大：最多为 $1", "數值太大：最多為 $1", "too big: at most $1"]],
  [/^Unrecognized key: "(.+)"$/, ['无法识别的字段 "$1"（拼写错误？）', '無法識別的欄位 "$1"（拼寫錯誤？）', 'unrecognised key "$1" (a typo?)']],
];
const IDX = { "zh-Hans": 0, "zh-Hant": 1, en: 2 } as const;

export function localIssue(vw: View, i: RuleIssue): string {
  const { t } = vw;
  let reason = i.reason;
  for (const [re, tr] of REASONS)
    if (re.test(reason)) {
      reason = reason.replace(re, tr[IDX[vw.locale]]);
      break;
    }
  const where = [path.basename(i.file), i.rule ? `${t("rl_rule")} "${i.rule}"` : null, i.at ? `${t("rl_issue_at")} ${i.at}` : null].filter(Boolean).join(" · ");
  return `${where}${vw.locale === "en" ? ": " : "："}${reason}`;
}
