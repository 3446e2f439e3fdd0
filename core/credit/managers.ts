// Project managers (项目经理 / 物业服务中心主任) in the directory: a real name, a certificate number
// and its expiry, and which estates they ran for which company from when to when. Their credit
// record is theirs (subject manager:<id>), so it follows them when they move company. A directory
// import maps 物业项目负责人 onto saveManager + assignManager; every change is audited.
import type { Db } from "../db/db.ts";
import { audit, DirectoryError, type Tx, type Who } from "../directory/audit.ts";

export interface ManagerIn {
  name: string;
  certificateNo?: string | null;
  certificateExpiresOn?: Date | null;
  phone?: string | null;
  active?: boolean;
}

/** Creates a manager (no id) or updates one; a certificate number belongs to one person. */
export async function saveManager(tx: Tx | Db, who: Who, m: ManagerIn & { id?: number }) {
  const name = m.name.trim();
  if (!name) throw new DirectoryError("invalid", "manager_name_required", undefined, "name");
  if (m.certificateNo) {
    const holder = await tx.projectManager.findUnique({ where: { certificateNo: m.certificateNo } });
    if (holder && holder.id !== m.id) throw new DirectoryError("conflict", "certificate_taken", { certificate: m.certificateNo, holder: holder.name }, "certificateNo");
  }
  const data = { name, certificateNo: m.certificateNo || null, certificateExpiresOn: m.certificateExpiresOn ?? null, phone: m.phone || null, active: m.active ?? true };
  if (m.id === undefined) {
    const row = await tx.projectManager.create({ data });
    await audit(tx, who, "manager", String(row.id), "create", null, { ...data, phone: undefined });
    return row;
  }
  const cur = await tx.projectManager.findUnique({ where: { id: m.id } });
  if (!cur) throw new DirectoryError("not_found", "unknown_manager", { id: m.id });
  const row = await tx.projectManager.update({ where: { id: m.id }, data });
  await audit(tx, who, "manager", String(row.id), "update", { ...cur, phone: undefined }, { ...data, phone: undefined });
  return row;
}

/**
 * Puts a manager on an estate for a company from `startsOn`: the estate's previous manager's
 * assignment there ends that day, and so does this manager's assignment for another company
 * (a move: their record stays theirs).
 */
export async function assignManager(db: Db, who: Who, a: { managerId: number; estateId: number; companyId?: number; startsOn: Date }) {
  return db.$transaction(async (tx) => {
    const [m, e] = await Promise.all([tx.projectManager.findUnique({ where: { id: a.managerId } }), tx.estate.findUnique({ where: { id: a.estateId } })]);
    if (!m) throw new DirectoryError("not_found", "unknown_manager", { id: a.managerId });
    if (!e) throw new DirectoryError("not_found", "unknown_estate", { code: String(a.estateId) });
    const companyId = a.companyId ?? e.companyId;
    if (!companyId) throw new DirectoryError("invalid", "estate_without_company", { estate: e.name }, "companyId");
    const open = { OR: [{ endsOn: null }, { endsOn: { gt: a.startsOn } }] };
    await tx.managerAssignment.updateMany({ where: { estateId: a.estateId, startsOn: { lte: a.startsOn }, ...open }, data: { endsOn: a.startsOn } });
    await tx.managerAssignment.updateMany({ where: { managerId: a.managerId, companyId: { not: companyId }, startsOn: { lte: a.startsOn }, ...open }, data: { endsOn: a.startsOn } });
    const row = await tx.managerAssignment.create({ data: { managerId: a.managerId, estateId: a.estateId, companyId, startsOn: a.startsOn } });
    await audit(tx, who, "manager", String(a.managerId), "assign", null, { estate: e.code, companyId, startsOn: a.startsOn });
    return row;
  });
}

/** Ends a manager's assignment at an estate (left the job, estate handed over). */
export async function endAssignment(db: Db, who: Who, assignmentId: number, endsOn: Date) {
  const cur = await db.managerAssignment.findUnique({ where: { id: assignmentId } });
  if (!cur) throw new DirectoryError("not_found", "unknown_assignment", { id: assignmentId });
  const row = await db.managerAssignment.update({ where: { id: assignmentId }, data: { endsOn } });
  await audit(db, who, "manager", String(cur.managerId), "end_assignment", { endsOn: cur.endsOn }, { endsOn });
  return row;
}

/** Managers with their assignments (newest first) and the estates' and companies' names. */
export async function listManagers(db: Db, o: { streetId?: number | null } = {}) {
  const managers = await db.projectManager.findMany({ orderBy: { id: "asc" }, include: { assignments: { orderBy: { startsOn: "desc" } } } });
  const estateIds = [...new Set(managers.flatMap((m) => m.assignments.map((a) => a.estateId)))];
  const companyIds = [...new Set(managers.flatMap((m) => m.assignments.map((a) => a.companyId)))];
  const [estates, companies] = await Promise.all([
    db.estate.findMany({ where: { id: { in: estateIds } }, select: { id: true, code: true, name: true, streetId: true } }),
    db.company.findMany({ where: { id: { in: companyIds } }, select: { id: true, code: true, name: true } }),
  ]);
  const estate = new Map(estates.map((e) => [e.id, e]));
  const company = new Map(companies.map((c) => [c.id, c]));
  const rows = managers.map((m) => ({ ...m, assignments: m.assignments.map((a) => ({ ...a, estate: estate.get(a.estateId)!, company: company.get(a.companyId)! })) }));
  return o.streetId == null ? rows : rows.filter((m) => m.assignments.some((a) => a.estate.streetId === o.streetId));
}

export async function managerById(db: Db, id: number) {
  return (await listManagers(db)).find((m) => m.id === id) ?? null;
}
