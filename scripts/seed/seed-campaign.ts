// The demo's rectification campaign (issue 29 item 9): one district campaign over the demo district,
// now in its 整改 phase, made through the campaign service on a fake clock moved through the weeks —
// problems found at inspection (one estate inspected with nothing found), measures proposed and
// approved, two closed after a pass and the residents' 回访 (one of them with its 回头看 due within
// days), one failed acceptance round (its 整改通知书 can be printed), one reopened by a 不满意 answer,
// some overdue and escalated, a few still waiting for a measure — so the campaign pages, ledger,
// figures and bulletin show something real. The notices the service queues are removed at the end:
// the demo's residents and groups are made up.
import type { Db } from "../../core/db/db.ts";
import { ManualClock } from "../../core/clock.ts";
import { WorkCalendar } from "../../core/clocks/work-calendar.ts";
import { loadCampaignSettings } from "../../core/campaigns/settings.ts";
import { createCampaign } from "../../core/campaigns/campaigns.ts";
import { applyProblemAction, recordInspected, registerProblem, type ActionInput, type CampaignDeps, type ProblemInput } from "../../core/campaigns/problems.ts";
import type { ProblemAction } from "../../core/campaigns/lifecycle.ts";
import { escalateOverdueProblems } from "../../core/campaigns/escalation.ts";
import type { Scope } from "../../core/directory/staff.ts";
import { loadCreditRules } from "../../core/credit/credit-rules.ts";
import { creditCampaignHook } from "../../core/credit/case-hooks.ts";

const DAY = 86_400_000;
const INSPECTOR: Scope = { role: "district", streetId: null, actorId: "seed", name: "区物业办检查组" };

type Step = [daysAgo: number, action: ProblemAction, input?: ActionInput];
interface DemoProblem extends Omit<ProblemInput, "cases"> {
  /** Link the estate's latest demo complaint: its resident gets the 回访. */
  fromComplaint?: boolean;
  steps: Step[];
}

const PROBLEMS: DemoProblem[] = [
  { estate: "heping", building: "3号楼", category: "fire", description: "消防通道被电动车和杂物堵塞", source: "complaint", fromComplaint: true, responsiblePerson: "李工",
    steps: [[44, "propose", { measure: "清理楼道杂物，设置禁停标识，每日巡查", deadlineWorkdays: 5 }], [43, "approve"], [40, "progress", { note: "杂物已清理，禁停标识已安装" }], [39, "submit"], [38, "pass"], [37, "revisit_answer", { answer: "satisfied" }], [37, "close"]] },
  { estate: "heping", building: "1号楼", place: "地下车库", category: "facilities", description: "车库照明一半不亮", source: "inspection", responsiblePerson: "李工",
    steps: [[44, "propose", { measure: "更换损坏灯具", deadlineWorkdays: 5 }], [44, "approve"], [41, "submit"], [41, "pass"], [41, "close"]] },
  { estate: "heping", category: "sanitation", description: "垃圾分类亭周边堆放垃圾、异味明显", source: "hotline", sourceRef: "12345-2026-1015-0387",
    steps: [[44, "propose", { measure: "增加清运频次至每日两次，清洗垃圾亭", deadlineWorkdays: 10 }], [43, "approve"], [30, "progress", { note: "已增加清运频次" }]] },
  { estate: "xingfu", building: "2号楼", category: "facilities", description: "电梯年检标志过期", source: "inspection", responsiblePerson: "王经理",
    steps: [[44, "propose", { measure: "联系维保单位完成年检", deadlineWorkdays: 10 }], [43, "approve"], [36, "submit"], [35, "fail", { note: "年检报告未出具，标志仍为过期", deadlineWorkdays: 5 }], [28, "submit"], [27, "pass"], [27, "close"]] },
  { estate: "xingfu", category: "order", description: "小区大门门禁损坏，外来车辆随意进出", source: "complaint", fromComplaint: true, responsiblePerson: "王经理",
    steps: [[44, "propose", { measure: "更换门禁道闸", deadlineWorkdays: 10 }], [42, "approve"], [25, "submit"], [24, "pass"], [20, "revisit_answer", { answer: "dissatisfied" }]] },
  { estate: "xingfu", building: "5号楼", category: "construction", description: "外墙渗水（开发遗留）", source: "inspection", responsibleKind: "developer", responsibleName: "幸福置业有限公司",
    steps: [[40, "propose", { measure: "开发商委托施工单位做外墙防水", deadlineWorkdays: 20 }], [38, "approve"], [10, "progress", { note: "施工单位已进场" }]] },
  { estate: "jinxiu", category: "service", description: "物业服务中心工作时间无人值守", source: "survey",
    steps: [[44, "propose", { measure: "服务中心排班公示，工作日 8:30–17:30 有人值守", deadlineWorkdays: 3 }], [43, "approve"]] },
  { estate: "jinxiu", building: "1号楼", category: "fire", description: "消火栓箱内水带缺失", source: "inspection",
    steps: [[44, "propose", { measure: "补齐消防器材", deadlineWorkdays: 5 }], [44, "approve"], [39, "submit"]] },
  { estate: "jinxiu", category: "sanitation", description: "绿化带内建筑垃圾未清运", source: "inspection", steps: [] },
  { estate: "jinxiu", category: "facilities", description: "健身器材松动", source: "inspection", steps: [[2, "propose", { measure: "紧固并检修健身器材", deadlineWorkdays: 5 }]] },
];

