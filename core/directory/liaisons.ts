// Company liaisons (联络人): invited (the company's invite code), renamed, moved, deactivated and
// reactivated (not while their company is suspended). A
// deactivated liaison's open cases are never orphaned: they go to another active liaison of the same
// company (the office's pick, else the longest-serving one) or to the office queue — each through
// the case service's "assign" or "transfer", so the event log and the notices follow as usual.
import type { Db } from "../db/db.ts";
import type { CaseService } from "../cases/case-service.ts";
import { LIAISON_OPEN_STATES } from "../cases/lifecycle.ts";
import { audit, changed, DirectoryError, type Tx, type Who } from "./audit.ts";
import type { LiaisonIn } from "./fields.ts";

const OPEN = LIAISON_OPEN_STATES;

export async function saveLiaison(tx: Tx | Db, who: Who, l: LiaisonIn) {
  const company = await tx.company.findUnique({ where: { code: l.company } });
  if (!company) throw new DirectoryError("invalid", "unknown_company", { code: l.company });
  const cur = await tx.liaison.findUnique({ where: { code: l.code } });
  if (!cur) {
    const row = await tx.liaison.create({ data: { code: l.code, name: l.name, companyId: company.id, active: l.active ?? true, phone: l.phone ?? null } });
    await audit(tx, who, "liaison", l.code, "create", null, { name: l.name, company: l.company, ...(l.phone ? { phone: l.phone } : {}) });
    return { row, action: "created" as const };
  }
  if (l.active === false && cur.active) throw new DirectoryError("conflict", "liaison_deactivate_separately", { name: cur.name });
  const diff = changed(cur, { name: l.name, companyId: company.id, active: l.active, phone: l.phone });
  if (!diff) return { row: cur, action: "unchanged" as const };
  if (diff.after.companyId !== undefined && (await tx.case.count({ where: { liaisonId: cur.id, state: { in: [...OPEN] } } }))) {
    throw new DirectoryError("conflict", "liaison_open_cases_old_company", { name: cur.name });
  }
  const row = await tx.liaison.update({ where: { id: cur.id }, data: diff.after });
  await audit(tx, who, "liaison", l.code, "update", diff.before, diff.after);
  return { row, action: "updated" as const };
}

/**
 * Deactivates a liaison. `to`: another liaison's code (same company, active), "queue" for the office
 * queue, or undefined for the company's longest-serving other active liaison, else the queue.
 */
export async function deactivateLiaison(d: { db: Db; cases: CaseService }, who: Who, code: string, to?: string) {
  const l = await d.db.liaison.findUnique({ where: { code }, include: { company: true } });
  if (!l) throw new DirectoryError("not_found", "unknown_liaison", { code });
  if (!l.active) throw new DirectoryError("conflict", "liaison_already_inactive", { code, name: l.name });
  let heir: { id: number; code: string; name: string; companyId: number } | null = null;
  if (to && to !== "queue") {
    heir = await d.db.liaison.findUnique({ where: { code: to } });
    if (!heir || heir.id === l.id || !(await d.db.liaison.count({ where: { id: heir.id, active: true } }))) throw new DirectoryError("invalid", "heir_not_active", { code: to });
    if (heir.companyId !== l.companyId) throw new DirectoryError("invalid", "heir_other_company", { code: to, company: l.company.name });
  } else if (!to) {
    heir = await d.db.liaison.findFirst({ where: { companyId: l.companyId, active: true, id: { not: l.id } }, orderBy: { id: "asc" } });
  }
  // Inactive first: routing and reassignment pick only active liaisons, so no case arrives meanwhile.
  await d.db.$transaction(async (tx) => {
    await tx.liaison.update({ where: { id: l.id }, data: { active: false } });
    await audit(tx, who, "liaison", code, "deactivate", { active: true }, { active: false });
  });
  const actor = { type: "office" as const, id: who };
  const open = await d.db.case.findMany({ where: { liaisonId: l.id, state: { in: [...OPEN] } }, orderBy: { id: "asc" } });
  const moved: string[] = [];
  for (const c of open) {
    const data = { reason: "liaison_deactivated", from: l.code, fromName: l.name, to: heir?.code ?? "queue", toName: heir?.name ?? null };
    if (heir) {
      await d.cases.apply(c.id, "assign", actor, { expect: [...OPEN], data, liaison: heir });
    } else {
      await d.cases.apply(c.id, "transfer", actor, { expect: [...OPEN], data });
    }
    moved.push(c.number);
  }
  await audit(d.db, who, "liaison", code, "hand_on_cases", null, { to: heir?.code ?? "queue", cases: moved });
  return { moved, to: heir ? { code: heir.code, name: heir.name } : null };
}

/** Brings a deactivated liaison back (new cases may route to them again); audited. */
export async function reactivateLiaison(db: Db, who: Who, code: string) {
  const l = await db.liaison.findUnique({ where: { code }, include: { company: true } });
  if (!l) throw new DirectoryError("not_found", "unknown_liaison", { code });
  if (l.active) throw new DirectoryError("conflict", "liaison_already_active", { code, name: l.name });
  if (!l.company.active) throw new DirectoryError("conflict", "liaison_company_suspended", { code, name: l.name, company: l.company.name });
  return db.$transaction(async (tx) => {
    const row = await tx.liaison.update({ where: { id: l.id }, data: { active: true } });
    await audit(tx, who, "liaison", code, "reactivate", { active: false }, { active: true });
    return row;
  });
}

/** A new display name for a liaison (the bot's cards and the dashboard show it); audited. */
export async function renameLiaison(db: Db, who: Who, code: string, name: string) {
  const l = await db.liaison.findUnique({ where: { code }, include: { company: true } });
  if (!l) throw new DirectoryError("not_found", "unknown_liaison", { code });
  return db.$transaction((tx) => saveLiaison(tx, who, { code, name, company: l.company.code }));
}
