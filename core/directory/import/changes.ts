// What an import would change, record by record and field by field, worked out before anything is
// written: the preview shows exactly this list ("和平小区 · 户数 480 → 500", new and deactivated
// records by name, the open cases a company change leaves or moves), and the confirmation writes only
// when the same list comes out again (its fingerprint), so nothing changes that the preview did not show.
import crypto from "node:crypto";
import type { Db } from "../../db/db.ts";
import type { BuildingIn, CompanyIn, EstateIn, LiaisonIn, StreetIn } from "../fields.ts";

export interface Change {
  kind: "streets" | "companies" | "estates" | "buildings" | "liaisons";
  action: "create" | "update" | "deactivate";
  code: string;
  /** The record by name, as the clerk knows it (an estate with its street, a building with its estate). */
  record: string;
  /** The field changed (dir_… label key), for updates. */
  field?: string;
  before?: string | number | null;
  after?: string | number | null;
  /** A company change: the estate's open cases with the old company (the clerk chooses: move or leave). */
  openCases?: number;
}

const OPEN = ["routed", "accepted", "reopened"] as const;

export interface PlannedRows {
  streets: StreetIn[];
  companies: CompanyIn[];
  estates: EstateIn[];
  buildings: BuildingIn[];
  liaisons: LiaisonIn[];
}

export async function plannedChanges(db: Db, rows: PlannedRows, o: { deactivateMissing: boolean }): Promise<Change[]> {
  const [streets, companies, estates, liaisons] = await Promise.all([
    db.street.findMany(),
    db.company.findMany(),
    db.estate.findMany({ include: { buildings: { include: { units: true } } } }),
    db.liaison.findMany(),
  ]);
  const out: Change[] = [];
  const streetName = new Map([...streets.map((s) => [s.code, s.name] as const), ...rows.streets.map((s) => [s.code, s.name] as const)]);
  const companyName = new Map([...companies.map((c) => [c.code, c.name] as const), ...rows.companies.map((c) => [c.code, c.name] as const)]);
  const liaisonName = new Map([...liaisons.map((l) => [l.code, l.name] as const), ...rows.liaisons.map((l) => [l.code, l.name] as const)]);
  const streetById = new Map(streets.map((s) => [s.id, s.code]));
  const companyById = new Map(companies.map((c) => [c.id, c.code]));
  const liaisonById = new Map(liaisons.map((l) => [l.id, l.code]));
  const field = (c: Omit<Change, "action">, before: unknown, after: unknown) => {
    const b = before ?? null;
    const a = after ?? null;
    if (after !== undefined && String(b) !== String(a)) out.push({ ...c, action: "update", before: b as string | number | null, after: a as string | number | null });
  };

  for (const s of rows.streets) {
    const cur = streets.find((x) => x.code === s.code);
    if (!cur) out.push({ kind: "streets", action: "create", code: s.code, record: s.name });
    else field({ kind: "streets", code: s.code, record: cur.name, field: "dir_name" }, cur.name, s.name);
  }
  for (const c of rows.companies) {
    const cur = companies.find((x) => x.code === c.code);
    if (!cur) out.push({ kind: "companies", action: "create", code: c.code, record: c.name });
    else {
      const f = (name: string, b: unknown, a: unknown) => field({ kind: "companies", code: c.code, record: cur.name, field: name }, b, a);
      f("dir_name", cur.name, c.name);
      f("dir_contact", cur.contact, c.contact);
      f("dir_grade", cur.grade, c.grade);
    }
  }
  for (const l of rows.liaisons) {
    const cur = liaisons.find((x) => x.code === l.code);
    const record = `${companyName.get(l.company) ?? l.company} · ${l.name}`;
    if (!cur) out.push({ kind: "liaisons", action: "create", code: l.code, record });
    else {
      field({ kind: "liaisons", code: l.code, record, field: "dir_name" }, cur.name, l.name);
      field({ kind: "liaisons", code: l.code, record, field: "dir_phone" }, cur.phone, l.phone);
    }
  }
  const seen = new Set<string>();
  for (const e of rows.estates) {
    seen.add(e.code);
    const cur = estates.find((x) => x.code === e.code);
    const record = `${e.name}（${streetName.get(e.street) ?? e.street}）`;
    if (!cur) {
      out.push({ kind: "estates", action: "create", code: e.code, record });
      continue;
    }
    const f = (name: string, b: unknown, a: unknown) => field({ kind: "estates", code: e.code, record: `${cur.name}（${streetName.get(streetById.get(cur.streetId)!) ?? ""}）`, field: name }, b, a);
    f("dir_name", cur.name, e.name);
    f("dir_street", streetName.get(streetById.get(cur.streetId)!), streetName.get(e.street));
    f("dir_households", cur.households, e.households);
    f("dir_community", cur.community, e.community);
    f("dir_address", cur.address, e.address);
    f("dir_manager", cur.projectManagerId ? liaisonName.get(liaisonById.get(cur.projectManagerId)!) : null, e.projectManager === undefined ? undefined : e.projectManager ? liaisonName.get(e.projectManager) : null);
    if (e.active === false && cur.active) out.push({ kind: "estates", action: "deactivate", code: e.code, record });
    const oldCompany = cur.companyId ? companyById.get(cur.companyId)! : null;
    if (e.company !== undefined && (e.company ?? null) !== oldCompany) {
      const openCases = cur.companyId ? await db.case.count({ where: { estateId: cur.id, companyId: cur.companyId, state: { in: [...OPEN] } } }) : 0;
      out.push({ kind: "estates", action: "update", code: e.code, record: `${cur.name}（${streetName.get(streetById.get(cur.streetId)!) ?? ""}）`, field: "dir_company", before: oldCompany ? companyName.get(oldCompany)! : null, after: e.company ? companyName.get(e.company)! : null, openCases });
    }
  }
  // A register lists every estate of its streets: one of those streets' estates it no longer lists is deactivated.
  if (o.deactivateMissing && rows.estates.length) {
    const fileStreets = new Set(rows.estates.map((e) => e.street));
    for (const cur of estates) {
      if (!cur.active || seen.has(cur.code) || !fileStreets.has(streetById.get(cur.streetId)!)) continue;
      out.push({ kind: "estates", action: "deactivate", code: cur.code, record: `${cur.name}（${streetName.get(streetById.get(cur.streetId)!) ?? ""}）` });
    }
  }
  const estateName = new Map([...estates.map((e) => [e.code, e.name] as const), ...rows.estates.map((e) => [e.code, e.name] as const)]);
  for (const b of rows.buildings) {
    const cur = estates.find((x) => x.code === b.estate)?.buildings.find((x) => x.name === b.name);
    const record = `${estateName.get(b.estate) ?? b.estate} · ${b.name}`;
    if (!cur) out.push({ kind: "buildings", action: "create", code: `${b.estate}/${b.name}`, record, after: (b.units ?? []).length });
    else {
      const have = new Set(cur.units.filter((u) => u.active).map((u) => u.name));
      const added = (b.units ?? []).filter((u) => !have.has(u));
      if (added.length || !cur.active) out.push({ kind: "buildings", action: "update", code: `${b.estate}/${b.name}`, record, field: "dir_unit_count", before: have.size, after: have.size + added.length });
    }
  }
  return out;
}

/** The list's fingerprint: the confirmation carries it and writes only when the list is the same. */
export function fingerprint(changes: Change[]): string {
  return crypto.createHash("sha256").update(JSON.stringify(changes)).digest("base64url").slice(0, 32);
}
