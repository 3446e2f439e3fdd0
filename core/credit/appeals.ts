// Records the office enters (an inspection's violation, honours, a 示范 estate, declared good
// practice approved) and appeals (异议): a company contests a record with a reason and evidence, the
// record is marked "appealed" while it waits (it still counts), the office upholds it (active again)
// or withdraws it (it stops counting at once). Every step is audited (DirectoryAudit, entity credit).
import crypto from "node:crypto";
import type { Db } from "../db/db.ts";
import { audit, type Who } from "../directory/audit.ts";
import { typeOf, type CreditRules } from "./credit-rules.ts";
import { companySubject, managerSubject } from "./credit-file.ts";

export class CreditError extends Error {
  constructor(
    readonly code: "not_found" | "invalid" | "conflict",
    message: string,
  ) {
    super(message);
  }
}

export interface ManualRecordIn {
  companyId?: number;
  managerId?: number;
  type: string;
  at: Date;
  note: string;
  estateId?: number | null;
  actor: Who;
}

export async function addManualRecord(db: Db, rules: CreditRules, r: ManualRecordIn) {
  const t = typeOf(rules, r.type);
  if (!t || t.trigger !== "manual") throw new CreditError("invalid", `"${r.type}" is not a record type the office enters`);
  if ((r.companyId === undefined) === (r.managerId === undefined)) throw new CreditError("invalid", "a record is about one company or one manager");
  if (!r.note.trim()) throw new CreditError("invalid", "say what the record is for (note)");
  const estate = r.estateId ? await db.estate.findUnique({ where: { id: r.estateId } }) : null;
  if (r.estateId && !estate) throw new CreditError("not_found", `estate ${r.estateId} not found`);
  let companyId = r.companyId ?? null;
  if (r.managerId !== undefined) {
    const m = await db.projectManager.findUnique({ where: { id: r.managerId }, include: { assignments: { where: { endsOn: null }, take: 1 } } });
    if (!m) throw new CreditError("not_found", `manager ${r.managerId} not found`);
    companyId = m.assignments[0]?.companyId ?? null;
  } else if (!(await db.company.findUnique({ where: { id: r.companyId! } }))) throw new CreditError("not_found", `company ${r.companyId} not found`);
  return db.$transaction(async (tx) => {
    const row = await tx.creditRecord.create({
      data: {
        subject: r.managerId !== undefined ? managerSubject(r.managerId) : companySubject(r.companyId!),
        companyId,
        managerId: r.managerId ?? null,
        type: t.type,
        polarity: t.polarity,
        points: t.points,
        sourceType: t.polarity === "bad" ? "inspection" : "declaration",
        sourceKey: `office:${crypto.randomUUID()}`,
        streetId: estate?.streetId ?? null,
        estateId: estate?.id ?? null,
        actor: r.actor,
        note: r.note.trim(),
        at: r.at,
        validUntil: new Date(r.at.getTime() + t.validDays * 86_400_000),
      },
    });
    await audit(tx, r.actor, "credit", `record:${row.id}`, "create", null, { subject: row.subject, type: row.type, note: row.note });
    return row;
  });
}

export async function fileAppeal(db: Db, a: { recordId: number; reason: string; evidence?: string | null; filedBy: Who; at: Date }) {
  if (!a.reason.trim()) throw new CreditError("invalid", "an appeal needs a reason");
  return db.$transaction(async (tx) => {
    const rec = await tx.creditRecord.findUnique({ where: { id: a.recordId } });
    if (!rec) throw new CreditError("not_found", `record ${a.recordId} not found`);
    if (rec.status !== "active") throw new CreditError("conflict", rec.status === "appealed" ? "this record is already under appeal" : "this record was withdrawn");
    await tx.creditRecord.update({ where: { id: rec.id }, data: { status: "appealed" } });
    const row = await tx.creditAppeal.create({ data: { recordId: rec.id, reason: a.reason.trim(), evidence: a.evidence?.trim() || null, filedBy: a.filedBy, filedAt: a.at } });
    await audit(tx, a.filedBy, "credit", `record:${rec.id}`, "appeal", { status: rec.status }, { status: "appealed", appeal: row.id, reason: row.reason });
    return row;
  });
}

export async function decideAppeal(db: Db, d: { appealId: number; decision: "upheld" | "withdrawn"; reason: string; by: Who; at: Date }) {
  if (!d.reason.trim()) throw new CreditError("invalid", "a decision needs a reason");
  return db.$transaction(async (tx) => {
    const ap = await tx.creditAppeal.findUnique({ where: { id: d.appealId } });
    if (!ap) throw new CreditError("not_found", `appeal ${d.appealId} not found`);
    // Conditional update: two clerks deciding at once — the second finds it decided.
    const n = await tx.creditAppeal.updateMany({ where: { id: ap.id, status: "open" }, data: { status: d.decision, decidedBy: d.by, decidedAt: d.at, decisionReason: d.reason.trim() } });
    if (!n.count) throw new CreditError("conflict", "this appeal was already decided");
    const status = d.decision === "withdrawn" ? "withdrawn" : "active";
    await tx.creditRecord.update({ where: { id: ap.recordId }, data: { status } });
    await audit(tx, d.by, "credit", `record:${ap.recordId}`, `appeal_${d.decision}`, { status: "appealed" }, { status, appeal: ap.id, reason: d.reason.trim() });
    return tx.creditAppeal.findUniqueOrThrow({ where: { id: ap.id }, include: { record: true } });
  });
}

/** Appeals (open first, then newest), optionally of one company's records or one street's. */
export async function listAppeals(db: Db, o: { companyId?: number; streetId?: number | null; status?: string } = {}) {
  return db.creditAppeal.findMany({
    where: { ...(o.status ? { status: o.status } : {}), record: { ...(o.companyId ? { companyId: o.companyId } : {}), ...(o.streetId != null ? { streetId: o.streetId } : {}) } },
    include: { record: true },
    orderBy: [{ status: "asc" }, { id: "desc" }],
    take: 500,
  });
}
