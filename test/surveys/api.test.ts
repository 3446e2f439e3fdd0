import { afterAll, beforeAll, describe, expect, it } from "vitest";
import express, { type RequestHandler } from "express";
import request from "supertest";
import { ManualClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadQuestionnaire } from "../../core/surveys/survey-settings.ts";
import { loadAssessmentSettings } from "../../core/assessment/assessment-settings.ts";
import { silentLogger } from "../../core/logger.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { surveysRouter } from "../../api/rest/surveys.ts";
import { errorHandler, HttpError } from "../../api/http.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { residents, settingsWith, textSurveyRenderer } from "./fixtures.ts";

describe("surveys API", () => {
  let db: TestDb;
  let app: express.Express;
  let streets: Record<string, number>;
  const clock = new ManualClock(new Date("2026-11-24T02:00:00Z"));
  // Header x-as picks the caller: "district" or "street:<id>".
  const authenticate: RequestHandler = (req, res, next) => {
    const as = req.header("x-as") ?? "";
    const m = /^street:(\d+)$/.exec(as);
    const scope: Scope | null = as === "district" ? { role: "district", streetId: null, actorId: "user:d", name: "d" } : m ? { role: "street", streetId: Number(m[1]), actorId: "user:s", name: "s" } : null;
    if (!scope) return next(new HttpError(401, "unauthorized", "who?"));
    res.locals.who = { scope };
    next();
  };
  const requireRole =
    (...roles: Scope["role"][]): RequestHandler =>
    (_req, res, next) =>
      roles.includes(res.locals.who.scope.role) ? next() : next(new HttpError(403, "forbidden", "role"));

  beforeAll(async () => {
    db = await testDatabase();
    await seedDemo(db.prisma);
    await residents(db.prisma, "heping", 2, 8000);
    streets = Object.fromEntries((await db.prisma.street.findMany()).map((s) => [s.code, s.id]));
    const surveys = new SurveyService({ db: db.prisma, clock, renderer: textSurveyRenderer, settings: settingsWith(50), rulesDir: "rules", timezone: "Asia/Shanghai" });
    const assessment = loadAssessmentSettings("rules");
    app = express();
    app.use("/api/v1", surveysRouter({ db: db.prisma, surveys, clock, timezone: "Asia/Shanghai", assessmentSettings: () => assessment, authenticate: [authenticate], requireRole }));
    app.use(errorHandler(silentLogger));
  });
  afterAll(async () => db.drop());

  it("creates, pushes within the caller's area, reports progress and aggregates", async () => {
    const q = loadQuestionnaire("rules", "owner-satisfaction");
    const bad = await request(app).post("/api/v1/surveys").set("x-as", "district").send({ ...q, questions: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: "questions", message: "at least one question" }]);
    expect((await request(app).post("/api/v1/surveys").set("x-as", `street:${streets.dongcheng}`).send(q)).status).toBe(403);
    const created = await request(app).post("/api/v1/surveys").set("x-as", "district").send(q);
    expect(created.status).toBe(201);
    const sid = created.body.id;
    expect((await request(app).post("/api/v1/surveys").set("x-as", "district").send(q)).status).toBe(409);

    const other = await request(app).post(`/api/v1/surveys/${sid}/push`).set("x-as", `street:${streets.xiyuan}`).send({ scope: "street", id: streets.dongcheng });
    expect(other.status).toBe(403);
    expect((await request(app).post(`/api/v1/surveys/${sid}/push`).set("x-as", "district").send({ scope: "estate" })).status).toBe(400);
    const pushed = await request(app).post(`/api/v1/surveys/${sid}/push`).set("x-as", `street:${streets.dongcheng}`).send({ scope: "street", id: streets.dongcheng });
    expect(pushed.status).toBe(201);
    expect(pushed.body.total).toBe(2);
    const prog = await request(app).get(`/api/v1/surveys/${sid}/progress`).set("x-as", "district");
    expect(prog.body).toEqual({ total: 2, pending: 2, sent: 0, delivered: 0, answered: 0, partial: 0, undeliverable: 0 });
    // The other street sees none of these recipients.
    expect((await request(app).get(`/api/v1/surveys/${sid}/progress`).set("x-as", `street:${streets.xiyuan}`)).body.total).toBe(0);
    const results = await request(app).get(`/api/v1/surveys/${sid}/results?by=estate`).set("x-as", "district");
    expect(results.status).toBe(200);
    expect(JSON.stringify(results.body)).not.toMatch(/resident/i);
  });

  it("answers 4xx for bad queries and serves the assessment", async () => {
    const bad = await request(app).get("/api/v1/assessment?period=2026H3").set("x-as", "district");
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/period/);
    expect((await request(app).get("/api/v1/assessment")).status).toBe(401);
    const ok = await request(app).get("/api/v1/assessment?by=estate&period=2026H2").set("x-as", "district");
    expect([ok.status, ok.body.period, ok.body.rows]).toEqual([200, "2026H2", []]);
    expect((await request(app).post("/api/v1/classification/recompute").set("x-as", `street:${streets.xiyuan}`)).status).toBe(403);
    const cls = await request(app).post("/api/v1/classification/recompute").set("x-as", "district");
    expect(cls.body.estates).toHaveLength(4);
    const board = await request(app).get("/api/v1/classification").set("x-as", `street:${streets.xiyuan}`);
    expect(board.body.estates.map((e: { code: string }) => e.code)).toEqual(["jinxiu", "chunhui"]);
    const credit = await request(app).get("/api/v1/credit?year=2026").set("x-as", "district");
    expect(credit.body.companies.map((c: { score: number }) => c.score)).toEqual([100, 100, 100]);
    expect((await request(app).get("/api/v1/credit/nope").set("x-as", "district")).status).toBe(404);
    expect((await request(app).get("/api/v1/early-warnings?days=0").set("x-as", "district")).status).toBe(400);
  });
});
