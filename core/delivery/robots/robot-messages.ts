// What the offices' group robots are sent, as outbox rows: one row per case (so a burst folds into one
// message that still names every case) in the office's language, with a link to the dashboard. The
// sender (robot-sender.ts) adds PUBLIC_BASE_URL to the link and folds what waits for one robot.
import type { OutMessage } from "../outbox.ts";
import type { CaseBrief, DigestData } from "../../clocks/clock-notices.ts";
import type { RobotProvider } from "./robot-url.ts";

export const ROBOT_METHODS = ["sendWecom", "sendDingtalk"] as const;
export type RobotMethod = (typeof ROBOT_METHODS)[number];
export const robotMethod = (p: RobotProvider): RobotMethod => (p === "wecom" ? "sendWecom" : "sendDingtalk");
export const providerOf = (m: string): RobotProvider => (m === "sendWecom" ? "wecom" : "dingtalk");

/** An office's robot rows share one outbox "chat" per office, far from any Telegram chat id. */
export const ROBOT_CHAT_BASE = -(2n ** 61n); // below Telegram groups (~-1e13), above the SMS queues (-(2^62) down)
export const robotChatId = (officeId: number) => ROBOT_CHAT_BASE - BigInt(officeId);
export const officeOfRobotChat = (chatId: bigint) => Number(ROBOT_CHAT_BASE - chatId);
export const isRobotChat = (chatId: bigint) => chatId <= ROBOT_CHAT_BASE && chatId > -(2n ** 62n);

/** What a robot row carries: a group (folded together), a one-line entry, and the full text alone. */
export type RobotGroup = "escalation" | "extension" | "warning" | "digest" | "bulletin" | "test";
export interface RobotPayload {
  group: RobotGroup;
  locale: string;
  title: string;
  /** One markdown line naming the case (folded messages list these). */
  line: string;
  /** The message when it goes alone. */
  text: string;
  [k: string]: unknown;
}

type L = "zh-Hans" | "zh-Hant" | "en";
const lang = (l?: string | null): L => (l === "zh-Hant" || l === "en" ? l : "zh-Hans");

const HEAD: Record<RobotGroup, Record<L, (n: number) => string>> = {
  escalation: { "zh-Hans": (n) => `${n} 件新升级`, "zh-Hant": (n) => `${n} 件新升級`, en: (n) => `${n} new escalation${n === 1 ? "" : "s"}` },
  extension: { "zh-Hans": (n) => `${n} 件延期申请`, "zh-Hant": (n) => `${n} 件延期申請`, en: (n) => `${n} extension request${n === 1 ? "" : "s"}` },
  warning: { "zh-Hans": (n) => `${n} 条投诉激增预警`, "zh-Hant": (n) => `${n} 條投訴激增預警`, en: (n) => `${n} early warning${n === 1 ? "" : "s"}` },
  digest: { "zh-Hans": (n) => `${n} 份每日汇总`, "zh-Hant": (n) => `${n} 份每日彙總`, en: (n) => `${n} daily digest${n === 1 ? "" : "s"}` },
  bulletin: { "zh-Hans": (n) => `${n} 份月度通报`, "zh-Hant": (n) => `${n} 份月度通報`, en: (n) => `${n} monthly bulletin${n === 1 ? "" : "s"}` },
  test: { "zh-Hans": (n) => `${n} 条测试消息`, "zh-Hant": (n) => `${n} 條測試消息`, en: (n) => `${n} test message${n === 1 ? "" : "s"}` },
};
export const foldHeading = (g: RobotGroup, n: number, locale?: string | null) => HEAD[g][lang(locale)](n);

const T = {
  "zh-Hans": { level: (l: number) => (l === 1 ? "一级升级" : "二级升级"), overdue: "超时", min: "分钟", h: "小时", open: "查看", estate: "小区", category: "类别", company: "物业", test: "测试消息:此机器人已接入投诉平台,升级、延期申请、超时预警、每日汇总与月度通报将发到本群。", bulletin: "月度通报" },
  "zh-Hant": { level: (l: number) => (l === 1 ? "一級升級" : "二級升級"), overdue: "超時", min: "分鐘", h: "小時", open: "查看", estate: "小區", category: "類別", company: "物業", test: "測試消息:此機器人已接入投訴平台,升級、延期申請、超時預警、每日彙總與月度通報將發到本群。", bulletin: "月度通報" },
  en: { level: (l: number) => `Level ${l} escalation`, overdue: "overdue", min: "min", h: "h", open: "Open", estate: "Estate", category: "Category", company: "Company", test: "Test message: this robot is connected to the complaints desk; escalations, extension requests, early warnings, the daily digest and the monthly bulletin will be posted here.", bulletin: "Monthly bulletin" },
};

const late = (m: number, t: (typeof T)[L]) => (m >= 120 ? `${Math.round(m / 60)} ${t.h}` : `${m} ${t.min}`);