export interface CampaignSeedResult {
  campaign: string;
  problems: number;
  closed: number;
  escalated: number;
}

export async function seedCampaign(db: Db, o: { now: Date; timezone: string; rulesDir: string }): Promise<CampaignSeedResult> {
  const settings = loadCampaignSettings(o.rulesDir);
  const clock = new ManualClock(new Date(o.now.getTime() - 70 * DAY));
  const calendar = new WorkCalendar();
  const credit = loadCreditRules(o.rulesDir);
  const deps: CampaignDeps = { db, clock, timezone: o.timezone, calendar: () => calendar, settings: () => settings, hooks: [creditCampaignHook(() => credit)] };
  const outboxBefore = (await db.outboxMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;
  const at = (daysAgo: number) => new Date(o.now.getTime() - daysAgo * DAY);
  const campaign = await createCampaign(db, settings, INSPECTOR, {
    name: `${new Date(o.now).getFullYear()}年住宅小区物业服务专项整治（演示）`,
    phases: { inspect: [at(75), at(46)], rectify: [at(45), at(-45)], accept: [at(-46), at(-60)] },
    inspectors: "街道城管科、社区居委会",
  });
  // 排查: a week of inspections; 春晖苑 had nothing to rectify.
  const made: { id: number; steps: Step[] }[] = [];
  // Without the demo's history (npm run seed -- --empty) there is no complaint to link: no 回访 then.
  for (const [i, p] of PROBLEMS.entries()) {
    clock.set(at(70 - (i % 5)));
    const { fromComplaint, steps, ...input } = p;
    const complaint = fromComplaint ? await db.case.findFirst({ where: { estate: { code: p.estate }, kind: "complaint" }, orderBy: { id: "desc" } }) : null;
    const problem = await registerProblem(deps, INSPECTOR, campaign.id, { ...input, foundOn: clock.now(), ...(complaint ? { cases: [complaint.number] } : {}) });
    made.push({ id: problem.id, steps: complaint || !fromComplaint ? steps : steps.filter((x) => x[1] !== "revisit_answer") });
  }
  clock.set(at(66));
  await recordInspected(deps, INSPECTOR, campaign.id, "chunhui", "逐栋检查，未发现需整改的问题");
  // 整改 and 验收, in the order of the days.
  const steps = made.flatMap((m) => m.steps.map((s, n) => ({ problem: m.id, n, step: s }))).sort((a, b) => b.step[0] - a.step[0] || a.n - b.n);
  let closed = 0;
  for (const { problem, step } of steps) {
    const [daysAgo, action, input] = step;
    clock.set(new Date(Math.max(clock.now().getTime(), at(daysAgo).getTime())));
    await applyProblemAction(deps, INSPECTOR, campaign.id, problem, action, input ?? {});
    if (action === "close") closed++;
  }
  // Today: the clocks escalate what is overdue, as the campaigns job does.
  clock.set(o.now);
  const escalated = await escalateOverdueProblems(deps);
  await db.outboxMessage.deleteMany({ where: { id: { gt: outboxBefore } } });
  return { campaign: campaign.name, problems: made.length, closed, escalated: escalated.street + escalated.district };
}
