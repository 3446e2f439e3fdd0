// The import's bulk forms of saveEstate and saveBuilding: a whole district file's estates, buildings
// and units in a handful of multi-row statements inside the import's one transaction, instead of a
// few statements per row (bench/import.ts, 300 estates × 20 buildings × 6 units on PGlite: 147 s
// row by row, see bench/README.md for the figure now). New rows are inserted in chunks with their
// audit rows written alike; a changed existing estate still goes through saveEstate (company change,
// contract history), and an unchanged one costs no statement at all.
import crypto from "node:crypto";
import type { Prisma } from "../../db/generated/prisma/client.ts";
import { DirectoryError, type Refusal, type Tx, type Who } from "../audit.ts";
import { saveEstate } from "../estates.ts";
import type { BuildingIn, EstateIn } from "../fields.ts";

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for the widest row here. */
const CHUNK = 2000;
type Counts = { created: number; updated: number; unchanged: number };

async function inChunks<T>(rows: T[], fn: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? String(v) : v))) as Prisma.InputJsonValue;
const sameDay = (a: Date | null | undefined, b: Date | null | undefined) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Saves the file's estates; a refused row is reported through `refuse` (row index, reason). */
export async function saveEstatesBulk(tx: Tx, who: Who, rows: EstateIn[], now: Date, refuse: (index: number, refusal: Refusal) => void): Promise<Counts> {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
  const [streets, companies, estates, liaisons] = await Promise.all([
    tx.street.findMany({ select: { id: true, code: true } }),
    tx.company.findMany({ select: { id: true, code: true } }),
    tx.estate.findMany({ include: { contracts: { orderBy: { id: "desc" }, take: 1 } } }),
    tx.liaison.findMany({ select: { id: true, code: true } }),
  ]);
  const liaisonId = new Map(liaisons.map((l) => [l.code, l.id]));
  const streetId = new Map(streets.map((s) => [s.code, s.id]));
  const companyId = new Map(companies.map((c) => [c.code, c.id]));
  const byCode = new Map(estates.map((e) => [e.code, e]));
  const inviteHolder = new Map(estates.map((e) => [e.inviteCode, { code: e.code, name: e.name }]));
  const fresh: { index: number; e: EstateIn; data: Prisma.EstateCreateManyInput }[] = [];
  for (const [index, e] of rows.entries()) {
    const sid = streetId.get(e.street);
    const cid = e.company ? companyId.get(e.company) : null;
    const pm = e.projectManager ? liaisonId.get(e.projectManager) : null;
    if (pm === undefined) refuse(index, { reason: "unknown_liaison", params: { code: e.projectManager ?? "" } });
    else if (sid === undefined) refuse(index, { reason: "unknown_street", params: { code: e.street } });
    else if (cid === undefined) refuse(index, { reason: "unknown_company", params: { code: e.company ?? "" } });
    else if (e.inviteCode && inviteHolder.has(e.inviteCode) && inviteHolder.get(e.inviteCode)!.code !== e.code) refuse(index, { reason: "invite_code_taken_estate", params: { invite: e.inviteCode, holder: inviteHolder.get(e.inviteCode)!.name } });
    else {
      const cur = byCode.get(e.code);
      if (!cur) {
        let inviteCode = e.inviteCode ?? crypto.randomBytes(5).toString("hex").toUpperCase();
        while (!e.inviteCode && inviteHolder.has(inviteCode)) inviteCode = crypto.randomBytes(5).toString("hex").toUpperCase();
        inviteHolder.set(inviteCode, { code: e.code, name: e.name });
        const data = { code: e.code, name: e.name, streetId: sid, companyId: cid ?? null, inviteCode, households: e.households, community: e.community ?? null, address: e.address ?? null, latitude: e.latitude ?? null, longitude: e.longitude ?? null, active: e.active ?? true, projectManagerId: pm ?? null };
        fresh.push({ index, e, data });
        continue;
      }
      if (e.inviteCode) inviteHolder.set(e.inviteCode, { code: e.code, name: e.name });
      const contract = cur.contracts[0];
      const same =
        cur.name === e.name &&
        cur.streetId === sid &&
        (e.community === undefined || cur.community === e.community) &&
        (e.address === undefined || cur.address === e.address) &&
        cur.households === e.households &&
        (e.latitude === undefined || cur.latitude === e.latitude) &&
        (e.longitude === undefined || cur.longitude === e.longitude) &&
        (e.company === undefined || cur.companyId === (cid ?? null)) &&
        (e.inviteCode === undefined || cur.inviteCode === e.inviteCode) &&
        (e.active === undefined || cur.active === e.active) &&
        (e.projectManager === undefined || cur.projectManagerId === (pm ?? null)) &&
        (!cid || ((e.contractStart === undefined || sameDay(contract?.startsOn, e.contractStart)) && (e.contractEnd === undefined || sameDay(contract?.endsOn, e.contractEnd)) && contract?.companyId === cid));
      if (same) {
        counts.unchanged++;
        continue;
      }
      // The rare changed estate: the row-by-row service keeps the contract history right.
      try {
        counts[(await saveEstate(tx, who, e, now)).action]++;
      } catch (err) {
        if (!(err instanceof DirectoryError)) throw err;
        refuse(index, err.refusal);
      }
    }
  }
  await inChunks(fresh, async (chunk) => {
    const made = await tx.estate.createManyAndReturn({ data: chunk.map((f) => f.data) });
    const id = new Map(made.map((m) => [m.code, m]));
    const contracts = chunk.filter((f) => f.data.companyId).map((f) => ({ estateId: id.get(f.e.code)!.id, companyId: f.data.companyId!, startsOn: f.e.contractStart ?? null, endsOn: f.e.contractEnd ?? null, createdAt: now }));
    if (contracts.length) await tx.estateContract.createMany({ data: contracts });
    await tx.directoryAudit.createMany({
      data: chunk.map((f) => ({ actor: who, at: now, entity: "estate", key: f.e.code, action: "create", after: plain({ ...id.get(f.e.code), company: f.e.company ?? null, contractStart: f.e.contractStart, contractEnd: f.e.contractEnd }) })),
    });
  });
  counts.created += fresh.length;
  return counts;
}

