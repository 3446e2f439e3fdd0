// The yearly evaluation as an A4 PDF (pdfkit, the WenQuanYi font the bulletin and the campaign ledger
// use: core/bulletin/pdf.ts `cjkFont`). It draws what it is given — title, period, paragraphs and
// tables already in words in the reader's language — so the page and the PDF say the same thing.
import fs from "node:fs";
import PDFDocument from "pdfkit";
import { cjkFont } from "../bulletin/pdf.ts";

const CJK_FAMILY = "WenQuanYiZenHei";
const fontBytes = new Map<string, Buffer>();
const fontData = (file: string) => fontBytes.get(file) ?? fontBytes.set(file, fs.readFileSync(file)).get(file)!;

export type PdfBlock = { heading: string } | { text: string } | { table: { headers: string[]; rows: string[][]; widths: number[] } };

export function evaluationPdf(title: string, blocks: PdfBlock[], o: { locale: string; font?: string }): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 42, lang: o.locale, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("cjk", fontData(o.font ?? cjkFont()), CJK_FAMILY);
  doc.font("cjk");
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  doc.fontSize(16).fillColor("#1a202c").text(title, left, doc.y, { width });
  for (const b of blocks) {
    if ("heading" in b) {
      if (doc.y + 40 > bottom()) doc.addPage();
      doc.moveDown(0.6).fontSize(12).fillColor("#1a202c").text(b.heading, left, doc.y, { width });
      doc.moveDown(0.2);
    } else if ("text" in b) {
      doc.fontSize(9).fillColor("#1a202c").text(b.text, left, doc.y, { width });
      doc.moveDown(0.2);
    } else {
      const { headers, rows, widths } = b.table;
      const scale = width / widths.reduce((a, w) => a + w, 0);
      const ws = widths.map((w) => w * scale);
      const xs = ws.map((_, i) => left + ws.slice(0, i).reduce((a, w) => a + w, 0));
      const row = (cells: string[], head: boolean) => {
        doc.fontSize(9);
        const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: ws[i]! - 4 }))) + 4;
        if (doc.y + h > bottom()) {
          doc.addPage();
          if (!head) row(headers, true); // a table running onto the next page repeats its header
        }
        const y = doc.y;
        if (head) doc.rect(left, y - 1, width, h).fill("#edf2f7");
        cells.forEach((c, i) => doc.fillColor("#1a202c").text(c, xs[i]! + 2, y + 1, { width: ws[i]! - 4 }));
        doc.x = left;
        doc.y = y + h;
        doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.3).strokeColor("#cbd5e0").stroke();
      };
      row(headers, true);
      for (const r of rows) row(r, false);
      doc.moveDown(0.4);
    }
  }
  doc.end();
  return done;
}
