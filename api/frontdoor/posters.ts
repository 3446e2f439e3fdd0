// Printable QR posters for the front door (A4 PDF, pdfkit; QR by `qrcode`, drawn as vector squares):
// one poster per estate or building — title, what to do, the QR, the estate's name, the public
// board's link — and a sticker sheet per building, one small QR per unit entrance. Chinese text
// needs a CJK font: POSTER_FONT (default: WenQuanYi Zen Hei, Debian/Ubuntu fonts-wqy-zenhei).
import fs from "node:fs";
import PDFDocument from "pdfkit";
import { isIP } from "node:net";
import QRCode from "qrcode";
import { privateAddress } from "../rest/open311/public-fetch.ts";

export const DEFAULT_POSTER_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

export class PosterFontMissing extends Error {}

/** Why a QR made for this PUBLIC_BASE_URL would not open on a resident's phone, or null when it
 *  would: this machine (localhost, 127.x), a private network or a one-word host name, or plain http
 *  (WeChat warns on it, cookies are not Secure, Telegram refuses it for the Mini App). */
export type BaseUrlProblem = "localhost" | "private" | "http";
export function baseUrlProblem(base: string): BaseUrlProblem | null {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return "private";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "::1") return "localhost";
  if (privateAddress(host) || (!host.includes(".") && isIP(host) === 0) || host.endsWith(".local") || host.endsWith(".internal") || host.endsWith(".lan")) return "private";
  if (url.protocol !== "https:") return "http";
  return null;
}

/** The start log's line on the front door: /r on or off, and why; whether posters can be made. */
export function frontDoorState(c: { FRONTDOOR_SECRET?: string | undefined; PUBLIC_BASE_URL: string }, baseSet: boolean): string {
  if (!c.FRONTDOOR_SECRET) return "front door /r OFF: FRONTDOOR_SECRET is not set (≥ 32 characters, e.g. openssl rand -base64 36); the posters page says so";
  const problem = baseUrlProblem(c.PUBLIC_BASE_URL);
  const why = { localhost: "is this machine", private: "is a private address", http: "is plain http" } as const;
  if (!problem) return `front door /r ON at ${c.PUBLIC_BASE_URL}/r; QR posters ready`;
  return `front door /r ON, but posters are refused: PUBLIC_BASE_URL ${baseSet ? c.PUBLIC_BASE_URL : `is not set (${c.PUBLIC_BASE_URL})`} ${baseSet ? why[problem] : ""} — set it to the public https address residents reach`.replace(/ +—/, " —");
}

const MM = 72 / 25.4;
const A4 = { width: 595.28, height: 841.89 };

function newDoc(fontPath: string, title: string) {
  if (!fs.existsSync(fontPath)) {
    throw new PosterFontMissing(`no CJK font at ${fontPath}: install fonts-wqy-zenhei (apt-get install fonts-wqy-zenhei) or set POSTER_FONT to a TTF/OTF/TTC with Chinese glyphs`);
  }
  const doc = new PDFDocument({ size: "A4", margin: 0, info: { Title: title, Creator: "estate-frontdoor" } });
  // A .ttc holds several faces: the first one (WenQuanYi Zen Hei) by its PostScript name.
  doc.registerFont("cjk", fontPath, fontPath.endsWith(".ttc") ? "WenQuanYiZenHei" : undefined);
  doc.font("cjk");
  return doc;
}

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    doc.on("data", (b: Buffer) => parts.push(b));
    doc.on("end", () => resolve(Buffer.concat(parts)));
    doc.on("error", reject);
    doc.end();
  });
}

/** The QR's modules (true = dark), as the poster draws them; tests decode the same matrix. */
export function qrMatrix(url: string): boolean[][] {
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  return Array.from({ length: n }, (_, y) => Array.from({ length: n }, (_, x) => qr.modules.get(y, x) === 1));
}

