// A campaign problem through every phase on a fake clock, with deadlines in working days across the
// 调休 weekend of September 2026 (Sunday 20 September is a working day), the failed round's notice,
// 销号 refused before the 回访, 不满意 reopening, the 回头看 repeat and escalation to street and district.
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { PDFParse } from "pdf-parse";
import { applyProblemAction, registerProblem } from "../../core/campaigns/problems.ts";
import { escalateOverdueProblems } from "../../core/campaigns/escalation.ts";
import { rectificationNotice } from "../../core/campaigns/ledger/documents.ts";
import { CJK_FONT_CANDIDATES } from "../../core/bulletin/pdf.ts";
import { campaignFixture, DISTRICT } from "./fixture.ts";

const fontPresent = CJK_FONT_CANDIDATES.some((f) => fs.existsSync(f));
let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function pdfText(pdf: Buffer) {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const text = (await parser.getText()).text.replace(/\s+/g, "");
  await parser.destroy();
  return text;
}

describe("campaign problem lifecycle", { timeout: 180_000 }, () => {
  it("runs 排查 → 整改 → 验收 (a failed round, then a pass) → 回访 → 销号 → 回头看, counting working days across the 调休 weekend", async () => {
    const f = await campaignFixture("2026-09-18T10:00:00+08:00"); // Friday
    close = () => f.db.close();
    const db = f.db.prisma;
    // A resident's case the problem came from: the 回访 goes to their chat.
    const resident = await db.resident.create({ data: { name: "张阿姨", chatId: 5550001n, telegramUserId: 5550001n, status: "verified", estateId: (await db.estate.findUniqueOrThrow({ where: { code: "heping" } })).id } });
    const heping = await db.estate.findUniqueOrThrow({ where: { code: "heping" } });
    const kase = await db.case.create({ data: { number: "2026-900001", kind: "complaint", category: "other", description: "消防通道堵塞", streetId: heping.streetId, estateId: heping.id, residentId: resident.id } });

    const p = await registerProblem(f.deps, DISTRICT, f.campaign.id, { estate: "heping", building: "3号楼", category: "fire", description: "消防通道被杂物堵塞", source: "complaint", cases: [kase.number], responsiblePerson: "李工" });
    expect(p).toMatchObject({ state: "found", seq: 1, responsibleName: "华美物业", caseIds: [kase.id] });

    // Proposed on Friday with 3 working days: Sat no, Sun 20 (调休) yes, Mon, Tue → Tue 22 Sep 18:00.
    const proposed = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "propose", { measure: "清理杂物，设置禁停标识", deadlineWorkdays: 3 });
    expect(proposed.state).toBe("proposed");
    expect(proposed.deadline?.toISOString()).toBe(new Date("2026-09-22T18:00:00+08:00").toISOString());
    const approved = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "approve", {});
    expect(approved).toMatchObject({ state: "rectifying" });
    expect(approved.firstDeadline?.toISOString()).toBe(approved.deadline?.toISOString());

    f.clock.set("2026-09-21T15:00:00+08:00");
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "progress", { note: "已清理一半" });
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "submit", {});
    // Round 1 fails: a new deadline of 2 working days from Mon 21 → Wed 23 18:00; the hook writes in the same transaction.
    const failed = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "fail", { note: "楼道仍有电动车停放", deadlineWorkdays: 2 });
    expect(failed).toMatchObject({ state: "rectifying", rounds: 1, lastVerdict: "fail" });
    expect(failed.deadline?.toISOString()).toBe(new Date("2026-09-23T18:00:00+08:00").toISOString());
    expect(f.credit).toContainEqual({ kind: "acceptance_failed", problemId: p.id, inTx: true });

    if (fontPresent) {
      const notice = await rectificationNotice(db, DISTRICT, f.campaign.id, p.id, 1, { locale: "zh-Hans", timezone: "Asia/Shanghai", settings: f.settings });
      const text = await pdfText(notice.pdf);
      expect(text).toContain("整改通知书");
      expect(text).toContain("华美物业");
      expect(text).toContain("第1轮验收不合格");
      expect(text).toContain("楼道仍有电动车停放");
      expect(text).toContain("2026-09-2318:00");
    }

    f.clock.set("2026-09-22T11:00:00+08:00");
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "submit", {});
    const passed = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "pass", {});
    expect(passed).toMatchObject({ state: "revisit", rounds: 2, lastVerdict: "pass" });
    const asked = await db.outboxMessage.findMany({ where: { chatId: 5550001n } });
    expect(asked.map((m) => (m.payload as { text: string }).text)).toEqual([expect.stringContaining("满意 / 较满意 / 不满意")]);

    // 销号 is refused before the residents answered.
    await expect(applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "close", {})).rejects.toMatchObject({ code: "not_allowed" });
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "revisit_answer", { answer: "satisfied" });
    const closed = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "close", {});
    // Closed Tue 22 before the first deadline (Tue 22 18:00): on time. 回头看 30 working days after, across the National Day holiday (1–7 Oct).
    expect(closed).toMatchObject({ state: "closed", closedOnTime: true });
    expect(closed.recheckDue?.toISOString()).toBe(new Date("2026-11-10T18:00:00+08:00").toISOString());

    // 回头看: found again → reopened and counted as a repeat.
    f.clock.set("2026-11-10T10:00:00+08:00");
    const again = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "recheck_fail", { note: "杂物再次堆放" });
    expect(again).toMatchObject({ state: "reopened", repeatCount: 1, recheckResult: "fail", closedAt: null });

    const events = await db.campaignProblemEvent.findMany({ where: { problemId: p.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => `${e.action}:${e.toState}`)).toEqual([
      "register:found", "propose:proposed", "approve:rectifying", "progress:rectifying", "submit:awaiting_acceptance", "fail:rectifying",
      "submit:awaiting_acceptance", "pass:revisit", "revisit_answer:accepted", "close:closed", "recheck_fail:reopened",
    ]);
    expect(f.credit.map((c) => c.kind)).toEqual(["violation_found", "acceptance_failed"]);
  });

  it("不满意 at the 回访 reopens the problem; a problem without residents closes right after the pass", async () => {
    const f = await campaignFixture("2026-11-02T10:00:00+08:00");
    close = () => f.db.close();
    const db = f.db.prisma;
    const heping = await db.estate.findUniqueOrThrow({ where: { code: "heping" } });
    const kase = await db.case.create({ data: { number: "2026-900002", kind: "complaint", category: "other", description: "垃圾清运不及时", streetId: heping.streetId, estateId: heping.id } });
    const p = await registerProblem(f.deps, DISTRICT, f.campaign.id, { estate: "heping", category: "sanitation", description: "垃圾清运不及时", source: "complaint", cases: [kase.number] });
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "set_measure", { measure: "每日清运两次" });
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "pass", {});
    const reopened = await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "revisit_answer", { answer: "dissatisfied" });
    expect(reopened).toMatchObject({ state: "reopened", revisitResult: "dissatisfied", repeatCount: 0 });

    const q = await registerProblem(f.deps, DISTRICT, f.campaign.id, { estate: "xingfu", category: "facilities", description: "单元门禁损坏", source: "inspection" });
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, q.id, "set_measure", { measure: "更换门禁", deadlineWorkdays: 5 });
    expect((await applyProblemAction(f.deps, DISTRICT, f.campaign.id, q.id, "pass", {})).state).toBe("accepted");
    expect((await applyProblemAction(f.deps, DISTRICT, f.campaign.id, q.id, "close", {})).state).toBe("closed");
  });

  it("an overdue problem escalates to the street office, then after a working day to the district office, once each", async () => {
    const f = await campaignFixture("2026-11-02T10:00:00+08:00"); // Monday
    close = () => f.db.close();
    const db = f.db.prisma;
    await db.office.updateMany({ where: { code: "dongcheng" }, data: { chatId: -100111n } });
    await db.office.updateMany({ where: { code: "district" }, data: { chatId: -100999n } });
    const p = await registerProblem(f.deps, DISTRICT, f.campaign.id, { estate: "heping", category: "order", description: "地库照明损坏", source: "inspection" });
    await applyProblemAction(f.deps, DISTRICT, f.campaign.id, p.id, "set_measure", { measure: "更换灯具", deadlineWorkdays: 1 }); // Tue 18:00
    f.clock.set("2026-11-03T17:00:00+08:00");
    expect(await escalateOverdueProblems(f.deps)).toEqual({ street: 0, district: 0 });
    f.clock.set("2026-11-03T18:30:00+08:00");
    expect(await escalateOverdueProblems(f.deps)).toEqual({ street: 1, district: 0 });
    expect(await escalateOverdueProblems(f.deps)).toEqual({ street: 0, district: 0 });
    const street = await db.outboxMessage.findMany({ where: { chatId: -100111n } });
    expect(street.map((m) => (m.payload as { text: string }).text)).toEqual([expect.stringContaining("整改超时：2026年住宅小区物业管理专项整治 · 和平小区 问题 #1")]);
    expect(f.credit.filter((c) => c.kind === "not_rectified_in_time")).toHaveLength(1);
    f.clock.set("2026-11-04T18:00:00+08:00"); // one working day after the first escalation (Wed 18:00)
    expect(await escalateOverdueProblems(f.deps)).toEqual({ street: 0, district: 1 });
    expect((await db.outboxMessage.findMany({ where: { chatId: -100999n } })).map((m) => (m.payload as { text: string }).text)).toEqual([expect.stringContaining("已升级至区物业办")]);
    expect(await escalateOverdueProblems(f.deps)).toEqual({ street: 0, district: 0 });
  });
});
