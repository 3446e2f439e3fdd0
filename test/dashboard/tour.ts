// A dashboard with something on every page, for the tours over all pages (language-crawl.test.ts
// in zh-Hans, phones.test.ts in Chromium): an admin, a district and a street user; cases with a
// note, a reassignment, a pending extension, an escalation and a resident's message; a survey pushed
// to an estate; a dead letter; the month's bulletins (when the CJK font is installed); a web resident
// awaiting approval with a held case and an SMS dead letter; and a crawl that follows the menu and
// every link it finds.
import fs from "node:fs";
import request from "supertest";
import { makeMonthlyBulletins } from "../../core/bulletin/monthly.ts";
import { CJK_FONT_CANDIDATES } from "../../core/bulletin/pdf.ts";
import { createStaffUser } from "../../core/directory/staff.ts";
import { addNote, applyOfficeAction } from "../../core/cases/office-actions.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

export const ROLES = ["admin", "district", "dongcheng"] as const;
export type TourUser = (typeof ROLES)[number];

export async function tourApp(): Promise<{ f: OfficeFixture; details: string[] }> {
  const f = await officeApp({}, { surveys: true });
  await createStaffUser(f.db.prisma, { username: "admin", password: PASSWORD, role: "admin", displayName: "系统管理员" });
  const deps = { db: f.db.prisma, cases: f.cases, clock: f.clock };
  const a = await f.file("heping", { description: "楼道漏水，已经三天了" });
  await f.file("xingfu", { kind: "complaint", category: "noise", description: "夜间施工噪音" });
  const b = await f.file("jinxiu", { description: "水管爆裂" });
  const c = await f.file("chunhui", { description: "电梯停运" });
  await addNote(deps, a.id, { type: "office", id: "user:district" }, "已电话联系物业");
  await applyOfficeAction(deps, a.id, "assign", { type: "office", id: "user:admin" }, { liaison: "huamei-li", note: "改派给李工" });
  await f.cases.record(a.id, "message", { type: "resident", id: 1 }, "什么时候来修？");
  await f.db.prisma.extensionRequest.create({ data: { caseId: b.id, requestedBy: "anju-wang", reason: "等配件", requestedDueAt: new Date(b.resolutionDueAt!.getTime() + 86_400_000) } });
  // Two days on: the cases are overdue and the escalation sweep's event is on the timeline.
  f.clock.set(new Date(f.clock.now().getTime() + 3 * 86_400_000));
  await f.db.prisma.case.update({ where: { id: c.id }, data: { escalationLevel: 1, escalatedAt: f.clock.now() } });
  await f.db.prisma.caseEvent.create({ data: { caseId: c.id, at: f.clock.now(), actorType: "system", type: "escalate", note: "street office", data: { level: 1, which: "resolution", overdueMinutes: 1500 } } });
  const survey = await f.surveys!.create(f.surveys!.template("owner-satisfaction"), { open: true, createdBy: "user:district" });
  await f.surveys!.push({ survey: survey.id, scope: "estate", scopeId: f.ids.heping!, createdBy: "user:district" });
  await f.db.prisma.outboxMessage.create({ data: { chatId: 5001n, payload: { text: "案件已派单" }, status: "failed", kind: "case", caseId: a.id, attempts: 40, lastError: "sendMessage 403: Forbidden: bot was blocked by the user", deadAt: f.clock.now() } });
  // The bulletins so far this month: with 4 cases every row is under the minimum sample (数据不足, 未评定).
  if (CJK_FONT_CANDIDATES.some((x) => fs.existsSync(x)))
    await makeMonthlyBulletins({ db: f.db.prisma, clock: f.clock, timezone: "Asia/Shanghai", categories: f.office.categories, defaultLocale: "zh-Hans", minSample: () => 5, dashboardUrl: "http://localhost:3000/dashboard", email: false }, "2026-11");
  // A resident who registered on the web without the invite code, and the case they filed meanwhile.
  const unit = await f.db.prisma.unit.findFirstOrThrow({ where: { building: { estate: { code: "heping" } } }, include: { building: true } });
  const pending = await f.db.prisma.resident.create({ data: { name: "陈先生", channel: "web", status: "pending", phone: "13800138000", smsConsent: true, smsConsentAt: f.clock.now(), estateId: f.ids.heping!, buildingId: unit.buildingId, unitId: unit.id } });
  await f.cases.file({ sourceKey: "tour-held", channel: "web", residentId: pending.id, kind: "repair", category: "water", description: "厨房水管滴水", estateId: f.ids.heping!, buildingId: unit.buildingId, unitId: unit.id, actor: { type: "resident", id: pending.id } });
  await f.db.prisma.outboxMessage.create({ data: { chatId: -(2n ** 62n) - BigInt(pending.id), method: "sendSms", payload: { to: "+8613800138000", text: "您的案件已由物业受理" }, status: "failed", kind: "sms", attempts: 10, lastError: "Tencent SMS LimitExceeded.PhoneNumberDailyLimit", deadAt: f.clock.now() } });
  const details = [`/dashboard/cases/${a.id}`, `/dashboard/cases/${b.id}`, `/dashboard/cases/${c.id}`, `/dashboard/surveys/${survey.id}`, "/dashboard/credit/huamei", `/dashboard/cases/${a.number}`, "/dashboard/cases/2026-999999", "/dashboard/no-such-page"];
  return { f, details };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

export async function logIn(f: OfficeFixture, username: TourUser) {
  const agent = request.agent(f.app);
  const form = await agent.get("/login");
  await agent.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
  return agent;
}

/** Links worth following: our pages, not files (a bulletin's PDF too), JSON, language switches or the rules page's replacement work. */
export function followable(href: string): boolean {
  if (!href.startsWith("/") || href.startsWith("//")) return false;
  if (/\.(csv|xlsx|json|js|css|pdf)(\?|$)|\/pdf(\?|$)|\/photos\/|^\/(api|open311|assets|healthz|readyz|metrics|logout)\b|[?&]lang=/.test(href)) return false;
  return true;
}

export const linksOf = (html: string) => [...html.matchAll(/<a [^>]*href="([^"#]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));

/** Every page a user reaches from the start pages by following links, with its HTML and status. */
export async function crawl(get: (path: string) => Promise<{ status: number; text: string }>, start: string[], skip: (path: string) => boolean, max = 80) {
  const seen = new Set<string>();
  const queue = [...start];
  const pages: { path: string; status: number; html: string }[] = [];
  while (queue.length && pages.length < max) {
    const path = queue.shift()!;
    if (seen.has(path) || skip(path)) continue;
    seen.add(path);
    const r = await get(path);
    pages.push({ path, status: r.status, html: r.text });
    for (const l of linksOf(r.text)) if (followable(l) && !seen.has(l)) queue.push(l);
  }
  return pages;
}
