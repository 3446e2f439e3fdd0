// What surveys send, as data; the bot renders it (buttons, locale texts) into outbox messages, as
// it does for the clocks (core/clocks/clock-notices.ts). Core decides who, when and how often.
import type { OutMessage } from "../delivery/outbox.ts";
import type { Question } from "./survey-settings.ts";

export interface SurveyRef {
  id: number;
  code: string;
  title: Record<string, string>;
  closesAt: Date | null;
}

export interface QuestionView {
  recipientId: number;
  survey: SurveyRef;
  /** 0-based position; the answer buttons must carry it back so a stale press is refused. */
  index: number;
  total: number;
  question: Question;
}

export interface SurveyRenderer {
  /** `mode`: first = the push's opening message, next = after an answer, resume = /survey, reminder = before closing. */
  question(to: bigint, locale: string, v: QuestionView, mode: "first" | "next" | "resume" | "reminder"): OutMessage;
  thanks(to: bigint, locale: string, survey: SurveyRef): OutMessage;
}

export interface EarlyWarningNotice {
  estate: string;
  street: string;
  day: string;
  recent: number;
  baseline: number;
  factor: number;
}

export interface AssessmentRenderer {
  earlyWarning(to: bigint, n: EarlyWarningNotice): OutMessage;
}

/** Plain zh-Hans text for the street office chat (offices work in Chinese). */
export const zhAssessmentRenderer: AssessmentRenderer = {
  earlyWarning: (to, n) => ({
    chatId: to,
    payload: {
      text:
        `⚠️ 投诉预警｜${n.estate}（${n.street}）\n` +
        `近7天投诉/报修 ${n.recent} 件，前8周周均 ${n.baseline.toFixed(1)} 件，超过 ${n.factor} 倍。\n` +
        `请街道办关注并督促物业公司处理。（${n.day}）`,
    },
  }),
};
