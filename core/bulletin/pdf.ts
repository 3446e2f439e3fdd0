// The bulletin as a PDF (pdfkit), drawn on the server so every office gets the same A4 document in
// its chat and mailbox. Chinese needs a CJK font: WenQuanYi Zen Hei from the system (Debian/Ubuntu
// package fonts-wqy-zenhei; CI installs it). Without it the bulletin is not made and the error says so.
import fs from "node:fs";
import PDFDocument from "pdfkit";
import type { Categories, Locale } from "../cases/categories.ts";
import type { BulletinData, CaseLine, RankRow } from "./compose.ts";
import { bulletinText, bulletinTitle, campaignLineText, count, enough, localMinute, rateText } from "./labels.ts";

export const CJK_FONT_CANDIDATES = ["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"];
// The PostScript name picks the face inside the .ttc collection.
const CJK_FAMILY = "WenQuanYiZenHei";

export class FontMissingError extends Error {}

export function cjkFont(candidates = CJK_FONT_CANDIDATES): string {
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new FontMissingError(`no Chinese font for the bulletin PDF: install fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei); looked for ${candidates.join(", ")}`);
  return found;
}

const COLORS = ["#2b6cb0", "#2f855a", "#c05621"];

// The font file (17 MB) read once per process, not once per PDF.
const fontBytes = new Map<string, Buffer>();
const fontData = (file: string) => fontBytes.get(file) ?? fontBytes.set(file, fs.readFileSync(file)).get(file)!;

/** The bulletin drawn in one language: labels, month name, percents and counts in `locale`. */
export function bulletinPdf(b: BulletinData, o: { locale: Locale; timezone: string; categories: Categories; scopeName: string; font?: string }): Promise<Buffer> {
  const font = fontData(o.font ?? cjkFont());
  const tx = (k: string, v?: Record<string, string | number>) => bulletinText(o.locale, k, v);
  const title = bulletinTitle(b.month, o.locale);
  const min = b.minSample ?? 0;
  const doc = new PDFDocument({ size: "A4", margin: 42, lang: o.locale, info: { Title: `${title} · ${o.scopeName}`, Subject: tx("bu_bulletins") } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("cjk", font, CJK_FAMILY);
  doc.font("cjk");
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const heading = (s: string) => {
    ensure(40);
    doc.moveDown(0.6).fontSize(13).fillColor("#1a202c").text(s, left, doc.y, { width });
    doc.moveDown(0.3).fontSize(9);
  };
  const table = (headers: string[], rows: string[][], widths: number[]) => {
    const xs = widths.reduce<number[]>((acc, w, i) => [...acc, (acc[i - 1] ?? left) + (i ? widths[i - 1]! : 0)], []);
    const row = (cells: string[], bold: boolean) => {
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 4 }))) + 4;
      // A table that runs onto the next page repeats its header there.
      if (!bold && doc.y + h > bottom()) {
        doc.addPage();
        row(headers, true);
      }
      ensure(h);
      const y = doc.y;
      if (bold) doc.rect(left, y - 1, width, h).fill("#edf2f7").fillColor("#1a202c");
      cells.forEach((c, i) => doc.fillColor("#1a202c").text(c, xs[i]! + 2, y + 1, { width: widths[i]! - 4 }));
      doc.x = left;
      doc.y = y + h;
      doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.3).strokeColor("#cbd5e0").stroke();
    };
    doc.fontSize(9);
    row(headers, true);
    for (const r of rows) row(r, false);
  };
  const rates = (r: RankRow) => [
    rateText(o.locale, r.counts.responseOk, r.counts.responseDue, min),
    rateText(o.locale, r.counts.resolutionOk, r.counts.resolutionDue, min),
    rateText(o.locale, r.counts.satisfied, r.counts.answers, min),
  ];
  const rateHeads = [tx("bu_response"), tx("bu_resolution"), tx("bu_satisfaction")];
  /** Ranked rows numbered; unrated ones (every rate under the minimum sample) under "未评定", no number. */
  const rankTable = (rows: RankRow[], unrated: RankRow[], unratedHeading: string) => {
    if (rows.length === 0 && unrated.length === 0) return void doc.text(tx("bu_none"), left, doc.y, { width });
    if (rows.length > 0)
      table([tx("bu_rank"), tx("bu_name"), tx("bu_cases"), ...rateHeads], rows.map((r, i) => [count(i + 1, o.locale), r.label, count(r.cases, o.locale), ...rates(r)]), [34, width - 34 - 46 - 3 * 100, 46, 100, 100, 100]);
    if (unrated.length > 0) {
      doc.moveDown(0.4).fontSize(10).fillColor("#1a202c").text(unratedHeading, left, doc.y, { width });
      doc.moveDown(0.2);
      table([tx("bu_class_unrated"), tx("bu_name"), tx("bu_cases"), ...rateHeads], unrated.map((r) => ["—", r.label, count(r.cases, o.locale), ...rates(r)]), [34, width - 34 - 46 - 3 * 100, 46, 100, 100, 100]);
    }
  };
  const caseTable = (lines: CaseLine[], total: number) => {
    if (lines.length === 0) return void doc.text(tx("bu_none"));
    table(
      [tx("bu_number"), tx("bu_estate"), tx("bu_company"), tx("bu_category"), tx("bu_filed")],
      lines.map((c) => [c.number, c.estate, c.company ?? tx("bu_no_company"), o.categories.label(c.category, o.locale), localMinute(c.createdAt, o.timezone)]),
      [90, 100, 110, width - 90 - 100 - 110 - 110, 110],
    );
    if (total > lines.length) doc.moveDown(0.2).text(tx("bu_more", { n: total - lines.length }));
  };

  doc.fontSize(18).fillColor("#1a202c").text(title, { align: "center", width });
  doc.moveDown(0.2).fontSize(11).text(o.scopeName, { align: "center", width });
  doc.moveDown(0.2).fontSize(8).fillColor("#4a5568").text(`${tx("bu_generated")}${tx("bu_colon")}${localMinute(b.generatedAt, o.timezone)}`, { align: "center", width });
  doc.moveDown(0.8).fontSize(11).fillColor("#1a202c").text(tx("bu_totals", b.totals), left, doc.y, { width });

  heading(tx("bu_rank_companies"));
  rankTable(b.companies, b.companiesUnrated ?? [], tx("bu_unrated_companies"));
  doc.moveDown(0.2).fontSize(8).fillColor("#4a5568").text(tx("bu_rank_note", { min }), left, doc.y, { width });
  drawChart(doc, b.companies, { left, width, ensure, tx, min });
  heading(tx("bu_rank_estates"));
  rankTable(b.estates, b.estatesUnrated ?? [], tx("bu_unrated_estates"));
  heading(tx("bu_missed_n", { title: tx("bu_missed"), n: b.totals.missed }));
  caseTable(b.missed, b.totals.missed);
  heading(tx("bu_missed_n", { title: tx("bu_repeats"), n: b.totals.repeats }));
  caseTable(b.repeats, b.totals.repeats);
  heading(tx("bu_board"));
  if (b.boardChanges.length === 0) doc.text(tx("bu_board_none"), left, doc.y, { width });
  else
    table(
      [tx("bu_estate"), tx("bu_change")],
      b.boardChanges.map((c) => [c.estate, `${c.from ? tx(`bu_class_${c.from}`) : tx("bu_class_new")} → ${tx(`bu_class_${c.to}`)}`]),
      [width / 2, width / 2],
    );
  if (b.campaigns) {
    heading(tx("bu_campaigns"));
    if (b.campaigns.length === 0) doc.text(tx("bu_campaigns_none"), left, doc.y, { width });
    for (const c of b.campaigns) doc.fontSize(10).fillColor("#1a202c").text(campaignLineText(o.locale, c), left, doc.y, { width }).moveDown(0.3);
  }
  doc.end();
  return done;
}

