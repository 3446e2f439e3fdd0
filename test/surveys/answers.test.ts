import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { SurveyService } from "../../core/surveys/surveys.ts";
import { loadQuestionnaire } from "../../core/surveys/survey-settings.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { residents, settingsWith, textSurveyRenderer } from "./fixtures.ts";

describe("survey answers", () => {
  let db: TestDb;
  let svc: SurveyService;
  const clock = new ManualClock(new Date("2026-11-24T02:00:00Z"));
  let people: Awaited<ReturnType<typeof residents>>;
  let surveyId: number;
  const rec = async (residentId: number) => db.prisma.surveyRecipient.findFirstOrThrow({ where: { surveyId, residentId } });
  const texts = async (chatId: bigint) =>
    (await db.prisma.outboxMessage.findMany({ where: { chatId }, orderBy: { id: "asc" } })).map((m) => (m.payload as { text: string }).text);

  beforeAll(async () => {
    db = await testDatabase();
    await seedDemo(db.prisma);
    people = await residents(db.prisma, "xingfu", 3, 7000);
    svc = new SurveyService({ db: db.prisma, clock, renderer: textSurveyRenderer, settings: settingsWith(100), rulesDir: "rules", timezone: "Asia/Shanghai", sleep: async () => {} });
    // Closes in 10 days; the reminder goes 3 days before (rules/surveys.json remindBeforeDays).
    const s = await svc.create(loadQuestionnaire("rules", "owner-satisfaction"), { closesAt: new Date("2026-12-04T02:00:00Z") });
    surveyId = s.id;
    const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "xingfu" } });
    await svc.push({ survey: s.id, scope: "estate", scopeId: estate.id });
    await svc.step();
  });
  afterAll(async () => db.drop());

  it("stores each answer at once, anonymously, and refuses stale and double presses", async () => {
    const a = people[0]!;
    const r = await rec(a.id);
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 0, value: 5 })).toEqual({ kind: "next", index: 1 });
    // The same button again (double press / old message): nothing stored twice.
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 0, value: 1 })).toEqual({ kind: "stale" });
    // Two presses of the current question at once: exactly one wins.
    const both = await Promise.all([1, 2].map((v) => svc.answer({ recipientId: r.id, residentId: a.id, index: 1, value: v + 2 })));
    expect(both.map((o) => o.kind).sort()).toEqual(["next", "stale"]);
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 2, value: 9 })).toMatchObject({ kind: "invalid" });
    // Someone else pressing this recipient's button.
    expect(await svc.answer({ recipientId: r.id, residentId: people[1]!.id, index: 2, value: 4 })).toEqual({ kind: "not_found" });

    const answers = await db.prisma.surveyAnswer.findMany({ where: { surveyId }, orderBy: { id: "asc" } });
    expect(answers.map((x) => [x.questionId, x.score])).toEqual([
      ["overall", 5],
      ["repairs", both[0]!.kind === "next" ? 3 : 4],
    ]);
    const xingfu = await db.prisma.estate.findUniqueOrThrow({ where: { code: "xingfu" } });
    expect(answers[0]).toMatchObject({ estateId: xingfu.id, streetId: xingfu.streetId, companyId: xingfu.companyId });
    expect(Object.keys(answers[0]!)).not.toContain("residentId");
    // Time cut to the local day (2026-11-24 00:00 Asia/Shanghai = 2026-11-23T16:00Z).
    expect(answers[0]!.createdAt.toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(await rec(a.id)).toMatchObject({ status: "partial", nextQuestion: 2 });
  });

  it("stops halfway, resumes with /survey, thanks at the end", async () => {
    const a = people[0]!;
    const r = await rec(a.id);
    expect(await svc.resume(a.id)).toBe(true);
    expect((await texts(a.chatId!)).at(-1)).toBe("[resume] owner-satisfaction 3/5 cleaning (zh-Hans)");
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 2, value: 4 })).toEqual({ kind: "next", index: 3 });
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 3, value: 2 })).toEqual({ kind: "next", index: 4 });
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 4, value: "nope" })).toMatchObject({ kind: "invalid" });
    expect(await svc.answer({ recipientId: r.id, residentId: a.id, index: 4, value: "parking" })).toEqual({ kind: "done" });
    expect(await rec(a.id)).toMatchObject({ status: "answered", nextQuestion: 5 });
    expect(await texts(a.chatId!)).toEqual([
      "[first] owner-satisfaction 1/5 overall (zh-Hans)",
      "[next] owner-satisfaction 2/5 repairs (zh-Hans)",
      "[next] owner-satisfaction 3/5 cleaning (zh-Hans)",
      "[resume] owner-satisfaction 3/5 cleaning (zh-Hans)",
      "[next] owner-satisfaction 4/5 security (zh-Hans)",
      "[next] owner-satisfaction 5/5 priority (zh-Hans)",
      "thanks owner-satisfaction",
    ]);
    expect(await svc.resume(a.id)).toBe(false); // finished: nothing to resume
    const p = await svc.progress({ surveyId });
    expect(p).toMatchObject({ total: 3, sent: 3, answered: 1, partial: 0 });

    const res = await svc.results(surveyId);
    const overall = res.groups[0]!.questions[0]!;
    expect(overall).toMatchObject({ answers: 1, mean: 5, distribution: [0, 0, 0, 0, 1] });
    // Per-estate results hide groups under 5 answers (only one resident answered).
    expect((await svc.results(surveyId, { by: "estate" })).groups).toEqual([]);
  });

  it("reminds once, only the unfinished, before closing; refuses answers after closing", async () => {
    const b = people[1]!;
    await svc.answer({ recipientId: (await rec(b.id)).id, residentId: b.id, index: 0, value: 4 });
    expect(await svc.remind(100)).toBe(0); // 10 days before closing: too early
    clock.set("2026-12-02T02:00:00Z");
    expect(await svc.remind(100)).toBe(2); // b (partial) and c (not started); a finished
    expect(await svc.remind(100)).toBe(0);
    expect((await texts(b.chatId!)).at(-1)).toBe("[reminder] owner-satisfaction 2/5 repairs (zh-Hans)");
    expect((await texts(people[0]!.chatId!)).filter((t) => t.startsWith("[reminder]"))).toEqual([]);
    clock.set("2026-12-04T02:00:01Z");
    expect(await svc.closeExpired()).toBe(1);
    expect(await svc.answer({ recipientId: (await rec(b.id)).id, residentId: b.id, index: 1, value: 4 })).toEqual({ kind: "closed" });
  });
});
