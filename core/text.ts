// Lone UTF-16 surrogates (e.g. "\ud800") and NUL are legal in a JS string and in JSON.stringify's
// output, but PostgreSQL rejects them (jsonb: "unsupported Unicode escape"; text: NUL): one such
// character in an update, a session or an outbox payload would make the whole write fail.
// Replace them with U+FFFD.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function wellFormed<T>(value: T): T {
  if (typeof value === "string") return value.replace(UNSTORABLE, "\ufffd") as T;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormed(v)])) as T;
  }
  return value;
}

/** JSON for a jsonb column. */
export const jsonForDb = (value: unknown): string => JSON.stringify(wellFormed(value));

/** The same, in place (an incoming update before any handler reads it). */
export function makeWellFormed(obj: Record<string, unknown> | unknown[]): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = Array.isArray(obj) ? Number(k) : k;
    if (typeof v === "string") (obj as Record<string | number, unknown>)[key] = wellFormed(v);
    else if (v && typeof v === "object") makeWellFormed(v as Record<string, unknown>);
  }
}