/** Grouped bars: each ranked company's three rates, 0–100 %; a rate under the minimum sample has no bar. */
function drawChart(doc: PDFKit.PDFDocument, rows: RankRow[], o: { left: number; width: number; ensure: (h: number) => void; tx: (k: string) => string; min: number }) {
  if (rows.length === 0) return;
  const h = 120;
  o.ensure(h + 50);
  doc.moveDown(0.6).fontSize(10).fillColor("#1a202c").text(o.tx("bu_chart"), o.left, doc.y);
  const top = doc.y + 6;
  const legend = ["bu_response", "bu_resolution", "bu_satisfaction"];
  legend.forEach((k, i) => {
    doc.rect(o.left + i * 90, top, 8, 8).fill(COLORS[i]!);
    doc.fillColor("#1a202c").fontSize(8).text(o.tx(k), o.left + i * 90 + 12, top - 1);
  });
  const base = top + 18 + h;
  const group = Math.min(90, o.width / rows.length);
  rows.slice(0, 12).forEach((r, gi) => {
    [r.responseRate, r.resolutionRate, r.satisfactionRate].forEach((v, i) => {
      const n = [r.counts.responseDue, r.counts.resolutionDue, r.counts.answers][i]!;
      if (v === null || !enough(n, o.min)) return;
      const bh = Math.max(1, v * h);
      doc.rect(o.left + gi * group + 6 + i * ((group - 12) / 3), base - bh, (group - 12) / 3 - 2, bh).fill(COLORS[i]!);
    });
    doc.fillColor("#1a202c").fontSize(7).text(r.label, o.left + gi * group, base + 3, { width: group, align: "center", height: 20, ellipsis: true });
  });
  doc.moveTo(o.left, base).lineTo(o.left + o.width, base).lineWidth(0.5).strokeColor("#718096").stroke();
  doc.x = o.left;
  doc.y = base + 24;
}
