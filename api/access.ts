// Which ability (core/access/permissions.ts) each dashboard and REST address needs. The gate below
// refuses, before any handler runs, a caller whose role lacks it; the handlers then check the area
// (a street its street, a committee its estates) with the same rule. The dashboard menu shows an
// entry only when this table lets the user open it (`mayOpen`), so menu and gate cannot disagree.
// An address not listed here is refused for read-only roles and left to its handler for the others.
import type { RequestHandler } from "express";
import type { StaffRole } from "../core/db/generated/prisma/enums.ts";
import { can, isReadOnly, type Ability } from "../core/access/permissions.ts";
import { HttpError } from "./http.ts";
import { who } from "./auth.ts";

type Kind = "read" | "write";
const D = "/dashboard";
const A = "/api/v1";

/** [read (GET/HEAD) or write (anything else), address, ability]; the first match decides. */
export const ADDRESS_ABILITIES: [Kind, RegExp, Ability][] = [
  ["read", new RegExp(`^${D}$`), "cases.read"],
  ["read", new RegExp(`^${D}/cases(\\.csv|\\.xlsx)?$`), "cases.read"],
  ["read", new RegExp(`^${D}/cases/[^/]+(/photos/[^/]+)?$`), "cases.read"],
  ["write", new RegExp(`^${D}/cases/[^/]+/.+$`), "cases.work"],
  ["read", new RegExp(`^${D}/overdue$`), "cases.read"],
  ["read", new RegExp(`^${D}/figures(\\.csv|\\.xlsx)?$`), "figures.read"],
  ["read", new RegExp(`^${D}/board$`), "board.read"],
  ["write", new RegExp(`^${D}/board/recompute$`), "board.recompute"],
  ["read", new RegExp(`^${D}/bulletins(/[^/]+(/pdf)?)?$`), "bulletins.read"],
  // /dashboard/credit/evaluation(.pdf): the yearly evaluation, matched here as credit/<name>.
  ["read", new RegExp(`^${D}/(streets|warnings|indicators|credit(/[^/]+)?)$`), "assessment.read"],
  ["read", new RegExp(`^${D}/rules(/.*)?$`), "rules.read"],
  ["write", new RegExp(`^${D}/rules/dry-run$`), "rules.read"],
  ["write", new RegExp(`^${D}/rules/.+$`), "rules.edit"],
  ["read", new RegExp(`^${D}/surveys(/.*)?$`), "surveys.read"],
  ["write", new RegExp(`^${D}/surveys/[^/]+/push$`), "surveys.push"],
  ["write", new RegExp(`^${D}/surveys(/.*)?$`), "surveys.edit"],
  ["read", new RegExp(`^${D}/directory/estates/new$`), "directory.edit"],
  ["read", new RegExp(`^${D}/directory(/estates(/[^/]+)?)?$`), "estates.read"],
  ["read", new RegExp(`^${D}/directory/import(/.*)?$`), "directory.district"],
  ["read", new RegExp(`^${D}/directory/.+$`), "directory.read"],
  ["write", new RegExp(`^${D}/directory/(estates|offices)(/.*)?$`), "directory.edit"],
  ["write", new RegExp(`^${D}/directory/.+$`), "directory.district"],
  ["read", new RegExp(`^${D}/posters(/.*)?$`), "posters.make"],
  ["read", new RegExp(`^${D}/residents/pending$`), "residents.approve"],
  ["write", new RegExp(`^${D}/residents/[^/]+/.+$`), "residents.approve"],
  ["read", new RegExp(`^${D}/dead-letters$`), "deadLetters.manage"],
  ["write", new RegExp(`^${D}/dead-letters/.+$`), "deadLetters.manage"],
  // Campaign pages are the offices' (committees read a campaign through the API, narrowed to their estates).
  ["read", new RegExp(`^${D}/campaigns(/.*)?$`), "assessment.read"],
  ["read", new RegExp(`^${D}/staff$`), "staff.unlock"],
  ["write", new RegExp(`^${D}/staff/.+$`), "staff.unlock"],

  ["read", new RegExp(`^${A}/cases(\\.csv)?$`), "cases.read"],
  ["read", new RegExp(`^${A}/cases/[^/]+$`), "cases.read"],
  ["write", new RegExp(`^${A}/cases$`), "cases.file"],
  ["write", new RegExp(`^${A}/cases/[^/]+/.+$`), "cases.work"],
  ["read", new RegExp(`^${A}/campaigns(/.*)?$`), "cases.read"],
  ["read", new RegExp(`^${A}/figures$`), "figures.read"],
  ["read", new RegExp(`^${A}/board$`), "board.read"],
  ["read", new RegExp(`^${A}/(estates|companies|liaisons)$`), "directory.read"],
  ["write", new RegExp(`^${A}/rules/dry-run$`), "rules.read"],
  ["read", new RegExp(`^${A}/rules/status$`), "rules.read"],
  ["write", new RegExp(`^${A}/tokens$`), "tokens.create"],
  ["read", new RegExp(`^${A}/directory/estates(/[^/]+)?$`), "estates.read"],
  ["read", new RegExp(`^${A}/directory/.+$`), "directory.read"],
  ["write", new RegExp(`^${A}/directory/(estates|offices)(/.*)?$`), "directory.edit"],
  ["write", new RegExp(`^${A}/directory/.+$`), "directory.district"],
  ["read", new RegExp(`^${A}/(surveys|classification)(/.*)?$`), "surveys.read"],
  ["write", new RegExp(`^${A}/surveys/[^/]+/push$`), "surveys.push"],
  ["write", new RegExp(`^${A}/surveys$`), "surveys.edit"],
  ["read", new RegExp(`^${A}/(assessment|credit(/[^/]+)?|early-warnings)$`), "assessment.read"],
  ["write", new RegExp(`^${A}/(credit|classification)/recompute$`), "assessment.recompute"],
];

