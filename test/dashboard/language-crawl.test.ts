// Every page a clerk can reach, in zh-Hans, as admin, district and street office: starting from the
// menu, the public pages and known detail and error pages, the crawl follows every link and fails
// on an untranslated string key (sv_status_open) or a stray English word. Names and abbreviations
// on the allow-list pass, and so do codes a clerk types into rule and survey files — shown in
// <code>, or kebab-case like owner-satisfaction-2026 — and what users typed (<pre>, <textarea>).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { OfficeFixture } from "../helpers/office.ts";
import { crawl, logIn, ROLES, tourApp } from "./tour.ts";

// AAA and AA are credit grades' own names (AAA级 … C级, as the cities' credit rules write them), not English.
const ALLOWED = new Set(["AAA", "AA", "API", "CSV", "Excel", "WPS", "Open311", "ID", "JSON", "Telegram", "English", "PDF", "MB", "REST", "SVG", "status.json", "healthz", "readyz", "openapi.json", "v2", "services.json"]);
// owner-satisfaction-2026-extra, owner-satisfaction.json, rules/assessment.json, the bot's /start
const CODE = /^[a-z0-9]+(?:[-./][a-z0-9]+)+$|^\/[a-z]+$/;
const NOT_YET = (_p: string) => false;

const HTML = "text/html,application/xhtml+xml";

const decode = (s: string) =>
  s.replace(/&(lt|gt|amp|quot|#39|#(\d+));/g, (_m, n: string, d?: string) => (d ? String.fromCharCode(Number(d)) : ({ lt: "<", gt: ">", amp: "&", quot: '"', "#39": "'" } as Record<string, string>)[n]!));

/** What a reader sees: text and the attributes read out or shown (placeholder, title, alt, aria-label). */
export function visibleText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:placeholder|title|alt|aria-label)="([^"]*)"/g)].map((m) => m[1]);
  const body = html
    .replace(/<head>[\s\S]*?<\/head>/, "")
    .replace(/<(script|style|code|pre|textarea)\b[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ");
  return decode([body, ...attrs].join(" "));
}

export function problems(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) out.push(`untranslated key: ${m[0]}`);
  for (const m of text.matchAll(/\/?[A-Za-z][\w'./-]*[A-Za-z0-9]|[A-Za-z]{2,}/g)) {
    const w = m[0];
    if (ALLOWED.has(w) || CODE.test(w) || /_/.test(w)) continue;
    out.push(`English: ${w}`);
  }
  return out;
}

describe("every page in zh-Hans, as admin, district and street office", () => {
  let f: OfficeFixture;
  let details: string[];
  beforeAll(async () => {
    ({ f, details } = await tourApp());
  }, 120_000);
  afterAll(async () => f?.db.drop());

  it("the word check itself catches keys and English, and lets names and codes through", () => {
    expect(problems(visibleText("<p>状态 sv_status_open</p>"))).toEqual(["untranslated key: sv_status_open"]);
    expect(problems(visibleText('<p>2026-12-02 Wed 10:00 <input placeholder="Reason"></p>'))).toEqual(["English: Wed", "English: Reason"]);
    expect(problems(visibleText("<p>导出 CSV · Excel · <code>estate-default-company</code> owner-satisfaction.json</p>"))).toEqual([]);
  });

  for (const user of ROLES) {
    it(`${user}: no untranslated key or English word on any page`, async () => {
      const agent = await logIn(f, user);
      await agent.get("/dashboard/cases?lang=zh-Hans"); // the street user's own language is en
      const pages = await crawl((p) => agent.get(p).set("Accept", HTML).redirects(3), ["/dashboard/cases", ...details, "/", "/board", "/status"], NOT_YET);
      const anon = await crawl((p) => request(f.app).get(p).set("Cookie", "efd_lang=zh-Hans").set("Accept", HTML).redirects(3), ["/", "/board", "/login", "/status", "/dashboard/nothing"], () => false, 10);
      const all = [...pages, ...anon];
      expect(pages.length).toBeGreaterThan(10);
      expect(all.filter((p) => p.status >= 500)).toEqual([]);
      if (process.env.CRAWL_DEBUG) console.log(user, all.map((p) => `${p.status} ${p.path}`).join("\n"));
      const found = all.flatMap((p) => problems(visibleText(p.html)).map((x) => `${p.path}: ${x}`));
      expect([...new Set(found)]).toEqual([]);
      // The menu and a case page were among them, and the error pages are styled pages with the menu.
      expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining(["/dashboard/overdue", "/dashboard/board", "/dashboard/surveys", details[0]]));
      const missing = pages.find((p) => p.path === "/dashboard/cases/2026-999999")!;
      expect(missing.status).toBe(404);
      expect(missing.html).toContain("页面或记录不存在");
      expect(missing.html).toContain('<a href="/dashboard/cases">');
    }, 120_000);
  }
});
