// Where an Open311 request is: GeoReport lets a client give lat/long, an address_string or an
// address_id. Our unit of place is the estate, so each is mapped to one: address_id is an estate code,
// lat/long pick the nearest estate with coordinates within ESTATE_RADIUS_M, an address_string names an
// estate (its name or code appears in the string). When none fits, the client is told why.
import type { Db } from "../../../core/db/db.ts";
import type { Estate } from "../../../core/db/generated/prisma/client.ts";

/** How far from an estate's centre a point still belongs to it (an estate is a few hundred metres across). */
export const ESTATE_RADIUS_M = 800;

export interface Place {
  addressId?: string;
  addressString?: string;
  lat?: number;
  long?: number;
}

export type Located = { ok: true; estate: Estate; how: "address_id" | "lat/long" | "address_string" } | { ok: false; why: string };

/** Great-circle distance in metres (haversine). */
export function distanceM(a: { lat: number; long: number }, b: { lat: number; long: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLong = (b.long - a.long) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLong / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export async function locate(db: Db, p: Place): Promise<Located> {
  if (p.addressId) {
    const e = await db.estate.findUnique({ where: { code: p.addressId } });
    return e ? { ok: true, estate: e, how: "address_id" } : { ok: false, why: `address_id "${p.addressId}" is not an estate code (see /api/v1/estates)` };
  }
  const estates = await db.estate.findMany({ orderBy: { id: "asc" } });
  if (p.lat !== undefined && p.long !== undefined) {
    let best: { e: Estate; d: number } | undefined;
    for (const e of estates) {
      if (e.latitude === null || e.longitude === null) continue;
      const d = distanceM({ lat: p.lat, long: p.long }, { lat: e.latitude, long: e.longitude });
      if (!best || d < best.d) best = { e, d };
    }
    if (best && best.d <= ESTATE_RADIUS_M) return { ok: true, estate: best.e, how: "lat/long" };
    if (!p.addressString) return { ok: false, why: `no estate within ${ESTATE_RADIUS_M} m of ${p.lat},${p.long}${best ? ` (nearest: ${best.e.name}, ${Math.round(best.d)} m)` : ""}` };
  }
  if (p.addressString) {
    const text = p.addressString.toLowerCase();
    // The longest name found wins ("和平小区东区" names 和平小区, not a shorter estate inside it).
    const hits = estates.filter((e) => text.includes(e.name.toLowerCase()) || text.split(/[\s,，;；]+/).includes(e.code)).sort((a, b) => b.name.length - a.name.length);
    if (hits[0]) return { ok: true, estate: hits[0], how: "address_string" };
    return { ok: false, why: `address_string "${p.addressString.slice(0, 80)}" names no estate we know; send lat/long or address_id` };
  }
  return { ok: false, why: "a location is required: lat and long, address_string or address_id" };
}
