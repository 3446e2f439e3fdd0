// Who may do what — the one rule every surface asks (REST, Open311, the dashboard and its menu, the
// web front door, the bot). Two questions, always both:
//   1. may this role do this kind of thing at all? (`can`: the ROLE_ABILITIES table below)
//   2. is the thing inside the caller's area? (`inArea`: a street office its street, a committee
//      its estates, the district and admin everywhere)
// Residents, liaisons and office members in the bot hold no role; their rules are at the bottom.
// The table is printed in README (Dashboard → who may do what) and checked against it by
// test/core/permissions.test.ts.
import type { StaffRole } from "../db/generated/prisma/enums.ts";

/** Every ability, and whether using it changes anything (a read-only role holds no "write"). */
export const ABILITIES = {
  "cases.read": "read", // case list, case pages, overdue list, exports
  "cases.file": "write", // file a case for a resident (REST, Open311)
  "cases.work": "write", // reassign, close, internal note, decide an extension
  "figures.read": "read",
  "board.read": "read",
  "board.recompute": "write",
  "bulletins.read": "read",
  "assessment.read": "read", // per-street figures, credit files, early warnings
  "assessment.recompute": "write",
  "rules.read": "read", // the rule tables, dry runs
  "rules.edit": "write",
  "surveys.read": "read",
  "surveys.push": "write",
  "surveys.edit": "write",
  "estates.read": "read", // the directory's estates (and buildings)
  "directory.read": "read", // the rest of the directory: streets, companies, liaisons, offices
  "directory.edit": "write", // estates, buildings, own office (a street office within its street)
  "directory.district": "write", // streets, companies, liaisons, offices, import, audit
  "residents.approve": "write",
  "posters.make": "read",
  "deadLetters.manage": "write",
  "tokens.create": "write",
  "staff.unlock": "write",
} as const satisfies Record<string, "read" | "write">;
export type Ability = keyof typeof ABILITIES;

const READ_ONLY: Ability[] = ["cases.read", "figures.read", "board.read", "bulletins.read", "estates.read"];
const STREET: Ability[] = [
  ...READ_ONLY,
  "cases.file",
  "cases.work",
  "assessment.read",
  "rules.read",
  "surveys.read",
  "surveys.push",
  "directory.read",
  "directory.edit",
  "residents.approve",
  "posters.make",
];
const DISTRICT: Ability[] = [...STREET, "board.recompute", "assessment.recompute", "rules.edit", "surveys.edit", "directory.district", "deadLetters.manage"];

/** What each role may do (where: see `inArea`). Read-only roles: 社区居委会 (community), 业委会 (owners). */
export const ROLE_ABILITIES: Record<StaffRole, readonly Ability[]> = {
  admin: [...DISTRICT, "tokens.create", "staff.unlock"],
  district: DISTRICT,
  street: STREET,
  community: READ_ONLY,
  owners: READ_ONLY,
};

export interface Scope {
  role: StaffRole;
  /** Set for the street role: only this street's estates and cases. */
  streetId: number | null;
  /** Set for the committee roles: only these estates (read-only). */
  estateIds?: number[] | null;
  /** For the event log: "user:alice" or "token:3". */
  actorId: string;
  name: string;
}

/** A place a thing belongs to: a case, an estate (its id as estateId), a building's estate. */
export interface Place {
  streetId: number;
  estateId?: number;
}

export const can = (role: StaffRole, ability: Ability): boolean => ROLE_ABILITIES[role].includes(ability);
/** A role that may change nothing anywhere (the committees). */
export const isReadOnly = (role: StaffRole): boolean => !ROLE_ABILITIES[role].some((a) => ABILITIES[a] === "write");

/** Inside the caller's area: a street its street, a committee its estates, everyone else anywhere. */
export function inArea(s: Pick<Scope, "streetId" | "estateIds">, p: Place): boolean {
  if (s.streetId !== null && p.streetId !== s.streetId) return false;
  if (s.estateIds && (p.estateId === undefined || !s.estateIds.includes(p.estateId))) return false;
  return true;
}

/** Both questions at once: the ability, and (when a place is given) the area. */
export const may = (s: Pick<Scope, "role" | "streetId" | "estateIds">, ability: Ability, place?: Place): boolean => can(s.role, ability) && (!place || inArea(s, place));

/** The caller's area as query filters (cases and estates carry streetId and estateId / id). */
export const areaOf = (s: Pick<Scope, "streetId" | "estateIds">) => ({ streetId: s.streetId, estateIds: s.estateIds ?? null });

/** A staff account's or token's stored area, for its role: street roles a street, committees estates. */
export const scopeFields = (row: { role: StaffRole; streetId: number | null; estateIds: number[] }) => ({
  streetId: row.role === "street" ? row.streetId : null,
  estateIds: row.role === "community" || row.role === "owners" ? row.estateIds : null,
});

// ---- people without a role: residents, liaisons, office members in the bot ----

interface ResidentPlace {
  status: string;
  estateId: number | null;
  unitId: number | null;
}

/** A resident's case at this unit goes out at once only when they are verified for that very unit. */
export const residentVerifiedFor = (r: ResidentPlace, place: { estateId: number | null; unitId: number | null }): boolean =>
  r.status === "verified" && r.estateId !== null && r.estateId === place.estateId && r.unitId === place.unitId;

/** Linking two registrations of one person: verification moves only to the same estate and unit. */
export const verificationCarries = (from: ResidentPlace, to: ResidentPlace): boolean => residentVerifiedFor(from, to);

/** A resident (bot or web) sees and adds to their own cases only. */
export const residentOwns = (r: { id: number }, c: { residentId: number | null }): boolean => c.residentId === r.id;

/** A liaison works their own company's cases, nobody else's. */
export const liaisonMayWork = (l: { companyId: number; active?: boolean }, c: { companyId: number | null }): boolean => l.active !== false && c.companyId === l.companyId;

/** An office member in the bot acts on a case as the district office, or as the case's street office. */
export const officeMayWork = (o: { level: string; streetId: number | null; active?: boolean }, c: { streetId: number }): boolean =>
  o.active !== false && (o.level === "district" || (o.level === "street" && o.streetId === c.streetId));

/** The caller's estates as an estate filter (Prisma where on Estate). */
export const estateWhereOf = (s: Pick<Scope, "streetId" | "estateIds">) => ({ ...(s.streetId !== null ? { streetId: s.streetId } : {}), ...(s.estateIds ? { id: { in: s.estateIds } } : {}) });
/** The caller's cases as a case filter (Prisma where on Case). */
export const caseWhereOf = (s: Pick<Scope, "streetId" | "estateIds">) => ({ ...(s.streetId !== null ? { streetId: s.streetId } : {}), ...(s.estateIds ? { estateId: { in: s.estateIds } } : {}) });
