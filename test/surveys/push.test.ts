import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { OutboxSender } from "../../core/delivery/outbox.ts";
import { SurveyService, surveyOnUndeliverable, SurveyError } from "../../core/surveys/surveys.ts";
import { loadQuestionnaire, SurveyDefinitionError } from "../../core/surveys/survey-settings.ts";
import type { SurveyRenderer } from "../../core/surveys/survey-notices.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { residents, ScriptedTransport, settingsWith, textSurveyRenderer } from "./fixtures.ts";

describe("survey push", () => {
  let db: TestDb;
  const clock = new ManualClock(new Date("2026-11-24T02:00:00Z"));
  const svc = (renderer: SurveyRenderer = textSurveyRenderer, window = 4) =>
    new SurveyService({ db: db.prisma, clock, renderer, settings: settingsWith(window), rulesDir: "rules", timezone: "Asia/Shanghai", sleep: async () => {} });

  beforeAll(async () => {
    db = await testDatabase();
    await seedDemo(db.prisma);
  });
  afterAll(async () => db.drop());

  it("rejects a bad questionnaire with the offending fields", async () => {
    const q = loadQuestionnaire("rules", "owner-satisfaction");
    const bad = { ...q, questions: [...q.questions, { id: "x", type: "choice", text: q.title, options: [{ value: "only", label: q.title }] }] };
    await expect(svc().create(bad)).rejects.toThrow(/questions\.5\.options: a choice needs at least 2 options/);
    await expect(svc().create({ ...q, title: { en: "no chinese" } })).rejects.toBeInstanceOf(SurveyDefinitionError);
    await svc().create({ ...q, code: "dup" });
    await expect(svc().create({ ...q, code: "dup" })).rejects.toBeInstanceOf(SurveyError);
  });

  it("reaches every verified, unblocked resident once, across a crash and a blocked chat", async () => {
    const heping = await residents(db.prisma, "heping", 10, 5000);
    await residents(db.prisma, "heping", 1, 5100, { status: "pending" });
    await residents(db.prisma, "heping", 1, 5200, { blockedAt: new Date("2026-11-01T00:00:00Z") });
    await residents(db.prisma, "xingfu", 2, 5300); // same street, other estate: not in an estate push
    const survey = await svc().create({ ...loadQuestionnaire("rules", "owner-satisfaction"), code: "crash" });
    const estate = await db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" } });
    const { pushId, total } = await svc().push({ survey: survey.id, scope: "estate", scopeId: estate.id });
    expect(total).toBe(10); // 10 verified; the pending and the blocked one are left out

    // First runner: one batch of 4 goes out, then it dies while rendering the next batch (the
    // batch's transaction rolls back: neither messages nor statuses of that batch are stored).
    let rendered = 0;
    const crashing: SurveyRenderer = {
      ...textSurveyRenderer,
      question: (...a) => {
        if (++rendered > 6) throw new Error("crash");
        return textSurveyRenderer.question(...a);
      },
    };
    const first = svc(crashing);
    expect((await first.sendBatch(4)).sent).toBe(4);
    await expect(first.sendBatch(4)).rejects.toThrow("crash");
    expect(await first.progress({ pushId })).toMatchObject({ total: 10, pending: 6, sent: 4 });

    // A lost status update must not re-ask anyone: the dedupe key holds even if a row is pending again.
    await db.prisma.surveyRecipient.updateMany({ where: { pushId, residentId: heping[0]!.id }, data: { status: "pending" } });

    const transport = new ScriptedTransport();
    transport.blocked.add(heping[3]!.chatId!);
    const second = svc();
    const sender = new OutboxSender({ db: db.prisma, transport, clock, onUndeliverable: surveyOnUndeliverable(second) });
    for (let i = 0; i < 10; i++) {
      await second.step();
      await sender.drain();
    }
    const rows = await db.prisma.outboxMessage.findMany({ where: { dedupeKey: { startsWith: "survey:" } } });
    expect(rows).toHaveLength(10); // one first question per recipient, no more
    const perChat = new Map<string, number>();
    for (const d of transport.delivered) perChat.set(String(d.chatId), (perChat.get(String(d.chatId)) ?? 0) + 1);
    expect(perChat.size).toBe(9);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
    expect(perChat.has(String(heping[3]!.chatId))).toBe(false);
    expect(transport.delivered[0]!.text).toBe("[first] crash 1/5 overall (zh-Hans)");

    const p = await second.progress({ pushId });
    expect(p).toEqual({ total: 10, pending: 0, sent: 9, delivered: 9, answered: 0, partial: 0, undeliverable: 1 });
    expect((await db.prisma.surveyPush.findUniqueOrThrow({ where: { id: pushId } })).status).toBe("done");

    // A second push of the same survey to the street asks only those not asked yet.
    const street = await svc().push({ survey: survey.id, scope: "street", scopeId: estate.streetId });
    expect(street.total).toBe(2);
  });

  it("paces: never more than the window of survey messages waiting in the outbox", async () => {
    await residents(db.prisma, "jinxiu", 7, 6000);
    const s = svc(textSurveyRenderer, 3);
    const survey = await s.create({ ...loadQuestionnaire("rules", "owner-satisfaction"), code: "paced" });
    const jinxiu = await db.prisma.estate.findUniqueOrThrow({ where: { code: "jinxiu" } });
    await s.push({ survey: survey.id, scope: "estate", scopeId: jinxiu.id });
    const before = await db.prisma.outboxMessage.count({ where: { status: "pending" } });
    expect((await s.step()).sent).toBe(3);
    expect((await s.step()).sent).toBe(0); // window full until the sender catches up
    expect(await db.prisma.outboxMessage.count({ where: { status: "pending" } })).toBe(before + 3);
  });

  it("pushes the half-yearly survey on its date, catches up after downtime, once", async () => {
    const at = (t: string) =>
      new SurveyService({ db: db.prisma, clock: new ManualClock(new Date(t)), renderer: textSurveyRenderer, settings: settingsWith(4), rulesDir: "rules", timezone: "Asia/Shanghai" });
    expect(await at("2027-01-25T02:00:00Z").runSchedule()).toBeNull(); // 10 days after 15 January: beyond catchUpDays 7
    expect(await db.prisma.survey.count({ where: { code: { startsWith: "owner-satisfaction-" } } })).toBe(0);
    const verified = await db.prisma.resident.count({ where: { status: "verified", blockedAt: null } });
    // Down on 15 July; the job runs on the 20th (5 days late, within catchUpDays).
    const r = await at("2026-07-20T02:00:00Z").runSchedule();
    expect(r).toMatchObject({ code: "owner-satisfaction-2026-0715", total: verified });
    expect(await at("2026-07-20T03:00:00Z").runSchedule()).toBeNull(); // a rerun or another instance: nothing new
    const s = await db.prisma.survey.findUniqueOrThrow({ where: { code: "owner-satisfaction-2026-0715" } });
    expect([s.status, s.closesAt?.toISOString()]).toEqual(["open", "2026-08-19T02:00:00.000Z"]); // openDays 30
  });
});
