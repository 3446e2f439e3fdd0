// Survey messages as residents read them, in their locale: core/surveys/surveys.ts decides who and when,
// this turns a question into text and answer buttons (the outbox stores the markup as JSON).
import type { I18n } from "@grammyjs/i18n";
import type { Locale } from "../../core/cases/categories.ts";
import type { QuestionView, SurveyRenderer } from "../../core/surveys/survey-notices.ts";
import { SURVEY_LOCALES } from "../../core/surveys/survey-settings.ts";
import type { BotContext } from "../context.ts";
import { toLocale, translator } from "../i18n.ts";
import { surveyKeyboard } from "../keyboards.ts";
import { formatTime } from "./format.ts";

export function createSurveyRenderer(d: { i18n: I18n<BotContext>; defaultLocale: Locale; timezone: string }): SurveyRenderer {
  const pick = (text: Record<string, string>, l: Locale) => text[(SURVEY_LOCALES as readonly string[]).includes(l) ? l : "zh-Hans"] ?? text["zh-Hans"] ?? "";
  return {
    question(to, locale, v: QuestionView, mode) {
      const l = toLocale(locale, d.defaultLocale);
      const t = translator(d.i18n, l);
      const title = pick(v.survey.title, l);
      const lines: string[] = [];
      if (mode === "first") lines.push(t("sv-intro", { title, n: v.total }));
      if (mode === "reminder") lines.push(t("sv-reminder", { title, until: formatTime(v.survey.closesAt, d.timezone) ?? "" }));
      if (mode === "resume") lines.push(t("sv-resume", { title }));
      lines.push(t("sv-question", { i: v.index + 1, n: v.total, text: pick(v.question.text, l) }));
      if (mode === "first") lines.push(t("sv-later"));
      const options = v.question.type === "choice" ? v.question.options.map((o) => pick(o.label, l)) : null;
      return { chatId: to, payload: { text: lines.join("\n\n"), reply_markup: surveyKeyboard(t, v.recipientId, v.index, options) } };
    },
    thanks(to, locale, s) {
      const l = toLocale(locale, d.defaultLocale);
      return { chatId: to, payload: { text: translator(d.i18n, l)("sv-thanks", { title: pick(s.title, l) }) } };
    },
  };
}