/** Saves the file's buildings and their units for all estates at once (the estates exist by now). */
export async function saveBuildingsBulk(tx: Tx, who: Who, rows: BuildingIn[], now: Date): Promise<Counts> {
  const codes = [...new Set(rows.map((r) => r.estate))];
  const estates = await tx.estate.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
  const estateId = new Map(estates.map((e) => [e.code, e.id]));
  const load = async () => {
    const list = await tx.building.findMany({ where: { estateId: { in: estates.map((e) => e.id) } }, include: { units: true } });
    return new Map(list.map((b) => [`${b.estateId}/${b.name}`, b]));
  };
  let have = await load();
  const keyOf = (r: BuildingIn) => `${estateId.get(r.estate)}/${r.name}`;
  const created = rows.filter((r) => !have.has(keyOf(r)));
  const revived = rows.map((r) => have.get(keyOf(r))).filter((b) => b && !b.active) as { id: number }[];
  if (created.length) {
    await inChunks(created, (chunk) => tx.building.createMany({ data: chunk.map((r) => ({ estateId: estateId.get(r.estate)!, name: r.name })) }));
    have = await load();
  }
  if (revived.length) await tx.building.updateMany({ where: { id: { in: revived.map((b) => b.id) } }, data: { active: true } });
  const units: { buildingId: number; name: string }[] = [];
  const reviveUnits: number[] = [];
  const touched = new Set<string>();
  for (const r of rows) {
    const b = have.get(keyOf(r))!;
    const names = new Map(b.units.map((u) => [u.name, u]));
    for (const u of new Set(r.units ?? [])) {
      const cur = names.get(u);
      if (!cur) units.push({ buildingId: b.id, name: u });
      else if (!cur.active) reviveUnits.push(cur.id);
      else continue;
      touched.add(keyOf(r));
    }
  }
  await inChunks(units, (chunk) => tx.unit.createMany({ data: chunk }));
  if (reviveUnits.length) await inChunks(reviveUnits, (chunk) => tx.unit.updateMany({ where: { id: { in: chunk } }, data: { active: true } }));
  const isNew = new Set(created.map(keyOf));
  const isRevived = new Set(revived.map((b) => b.id));
  const audits = rows
    .filter((r) => isNew.has(keyOf(r)) || touched.has(keyOf(r)) || isRevived.has(have.get(keyOf(r))!.id))
    .map((r) => ({ actor: who, at: now, entity: "building", key: `${r.estate}/${r.name}`, action: isNew.has(keyOf(r)) ? "create" : "add_units", after: { units: r.units ?? [] } }));
  await inChunks(audits, (chunk) => tx.directoryAudit.createMany({ data: chunk }));
  return { created: created.length, updated: audits.length - created.length, unchanged: rows.length - audits.length };
}
