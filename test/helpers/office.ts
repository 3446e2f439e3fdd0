// An app with the office side wired to a fresh database: demo district, the real rule files,
// a manual clock, a district admin, a street user and tokens for each scope.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { RevisitService } from "../../core/cases/revisit.ts";
import { diskStore } from "../../core/attachments/store.ts";
import { DEFAULT_POSTER_FONT } from "../../api/frontdoor/posters.ts";
import { createApp } from "../../api/app.ts";
import type { OfficeAppDeps } from "../../api/office.ts";
import { CaseService } from "../../core/cases/case-service.ts";
import { loadCategories } from "../../core/cases/categories.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { ManualClock } from "../../core/clock.ts";
import { silentLogger } from "../../core/logger.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { createApiToken, createStaffUser } from "../../core/directory/staff.ts";
import { createRulesRouter } from "../../rules/router.ts";
import { loadCreditRules } from "../../core/credit/credit-rules.ts";
import { hangCreditOn } from "../../core/credit/case-hooks.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadSurveySettings } from "../../core/surveys/survey-settings.ts";
import { textSurveyRenderer } from "../surveys/fixtures.ts";
import { testDatabase, type TestDb } from "./db.ts";
import { loadCampaignSettings } from "../../core/campaigns/settings.ts";
import { demoRulesDir } from "./demo-rules.ts";

/** The rules as the demo seed leaves them (the shipped files plus the demo's own routing rules). */
export const RULES_DIR = demoRulesDir();
export const PASSWORD = "correct-horse-battery";

/** `opts.surveys`: also wire a SurveyService (text renderer, no pump) and the survey pages and API.
 *  `opts.rulesDir`: a scratch copy of the rules for tests that edit them (never the repo's folder).
 *  `opts.frontDoor`: also the residents' web front door (/r) and the QR poster pages. */
export async function officeApp(over: Partial<OfficeAppDeps> = {}, opts: { surveys?: boolean; rulesDir?: string; frontDoor?: boolean; campaigns?: boolean } = {}) {
  const db: TestDb = await testDatabase();
  await seedDemo(db.prisma);
  const clock = new ManualClock(new Date("2026-11-02T10:00:00+08:00")); // a Monday, working day
  const router = await createRulesRouter({ db: db.prisma, rulesDir: opts.rulesDir ?? RULES_DIR, timezone: "Asia/Shanghai", clock });
  const creditRules = loadCreditRules(RULES_DIR);
  const cases = new CaseService({ db: db.prisma, router, clock, timezone: "Asia/Shanghai" });
  hangCreditOn(cases, () => creditRules);
  const assessmentSettings = loadAssessmentSettings(RULES_DIR);
  const office: OfficeAppDeps = {
    cases,
    router,
    categories: loadCategories(RULES_DIR),
    clock,
    timezone: "Asia/Shanghai",
    defaultLocale: "zh-Hans",
    publicBaseUrl: "http://localhost:3000",
    sessionTtlHours: 12,
    loginMaxFailures: 3,
    loginLockMinutes: 15,
    apiRateLimitPerMin: 10_000,
    assessmentSettings: () => assessmentSettings,
    creditRules: () => creditRules,
    ...over,
  };
  const surveySettings = opts.surveys ? loadSurveySettings(RULES_DIR) : undefined;
  const surveys = surveySettings
    ? new SurveyService({ db: db.prisma, clock, renderer: textSurveyRenderer, settings: () => surveySettings, rulesDir: RULES_DIR, timezone: "Asia/Shanghai", sleep: async () => {} })
    : undefined;
  const surveyDeps = surveys ? { db: db.prisma, surveys, clock, timezone: "Asia/Shanghai", assessmentSettings: office.assessmentSettings } : undefined;
  const frontDoor = opts.frontDoor
    ? {
        db: db.prisma,
        log: silentLogger,
        clock,
        secret: "office-fixture-frontdoor-secret-0123456789",
        cases,
        revisit: new RevisitService({ db: db.prisma, cases, clock }),
        understander: router,
        categories: office.categories,
        attachments: diskStore(fs.mkdtempSync(path.join(os.tmpdir(), "office-attachments-"))),
        maxPhotoBytes: 1024 * 1024,
        defaultLocale: "zh-Hans" as const,
        timezone: "Asia/Shanghai",
        secureCookies: false,
        posterFont: DEFAULT_POSTER_FONT,
        tellLiaison: async () => {},
      }
    : undefined;
  const campaignSettings = loadCampaignSettings(RULES_DIR);
  const campaigns = opts.campaigns
    ? { db: db.prisma, clock, timezone: "Asia/Shanghai", calendar: () => router.calendar(), settings: () => campaignSettings, publicBaseUrl: "http://localhost:3000", defaultLocale: "zh-Hans" as const, attachments: diskStore(fs.mkdtempSync(path.join(os.tmpdir(), "campaign-photos-"))), maxPhotoBytes: 1024 * 1024 }
    : undefined;
  const app = createApp({ db: db.prisma, log: silentLogger, botOn: false, botMode: "polling", rules: () => router.status(), office, surveys: surveyDeps, ...(frontDoor ? { frontDoor } : {}), ...(campaigns ? { campaigns } : {}) });
  await createStaffUser(db.prisma, { username: "district", password: PASSWORD, role: "district", displayName: "区物业办" });
  await createStaffUser(db.prisma, { username: "dongcheng", password: PASSWORD, role: "street", street: "dongcheng", displayName: "东城街道", locale: "en" });
  const tokens = {
    district: (await createApiToken(db.prisma, { name: "district", role: "district" })).token,
    admin: (await createApiToken(db.prisma, { name: "admin", role: "admin" })).token,
    dongcheng: (await createApiToken(db.prisma, { name: "dongcheng", role: "street", street: "dongcheng" })).token,
  };
  const ids = Object.fromEntries((await db.prisma.estate.findMany()).map((e) => [e.code, e.id])) as Record<string, number>;
  /** Files a case the way another channel would, straight through CaseService. */
  let n = 0;
  const file = (estate: string, o: { kind?: "complaint" | "repair" | "suggestion"; category?: string; description?: string } = {}) =>
    cases
      .file({ sourceKey: `t-${++n}`, kind: o.kind ?? "repair", category: o.category ?? "water", description: o.description ?? `leak ${n}`, estateId: ids[estate]!, actor: { type: "system" } })
      .then((r) => r.case);
  return { db, app, clock, cases, router, office, tokens, file, ids, surveys, campaigns };
}
export type OfficeFixture = Awaited<ReturnType<typeof officeApp>>;
