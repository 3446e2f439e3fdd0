// The monthly bulletin over a month of history made on a fake clock: stored once per scope, its PDF
// opens and says what the figures API says for the same month (rates with n, 数据不足 under the
// minimum sample, such rows apart as 未评定), it is sent once to each office's chat and mailbox in the
// office's language (the PDF attached, in that language too), and the archive pages are scoped by office.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { PDFParse } from "pdf-parse";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { makeMonthlyBulletins, bulletinDocuments, type BulletinDeps } from "../../core/bulletin/monthly.ts";
import { rateText } from "../../core/bulletin/labels.ts";
import type { BulletinData, RankRow } from "../../core/bulletin/compose.ts";
import type { FigureRow } from "../../core/assessment/figures.ts";
import { mailTransport } from "../../core/delivery/mail.ts";
import { CJK_FONT_CANDIDATES } from "../../core/bulletin/pdf.ts";
import fs from "node:fs";
import path from "node:path";
import { createCampaign } from "../../core/campaigns/campaigns.ts";
import { applyProblemAction, registerProblem, type CampaignDeps } from "../../core/campaigns/problems.ts";
import { loadCampaignSettings } from "../../core/campaigns/settings.ts";
import { WorkCalendar } from "../../core/clocks/work-calendar.ts";
import { InputFile, type Api } from "grammy";
import { createTransport } from "../../bot/transport/transport.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const fontPresent = CJK_FONT_CANDIDATES.some((f) => fs.existsSync(f));
const MIN = 5; // rules/assessment.json classification.minSample

async function pdfText(pdf: Buffer): Promise<string> {
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const text = (await parser.getText()).text.replace(/\s+/g, "");
  await parser.destroy();
  return text;
}
const squash = (s: string) => s.replace(/\s+/g, "");
/** The rates of a row as the bulletin writes them, e.g. "83.3% · 5/6" or "数据不足 · 2/3". */
const ratesOf = (r: RankRow | FigureRow, locale: "zh-Hans" | "en") => [
  rateText(locale, r.counts.responseOk, r.counts.responseDue, MIN),
  rateText(locale, r.counts.resolutionOk, r.counts.resolutionDue, MIN),
  rateText(locale, r.counts.satisfied, r.counts.answers, MIN),
];

