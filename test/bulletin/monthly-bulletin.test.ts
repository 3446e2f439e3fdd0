// The monthly bulletin over a month of history made on a fake clock: stored once per scope, its PDF
// opens and says what the figures API says for the same month, it is sent once to each office's chat
// and mailbox (the PDF attached), and the archive pages are scoped by office.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { PDFParse } from "pdf-parse";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { makeMonthlyBulletins, bulletinDocuments, type BulletinDeps } from "../../core/bulletin/monthly.ts";
import { rateText } from "../../core/bulletin/labels.ts";
import type { BulletinData } from "../../core/bulletin/compose.ts";
import { mailTransport } from "../../core/delivery/mail.ts";
import { CJK_FONT_CANDIDATES } from "../../core/bulletin/pdf.ts";
import fs from "node:fs";
import { InputFile, type Api } from "grammy";
import { createTransport } from "../../bot/transport/transport.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const fontPresent = CJK_FONT_CANDIDATES.some((f) => fs.existsSync(f));

describe.skipIf(!fontPresent)("monthly bulletin (定期通报)", () => {
  let f: OfficeFixture;
  let deps: BulletinDeps;
  const at = (s: string) => f.clock.set(new Date(`${s}+08:00`));

  beforeAll(async () => {
    f = await officeApp();
    deps = { db: f.db.prisma, clock: f.clock, timezone: "Asia/Shanghai", categories: f.office.categories, locale: "zh-Hans", dashboardUrl: "http://localhost:3000/dashboard", email: true };
    const p = f.db.prisma;
    await p.office.updateMany({ where: { level: "district" }, data: { chatId: -1001, email: "district@example.org" } });
    const dongcheng = await p.street.findUniqueOrThrow({ where: { code: "dongcheng" } });
    await p.office.updateMany({ where: { level: "street", streetId: dongcheng.id }, data: { chatId: -1002, email: null } });
    // November 2026: cases across estates; some answered in time, some late, one reopened, some rated.
    const estates = ["heping", "heping", "heping", "xingfu", "xingfu", "jinxiu", "jinxiu", "chunhui"];
    for (let i = 0; i < estates.length; i++) {
      at(`2026-11-${String(3 + i * 3).padStart(2, "0")}T10:00:00`);
      const c = await f.file(estates[i]!, { kind: i % 2 ? "complaint" : "repair", category: i % 3 ? "water" : "noise" });
      const t0 = c.createdAt.getTime();
      const late = i % 3 === 0;
      await p.case.update({
        where: { id: c.id },
        data: {
          state: i === 7 ? "accepted" : "closed",
          acceptedAt: new Date(late ? c.responseDueAt!.getTime() + 3_600_000 : t0 + 600_000),
          resolvedAt: i === 7 ? null : new Date(late ? c.resolutionDueAt!.getTime() + 86_400_000 : t0 + 3_600_000),
          closedAt: i === 7 ? null : new Date(t0 + 2 * 86_400_000),
          satisfaction: i === 7 ? null : i % 4 === 0 ? 2 : 5,
          reopenCount: i === 4 ? 1 : 0,
        },
      });
    }
    at("2026-12-01T07:00:00");
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("stores one bulletin per street and the district, once, and queues each office's copy once", async () => {
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
    const doc = rows.find((r) => r.chatId === -1001n)!.payload as { document: { filename: string }; caption: string };
    expect(doc.document.filename).toBe("定期通报-2026-11-全区.pdf");
    expect(doc.caption).toContain("2026-11 物业服务定期通报");
  });

  it("has rankings equal to the figures API for the same month, and a PDF that opens and says the same", async () => {
    const b = await f.db.prisma.bulletin.findUniqueOrThrow({ where: { month_scopeKey: { month: "2026-11", scopeKey: "district" } } });
    const data = b.data as unknown as BulletinData;
    expect(data.totals.cases).toBe(8);
    expect(data.totals.repeats).toBe(1);
    expect(data.totals.missed).toBeGreaterThanOrEqual(3);
    const api = await request(f.app)
      .get("/api/v1/figures?by=company&from=2026-11-01T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00")
      .set("Authorization", `Bearer ${f.tokens.district}`);
    expect(api.status).toBe(200);
    const byKey = new Map((api.body.rows as { key: string; responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null; cases: number }[]).map((r) => [r.key, r]));
    expect(data.companies.length).toBeGreaterThanOrEqual(2);
    for (const r of data.companies) {
      const a = byKey.get(r.key)!;
      expect({ cases: r.cases, responseRate: r.responseRate, resolutionRate: r.resolutionRate, satisfactionRate: r.satisfactionRate }).toEqual({ cases: a.cases, responseRate: a.responseRate, resolutionRate: a.resolutionRate, satisfactionRate: a.satisfactionRate });
    }
    // Ranked: the mean of the rates falls down the table.
    const mean = (r: (typeof data.companies)[number]) => {
      const xs = [r.responseRate, r.resolutionRate, r.satisfactionRate].filter((x): x is number => x !== null);
      return xs.reduce((s, x) => s + x, 0) / xs.length;
    };
    for (let i = 1; i < data.companies.length; i++) expect(mean(data.companies[i - 1]!)).toBeGreaterThanOrEqual(mean(data.companies[i]!));

    const pdf = Buffer.from(b.pdf, "base64");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text.replace(/\s+/g, "");
    const info = await parser.getInfo();
    await parser.destroy();
    expect(info.total).toBeGreaterThanOrEqual(1);
    expect(text).toContain("2026-11物业服务定期通报");
    expect(text).toContain("物业公司排名");
    for (const r of data.companies) {
      expect(text).toContain(r.label);
      expect(text).toContain(rateText(r.resolutionRate, r.counts.resolutionOk, r.counts.resolutionDue).replace(/\s+/g, ""));
    }
    for (const c of data.missed) expect(text).toContain(c.number);
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

  it("lists the archive by office, shows the printable page and serves the PDF", async () => {
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
    const dist = await f.db.prisma.bulletin.findUniqueOrThrow({ where: { month_scopeKey: { month: "2026-11", scopeKey: "district" } } });
    const pageRes = await district.get(`/dashboard/bulletins/${dist.id}?lang=zh-Hans`);
    expect(pageRes.text).toContain("2026-11 物业服务定期通报 · 全区");
    expect(pageRes.text).toMatch(/<table id="rank-companies">[\s\S]*?华美物业/);
    expect(pageRes.text).toContain("<svg");
    expect(pageRes.text).toContain("本月受理 8 件");
    const en = await district.get(`/dashboard/bulletins/${dist.id}?lang=en`);
    expect(en.text).toContain("Companies ranked");
    const pdf = await district.get(`/dashboard/bulletins/${dist.id}/pdf`).buffer(true);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-disposition"]).toContain("attachment");

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
