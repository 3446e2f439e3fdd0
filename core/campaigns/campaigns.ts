// Campaigns themselves: created by the district (all estates or a list) or by a street office (its
// own estates), with phases, targets and the categories in use; and the estates a campaign covers.
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import type { Scope } from "../directory/staff.ts";
import type { CampaignSettings } from "./settings.ts";
import { assertCanWrite, campaignFilter, CampaignError } from "./scope.ts";

export interface CampaignInput {
  name: string;
  /** Street code: a street's campaign. A street caller's campaigns are always its own street's. */
  street?: string | null;
  /** Estate codes; empty: every active estate in scope. */
  estates?: string[];
  phases: { inspect: [Date, Date]; rectify: [Date, Date]; accept: [Date, Date] };
  targetRectification?: number;
  targetTimeliness?: number;
  categories?: string[];
  inspectors?: string | null;
}

export async function createCampaign(db: Db, settings: CampaignSettings, scope: Scope, input: CampaignInput) {
  assertCanWrite(scope);
  let streetId: number | null = scope.streetId;
  if (input.street) {
    const s = await db.street.findUnique({ where: { code: input.street } });
    if (!s || (scope.streetId !== null && s.id !== scope.streetId)) throw new CampaignError("not_found", `street "${input.street}" not found`);
    streetId = s.id;
  }
  for (const [name, [from, to]] of Object.entries(input.phases)) {
    if (!(from <= to)) throw new CampaignError("invalid", `phase ${name}: the start must not be after the end`);
  }
  if (!(input.phases.inspect[0] <= input.phases.rectify[0] && input.phases.rectify[0] <= input.phases.accept[0])) {
    throw new CampaignError("invalid", "phases run in order: 排查, then 整改, then 验收");
  }
  const unknown = (input.categories ?? []).filter((c) => !settings.categories.some((k) => k.code === c));
  if (unknown.length) throw new CampaignError("invalid", `unknown problem categories: ${unknown.join(", ")} (rules/campaigns.json)`);
  const estateIds: number[] = [];
  for (const code of input.estates ?? []) {
    const e = await db.estate.findUnique({ where: { code } });
    if (!e || (streetId !== null && e.streetId !== streetId)) throw new CampaignError("invalid", `estate "${code}" is not in the campaign's area`);
    estateIds.push(e.id);
  }
  return db.campaign.create({
    data: {
      name: input.name,
      streetId,
      estateIds,
      inspectFrom: input.phases.inspect[0],
      inspectTo: input.phases.inspect[1],
      rectifyFrom: input.phases.rectify[0],
      rectifyTo: input.phases.rectify[1],
      acceptFrom: input.phases.accept[0],
      acceptTo: input.phases.accept[1],
      targetRectification: input.targetRectification ?? 0.9,
      targetTimeliness: input.targetTimeliness ?? 0.9,
      categories: input.categories ?? [],
      inspectors: input.inspectors ?? null,
      publicSlug: crypto.randomBytes(6).toString("base64url"),
      createdBy: scope.actorId,
    },
  });
}

export async function listCampaigns(db: Db, scope: Scope) {
  return db.campaign.findMany({ where: campaignFilter(scope), orderBy: { id: "desc" } });
}

export async function findCampaign(db: Db, scope: Scope, id: number) {
  const c = await db.campaign.findFirst({ where: { id, ...campaignFilter(scope) } });
  if (!c) throw new CampaignError("not_found", `campaign ${id} not found`);
  return c;
}

export type CampaignRow = Awaited<ReturnType<typeof findCampaign>>;

export type Phase = "before" | "inspect" | "rectify" | "accept" | "after";
export function phaseAt(c: Pick<CampaignRow, "inspectFrom" | "inspectTo" | "rectifyFrom" | "rectifyTo" | "acceptFrom" | "acceptTo">, now: Date): Phase {
  if (now < c.inspectFrom) return "before";
  if (now <= c.inspectTo || now < c.rectifyFrom) return "inspect";
  if (now <= c.rectifyTo || now < c.acceptFrom) return "rectify";
  if (now <= c.acceptTo) return "accept";
  return "after";
}

/** The estates a campaign covers (its list, or every active estate of its street or the district). */
export async function campaignEstates(db: Db, c: Pick<CampaignRow, "streetId" | "estateIds">, extra: { streetId?: number | null; ids?: number[] } = {}) {
  const where = c.estateIds.length ? { id: { in: c.estateIds } } : c.streetId !== null ? { streetId: c.streetId, active: true } : { active: true };
  return db.estate.findMany({
    where: { AND: [where, extra.streetId != null ? { streetId: extra.streetId } : {}, extra.ids ? { id: { in: extra.ids } } : {}] },
    include: { street: true, company: true },
    orderBy: { code: "asc" },
  });
}
