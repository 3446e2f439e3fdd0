// The campaign's two documents, drawn with pdfkit in the WenQuanYi font the bulletin uses: an estate's
// rectification file (整改档案: every problem with its history) and the rectification notice
// (整改通知书) to the responsible unit after a failed acceptance round.
import PDFDocument from "pdfkit";
import fs from "node:fs";
import type { Locale } from "../../cases/categories.ts";
import { cjkFont } from "../../bulletin/pdf.ts";
import { localStamp } from "../../delivery/table-export.ts";
import { ledgerText } from "./labels.ts";
import { categoryName, type CampaignSettings } from "../settings.ts";

const CJK_FAMILY = "WenQuanYiZenHei";
const fontBytes = new Map<string, Buffer>();
const fontData = (file: string) => fontBytes.get(file) ?? fontBytes.set(file, fs.readFileSync(file)).get(file)!;

function open(title: string, locale: Locale, font?: string) {
  const doc = new PDFDocument({ size: "A4", margin: 48, lang: locale, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("cjk", fontData(font ?? cjkFont()), CJK_FAMILY);
  doc.font("cjk");
  return { doc, done };
}

export interface PdfProblem {
  seq: number;
  category: string;
  description: string;
  building: string | null;
  place: string | null;
  responsibleName: string;
  measure: string | null;
  deadline: Date | null;
  state: string;
  rounds: number;
  closedAt: Date | null;
  revisitResult: string | null;
  recheckDue: Date | null;
  events: { at: Date; action: string; note: string | null }[];
}

export interface PdfOptions {
  locale: Locale;
  timezone: string;
  settings: CampaignSettings;
  font?: string;
}

const ACTION: Record<string, [string, string, string]> = {
  register: ["登记", "登記", "registered"],
  propose: ["提出整改措施", "提出整改措施", "measure proposed"],
  approve: ["审核通过措施", "審核通過措施", "measure approved"],
  set_measure: ["确定整改措施", "確定整改措施", "measure set"],
  progress: ["整改进展", "整改進展", "progress"],
  submit: ["申请验收", "申請驗收", "submitted for acceptance"],
  pass: ["验收合格", "驗收合格", "acceptance passed"],
  fail: ["验收不合格", "驗收不合格", "acceptance failed"],
  revisit_answer: ["回访", "回訪", "follow-up answer"],
  close: ["销号", "銷號", "closed"],
  recheck_pass: ["回头看：未复发", "回頭看：未復發", "re-check: not found again"],
  recheck_fail: ["回头看：复发", "回頭看：復發", "re-check: found again"],
  reopen: ["重新整改", "重新整改", "reopened"],
  escalate: ["超时升级", "逾時升級", "escalated (overdue)"],
};
export const actionName = (action: string, locale: Locale) => ACTION[action]?.[["zh-Hans", "zh-Hant", "en"].indexOf(locale)] ?? action;

/** 整改档案 of one estate. */
export function estateFilePdf(campaignName: string, estateName: string, problems: PdfProblem[], o: PdfOptions): Promise<Buffer> {
  const t = ledgerText(o.locale);
  const day = (d: Date | null) => (d ? localStamp(d, o.timezone).slice(0, 10) : "—");
  const { doc, done } = open(`${estateName} · ${t("estate_file")}`, o.locale, o.font);
  doc.fontSize(16).text(`${estateName} ${t("estate_file")}`, { align: "center" });
  doc.moveDown(0.3).fontSize(10).fillColor("#4a5568").text(campaignName, { align: "center" }).fillColor("#1a202c");
  doc.moveDown();
  for (const p of problems) {
    doc.fontSize(12).text(`${t("col_seq")} ${p.seq} · ${categoryName(o.settings, p.category, o.locale)} · ${t(`st_${p.state}`)}`);
    doc.fontSize(9);
    doc.text(`${t("col_description")}：${[p.building, p.place, p.description].filter(Boolean).join(" · ")}`);
    doc.text(`${t("col_unit")}：${p.responsibleName}　${t("col_deadline")}：${day(p.deadline)}　${t("col_rounds")}：${p.rounds}`);
    if (p.measure) doc.text(`${t("col_measure")}：${p.measure}`);
    doc.text(`${t("col_closed")}：${day(p.closedAt)}　${t("col_revisit")}：${p.revisitResult ? t(`rv_${p.revisitResult}`) : "—"}　${t("col_recheck_due")}：${day(p.recheckDue)}`);
    for (const e of p.events) doc.fillColor("#4a5568").text(`  ${localStamp(e.at, o.timezone)}  ${actionName(e.action, o.locale)}${e.note ? `：${e.note}` : ""}`);
    doc.fillColor("#1a202c").moveDown(0.6);
  }
  if (problems.length === 0) doc.fontSize(11).text("—");
  doc.end();
  return done;
}

export interface NoticeData {
  campaignName: string;
  estateName: string;
  unit: string;
  seq: number;
  category: string;
  description: string;
  round: number;
  reasons: string;
  newDeadline: Date;
  issuedAt: Date;
  issuer: string;
}

/** 整改通知书 after a failed round: what failed, why, and the new deadline. */
export function noticePdf(n: NoticeData, o: PdfOptions): Promise<Buffer> {
  const t = ledgerText(o.locale);
  const { doc, done } = open(`${t("notice_title")} · ${n.estateName} #${n.seq}`, o.locale, o.font);
  const lines =
    o.locale === "en"
      ? [
          `To: ${n.unit}`,
          `In the campaign "${n.campaignName}", problem no. ${n.seq} at ${n.estateName} (${categoryName(o.settings, n.category, o.locale)}: ${n.description}) failed acceptance round ${n.round}.`,
          `Reasons: ${n.reasons}`,
          `Rectify it again by ${localStamp(n.newDeadline, o.timezone)} and apply for acceptance. A failed round is recorded against the responsible unit.`,
        ]
      : [
          `${n.unit}：`,
          `在“${n.campaignName}”中，${n.estateName} 第 ${n.seq} 号问题（${categoryName(o.settings, n.category, o.locale)}：${n.description}）第 ${n.round} 轮验收不合格。`,
          `${o.locale === "zh-Hant" ? "不合格原因" : "不合格原因"}：${n.reasons}`,
          o.locale === "zh-Hant"
            ? `請於 ${localStamp(n.newDeadline, o.timezone)} 前整改完畢並申請驗收。驗收不合格將記入責任單位。`
            : `请于 ${localStamp(n.newDeadline, o.timezone)} 前整改完毕并申请验收。验收不合格将记入责任单位。`,
        ];
  doc.fontSize(18).text(t("notice_title"), { align: "center" });
  doc.moveDown(1.2).fontSize(11);
  for (const l of lines) doc.text(l, { lineGap: 4 }).moveDown(0.5);
  doc.moveDown(2).text(n.issuer, { align: "right" }).text(localStamp(n.issuedAt, o.timezone).slice(0, 10), { align: "right" });
  doc.end();
  return done;
}