/**
 * Pages for the public, no login, mounted before the sign-in (api/app.ts): the campaign progress page
 * (counts per estate, no names) and the credit 公示 (grades and red/black lists as rules.publish
 * allows, no phone). Listed so a new public page is a decision, not an accident.
 */
export const PUBLIC_PAGES: [RegExp, string][] = [
  [/^\/campaigns\/[^/]+$/, "campaign progress (api/dashboard/campaigns/routes.tsx)"],
  [/^\/credit$/, "credit evaluation 公示 (api/dashboard/credit/evaluation.tsx)"],
];

const kindOf = (method: string): Kind => (["GET", "HEAD", "OPTIONS"].includes(method) ? "read" : "write");

/** The ability an address needs, or undefined when the table does not list it. */
export function abilityFor(method: string, path: string): Ability | undefined {
  const k = kindOf(method);
  return ADDRESS_ABILITIES.find(([kind, re]) => kind === k && re.test(path))?.[2];
}

/** May this role open (GET) the address? The dashboard menu asks this. */
export function mayOpen(role: StaffRole, path: string): boolean {
  const a = abilityFor("GET", path);
  return a ? can(role, a) : !isReadOnly(role);
}

/** The gate: a role without the address's ability is refused (403) before any handler runs. */
export const accessGate: RequestHandler = (req, res, next) => {
  const s = who(res)?.scope;
  if (!s) return next();
  const path = req.originalUrl.split("?")[0]!;
  // Logging out and dismissing the banner about login pauses: the writes every user makes.
  if (req.method === "POST" && (path === "/logout" || path === "/dashboard/pauses-seen")) return next();
  const a = abilityFor(req.method, path);
  if (a ? can(s.role, a) : !isReadOnly(s.role)) return next();
  const readOnly = isReadOnly(s.role);
  const message = readOnly ? "read-only role: only your estates' cases, figures, board and bulletins" : `your role may not: ${a}`;
  next(new HttpError(403, "forbidden", message, undefined, { reason: readOnly ? "read_only" : "role_may_not" }));
};
