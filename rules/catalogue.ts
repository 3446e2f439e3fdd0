// The district as rule files see it: codes → database ids. Injected (benches, tests) or read from
// the database; refreshed on every reload.
import type { Db } from "../core/db/db.ts";
import { DEMO } from "../core/directory/demo-district.ts";

export interface CatalogueEstate {
  id: number;
  name: string;
  street: string;
  company: string | null; // code of the estate's own company
  /** Code of the estate's project manager (物业项目负责人), a liaison of its company: `$estate` routes to them first. */
  projectManager?: string | null;
  buildings: Map<string, number>; // name → id
}
export interface CatalogueCompany {
  id: number;
  name: string;
  liaisons: string[]; // codes, oldest first: "first liaison" means liaisons[0] that is active
}
export interface CatalogueLiaison {
  id: number;
  name: string;
  company: string;
  active: boolean;
}
export interface Catalogue {
  streets: Set<string>;
  estates: Map<string, CatalogueEstate>;
  companies: Map<string, CatalogueCompany>;
  liaisons: Map<string, CatalogueLiaison>;
}

export async function loadCatalogue(db: Db): Promise<Catalogue> {
  const [streets, estates, companies, liaisons] = await Promise.all([
    db.street.findMany({ select: { id: true, code: true } }),
    db.estate.findMany({ include: { street: { select: { code: true } }, company: { select: { code: true } }, projectManager: { select: { code: true } }, buildings: { select: { id: true, name: true } } } }),
    db.company.findMany({ select: { id: true, code: true, name: true } }),
    db.liaison.findMany({ orderBy: { id: "asc" }, include: { company: { select: { code: true } } } }),
  ]);
  const cat: Catalogue = { streets: new Set(streets.map((s) => s.code)), estates: new Map(), companies: new Map(), liaisons: new Map() };
  for (const c of companies) cat.companies.set(c.code, { id: c.id, name: c.name, liaisons: [] });
  for (const l of liaisons) {
    cat.liaisons.set(l.code, { id: l.id, name: l.name, company: l.company.code, active: l.active });
    cat.companies.get(l.company.code)?.liaisons.push(l.code);
  }
  for (const e of estates) {
    cat.estates.set(e.code, {
      id: e.id,
      name: e.name,
      street: e.street.code,
      company: e.company?.code ?? null,
      projectManager: e.projectManager?.code ?? null,
      buildings: new Map(e.buildings.map((b) => [b.name, b.id])),
    });
  }
  return cat;
}

/** The demo district of core/directory/demo-district.ts with made-up ids: checks a rules folder without a database. */
export function demoCatalogue(): Catalogue {
  const cat: Catalogue = { streets: new Set(DEMO.streets.map((s) => s.code)), estates: new Map(), companies: new Map(), liaisons: new Map() };
  let id = 1;
  for (const c of DEMO.companies) {
    cat.companies.set(c.code, { id: id++, name: c.name, liaisons: c.liaisons.map((l) => l.code) });
    for (const l of c.liaisons) cat.liaisons.set(l.code, { id: id++, name: l.name, company: c.code, active: true });
  }
  for (const e of DEMO.estates) {
    const buildings = new Map<string, number>();
    for (let b = 1; b <= DEMO.buildingsPerEstate; b++) buildings.set(`${b}号楼`, id++);
    cat.estates.set(e.code, { id: id++, name: e.name, street: e.street, company: e.company, buildings });
  }
  return cat;
}
