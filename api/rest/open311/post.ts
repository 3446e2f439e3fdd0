// Filing an Open311 POST: parameters → place → case, reporter contact and media link stored beside it.
// A duplicate is the same client (token and reporter) sending the same content within the window
// (a retry): it gets the first case's id. Anything else — another resident, the same words an hour
// later — is its own case.
import type { Db } from "../../../core/db/db.ts";
import type { Logger } from "../../../core/logger.ts";
import type { Scope } from "../../../core/directory/staff.ts";
import { can, may } from "../../../core/access/permissions.ts";
import type { KINDS } from "../../../core/cases/categories.ts";
import { HttpError, parse } from "../../http.ts";
import { actorOf, type OfficeAppDeps } from "../../office.ts";
import { mapOfficeError, refusalMessage } from "../v1.ts";
import { fileIntake } from "../../../core/cases/intake.ts";
import { locate } from "./locate.ts";
import { fingerprint, PostParams, withAttributes } from "./requests.ts";
import { fetchMediaLink } from "./media.ts";

export const DUPLICATE_WINDOW_MS = 10 * 60_000;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function fileRequest(x: { db: Db; d: OfficeAppDeps; log: Logger }, scope: Scope, body: unknown) {
  const { db, d, log } = x;
  // The one rule (core/access): read-only keys file nowhere, area keys only inside their area.
  if (!can(scope.role, "cases.file")) throw new HttpError(403, "forbidden", "this api_key is read-only: it cannot post requests");
  const p = parse(PostParams, withAttributes((body ?? {}) as Record<string, unknown>), "request");
  const [kind, category] = p.service_code.split(".") as [(typeof KINDS)[number], string];
  if (!d.categories.get(category)?.kinds.includes(kind)) throw new HttpError(404, "not_found", `service_code ${p.service_code} not found (see services.xml)`);
  const place = await locate(db, { addressId: p.address_id ?? one(p.attribute.estate), addressString: p.address_string, lat: p.lat, long: p.long });
  if (!place.ok) throw new HttpError(400, "invalid_request", place.why);
  const estate = place.estate;
  if (!may(scope, "cases.file", { streetId: estate.streetId, estateId: estate.id })) throw new HttpError(403, "forbidden", `${estate.name} is outside this key's area`);
  const buildingName = one(p.attribute.building)?.trim();
  const building = buildingName ? await db.building.findUnique({ where: { estateId_name: { estateId: estate.id, name: buildingName } } }) : null;
  if (buildingName && !building) throw new HttpError(400, "invalid_request", `${estate.name} has no building "${buildingName.slice(0, 40)}"`);
  const unitName = one(p.attribute.unit)?.trim();
  const unit = unitName && building ? await db.unit.findUnique({ where: { buildingId_name: { buildingId: building.id, name: unitName } } }) : null;
  if (unitName && !unit) throw new HttpError(400, "invalid_request", `no unit "${unitName.slice(0, 40)}" in that building`);

  const now = d.clock.now();
  const window = d.open311DuplicateWindowMs ?? DUPLICATE_WINDOW_MS;
  const hash = fingerprint(scope.actorId, p, estate.id);
  const earlier = await db.case.findFirst({ where: { channel: "open311", requestHash: hash, createdAt: { gte: new Date(now.getTime() - window) } }, orderBy: { id: "asc" } });
  if (earlier) return { service_request_id: earlier.number, token: earlier.number, service_notice: null, account_id: p.account_id ?? null };

  let filed;
  try {
    filed = await fileIntake({ cases: d.cases, categories: d.categories, understander: d.router }, {
      // Two copies racing within one window collapse on this key; the lookup above spans windows.
      channel: "open311",
      key: `${hash}:${Math.floor(now.getTime() / window)}`,
      requestHash: hash,
      place: { estateId: estate.id, buildingId: building?.id ?? null, unitId: unit?.id ?? null },
      kind,
      strictKind: true,
      category,
      description: p.address_string && place.how !== "address_string" ? `${p.description}\n(${p.address_string})` : p.description,
      urgent: one(p.attribute.urgent) === "true",
      latitude: p.lat ?? null,
      longitude: p.long ?? null,
      actor: actorOf(scope),
    });
  } catch (err) {
    throw mapOfficeError(err);
  }
  if (!filed.ok) throw new HttpError(400, "invalid_request", refusalMessage(filed.refusal, { category, kind }));
  const c = filed.case;
  if (filed.created) {
    const contact = { email: p.email, firstName: p.first_name, lastName: p.last_name, phone: p.phone, deviceId: p.device_id, accountId: p.account_id };
    if (Object.values(contact).some((v) => v !== undefined)) await db.caseReporter.create({ data: { caseId: c.id, ...contact } });
    if (p.media_url) {
      const link = await db.caseMediaLink.create({ data: { caseId: c.id, url: p.media_url } });
      // After the answer: a slow photo host does not hold up the client.
      setImmediate(() => void fetchMediaLink(db, link.id, d.mediaStore, log, () => d.clock.now()));
    }
    log.info({ case: c.number, by: scope.actorId, located: place.how }, "open311 request filed");
  }
  return { service_request_id: c.number, token: c.number, service_notice: null, account_id: p.account_id ?? null };
}
