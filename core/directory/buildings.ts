// Buildings (楼栋) and their units (单元) of an estate. Saving a building adds the units it names
// and reactivates them; a unit or building is never deleted — residents and cases point at it —
// so "remove" deactivates it (its residents stay registered and are shown on the page).
import type { Db } from "../db/db.ts";
import { audit, DirectoryError, type Tx, type Who } from "./audit.ts";
import type { BuildingIn } from "./fields.ts";

export async function saveBuilding(tx: Tx | Db, who: Who, b: BuildingIn) {
  const estate = await tx.estate.findUnique({ where: { code: b.estate } });
  if (!estate) throw new DirectoryError("invalid", "unknown_estate", { code: b.estate });
  const key = `${b.estate}/${b.name}`;
  let building = await tx.building.findUnique({ where: { estateId_name: { estateId: estate.id, name: b.name } }, include: { units: true } });
  let action: "created" | "updated" | "unchanged" = "unchanged";
  if (!building) {
    building = { ...(await tx.building.create({ data: { estateId: estate.id, name: b.name } })), units: [] };
    await audit(tx, who, "building", key, "create", null, { name: b.name, units: b.units ?? [] });
    action = "created";
  } else if (!building.active) {
    await tx.building.update({ where: { id: building.id }, data: { active: true } });
    await audit(tx, who, "building", key, "reactivate", { active: false }, { active: true });
    action = "updated";
  }
  const wanted = [...new Set(b.units ?? [])];
  const missing = wanted.filter((u) => !building!.units.some((x) => x.name === u));
  const inactive = building.units.filter((x) => wanted.includes(x.name) && !x.active);
  if (missing.length) await tx.unit.createMany({ data: missing.map((name) => ({ buildingId: building!.id, name })) });
  if (inactive.length) await tx.unit.updateMany({ where: { id: { in: inactive.map((u) => u.id) } }, data: { active: true } });
  if ((missing.length || inactive.length) && action !== "created") {
    await audit(tx, who, "building", key, "add_units", null, { added: missing, reactivated: inactive.map((u) => u.name) });
    action = "updated";
  }
  return { row: building, action };
}

/** Deactivates a unit, or a whole building with its units. Residents keep their address. */
export async function deactivateBuilding(db: Db, who: Who, estateCode: string, name: string, unit?: string) {
  const estate = await db.estate.findUnique({ where: { code: estateCode } });
  const building = estate ? await db.building.findUnique({ where: { estateId_name: { estateId: estate.id, name } }, include: { units: true } }) : null;
  if (!building) throw new DirectoryError("not_found", "unknown_building", { estate: estateCode, building: name });
  return db.$transaction(async (tx) => {
    if (unit !== undefined) {
      const u = building.units.find((x) => x.name === unit);
      if (!u) throw new DirectoryError("not_found", "unknown_unit", { estate: estateCode, building: name, unit });
      await tx.unit.update({ where: { id: u.id }, data: { active: false } });
      const residents = await tx.resident.count({ where: { unitId: u.id } });
      await audit(tx, who, "unit", `${estateCode}/${name}/${unit}`, "deactivate", { active: true }, { active: false, residentsKept: residents });
      return { residentsKept: residents };
    }
    await tx.building.update({ where: { id: building.id }, data: { active: false } });
    await tx.unit.updateMany({ where: { buildingId: building.id }, data: { active: false } });
    const residents = await tx.resident.count({ where: { buildingId: building.id } });
    await audit(tx, who, "building", `${estateCode}/${name}`, "deactivate", { active: true }, { active: false, residentsKept: residents });
    return { residentsKept: residents };
  });
}

export async function buildingsOf(db: Db, estateId: number) {
  return db.building.findMany({ where: { estateId }, include: { units: { orderBy: { id: "asc" } }, _count: { select: { residents: true } } }, orderBy: { id: "asc" } });
}

/**
 * The import's bulk form of saveBuilding for one estate: a few statements per estate instead of a
 * few per building (300 estates × 20 buildings × 6 units: bench/import.ts).
 */
export async function saveBuildingsOfEstate(tx: Tx | Db, who: Who, estate: { id: number; code: string }, rows: { name: string; units: string[] }[]) {
  const load = () => tx.building.findMany({ where: { estateId: estate.id }, include: { units: true } });
  let have = await load();
  const newBuildings = rows.filter((r) => !have.some((b) => b.name === r.name));
  const revived = have.filter((b) => !b.active && rows.some((r) => r.name === b.name));
  if (newBuildings.length) {
    await tx.building.createMany({ data: newBuildings.map((r) => ({ estateId: estate.id, name: r.name })) });
    have = await load();
  }
  if (revived.length) await tx.building.updateMany({ where: { id: { in: revived.map((b) => b.id) } }, data: { active: true } });
  const units: { buildingId: number; name: string }[] = [];
  const reviveUnits: number[] = [];
  const touched = new Set<string>();
  for (const r of rows) {
    const b = have.find((x) => x.name === r.name)!;
    for (const u of new Set(r.units)) {
      const cur = b.units.find((x) => x.name === u);
      if (!cur) units.push({ buildingId: b.id, name: u });
      else if (!cur.active) reviveUnits.push(cur.id);
      else continue;
      touched.add(r.name);
    }
  }
  if (units.length) await tx.unit.createMany({ data: units });
  if (reviveUnits.length) await tx.unit.updateMany({ where: { id: { in: reviveUnits } }, data: { active: true } });
  const created = new Set(newBuildings.map((r) => r.name));
  const audits = rows
    .filter((r) => created.has(r.name) || touched.has(r.name) || revived.some((b) => b.name === r.name))
    .map((r) => ({ actor: who, entity: "building", key: `${estate.code}/${r.name}`, action: created.has(r.name) ? "create" : "add_units", after: { units: r.units } }));
  if (audits.length) await tx.directoryAudit.createMany({ data: audits });
  return { created: newBuildings.length, updated: audits.length - newBuildings.length, unchanged: rows.length - audits.length };
}
