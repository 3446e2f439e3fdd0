// Overdue campaign problems escalate as cases do: past the rectification deadline → the street office
// (level 1, and the "not rectified in time" hook); still open a configured number of working days
// later → the district office (level 2). Run by the clock job (jobs/campaigns.ts); every step is
// guarded by the problem's escalation level, so a second run or a second instance sends nothing twice.
import type { Scope } from "../directory/staff.ts";
import { enqueue, type OutMessage } from "../delivery/outbox.ts";
import { OPEN_STATES } from "./lifecycle.ts";
import { runHooks } from "./hooks.ts";
import { campaignMessage, shorten } from "./messages.ts";
import { workdaysFrom, type CampaignDeps } from "./problems.ts";
import { localStamp } from "../delivery/table-export.ts";

const SYSTEM: Scope = { role: "district", streetId: null, actorId: "system:campaign-clock", name: "system" };

export async function escalateOverdueProblems(d: CampaignDeps): Promise<{ street: number; district: number }> {
  const now = d.clock.now();
  const due = await d.db.campaignProblem.findMany({
    where: { state: { in: [...OPEN_STATES] }, deadline: { lt: now }, escalationLevel: { lt: 2 } },
    include: { estate: { include: { street: { include: { office: true } } } }, campaign: true },
    orderBy: { id: "asc" },
    take: 1000,
  });
  const district = await d.db.office.findFirst({ where: { level: "district", active: true } });
  const done = { street: 0, district: 0 };
  for (const p of due) {
    const level = p.escalationLevel === 0 ? 1 : 2;
    if (level === 2 && (!p.escalatedAt || workdaysFrom(d, p.escalatedAt, d.settings().escalation.districtAfterWorkdays) > now)) continue;
    const office = level === 1 ? p.estate.street.office : district;
    const messages: OutMessage[] = [];
    if (office?.chatId) {
      const text = campaignMessage(office.language, level === 1 ? "escalate1" : "escalate2", {
        campaign: p.campaign.name,
        estate: p.estate.name,
        seq: p.seq,
        description: shorten(p.description),
        unit: p.responsibleName,
        deadline: localStamp(p.deadline!, d.timezone),
      });
      messages.push({ chatId: office.chatId, payload: { text }, dedupeKey: `esc:campaign:${p.id}:${p.escalatedAt?.getTime() ?? 0}:${level}`, kind: "escalation" });
    }
    const escalated = await d.db.$transaction(async (tx) => {
      const n = await tx.campaignProblem.updateMany({ where: { id: p.id, escalationLevel: p.escalationLevel, updatedAt: p.updatedAt }, data: { escalationLevel: level, escalatedAt: now } });
      if (n.count !== 1) return false;
      await tx.campaignProblemEvent.create({ data: { problemId: p.id, at: now, actor: SYSTEM.actorId, action: "escalate", fromState: p.state, toState: p.state, note: null, data: { level, office: office?.name ?? null } } });
      if (messages.length) await enqueue(tx, messages);
      if (level === 1) await runHooks(d.hooks, tx, { kind: "not_rectified_in_time", campaignId: p.campaignId, problemId: p.id, estateId: p.estateId, companyId: p.companyId, category: p.category, at: now });
      return true;
    });
    if (escalated) done[level === 1 ? "street" : "district"]++;
  }
  if (done.street + done.district) d.afterCommit?.();
  return done;
}
