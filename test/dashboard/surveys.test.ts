// The dashboard's survey pages against a real database: create (file, pasted JSON, invalid input),
// push now within the caller's area, progress (page and JSON), results as aggregates, closing
// date, CSRF, and the three languages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { SurveyService } from "../../core/surveys/surveys.ts";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";
import { residents } from "../surveys/fixtures.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

const PASTED = {
  code: "pasted-2026",
  title: { "zh-Hans": "停车<script>alert(1)</script>问卷", "zh-Hant": "停車問卷", en: "Parking poll" },
  questions: [
    { id: "parking", type: "scale", text: { "zh-Hans": "停车是否方便？", "zh-Hant": "停車是否方便？", en: "Is parking easy?" } },
    {
      id: "fee",
      type: "choice",
      text: { "zh-Hans": "停车费是否合理？", "zh-Hant": "停車費是否合理？", en: "Is the parking fee fair?" },
      options: [
        { value: "yes", label: { "zh-Hans": "合理", "zh-Hant": "合理", en: "Fair" } },
        { value: "no", label: { "zh-Hans": "偏高", "zh-Hant": "偏高", en: "Too high" } },
      ],
    },
  ],
};

describe("dashboard survey pages", () => {
  let f: OfficeFixture;
  let surveys: SurveyService;
  let district: ReturnType<typeof request.agent>;
  let street: ReturnType<typeof request.agent>;
  let csrf: string;
  let streetCsrf: string;
  let fileSurvey: number;
  let pastedSurvey: number;
  let streets: Record<string, number>;

  const logIn = async (username: string) => {
    const a = request.agent(f.app);
    const form = await a.get("/login");
    await a.post("/login").type("form").send({ username, password: PASSWORD, _csrf: csrfOf(form.text) });
    return { agent: a, csrf: csrfOf((await a.get("/dashboard/surveys")).text) };
  };
  const count = () => f.db.prisma.survey.count();

  beforeAll(async () => {
    f = await officeApp({}, { surveys: true });
    surveys = f.surveys!;
    await residents(f.db.prisma, "heping", 6, 9000); // dongcheng
    await residents(f.db.prisma, "xingfu", 2, 9100); // dongcheng
    await residents(f.db.prisma, "jinxiu", 2, 9200); // xiyuan
    streets = Object.fromEntries((await f.db.prisma.street.findMany()).map((s) => [s.code, s.id]));
    ({ agent: district, csrf } = await logIn("district"));
    ({ agent: street, csrf: streetCsrf } = await logIn("dongcheng"));
  });
  afterAll(async () => f?.db.drop());

  it("lists surveys with the configured schedule and a form with the shipped questionnaires", async () => {
    const res = await district.get("/dashboard/surveys");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<a href="/dashboard/surveys">问卷调查</a>'); // nav entry
    expect(res.text).toContain('<option value="owner-satisfaction"');
    // rules/surveys.json: 01-15 and 07-15; the clock is 2026-11-02, so next are 2027-01-15 and 2027-07-15.
    expect(res.text).toMatch(/id="next-scheduled">2027-01-15 \(<code>owner-satisfaction-2027-0115<\/code>\) · 2027-07-15/);
    expect(res.text).toContain('id="create-form"');
    expect((await request(f.app).get("/assets/survey-progress.js")).status).toBe(200);
  });

  it("creates a survey from a shipped file and from pasted JSON", async () => {
    const a = await district.post("/dashboard/surveys").type("form").send({ _csrf: csrf, file: "owner-satisfaction", json: "", code: "", closesAt: "2026-12-31", open: "on" });
    expect(a.status).toBe(303);
    fileSurvey = Number(/\/dashboard\/surveys\/(\d+)\?done=created$/.exec(a.headers.location!)![1]);
    const row = await f.db.prisma.survey.findUniqueOrThrow({ where: { id: fileSurvey } });
    // End of 2026-12-31 in Asia/Shanghai.
    expect(row).toMatchObject({ code: "owner-satisfaction", status: "open", createdBy: "user:district", closesAt: new Date("2026-12-31T15:59:00Z") });
    expect((row.questions as unknown[]).length).toBe(5);

    const b = await district.post("/dashboard/surveys").type("form").send({ _csrf: csrf, file: "owner-satisfaction", json: JSON.stringify(PASTED) });
    expect(b.status).toBe(303);
    pastedSurvey = Number(/surveys\/(\d+)/.exec(b.headers.location!)![1]);
    expect(await f.db.prisma.survey.findUniqueOrThrow({ where: { id: pastedSurvey } })).toMatchObject({ code: "pasted-2026", status: "draft", closesAt: null });

    // The same file again: its code is taken (409); with another code it is a new survey.
    const again = await district.post("/dashboard/surveys").type("form").send({ _csrf: csrf, file: "owner-satisfaction" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("owner-satisfaction");
    const renamed = await district.post("/dashboard/surveys").type("form").send({ _csrf: csrf, file: "owner-satisfaction", code: "owner-satisfaction-extra" });
    expect(renamed.status).toBe(303);
    expect(await count()).toBe(3);

    const list = await district.get("/dashboard/surveys");
    expect(list.text).toContain("pasted-2026");
    expect(list.text).toContain("物业服务满意度调查");
    // Titles are escaped.
    expect(list.text).toContain("停车&lt;script>alert(1)&lt;/script>问卷");
    expect(list.text).not.toContain("<script>alert(1)");
  });

  it("refuses invalid JSON, an invalid questionnaire, a past date, a missing CSRF token: 4xx, nothing stored", async () => {
    const before = await count();
    const bad = await district.post("/dashboard/surveys").type("form").set("Accept", "text/html").send({ _csrf: csrf, json: '{"code": "x", ' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("JSON 格式错误");
    expect(bad.text).toContain("未保存任何内容");
    expect(bad.text).toContain("{&quot;code&quot;: &quot;x&quot;, "); // the pasted text comes back, escaped

    const invalid = await district.post("/dashboard/surveys").type("form").send({ _csrf: csrf, json: JSON.stringify({ ...PASTED, code: "Bad Code", questions: [] }) });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain("问卷内容无效");
    // Each problem in the clerk's language, with its place in words (not zod's English).
    expect(invalid.text).toMatch(/<li><code>题目<\/code>: 至少要有一道题<\/li>/);
    expect(invalid.text).toMatch(/<li><code>代码<\/code>: 只能用小写字母、数字、_ 或 -，最多32个字符<\/li>/);
    const broken = { ...PASTED, code: "bad-question", questions: [{ id: "q1", type: "choice", text: { "zh-Hans": "甲", "zh-Hant": "甲" }, options: [{ value: "a", label: { "zh-Hans": "", "zh-Hant": "乙", en: "B" } }] }] };
    const hant = await district.post("/dashboard/surveys?lang=zh-Hant").type("form").send({ _csrf: csrf, json: JSON.stringify(broken) });
    expect(hant.status).toBe(400);
    expect(hant.text).toContain("問卷內容無效");
    expect(hant.text).toMatch(/<li><code>第1題 · 題目文字 · 英文<\/code>: 必須填寫<\/li>/);
    expect(hant.text).toMatch(/<li><code>第1題 · 選項<\/code>: 選擇題至少要有2個選項<\/li>/);
    expect(hant.text).toMatch(/<li><code>第1題 · 第1個選項 · 選項文字 · 簡體<\/code>: 不能為空<\/li>/);
    expect(hant.text).not.toMatch(/Invalid input|Too small|expected/);
    const en = await district.post("/dashboard/surveys?lang=en").type("form").send({ _csrf: csrf, json: JSON.stringify(broken) });
    expect(en.text).toMatch(/<li><code>question 1 · options<\/code>: a choice needs at least 2 options<\/li>/);

    const past = await district.post("/dashboard/surveys?lang=zh-Hans").type("form").send({ _csrf: csrf, json: JSON.stringify({ ...PASTED, code: "past-one" }), closesAt: "2026-10-01" });
    expect(past.status).toBe(400);
    expect(past.text).toContain("截止日期必须在今天之后");
    const notADate = await district.post("/dashboard/surveys?lang=zh-Hans").type("form").send({ _csrf: csrf, json: JSON.stringify({ ...PASTED, code: "past-one" }), closesAt: "next friday" });
    expect(notADate.status).toBe(400);
    expect(notADate.text).toMatch(/<li><code>截止日期<\/code>: 请填写日期，如 2026-12-31<\/li>/);
    const noFile = await district.post("/dashboard/surveys?lang=zh-Hans").type("form").send({ _csrf: csrf, file: "../surveys" });
    expect(noFile.status).toBe(404);
    expect(noFile.text).toContain("找不到这份问卷");

    const noCsrf = await district.post("/dashboard/surveys").type("form").set("Accept", "text/html").send({ file: "owner-satisfaction", code: "no-csrf" });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.text).toContain("CSRF");
    expect(noCsrf.text).not.toMatch(/at .*\.ts:\d+/); // a page, not a stack
    expect((await district.post("/dashboard/surveys").type("form").send({ _csrf: "wrong", file: "owner-satisfaction", code: "no-csrf" })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it("pushes now to an estate: recipients are stored and the page and progress.json show the counts", async () => {
    const noCsrf = await district.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").send({ scope: "estate", estate: String(f.ids.heping) });
    expect(noCsrf.status).toBe(403);
    expect(await f.db.prisma.surveyPush.count()).toBe(0);
    const noEstate = await district.post(`/dashboard/surveys/${fileSurvey}/push?lang=zh-Hans`).type("form").set("Accept", "text/html").send({ _csrf: csrf, scope: "estate" });
    expect(noEstate.status).toBe(400);
    expect(noEstate.text).toContain("请选择小区");

    const res = await district.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").send({ _csrf: csrf, scope: "estate", street: String(streets.dongcheng), estate: String(f.ids.heping) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/dashboard/surveys/${fileSurvey}?done=pushed`);
    const push = await f.db.prisma.surveyPush.findFirstOrThrow({ where: { surveyId: fileSurvey } });
    expect(push).toMatchObject({ scope: "estate", scopeId: f.ids.heping, total: 6, createdBy: "user:district" });
    expect(await f.db.prisma.surveyRecipient.count({ where: { pushId: push.id } })).toBe(6);

    const pageRes = await district.get(`/dashboard/surveys/${fileSurvey}?done=pushed`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.text).toContain("已开始推送");
    expect(pageRes.text).toContain('data-url="/dashboard/surveys/' + fileSurvey + '/progress.json" data-active="true"');
    expect(pageRes.text).toContain('<script src="/assets/survey-progress.js"></script>');
    const row = new RegExp(`<tr data-push="${push.id}">.*?</tr>`, "s").exec(pageRes.text)![0];
    expect(row).toContain("和平小区");
    expect(row).toContain("排队中");
    expect(row).toContain('<td class="num" data-k="total">6</td>');
    expect(row).toContain('<td class="num" data-k="pending">6</td>');
    expect(pageRes.text).toContain("您对物业服务的总体满意度？"); // the questions in the viewer's locale

    const p1 = await district.get(`/dashboard/surveys/${fileSurvey}/progress.json`);
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({
      survey: { id: fileSurvey, status: "open" },
      overall: { total: 6, pending: 6, sent: 0, delivered: 0, answered: 0, partial: 0, undeliverable: 0 },
      pushes: [{ id: push.id, status: "pending", total: 6, pending: 6 }],
      active: true,
    });
    // The every-minute job's batch: the numbers move.
    await surveys.sendBatch(100);
    const p2 = await district.get(`/dashboard/surveys/${fileSurvey}/progress.json`);
    expect(p2.body.overall).toMatchObject({ total: 6, pending: 0, sent: 6 });
    expect(p2.body.pushes[0]).toMatchObject({ status: "done", sent: 6 });
    expect(p2.body.active).toBe(false);
    // Not logged in: the login page, no numbers.
    expect((await request(f.app).get(`/dashboard/surveys/${fileSurvey}/progress.json`)).status).toBe(303);
  });

  it("lets a street office push to its own estate only, and not create or change surveys", async () => {
    const own = await street.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").send({ _csrf: streetCsrf, scope: "estate", estate: String(f.ids.xingfu) });
    expect(own.status).toBe(303);
    const p = await f.db.prisma.surveyPush.findFirstOrThrow({ where: { surveyId: fileSurvey, scopeId: f.ids.xingfu } });
    expect(await f.db.prisma.surveyRecipient.count({ where: { pushId: p.id } })).toBe(2);

    const pushes = await f.db.prisma.surveyPush.count();
    const other = await street.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").set("Accept", "text/html").send({ _csrf: streetCsrf, scope: "estate", estate: String(f.ids.jinxiu) });
    expect(other.status).toBe(403);
    expect(other.text).toContain("only to its own street or estates");
    expect((await street.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").send({ _csrf: streetCsrf, scope: "district" })).status).toBe(403);
    expect((await street.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").send({ _csrf: streetCsrf, scope: "street", street: String(streets.xiyuan) })).status).toBe(403);
    expect(await f.db.prisma.surveyPush.count()).toBe(pushes);

    const before = await count();
    expect((await street.post("/dashboard/surveys").type("form").send({ _csrf: streetCsrf, json: JSON.stringify({ ...PASTED, code: "street-made" }) })).status).toBe(403);
    expect(await count()).toBe(before);
    expect((await street.post(`/dashboard/surveys/${fileSurvey}/closes-at`).type("form").send({ _csrf: streetCsrf, closesAt: "2027-01-10" })).status).toBe(403);

    // The district pushes to xiyuan's jinxiu: the street office does not see that push or its people.
    await district.post(`/dashboard/surveys/${fileSurvey}/push`).type("form").send({ _csrf: csrf, scope: "estate", estate: String(f.ids.jinxiu) });
    const mine = await street.get(`/dashboard/surveys/${fileSurvey}/progress.json`);
    expect(mine.body.overall.total).toBe(8);
    expect(mine.body.pushes.map((x: { scopeId: number }) => x.scopeId).sort()).toEqual([f.ids.heping, f.ids.xingfu].sort());
    expect((await district.get(`/dashboard/surveys/${fileSurvey}/progress.json`)).body.overall.total).toBe(10);
    const list = await street.get("/dashboard/surveys");
    expect(list.text).not.toContain('id="create-form"');
    expect(list.text).toContain("Only your street's numbers are shown"); // the street user's locale is en
    const pageRes = await street.get(`/dashboard/surveys/${fileSurvey}`);
    expect(pageRes.text).not.toContain('id="closes-form"');
    expect(pageRes.text).not.toContain('<option value="district"');
    expect(pageRes.text).not.toContain(`<option value="${f.ids.jinxiu}"`);
  });

  it("shows results as aggregates per question and by estate; a street office sees its street's only", async () => {
    const answer = async (code: string, values: (number | string)[]) => {
      const people = await f.db.prisma.resident.findMany({ where: { estate: { code } }, orderBy: { id: "asc" } });
      for (const person of people) {
        const r = await f.db.prisma.surveyRecipient.findFirstOrThrow({ where: { surveyId: fileSurvey, residentId: person.id } });
        for (const [index, value] of values.entries()) expect((await surveys.answer({ recipientId: r.id, residentId: person.id, index, value })).kind).toMatch(/next|done/);
      }
    };
    const none = await district.get(`/dashboard/surveys/${fileSurvey}`);
    expect(none.text).toContain('id="results-none"');
    await answer("heping", [5, 4, 3, 4, "parking"]); // 6 residents, every question
    await answer("jinxiu", [1]); // 2 residents (xiyuan), first question only

    const d = await district.get(`/dashboard/surveys/${fileSurvey}`);
    const overall = /<tr data-q="overall">.*?<\/tr>/s.exec(d.text)![0];
    expect(overall).toContain('data-k="answers">8<');
    expect(overall).toContain('data-k="mean">4.00<'); // (6×5 + 2×1) / 8
    expect(overall).toContain('data-k="d1">2<');
    expect(overall).toContain('data-k="d5">6<');
    expect(overall).toContain("75.0%"); // satisfied: 6 of 8
    expect(/<tr data-q="priority" data-option="parking">.*?<\/tr>/s.exec(d.text)![0]).toContain('data-k="count">6<');
    // By estate: heping has 6 answers; jinxiu's 2 are under the minimum group size.
    expect(d.text).toMatch(new RegExp(`<tr data-estate="${f.ids.heping}"><td>和平小区</td><td class="num">6</td>`));
    expect(d.text).not.toContain(`<tr data-estate="${f.ids.jinxiu}"`);
    // Never a resident: no names, chat ids or recipient ids on the page.
    expect(d.text).not.toMatch(/r90\d\d|9000|residentId|recipient/);

    const s = await street.get(`/dashboard/surveys/${fileSurvey}`);
    const mine = /<tr data-q="overall">.*?<\/tr>/s.exec(s.text)![0];
    expect(mine).toContain('data-k="answers">6<');
    expect(mine).toContain('data-k="mean">5.00<');
    expect(mine).toContain('data-k="d1">0<');
    expect(s.text).toContain("Overall, how satisfied are you with the property service?");
  });

  it("changes the closing date to a future day only, and not once closed", async () => {
    const ok = await district.post(`/dashboard/surveys/${fileSurvey}/closes-at`).type("form").send({ _csrf: csrf, closesAt: "2027-01-10" });
    expect(ok.status).toBe(303);
    expect((await f.db.prisma.survey.findUniqueOrThrow({ where: { id: fileSurvey } })).closesAt).toEqual(new Date("2027-01-10T15:59:00Z"));
    expect((await district.get(`/dashboard/surveys/${fileSurvey}`)).text).toMatch(/id="closes">2027-01-10/);
    expect((await district.post(`/dashboard/surveys/${fileSurvey}/closes-at`).type("form").send({ _csrf: csrf, closesAt: "2026-11-01" })).status).toBe(400);
    expect((await district.post(`/dashboard/surveys/${fileSurvey}/closes-at`).type("form").send({ _csrf: csrf, closesAt: "2027-02-30" })).status).toBe(400);
    expect((await district.post(`/dashboard/surveys/${fileSurvey}/closes-at`).type("form").send({ closesAt: "2027-02-01" })).status).toBe(403);

    // SurveyService.setClosesAt itself: future only, not on a closed survey.
    await expect(surveys.setClosesAt(pastedSurvey, new Date("2026-11-01T00:00:00Z"))).rejects.toMatchObject({ code: "invalid" });
    expect((await surveys.setClosesAt(pastedSurvey, new Date("2027-03-01T00:00:00Z"))).closesAt).toEqual(new Date("2027-03-01T00:00:00Z"));
    await f.db.prisma.survey.update({ where: { id: pastedSurvey }, data: { status: "closed" } });
    await expect(surveys.setClosesAt(pastedSurvey, new Date("2027-04-01T00:00:00Z"))).rejects.toMatchObject({ code: "conflict" });
    const closed = await district.post(`/dashboard/surveys/${pastedSurvey}/closes-at`).type("form").set("Accept", "text/html").send({ _csrf: csrf, closesAt: "2027-04-01" });
    expect(closed.status).toBe(409);
    expect(closed.text).toMatch(/问卷 \S+ 已结束/);
    const badDay = await district.post(`/dashboard/surveys/${fileSurvey}/closes-at?lang=en`).type("form").set("Accept", "text/html").send({ _csrf: csrf, closesAt: "2027-02-30" });
    expect(badDay.text).toContain("there is no day 2027-02-30");
    // A closed survey offers no push form, and a push is refused.
    const page = await district.get(`/dashboard/surveys/${pastedSurvey}`);
    expect(page.text).not.toContain('id="push-form"');
    expect((await district.post(`/dashboard/surveys/${pastedSurvey}/push`).type("form").send({ _csrf: csrf, scope: "district" })).status).toBe(409);
    expect((await district.get("/dashboard/surveys/99999")).status).toBe(404);
    expect((await district.get("/dashboard/surveys/abc")).status).toBe(400);
  });

  it("renders in en and zh-Hant", async () => {
    const en = await district.get("/dashboard/surveys?lang=en");
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain("<h1>Surveys</h1>");
    expect(en.text).toContain("Scheduled pushes");
    expect(en.text).toContain("Property service satisfaction survey");
    const page = await district.get(`/dashboard/surveys/${fileSurvey}`); // the cookie keeps en
    expect(page.text).toContain("Pushes and progress");
    expect(page.text).toContain("Overall, how satisfied are you with the property service?");
    expect(page.text).toContain("Parking");
    const hant = await district.get(`/dashboard/surveys/${fileSurvey}?lang=zh-Hant`);
    expect(hant.text).toContain("問卷調查");
    expect(hant.text).toContain("物業服務滿意度調查");
    await district.get("/dashboard/surveys?lang=zh-Hans");
  });
});
