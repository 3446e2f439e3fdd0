// GET of an image at a URL a caller handed us (Open311 media_url), from public hosts only. Checked at every step:
// the URL's own host (a private IP literal or localhost is never requested), each redirect's target
// (a public link may answer 302 → http://169.254.169.254/…), and the address the name resolves to
// at connect time (a public-looking name may resolve to this machine or a private network; checking
// the address the socket uses leaves no gap between the check and the connect).
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";

const PRIVATE = new BlockList();
for (const [net, bits] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["127.0.0.0", 8], ["100.64.0.0", 10], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 3]] as const) PRIVATE.addSubnet(net, bits, "ipv4");
// Loopback, unspecified, unique local, link-local, site-local, multicast; NAT64's local-use prefix.
for (const [net, bits] of [["::1", 128], ["::", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["64:ff9b:1::", 48]] as const) PRIVATE.addSubnet(net, bits, "ipv6");

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part becomes two). */
function groups(v6: string): number[] {
  let text = v6;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split(".").map(Number) as [number, number, number, number];
    text = text.slice(0, -dotted.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 addresses an IPv6 address stands for: mapped, compatible, translated, NAT64, 6to4, Teredo. */
function embeddedIpv4(v6: string): string[] {
  const g = groups(v6);
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const out: string[] = [];
  if (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) out.push(v4(g[6]!, g[7]!)); // ::ffff:a.b.c.d, ::a.b.c.d
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) out.push(v4(g[6]!, g[7]!)); // ::ffff:0:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) out.push(v4(g[6]!, g[7]!)); // NAT64 64:ff9b::/96
  if (g[0] === 0x2002) out.push(v4(g[1]!, g[2]!)); // 6to4 2002:AABB:CCDD::/48
  if (g[0] === 0x2001 && g[1] === 0) out.push(v4(g[2]!, g[3]!), v4(g[6]! ^ 0xffff, g[7]! ^ 0xffff)); // Teredo: server, client
  return out;
}

/**
 * An IP address on this machine, a private network, link-local or carrier-grade NAT — an IPv6 address
 * that carries an IPv4 address (::7f00:1, 64:ff9b::7f00:1, 2002:7f00:1::) judged as that address.
 */
export function privateAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(host) === 4) return PRIVATE.check(host, "ipv4");
  if (isIP(host) === 6) {
    const carried = embeddedIpv4(host);
    // :: and ::1 are themselves, not 0.0.0.0 / 0.0.0.1 (which are private all the same).
    return PRIVATE.check(host, "ipv6") || carried.some((a) => PRIVATE.check(a, "ipv4"));
  }
  return false;
}

const privateName = (hostname: string) => {
  const host = hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || privateAddress(host);
};

/** A plain web link whose host is not this machine or a private network by its name or literal address. */
export const fetchableUrl = (u: string | URL): boolean => {
  try {
    const url = new URL(u);
    return (url.protocol === "http:" || url.protocol === "https:") && !privateName(url.hostname);
  } catch {
    return false;
  }
};

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
export type Resolver = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/** A `lookup` for sockets that fails when the name resolves to any private address. */
function publicOnlyLookup(resolve: Resolver = dns.lookup) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const bad = addresses.find((a) => privateAddress(a.address));
      if (bad || addresses.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address (${bad?.address ?? "none"})`);
        e.code = "EPRIVATEADDRESS";
        return callback(e, "");
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export type PublicFetch =
  | { ok: true; status: number; contentType: string; body: Buffer }
  | { ok: false; status?: number; contentType?: string; reason: string };

export interface PublicFetchOptions {
  timeoutMs: number;
  /** Only an image body is read, up to this size; other answers are refused unread. */
  maxBytes: number;
  maxRedirects?: number;
  /** How names are resolved; tests hand in their own. */
  resolve?: Resolver;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const NOT_PUBLIC = "not an http(s) URL of a public host";

export async function fetchPublicImage(start: string, o: PublicFetchOptions): Promise<PublicFetch> {
  if (!fetchableUrl(start)) return { ok: false, reason: NOT_PUBLIC };
  const signal = AbortSignal.timeout(o.timeoutMs);
  const lookup = publicOnlyLookup(o.resolve);
  const maxRedirects = o.maxRedirects ?? 3;
  let url = new URL(start);
  for (let hop = 0; ; hop++) {
    let res: http.IncomingMessage;
    try {
      res = await get(url, lookup, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EPRIVATEADDRESS") return { ok: false, reason: (err as Error).message };
      throw err;
    }
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location) {
      res.resume();
      if (hop >= maxRedirects) return { ok: false, status, reason: `more than ${maxRedirects} redirects` };
      url = new URL(location, url);
      if (!fetchableUrl(url)) return { ok: false, reason: `redirected to ${url.protocol}//${url.host}, not a public host` };
      continue;
    }
    const contentType = (res.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const tooLarge = `larger than ${Math.round(o.maxBytes / 1024 / 1024)} MB`;
    const refused =
      status < 200 || status > 299 ? `HTTP ${status}`
      : !contentType.startsWith("image/") ? `not an image (${contentType || "no content type"})`
      : Number(res.headers["content-length"] ?? 0) > o.maxBytes ? tooLarge
      : undefined;
    if (refused) {
      res.destroy(); // the body is not wanted
      return { ok: false, status, contentType, reason: refused };
    }
    const body = await readAtMost(res, o.maxBytes);
    return body ? { ok: true, status, contentType, body } : { ok: false, status, contentType, reason: tooLarge };
  }
}

function get(url: URL, lookup: ReturnType<typeof publicOnlyLookup>, signal: AbortSignal): Promise<http.IncomingMessage> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { lookup: lookup as never, signal, headers: { accept: "image/*" } }, resolve);
    req.on("error", reject);
  });
}

/** The body, or null once it passes `max` bytes (the rest is not read). */
function readAtMost(res: http.IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        res.destroy();
        return resolve(null);
      }
      chunks.push(chunk);
    });
    res.on("end", () => resolve(Buffer.concat(chunks)));
    res.on("error", reject);
  });
}
