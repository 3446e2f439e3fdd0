// Signed, expiring links to one stored photo, for the people a message goes to: when Telegram will not
// take a photo, the resident or liaison gets a text with such a link (bot/render/media-fallback.ts),
// and whoever holds it sees that photo and nothing else, without a staff login, until it expires
// (api/dashboard/photos.ts serves /p/<token>). The token is `<attachment id>.<expiry, unix seconds in
// base 36>.<HMAC-SHA256, first 128 bits, base64url>`, keyed by a key derived from a configured secret,
// so nothing is stored per link and changing the secret voids every link.
import crypto from "node:crypto";

export type PhotoLinkCheck = { ok: true; attachmentId: number } | { ok: false; reason: "invalid" | "expired" };

export interface PhotoLinks {
  /** The token for one attachment, valid `days` from `now`. */
  sign(attachmentId: number, now: Date): string;
  /** A token's attachment when its signature holds and it has not expired. */
  check(token: string, now: Date): PhotoLinkCheck;
}

const TOKEN = /^([1-9]\d{0,9})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

/** `secret`: FRONTDOOR_SECRET, else the bot token (config.ts picks); a purpose-bound key is derived from it. */
export function photoLinks(secret: string, days: number): PhotoLinks {
  const key = crypto.createHmac("sha256", secret).update("photo-links/v1").digest();
  const mac = (body: string) => crypto.createHmac("sha256", key).update(body).digest().subarray(0, 16);
  return {
    sign(attachmentId, now) {
      const body = `${attachmentId}.${Math.floor(now.getTime() / 1000 + days * 86_400).toString(36)}`;
      return `${body}.${mac(body).toString("base64url")}`;
    },
    check(token, now) {
      const m = TOKEN.exec(token);
      if (!m) return { ok: false, reason: "invalid" };
      const given = Buffer.from(m[3]!, "base64url");
      // One spelling per token: base64url's last character carries spare bits, which must be zero.
      if (given.length !== 16 || given.toString("base64url") !== m[3] || !crypto.timingSafeEqual(given, mac(`${m[1]}.${m[2]}`))) return { ok: false, reason: "invalid" };
      // Only a genuine token is told it expired: a forged one learns nothing.
      if (parseInt(m[2]!, 36) * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
      return { ok: true, attachmentId: Number(m[1]) };
    },
  };
}

/** The service's links: keyed by FRONTDOOR_SECRET, else by the bot token; none without either (then no photo goes by link). */
export function photoLinksFromConfig(c: { FRONTDOOR_SECRET?: string; BOT_TOKEN?: string; PHOTO_LINK_DAYS: number }): PhotoLinks | undefined {
  const secret = c.FRONTDOOR_SECRET ?? c.BOT_TOKEN;
  return secret ? photoLinks(secret, c.PHOTO_LINK_DAYS) : undefined;
}
