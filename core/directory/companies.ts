// Property companies (物业公司): name, contact, qualification grade (资质等级), active or suspended.
// A company is never deleted (cases and contracts point at it); suspending it keeps its history.
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import { audit, changed, DirectoryError, type Tx, type Who } from "./audit.ts";
import type { CompanyIn } from "./fields.ts";
import type { Saved } from "./streets.ts";

/** Liaisons join with it (/liaison CODE); unguessable, shown to the office. */
export const newInviteCode = (prefix: string) => `${prefix}-${crypto.randomBytes(4).toString("hex").toUpperCase()}`;

export async function saveCompany(tx: Tx | Db, who: Who, c: CompanyIn) {
  if (c.inviteCode) {
    const holder = await tx.company.findUnique({ where: { inviteCode: c.inviteCode } });
    if (holder && holder.code !== c.code) throw new DirectoryError("conflict", "invite_code_taken_company", { invite: c.inviteCode, holder: holder.name });
  }
  const cur = await tx.company.findUnique({ where: { code: c.code } });
  if (!cur) {
    const row = await tx.company.create({
      data: { code: c.code, name: c.name, contact: c.contact ?? null, grade: c.grade ?? null, qualificationCertNo: c.qualificationCertNo ?? null, qualificationExpiresOn: c.qualificationExpiresOn ?? null, active: c.active ?? true, inviteCode: c.inviteCode ?? newInviteCode("CO") },
    });
    await audit(tx, who, "company", c.code, "create", null, { ...row, inviteCode: undefined });
    return { row, action: "created" } satisfies Saved<typeof row>;
  }
  const diff = changed(cur, { name: c.name, contact: c.contact, grade: c.grade, qualificationCertNo: c.qualificationCertNo, qualificationExpiresOn: c.qualificationExpiresOn, active: c.active, inviteCode: c.inviteCode });
  if (!diff) return { row: cur, action: "unchanged" } satisfies Saved<typeof cur>;
  const row = await tx.company.update({ where: { id: cur.id }, data: diff.after });
  await audit(tx, who, "company", c.code, "update", diff.before, diff.after);
  return { row, action: "updated" } satisfies Saved<typeof row>;
}

export async function companyByCode(tx: Tx | Db, code: string) {
  const c = await tx.company.findUnique({ where: { code } });
  if (!c) throw new DirectoryError("not_found", "unknown_company", { code });
  return c;
}

/** Suspends a company or brings it back (the same audited change as editing its status). */
export async function setCompanyActive(db: Db, who: Who, code: string, active: boolean) {
  const c = await companyByCode(db, code);
  if (c.active === active) throw new DirectoryError("conflict", active ? "already_active" : "company_suspended", { name: c.name });
  return db.$transaction((tx) => saveCompany(tx, who, { code, name: c.name, active }));
}