/** One row per case of an escalation, for each robot the office has. `link`: a dashboard path. */
export function robotEscalations(office: { id: number; language?: string | null }, providers: RobotProvider[], level: 1 | 2, cases: CaseBrief[], key: string): OutMessage[] {
  const l = lang(office.language);
  const t = T[l];
  const out: OutMessage[] = [];
  for (const p of providers)
    for (const c of cases) {
      const link = `/dashboard/cases/${c.id}`;
      const line = `- **${c.number}** ${c.estate} · ${c.category}${c.urgency === "emergency" ? " ⚠" : ""} · ${t.overdue} ${late(c.minutes, t)} [${t.open}]({base}${link})`;
      const text = [`### ${t.level(level)} ${c.number}`, `> ${t.estate}: ${c.estate}`, `> ${t.category}: ${c.category}`, ...(c.company ? [`> ${t.company}: ${c.company}`] : []), `> ${t.overdue}: ${late(c.minutes, t)}`, `[${t.open}]({base}${link})`].join("\n");
      const payload: RobotPayload = { group: "escalation", locale: l, title: `${t.level(level)} ${c.number}`, line, text };
      out.push({ chatId: robotChatId(office.id), method: robotMethod(p), payload, dedupeKey: `${key}:${p}:${c.id}`, caseId: c.id, kind: "escalation" });
    }
  return out;
}

/** A single-text robot message (digest, extension request, warning, bulletin link, test). */
export function robotNotice(office: { id: number; language?: string | null }, provider: RobotProvider, group: RobotGroup, title: string, text: string, key: string, caseId?: number): OutMessage {
  const payload: RobotPayload = { group, locale: lang(office.language), title, line: `- ${title}`, text };
  return { chatId: robotChatId(office.id), method: robotMethod(provider), payload, dedupeKey: key, ...(caseId ? { caseId } : {}), kind: group === "digest" ? "digest" : group === "warning" ? "warning" : group === "escalation" ? "escalation" : "other" };
}

/** The directory page's "send a test message". */
export function robotTest(office: { id: number; language?: string | null }, provider: RobotProvider, at: Date): OutMessage {
  const t = T[lang(office.language)];
  return robotNotice(office, provider, "test", t.test.split(/[::]/)[0]!, `${t.test}\n[{base}/dashboard]({base}/dashboard)`, `robot-test:${office.id}:${provider}:${at.getTime()}`);
}

/** The monthly bulletin: a link to its PDF (`pdfUrl`: absolute, or a path after {base}). */
export function robotBulletin(office: { id: number; language?: string | null }, provider: RobotProvider, title: string, pdfUrl: string, pageUrl: string, key: string): OutMessage {
  const t = T[lang(office.language)];
  return robotNotice(office, provider, "bulletin", title, `### ${title}\n[PDF](${pdfUrl}) · [${t.open}](${pageUrl})`, key);
}

const W = {
  "zh-Hans": (e: string, s: string, r: number, b: number) => `### 投诉激增预警:${e}\n> ${s} · 近一周 ${r} 件,平时每周约 ${b.toFixed(1)} 件`,
  "zh-Hant": (e: string, s: string, r: number, b: number) => `### 投訴激增預警:${e}\n> ${s} · 近一週 ${r} 件,平時每週約 ${b.toFixed(1)} 件`,
  en: (e: string, s: string, r: number, b: number) => `### Early warning: ${e}\n> ${s} · ${r} cases this week, usually about ${b.toFixed(1)} a week`,
};

/** An early warning (a spike of cases at one estate), for the street office's robots. */
export function robotWarning(office: { id: number; language?: string | null }, provider: RobotProvider, w: { estate: string; street: string; recent: number; baseline: number }, dashboardUrl: string, key: string): OutMessage {
  const l = lang(office.language);
  const text = `${W[l](w.estate, w.street, w.recent, w.baseline)}\n[${T[l].open}](${dashboardUrl})`;
  return robotNotice(office, provider, "warning", text.split("\n")[0]!.replace(/^### /, ""), text, key);
}

const D = {
  "zh-Hans": { title: "每日汇总", esc: "新升级", still: "仍超时", open: "打开工作台" },
  "zh-Hant": { title: "每日彙總", esc: "新升級", still: "仍超時", open: "打開工作台" },
  en: { title: "Daily digest", esc: "New escalations", still: "Still overdue", open: "Open the dashboard" },
};

/** The daily digest for a robot: the counts, the new escalations by number, the dashboard link. */
export function robotDigest(office: { id: number; name: string; language?: string | null }, provider: RobotProvider, d: DigestData, key: string): OutMessage {
  const t = D[lang(office.language)];
  const lines = [`### ${t.title} · ${office.name}`, `> ${t.esc}: ${d.newEscalationCount}`, `> ${t.still}: ${d.stillOverdue}`, ...d.newEscalations.slice(0, 30).map((e) => `- ${e.number} ${e.estate}${e.company ? ` · ${e.company}` : ""}`), `[${t.open}](${d.dashboardUrl})`];
  return robotNotice(office, provider, "digest", `${t.title} · ${office.name}`, lines.join("\n"), key);
}
