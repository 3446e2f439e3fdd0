// Signed values of the residents' web front door, all HMAC-SHA256 with FRONTDOOR_SECRET:
// - the place in a poster's QR link (/r/<estate>.<building>.<sig>), so a poster cannot be forged
//   for another estate or building;
// - the session cookie (resident id + issue time), so a cookie cannot be made up;
// - the CSRF token (a signed double submit: HMAC of the browser's random id, sent in every form).
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const mac = (secret: string, purpose: string, value: string, bytes = 16) =>
  createHmac("sha256", secret).update(`${purpose}\n${value}`).digest().subarray(0, bytes).toString("base64url");

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Place {
  estateId: number;
  buildingId: number | null;
}

export function placeToken(secret: string, p: Place): string {
  const value = `${p.estateId}.${p.buildingId ?? 0}`;
  return `${value}.${mac(secret, "place", value, 12)}`;
}

/** null for anything not signed by this server (forged, altered, truncated). */
export function readPlaceToken(secret: string, token: string): Place | null {
  const m = /^(\d{1,9})\.(\d{1,9})\.([A-Za-z0-9_-]{16})$/.exec(token);
  if (!m) return null;
  const value = `${m[1]}.${m[2]}`;
  if (!same(m[3]!, mac(secret, "place", value, 12))) return null;
  return { estateId: Number(m[1]), buildingId: Number(m[2]) || null };
}

export function sessionValue(secret: string, residentId: number, issuedAt: Date): string {
  const value = `${residentId}.${Math.floor(issuedAt.getTime() / 1000)}`;
  return `${value}.${mac(secret, "session", value, 24)}`;
}

/** The resident id of a valid, unexpired session cookie. */
export function readSession(secret: string, cookie: string | undefined, now: Date, maxAgeDays: number): number | null {
  const m = /^(\d{1,9})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/.exec(cookie ?? "");
  if (!m || !same(m[3]!, mac(secret, "session", `${m[1]}.${m[2]}`, 24))) return null;
  if (now.getTime() / 1000 - Number(m[2]) > maxAgeDays * 86_400) return null;
  return Number(m[1]);
}

export const newBrowserId = () => randomBytes(18).toString("base64url");
export const csrfToken = (secret: string, browserId: string) => mac(secret, "csrf", browserId, 24);
export const csrfValid = (secret: string, browserId: string | undefined, given: unknown) =>
  typeof given === "string" && !!browserId && same(given, csrfToken(secret, browserId));