describe.skipIf(!fontPresent)("monthly bulletin (定期通报)", () => {
  let f: OfficeFixture;
  let deps: BulletinDeps;
  const at = (s: string) => f.clock.set(new Date(`${s}+08:00`));

  beforeAll(async () => {
    f = await officeApp();
    deps = { db: f.db.prisma, clock: f.clock, timezone: "Asia/Shanghai", categories: f.office.categories, defaultLocale: "zh-Hans", minSample: () => MIN, dashboardUrl: "http://localhost:3000/dashboard", email: true };
    const p = f.db.prisma;
    await p.office.updateMany({ where: { level: "district" }, data: { chatId: -1001, email: "district@example.org" } });
    const dongcheng = await p.street.findUniqueOrThrow({ where: { code: "dongcheng" } });
    // The street office reads English: its chat gets the English caption and PDF.
    await p.office.updateMany({ where: { level: "street", streetId: dongcheng.id }, data: { chatId: -1002, email: null, language: "en" } });
    // November 2026: cases across estates; some answered in time, some late, one reopened, some rated.
    // 华美 (和平) and 安居 (幸福, 锦绣) have enough cases to rank; 绿苑 (春晖) has 2, under the minimum sample of 5.
    const estates = [...Array(8).fill("heping"), ...Array(6).fill("xingfu"), "jinxiu", "jinxiu", "chunhui", "chunhui"];
    for (let i = 0; i < estates.length; i++) {
      at(`2026-11-${String(3 + i).padStart(2, "0")}T10:00:00`);
      const c = await f.file(estates[i]!, { kind: i % 2 ? "complaint" : "repair", category: i % 3 ? "water" : "noise" });
      const t0 = c.createdAt.getTime();
      const late = i % 3 === 0;
      await p.case.update({
        where: { id: c.id },
        data: {
          state: i === 17 ? "accepted" : "closed",
          acceptedAt: new Date(late ? c.responseDueAt!.getTime() + 3_600_000 : t0 + 600_000),
          resolvedAt: i === 17 ? null : new Date(late ? c.resolutionDueAt!.getTime() + 86_400_000 : t0 + 3_600_000),
          closedAt: i === 17 ? null : new Date(t0 + 2 * 86_400_000),
          satisfaction: i === 17 ? null : i % 4 === 0 ? 2 : 5,
          reopenCount: i === 4 ? 1 : 0,
        },
      });
    }
    // A campaign running in November: three problems, one closed on time, one rectifying past its deadline.
    const settings = loadCampaignSettings(path.resolve(import.meta.dirname, "../../rules"));
    const cd: CampaignDeps = { db: p, clock: f.clock, timezone: "Asia/Shanghai", calendar: () => new WorkCalendar(), settings: () => settings };
    const scope = { role: "district" as const, streetId: null, actorId: "user:test", name: "区物业办" };
    at("2026-11-02T10:00:00");
    const campaign = await createCampaign(p, settings, scope, { name: "消防通道专项整治", phases: { inspect: [new Date("2026-10-20T00:00:00+08:00"), new Date("2026-11-06T00:00:00+08:00")], rectify: [new Date("2026-11-06T00:00:00+08:00"), new Date("2026-12-20T00:00:00+08:00")], accept: [new Date("2026-12-21T00:00:00+08:00"), new Date("2026-12-31T00:00:00+08:00")] } });
    const problems = [];
    for (const estate of ["heping", "xingfu", "jinxiu"]) problems.push(await registerProblem(cd, scope, campaign.id, { estate, category: "fire", description: "消防通道堵塞", source: "inspection" }));
    for (const pr of problems.slice(0, 2)) {
      await applyProblemAction(cd, scope, campaign.id, pr.id, "propose", { measure: "清理", deadlineWorkdays: 3 });
      await applyProblemAction(cd, scope, campaign.id, pr.id, "approve", {});
    }
    await applyProblemAction(cd, scope, campaign.id, problems[0]!.id, "pass", {});
    await applyProblemAction(cd, scope, campaign.id, problems[0]!.id, "close", {});
    at("2026-12-01T07:00:00");
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("stores one bulletin per street and the district, once, and queues each office's copy once, in its language", async () => {
    const first = await makeMonthlyBulletins(deps);
    const streets = await f.db.prisma.street.count();
    expect(first.made).toBe(streets + 1);
    // district: chat + mail; dongcheng: chat (no address); other streets have no chat or address.
    expect(first.queued).toBe(3);
    const again = await makeMonthlyBulletins(deps);
    expect(again).toEqual({ made: 0, queued: 0 });
    expect(await f.db.prisma.bulletin.count({ where: { month: "2026-11" } })).toBe(streets + 1);
    const rows = await f.db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "bulletin:" } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => `${r.chatId}:${r.method}`).sort()).toEqual(["-1001:sendDocument", "-1002:sendDocument", "0:sendEmail"]);
    type Doc = { document: { filename: string; locale: string }; caption: string };
    const district = rows.find((r) => r.chatId === -1001n)!.payload as Doc;
    expect(district.document).toMatchObject({ filename: "定期通报-2026-11-全区.pdf", locale: "zh-Hans" });
    expect(district.caption).toContain("2026年11月物业服务定期通报 · 全区");
    const mail = rows.find((r) => r.method === "sendEmail")!.payload as { subject: string; text: string };
    expect(mail.subject).toBe("2026年11月物业服务定期通报 · 全区");
    expect(mail.text).toContain("附件为 2026年11月物业服务定期通报（全区）");
    // The English-reading street office: caption, file name and the PDF itself in English.
    const street = rows.find((r) => r.chatId === -1002n)!.payload as Doc;
    expect(street.document).toMatchObject({ filename: "Bulletin-2026-11-东城街道.pdf", locale: "en" });
    expect(street.caption).toContain("Property service bulletin, November 2026 · 东城街道");
    const dongcheng = await f.db.prisma.bulletin.findFirstOrThrow({ where: { month: "2026-11", scopeKey: { startsWith: "street:" }, streetId: (await f.db.prisma.street.findUniqueOrThrow({ where: { code: "dongcheng" } })).id } });
    const pdfs = await f.db.prisma.bulletinPdf.findMany({ where: { bulletinId: dongcheng.id }, orderBy: { locale: "asc" } });
    expect(pdfs.map((x) => x.locale)).toEqual(["en", "zh-Hans"]);
    const text = await pdfText(Buffer.from(pdfs[0]!.pdf, "base64"));
    expect(text).toContain(squash("Property service bulletin, November 2026"));
    expect(text).toContain("Companiesranked");
    expect(text).not.toContain("物业公司排名");
  });

  it("has rankings equal to the figures API for the same month: rates with n, 数据不足 under the minimum sample, unrated rows apart", async () => {
    const b = await f.db.prisma.bulletin.findUniqueOrThrow({ where: { month_scopeKey: { month: "2026-11", scopeKey: "district" } } });
    const data = b.data as unknown as BulletinData;
    expect(data.totals.cases).toBe(18);
    expect(data.totals.repeats).toBe(1);
    expect(data.totals.missed).toBeGreaterThanOrEqual(6);
    expect(data.minSample).toBe(MIN);
    for (const by of ["company", "estate"] as const) {
      const api = await request(f.app)
        .get(`/api/v1/figures?by=${by}&from=2026-11-01T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00`)
        .set("Authorization", `Bearer ${f.tokens.district}`);
      expect(api.status).toBe(200);
      expect(api.body.minSample).toBe(MIN);
      const apiRows = api.body.rows as FigureRow[];
      // From the API's counts alone: a row ranks when one of its rates has n ≥ minSample; by the mean of those rates.
      const usable = (r: FigureRow) =>
        [
          [r.counts.responseOk, r.counts.responseDue],
          [r.counts.resolutionOk, r.counts.resolutionDue],
          [r.counts.satisfied, r.counts.answers],
        ].filter(([, n]) => n! >= MIN && n! > 0) as [number, number][];
      const mean = (r: FigureRow) => usable(r).reduce((sum, [ok, n]) => sum + ok / n, 0) / usable(r).length;
      const expectRanked = apiRows.filter((r) => usable(r).length > 0).sort((x, y) => mean(y) - mean(x) || y.cases - x.cases);
      const expectUnrated = apiRows.filter((r) => usable(r).length === 0);
      const ranked = by === "company" ? data.companies : data.estates;
      const unrated = (by === "company" ? data.companiesUnrated : data.estatesUnrated)!;
      expect(ranked.map((r) => r.key)).toEqual(expectRanked.map((r) => r.key));
      expect(unrated.map((r) => r.key).sort()).toEqual(expectUnrated.map((r) => r.key).sort());
      for (const r of [...ranked, ...unrated]) expect(ratesOf(r, "zh-Hans")).toEqual(ratesOf(apiRows.find((a) => a.key === r.key)!, "zh-Hans"));
    }
    // The fixture's shape: 华美 and 安居 rank, 绿苑 (2 cases) does not; 和平 and 幸福 rank, 锦绣 and 春晖 do not.
    expect(data.companies.map((r) => r.label).sort()).toEqual(["华美物业", "安居物业"].sort());
    expect(data.estates.map((r) => r.label).sort()).toEqual(["和平小区", "幸福花园"].sort());
    expect(data.companiesUnrated!.map((r) => r.label)).toEqual(["绿苑物业"]);
    expect(data.estatesUnrated!.map((r) => r.label).sort()).toEqual(["春晖苑", "锦绣家园"].sort());
    expect(ratesOf(data.companiesUnrated![0]!, "zh-Hans")[0]).toMatch(/^数据不足 · \d\/2$/);

    const pdf = await f.db.prisma.bulletinPdf.findUniqueOrThrow({ where: { bulletinId_locale: { bulletinId: b.id, locale: "zh-Hans" } } });
    const text = await pdfText(Buffer.from(pdf.pdf, "base64"));
    expect(text).toContain("2026年11月物业服务定期通报");
    expect(text).toContain("物业公司排名");
    expect(text).toContain("未评定的物业公司（数据不足）");
    expect(text).toContain("未评定的小区（数据不足）");
    expect(text).toContain("数据不足·");
    // Ranked rows in order, each with its rates and n; the unrated ones after the ranking.
    let at = text.indexOf("物业公司排名");
    for (const r of data.companies) {
      const pos = text.indexOf(squash(`${r.label}${r.cases}${ratesOf(r, "zh-Hans").join("")}`), at);
      expect(pos, r.label).toBeGreaterThan(at);
      at = pos;
    }
    expect(text.indexOf(squash(`绿苑物业2${ratesOf(data.companiesUnrated![0]!, "zh-Hans").join("")}`))).toBeGreaterThan(text.indexOf("未评定的物业公司"));
    for (const c of data.missed) expect(text).toContain(c.number);
  });

  it("draws the PDF in English with English rates, too-little-data rows and month name", async () => {
    const b = await f.db.prisma.bulletin.findUniqueOrThrow({ where: { month_scopeKey: { month: "2026-11", scopeKey: "district" } } });
    const data = b.data as unknown as BulletinData;
    const { bulletinPdfIn } = await import("../../core/bulletin/monthly.ts");
    const text = await pdfText(await bulletinPdfIn(deps, b, "en"));
    expect(text).toContain(squash("Property service bulletin, November 2026"));
    for (const label of ["Companies ranked", "Estates ranked", "Companies not rated (too little data)", "Estates not rated (too little data)", "Response", "Resolution", "Satisfaction", "Cases that missed a deadline"]) expect(text).toContain(squash(label));
    expect(text).toContain(squash(`Cases this month: 18; missed a deadline: ${data.totals.missed}; repeat complaints: 1.`));
    expect(text).toContain(squash(ratesOf(data.companiesUnrated![0]!, "en")[0]!));
    expect(text).toContain("Toolittledata·");
    expect(text).not.toMatch(/数据不足|物业公司排名|本月/);
    expect(await f.db.prisma.bulletinPdf.count({ where: { bulletinId: b.id, locale: "en" } })).toBe(1);
  });

  it("sends the PDF as a Telegram document, read from the stored bulletin", async () => {
    const row = await f.db.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: -1001n, dedupeKey: { startsWith: "bulletin:" } } });
    const calls: Record<string, unknown>[] = [];
    const api = { raw: { sendDocument: async (p: Record<string, unknown>) => (calls.push(p), { message_id: 77 }) } } as unknown as Api;
    const res = await createTransport(api, bulletinDocuments(f.db.prisma)).deliver(row.chatId, "sendDocument", row.payload as Record<string, unknown>);
    expect(res.messageId).toBe(77);
    expect(calls[0]!.chat_id).toBe(-1001);
    expect(calls[0]!.document).toBeInstanceOf(InputFile);
    expect((calls[0]!.document as InputFile).filename).toBe("定期通报-2026-11-全区.pdf");
    expect(String(calls[0]!.caption)).toContain("/dashboard/bulletins/");
    // The English-reading office's row carries the English PDF.
    const en = await f.db.prisma.outboxMessage.findFirstOrThrow({ where: { chatId: -1002n, dedupeKey: { startsWith: "bulletin:" } } });
    const ref = (en.payload as { document: { bulletinId: number; filename: string; locale: string } }).document;
    const file = await bulletinDocuments(f.db.prisma)(ref);
    const stored = await f.db.prisma.bulletinPdf.findUniqueOrThrow({ where: { bulletinId_locale: { bulletinId: ref.bulletinId, locale: "en" } } });
    expect(file!.content.equals(Buffer.from(stored.pdf, "base64"))).toBe(true);
    expect(await pdfText(file!.content)).toContain("Companiesranked");
  });

  it("attaches the PDF to the e-mail through the mail transport", async () => {
    const row = await f.db.prisma.outboxMessage.findFirstOrThrow({ where: { method: "sendEmail", dedupeKey: { startsWith: "bulletin:" } } });
    const mail = mailTransport({ jsonTransport: true } as Parameters<typeof mailTransport>[0], "bot@example.org", bulletinDocuments(f.db.prisma));
    await mail.deliver(0n, "sendEmail", row.payload as Record<string, unknown>);
    const p = row.payload as { to: string; attachments: { filename: string }[] };
    expect(p.to).toBe("district@example.org");
    expect(p.attachments[0]!.filename).toBe("定期通报-2026-11-全区.pdf");
    // A row naming a bulletin that is gone is refused for good, not retried.
    await expect(mail.deliver(0n, "sendEmail", { ...p, subject: "x", text: "y", attachments: [{ bulletinId: 999999, filename: "x.pdf" }] })).rejects.toMatchObject({ kind: "rejected" });
  });

  it("lists the archive by office, shows the printable page and serves the PDF in the viewer's language", async () => {
    const login = async (username: string) => {
      const a = request.agent(f.app);
      const form = await a.get("/login");
      await a.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
      return a;
    };
    const district = await login("district");
    const list = await district.get("/dashboard/bulletins?lang=zh-Hans");
    expect(list.status).toBe(200);
    const ids = [...list.text.matchAll(/<tr id="bulletin-(\d+)">/g)].map((m) => Number(m[1]));
    expect(ids.length).toBe((await f.db.prisma.street.count()) + 1);
    expect(list.text).toContain("<td>2026年11月</td>");
    const dist = await f.db.prisma.bulletin.findUniqueOrThrow({ where: { month_scopeKey: { month: "2026-11", scopeKey: "district" } } });
    const data = dist.data as unknown as BulletinData;
    const pageRes = await district.get(`/dashboard/bulletins/${dist.id}?lang=zh-Hans`);
    expect(pageRes.text).toContain("2026年11月物业服务定期通报 · 全区");
    expect(pageRes.text).toMatch(/<table id="rank-companies">[\s\S]*?华美物业/);
    expect(pageRes.text).toMatch(/<table id="unrated-companies">[\s\S]*?绿苑物业[\s\S]*?数据不足 · \d\/2/);
    expect(pageRes.text).toContain("<svg");
    expect(pageRes.text).toContain("本月受理 18 件");
    // The page's ranking is the stored one, row for row.
    const pageKeys = [.../<table id="rank-companies">([\s\S]*?)<\/table>/.exec(pageRes.text)![1]!.matchAll(/data-key="([^"]+)"/g)].map((m) => m[1]);
    expect(pageKeys).toEqual(data.companies.map((r) => r.key));
    const en = await district.get(`/dashboard/bulletins/${dist.id}?lang=en`);
    expect(en.text).toContain("Property service bulletin, November 2026 · District");
    expect(en.text).toContain("Companies ranked");
    expect(en.text).toMatch(/<table id="unrated-companies">[\s\S]*?Too little data · \d\/2/);
    const zhPdf = await district.get(`/dashboard/bulletins/${dist.id}/pdf?lang=zh-Hans`).buffer(true);
    expect(zhPdf.headers["content-type"]).toBe("application/pdf");
    expect(zhPdf.headers["content-disposition"]).toContain("attachment");
    const zhText = await pdfText(zhPdf.body as Buffer);
    expect(zhText).toContain("物业公司排名");
    // The month's campaign, with counts over their denominators and the targets.
    const line = "消防通道专项整治（整改阶段）：登记问题 3 项，已销号 1 项，整改率 33.3%（目标 90%）；按期整改 1 / 2，维修及时率 50%（目标 90%）；仍超时 1 项。";
    expect(pageRes.text).toMatch(/<div class="card" id="bulletin-campaigns"><h2>整改专项<\/h2>/);
    expect(pageRes.text).toContain(line);
    expect(zhText).toContain(squash(line));
    expect(en.text).toContain("消防通道专项整治 (rectification): 3 problems registered, 1 closed, rectification rate 33.3% (target 90%); 1 of 2 on time, timeliness 50% (target 90%); 1 still overdue.");
    // A language no office reads: drawn on the first download and kept.
    const hant = await district.get(`/dashboard/bulletins/${dist.id}/pdf?lang=zh-Hant`).buffer(true);
    expect(hant.status).toBe(200);
    expect(decodeURIComponent(String(hant.headers["content-disposition"]))).toContain("定期通報-2026-11-全區.pdf");
    const hantText = await pdfText(hant.body as Buffer);
    expect(hantText).toContain("2026年11月物業服務定期通報");
    expect(hantText).toContain("數據不足");
    expect(await f.db.prisma.bulletinPdf.count({ where: { bulletinId: dist.id, locale: "zh-Hant" } })).toBe(1);

    const street = await login("dongcheng");
    const own = await street.get("/dashboard/bulletins?lang=zh-Hans");
    const ownIds = [...own.text.matchAll(/<tr id="bulletin-(\d+)">/g)].map((m) => Number(m[1]));
    expect(ownIds).toHaveLength(1);
    expect((await street.get(`/dashboard/bulletins/${dist.id}`)).status).toBe(404);
    expect((await street.get(`/dashboard/bulletins/${dist.id}/pdf`)).status).toBe(404);
    expect((await street.get(`/dashboard/bulletins/${ownIds[0]}/pdf`)).status).toBe(200);
    expect((await street.get("/dashboard/bulletins/abc")).status).toBe(400);
  });
});
