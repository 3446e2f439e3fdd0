// Estates (小区): code, name, street, community, address, households, location, managing company
// with its contract period. A change of company closes the current contract row and opens a new
// one (history kept); the open cases stay with the old company or move to the new one, as the
// office chooses — moved through the case service, never by writing Case rows.
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import type { CaseService } from "../cases/case-service.ts";
import { LIAISON_OPEN_STATES } from "../cases/lifecycle.ts";
import { audit, changed, DirectoryError, type Tx, type Who } from "./audit.ts";
import type { EstateIn } from "./fields.ts";
import type { Saved } from "./streets.ts";

const OPEN = LIAISON_OPEN_STATES;

const estateInvite = () => crypto.randomBytes(5).toString("hex").toUpperCase();

export async function saveEstate(tx: Tx | Db, who: Who, e: EstateIn, now: Date) {
  const street = await tx.street.findUnique({ where: { code: e.street } });
  if (!street) throw new DirectoryError("invalid", "unknown_street", { code: e.street });
  const company = e.company ? await tx.company.findUnique({ where: { code: e.company } }) : null;
  if (e.company && !company) throw new DirectoryError("invalid", "unknown_company", { code: e.company });
  if (e.inviteCode) {
    const holder = await tx.estate.findUnique({ where: { inviteCode: e.inviteCode } });
    if (holder && holder.code !== e.code) throw new DirectoryError("conflict", "invite_code_taken_estate", { invite: e.inviteCode, holder: holder.name });
  }
  const manager = e.projectManager ? await tx.liaison.findUnique({ where: { code: e.projectManager } }) : null;
  if (e.projectManager && !manager) throw new DirectoryError("invalid", "unknown_liaison", { code: e.projectManager });
  const cur = await tx.estate.findUnique({ where: { code: e.code } });
  const data = {
    name: e.name,
    streetId: street.id,
    community: e.community,
    address: e.address,
    households: e.households,
    latitude: e.latitude,
    longitude: e.longitude,
    companyId: e.company === undefined ? undefined : (company?.id ?? null),
    inviteCode: e.inviteCode,
    active: e.active,
    projectManagerId: e.projectManager === undefined ? undefined : (manager?.id ?? null),
    ownersCommittee: e.ownersCommittee,
    ownersCommitteeTermEnd: e.ownersCommitteeTermEnd,
    professionallyManaged: e.professionallyManaged,
    tendered: e.tendered,
    deliveredOn: e.deliveredOn,
  };
  if (!cur) {
    const row = await tx.estate.create({
      data: {
        code: e.code,
        ...data,
        companyId: company?.id ?? null,
        inviteCode: e.inviteCode ?? estateInvite(),
        active: e.active ?? true,
      },
    });
    if (company) await tx.estateContract.create({ data: { estateId: row.id, companyId: company.id, startsOn: e.contractStart ?? null, endsOn: e.contractEnd ?? null, createdAt: now } });
    await audit(tx, who, "estate", e.code, "create", null, { ...row, company: e.company ?? null, contractStart: e.contractStart, contractEnd: e.contractEnd }, now);
    return { row, action: "created", companyChanged: false } as Saved<typeof row> & { companyChanged: boolean };
  }
  const diff = changed(cur, data);
  const contract = await tx.estateContract.findFirst({ where: { estateId: cur.id }, orderBy: { id: "desc" } });
  const companyChanged = data.companyId !== undefined && data.companyId !== cur.companyId;
  let contractChanged = false;
  if (companyChanged) {
    // The old contract ends where the new one starts (or now); a new row records the new company.
    if (contract && !contract.endsOn) await tx.estateContract.update({ where: { id: contract.id }, data: { endsOn: e.contractStart ?? now } });
    if (company) await tx.estateContract.create({ data: { estateId: cur.id, companyId: company.id, startsOn: e.contractStart ?? now, endsOn: e.contractEnd ?? null, createdAt: now } });
  } else if (company && (e.contractStart !== undefined || e.contractEnd !== undefined)) {
    const same = (a: Date | null | undefined, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
    if (!contract || contract.companyId !== company.id) {
      await tx.estateContract.create({ data: { estateId: cur.id, companyId: company.id, startsOn: e.contractStart ?? null, endsOn: e.contractEnd ?? null, createdAt: now } });
      contractChanged = true;
    } else if ((e.contractStart !== undefined && !same(contract.startsOn, e.contractStart)) || (e.contractEnd !== undefined && !same(contract.endsOn, e.contractEnd))) {
      await tx.estateContract.update({ where: { id: contract.id }, data: { startsOn: e.contractStart, endsOn: e.contractEnd } });
      contractChanged = true;
    }
  }
  if (!diff && !contractChanged) return { row: cur, action: "unchanged", companyChanged: false } as Saved<typeof cur> & { companyChanged: boolean };
  const row = diff ? await tx.estate.update({ where: { id: cur.id }, data: diff.after }) : cur;
  await audit(tx, who, "estate", e.code, companyChanged ? "move_company" : "update", { ...diff?.before, contract: contractChanged ? contract : undefined }, { ...diff?.after, contractStart: e.contractStart, contractEnd: e.contractEnd }, now);
  return { row, action: "updated", companyChanged } as Saved<typeof row> & { companyChanged: boolean };
}

export async function estateByCode(db: Tx | Db, code: string) {
  const e = await db.estate.findUnique({ where: { code }, include: { street: true, company: true } });
  if (!e) throw new DirectoryError("not_found", "unknown_estate", { code });
  return e;
}

/**
 * Moves an estate to another company. `openCases: "move"` reassigns its open cases to the new
 * company's first active liaison (or the office queue when it has none); "stay" leaves them with
 * the old company until they are done. Returns the numbers of the cases moved.
 */
export async function moveEstate(
  d: { db: Db; cases: CaseService; now: () => Date },
  who: Who,
  code: string,
  to: { company: string; contractStart?: Date | null; contractEnd?: Date | null; openCases: "stay" | "move" },
) {
  const cur = await estateByCode(d.db, code);
  const company = await d.db.company.findUnique({ where: { code: to.company } });
  if (!company) throw new DirectoryError("invalid", "unknown_company", { code: to.company });
  if (!company.active) throw new DirectoryError("invalid", "company_suspended", { name: company.name });
  if (cur.companyId === company.id) throw new DirectoryError("conflict", "already_managed", { estate: cur.name, company: company.name });
  const input: EstateIn = { code, name: cur.name, street: cur.street.code, households: cur.households, company: to.company, contractStart: to.contractStart, contractEnd: to.contractEnd };
  await d.db.$transaction((tx) => saveEstate(tx, who, input, d.now()));
  const moved = to.openCases === "move" ? await moveOpenCases(d, who, code, to.company) : [];
  return { estate: await estateByCode(d.db, code), moved };
}

/**
 * The estate's open cases with another company go to `companyCode`'s first active liaison (or the
 * office queue when it has none), through the case service; their timelines say why. Returns their numbers.
 */
export async function moveOpenCases(d: { db: Db; cases: CaseService }, who: Who, code: string, companyCode: string): Promise<string[]> {
  const cur = await estateByCode(d.db, code);
  const company = await d.db.company.findUnique({ where: { code: companyCode } });
  if (!company) throw new DirectoryError("invalid", "unknown_company", { code: companyCode });
  const moved: string[] = [];
  const open = await d.db.case.findMany({ where: { estateId: cur.id, state: { in: [...OPEN] }, companyId: { not: company.id } }, orderBy: { id: "asc" } });
  const liaison = await d.db.liaison.findFirst({ where: { companyId: company.id, active: true }, orderBy: { id: "asc" } });
  for (const c of open) {
    const data = { reason: "estate_moved", estate: code, company: company.code, companyName: company.name, liaison: liaison?.code ?? null };
    if (liaison) {
      await d.cases.apply(c.id, "assign", { type: "office", id: who }, { expect: [...OPEN], data, liaison });
    } else {
      await d.cases.apply(c.id, "transfer", { type: "office", id: who }, { expect: [...OPEN], data, company });
    }
    moved.push(c.number);
  }
  return moved;
}

export async function setEstateActive(db: Db, who: Who, code: string, active: boolean, now: Date) {
  const e = await estateByCode(db, code);
  if (active && e.active) throw new DirectoryError("conflict", "already_active", { name: e.name });
  if (!active && (await db.case.count({ where: { estateId: e.id, state: { in: [...OPEN, "unroutable", "received"] } } }))) {
    throw new DirectoryError("conflict", "estate_has_open_cases", { name: e.name });
  }
  return db.$transaction((tx) => saveEstate(tx, who, { code, name: e.name, street: e.street.code, households: e.households, active }, now));
}

export async function contractHistory(db: Db, estateId: number) {
  return db.estateContract.findMany({ where: { estateId }, include: { company: true }, orderBy: { id: "asc" } });
}