function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const m = qrMatrix(url);
  const quiet = 4;
  const cell = size / (m.length + 2 * quiet);
  doc.save().rect(x, y, size, size).fill("#ffffff");
  doc.fillColor("#000000");
  m.forEach((row, r) => row.forEach((dark, c) => dark && doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell + 0.05, cell + 0.05)));
  doc.fill().restore();
}

export interface PosterInput {
  estateName: string;
  buildingName?: string | null;
  url: string;
  boardUrl: string;
  fontPath: string;
}

export async function posterPdf(p: PosterInput): Promise<Buffer> {
  const place = p.buildingName ? `${p.estateName} · ${p.buildingName}` : p.estateName;
  const doc = newDoc(p.fontPath, `扫码报修 · ${place}`);
  const center = (text: string, y: number, size: number, color = "#111111") => doc.fillColor(color).fontSize(size).text(text, 0, y, { width: A4.width, align: "center" });
  doc.rect(0, 0, A4.width, 48 * MM).fill("#0b5cad");
  center("扫码报修 · 投诉 · 建议", 14 * MM, 34, "#ffffff");
  center("物业问题，手机扫一扫，一页提交", 30 * MM, 16, "#ffffff");
  center(place, 58 * MM, 26);
  const qrSize = 110 * MM;
  drawQr(doc, p.url, (A4.width - qrSize) / 2, 72 * MM, qrSize);
  const steps = ["1. 用微信或手机相机扫描上方二维码", "2. 第一次使用：选择您的楼栋和单元登记（只需一次）", "3. 写下问题、拍照，点“提交”，马上得到案件编号", "4. 在“我的案件”查看处理进度，处理完请确认是否解决"];
  doc.fillColor("#111111").fontSize(15);
  steps.forEach((s, i) => doc.text(s, 30 * MM, 192 * MM + i * 10 * MM, { width: A4.width - 60 * MM }));
  center("紧急情况（有人被困、燃气泄漏、火情）请先拨打 119 / 110 / 120", 236 * MM, 12, "#a11111");
  center(`小区红黑榜：${p.boardUrl}`, 250 * MM, 11, "#333333");
  center(p.url, 258 * MM, 8, "#666666");
  return finish(doc);
}

export interface StickerInput {
  estateName: string;
  buildingName: string;
  url: string;
  units: string[];
  fontPath: string;
}

/** A4 sheets of 3 × 4 stickers (one per unit entrance), each with the building's QR and the unit's name. */
export async function stickerPdf(p: StickerInput): Promise<Buffer> {
  const doc = newDoc(p.fontPath, `扫码报修贴纸 · ${p.estateName} ${p.buildingName}`);
  const cols = 3;
  const rows = 4;
  const w = (A4.width - 20 * MM) / cols;
  const h = (A4.height - 20 * MM) / rows;
  const labels = p.units.length > 0 ? p.units : [""];
  labels.forEach((unit, i) => {
    if (i > 0 && i % (cols * rows) === 0) doc.addPage({ size: "A4", margin: 0 });
    const k = i % (cols * rows);
    const x = 10 * MM + (k % cols) * w;
    const y = 10 * MM + Math.floor(k / cols) * h;
    doc.save().lineWidth(0.5).dash(3, { space: 3 }).strokeColor("#999999").rect(x + 2, y + 2, w - 4, h - 4).stroke().restore();
    doc.fillColor("#0b5cad").fontSize(13).text("扫码报修 · 投诉", x, y + 5 * MM, { width: w, align: "center" });
    const q = Math.min(w, h) - 26 * MM;
    drawQr(doc, p.url, x + (w - q) / 2, y + 12 * MM, q);
    doc.fillColor("#111111").fontSize(11).text(`${p.estateName} ${p.buildingName} ${unit}`.trim(), x + 2 * MM, y + 14 * MM + q, { width: w - 4 * MM, align: "center" });
  });
  return finish(doc);
}
