// Loads what the PDFs draw: an estate's problems with their histories (整改档案) and a failed round's
// notice (整改通知书), within the caller's scope. The notice is drawn from the failed round's event,
// so it reads the same whenever it is downloaded or sent.
import type { Db } from "../../db/db.ts";
import type { Scope } from "../../directory/staff.ts";
import { findCampaign } from "../campaigns.ts";
import { findProblem } from "../problems.ts";
import { estateFilePdf, noticePdf, type PdfOptions } from "./pdf.ts";
import { CampaignError, canSeeEstate } from "../scope.ts";

export async function estateFile(db: Db, scope: Scope, campaignId: number, estateCode: string, o: PdfOptions): Promise<{ filename: string; pdf: Buffer }> {
  const campaign = await findCampaign(db, scope, campaignId);
  const estate = await db.estate.findUnique({ where: { code: estateCode } });
  if (!estate || !canSeeEstate(scope, estate)) throw new CampaignError("not_found", `estate "${estateCode}" not found`);
  const problems = await db.campaignProblem.findMany({ where: { campaignId: campaign.id, estateId: estate.id }, include: { events: { orderBy: { id: "asc" } } }, orderBy: { seq: "asc" } });
  const pdf = await estateFilePdf(campaign.name, estate.name, problems, o);
  return { filename: `${estate.name}-整改档案.pdf`, pdf };
}

export async function rectificationNotice(db: Db, scope: Scope, campaignId: number, problemId: number, round: number, o: PdfOptions): Promise<{ filename: string; pdf: Buffer }> {
  const p = await findProblem(db, scope, campaignId, problemId);
  const ev = p.events.find((e) => e.action === "fail" && (e.data as { round?: number } | null)?.round === round);
  if (!ev) throw new CampaignError("not_found", `problem ${p.seq} has no failed acceptance round ${round}`);
  const data = ev.data as { round: number; deadline: string };
  const pdf = await noticePdf(
    {
      campaignName: p.campaign.name,
      estateName: p.estate.name,
      unit: p.responsibleName,
      seq: p.seq,
      category: p.category,
      description: p.description,
      round,
      reasons: ev.note ?? "",
      newDeadline: new Date(data.deadline),
      issuedAt: ev.at,
      issuer: p.campaign.streetId !== null ? p.estate.street.name + (o.locale === "en" ? " office" : "办事处") : o.locale === "en" ? "District property office" : "区物业办",
    },
    o,
  );
  return { filename: `整改通知书-${p.estate.name}-${p.seq}-${round}.pdf`, pdf };
}
