// Why a questionnaire (or a survey form) was refused, in the survey's languages. zod's own locales still
// name types in English ("期望 string"), and a schema's own messages ("at least 2 options") are English:
// this error map and table word both for an office clerk, with the place in words ("第2题 · 选项").
import type { z } from "zod";
/** The survey languages (survey-settings.ts SURVEY_LOCALES; not imported from there, which imports this). */
type SurveyLocale = "zh-Hans" | "zh-Hant" | "en";

type Words = Record<SurveyLocale, string>;
const w = (zhHans: string, zhHant: string, en: string): Words => ({ "zh-Hans": zhHans, "zh-Hant": zhHant, en });

const TYPES: Record<string, Words> = {
  string: w("文字", "文字", "text"),
  number: w("数字", "數字", "a number"),
  array: w("列表", "列表", "a list"),
  object: w("对象（{ … }）", "物件（{ … }）", "an object ({ … })"),
  boolean: w("是/否", "是/否", "true or false"),
};

/** The schemas' own messages (survey-settings.ts), in the three languages. */
const CUSTOM: Record<string, Words> = {
  "lower-case letters, digits, _ or -, at most 32": w("只能用小写字母、数字、_ 或 -，最多32个字符", "只能用小寫字母、數字、_ 或 -，最多32個字元", "lower-case letters, digits, _ or -, at most 32"),
  "lower-case letters, digits, _ or -, at most 16": w("只能用小写字母、数字、_ 或 -，最多16个字符", "只能用小寫字母、數字、_ 或 -，最多16個字元", "lower-case letters, digits, _ or -, at most 16"),
  "a choice needs at least 2 options": w("选择题至少要有2个选项", "選擇題至少要有2個選項", "a choice needs at least 2 options"),
  "at most 8 options": w("最多8个选项", "最多8個選項", "at most 8 options"),
  "option values must be unique": w("选项的值不能重复", "選項的值不能重複", "option values must be unique"),
  "at least one question": w("至少要有一道题", "至少要有一道題", "at least one question"),
  "at most 12 questions": w("最多12道题", "最多12道題", "at most 12 questions"),
  "question ids must be unique": w("题目编号不能重复", "題目編號不能重複", "question ids must be unique"),
};

const fill = (s: string, vars: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m));

/** A zod error map for a parse in `locale` (schema messages are translated afterwards by `surveyMessage`). */
export function surveyErrorMap(locale: SurveyLocale): z.core.$ZodErrorMap {
  return (iss) => {
    const type = (t: unknown) => TYPES[String(t)]?.[locale] ?? String(t);
    switch (iss.code) {
      case "invalid_type":
        return iss.input === undefined ? w("必须填写", "必須填寫", "required")[locale] : fill(w("应为{t}", "應為{t}", "expected {t}")[locale], { t: type(iss.expected) });
      case "too_small":
        if (iss.origin === "string" && Number(iss.minimum) <= 1) return w("不能为空", "不能為空", "must not be empty")[locale];
        return fill((iss.origin === "array" ? w("至少 {n} 项", "至少 {n} 項", "at least {n} items") : iss.origin === "string" ? w("至少 {n} 个字符", "至少 {n} 個字元", "at least {n} characters") : w("至少为 {n}", "至少為 {n}", "at least {n}"))[locale], { n: Number(iss.minimum) });
      case "too_big":
        return fill((iss.origin === "array" ? w("最多 {n} 项", "最多 {n} 項", "at most {n} items") : iss.origin === "string" ? w("最多 {n} 个字符", "最多 {n} 個字元", "at most {n} characters") : w("最多为 {n}", "最多為 {n}", "at most {n}"))[locale], { n: Number(iss.maximum) });
      case "invalid_value":
        return fill(w("应为以下之一：{v}", "應為以下之一：{v}", "expected one of: {v}")[locale], { v: iss.values.map(String).join("、") });
      case "unrecognized_keys":
        return fill(w("无法识别的字段：{k}（拼写错误？）", "無法識別的欄位：{k}（拼寫錯誤？）", "unrecognised keys: {k} (a typo?)")[locale], { k: iss.keys.join("、") });
      case "invalid_union":
        return w("题型应为 scale（1–5 分）或 choice（选择题）", "題型應為 scale（1–5 分）或 choice（選擇題）", 'type must be "scale" (1–5) or "choice"')[locale];
      case "invalid_format":
        return w("格式不对", "格式不對", "wrong format")[locale];
      default:
        return undefined;
    }
  };
}

/** A schema's own English message in `locale` (others are already worded by the error map). */
export const surveyMessage = (message: string, locale: SurveyLocale) => CUSTOM[message]?.[locale] ?? message;

const PLACES: Record<string, Words> = {
  code: w("代码", "代碼", "code"),
  title: w("标题", "標題", "title"),
  text: w("题目文字", "題目文字", "question text"),
  label: w("选项文字", "選項文字", "option text"),
  id: w("编号", "編號", "id"),
  type: w("题型", "題型", "type"),
  value: w("值", "值", "value"),
  "zh-Hans": w("简体", "簡體", "zh-Hans"),
  "zh-Hant": w("繁体", "繁體", "zh-Hant"),
  en: w("英文", "英文", "en"),
};

/** ["questions", 1, "options", 0, "label", "en"] → 第2题 · 第1个选项 · 选项文字 · 英文 */
export function surveyPlace(path: readonly PropertyKey[], locale: SurveyLocale): string {
  const out: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const k = path[i];
    const next = path[i + 1];
    if ((k === "questions" || k === "options") && typeof next === "number") {
      out.push(fill((k === "questions" ? w("第{n}题", "第{n}題", "question {n}") : w("第{n}个选项", "第{n}個選項", "option {n}"))[locale], { n: next + 1 }));
      i++;
    } else if (k === "questions" || k === "options") out.push((k === "questions" ? w("题目", "題目", "questions") : w("选项", "選項", "options"))[locale]);
    else out.push(PLACES[String(k)]?.[locale] ?? String(k));
  }
  return out.join(" · ") || w("整个问卷", "整個問卷", "the questionnaire")[locale];
}
