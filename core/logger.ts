// The one logger (pino). Personal data stays out of the log (PIPL; DESIGN.md "masked in logs"): every
// line passes through `privacy` before it is written — a mainland mobile number anywhere in it is
// masked (13912344321 → 139****4321), fields that hold a person's name become "[name]", fields that
// hold what someone wrote become "[N chars]", and secrets are removed. A call site never has to
// remember; it should still log ids (case, resident) rather than people.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/** 13912344321, +86 139 1234 4321, 86-13912344321 → the same with the middle four digits as ****. */
export function maskPhone(s: string): string {
  return s.replace(/(?<![\d])((?:\+?86[- ]?)?1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])/g, "$1****$3");
}

/** Keys whose value is a person's name (a resident's, a reporter's, a Telegram profile's). */
const NAME_KEYS = new Set(["name", "firstName", "first_name", "lastName", "last_name", "fullName", "contactName", "reporterName", "residentName", "realName"]);
/** Keys whose value is what someone wrote: a message, a caption, a description, a note. */
const TEXT_KEYS = new Set(["text", "caption", "description", "note", "comment", "reason_text", "body", "message_text"]);
const SECRET_KEYS = new Set(["token", "secret", "password", "authorization", "cookie"]);

function scrub(value: unknown, key: string | null, depth: number): unknown {
  if (typeof value === "string") {
    if (key !== null && NAME_KEYS.has(key)) return "[name]";
    if (key !== null && TEXT_KEYS.has(key)) return `[${[...value].length} chars]`;
    return maskPhone(value);
  }
  if (typeof value === "number" && key !== null && /phone|mobile/i.test(key)) return maskPhone(String(value));
  if (value === null || typeof value !== "object" || depth > 6) return value;
  if (value instanceof Error) return scrubError(value, depth);
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, key, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(k.toLowerCase())) continue;
    out[k] = scrub(v, k, depth + 1);
  }
  return out;
}

/** The same error (its class kept, so pino's serializer names it) with its message, stack, cause and fields masked. */
function scrubError(e: Error, depth: number): Error {
  const copy = Object.create(Object.getPrototypeOf(e) as object) as Error & Record<string, unknown>;
  for (const [k, v] of Object.entries(e)) if (!SECRET_KEYS.has(k.toLowerCase())) copy[k] = scrub(v, k, depth + 1);
  Object.defineProperties(copy, {
    message: { value: maskPhone(e.message), enumerable: false, writable: true },
    stack: { value: maskPhone(e.stack ?? ""), enumerable: false, writable: true },
    ...(e.cause !== undefined ? { cause: { value: scrub(e.cause, "cause", depth + 1), enumerable: false, writable: true } } : {}),
  });
  return copy;
}

/** pino options that mask every line: its fields (formatters.log) and its message (hooks.logMethod). */
export const privacy = {
  formatters: { log: (o: Record<string, unknown>) => scrub(o, null, 0) as Record<string, unknown> },
  hooks: {
    logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
      method.apply(this, args.map((a) => (typeof a === "string" ? maskPhone(a) : a)));
    },
  },
} as const;

/** `destination`: where lines go instead of stdout (tests capture the log with it). */
export function createLogger(level: string, pretty = process.stdout.isTTY, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    ...privacy,
    redact: { paths: ["token", "*.token", "secret", "*.secret", "headers.authorization"], remove: true },
    ...(pretty && !destination ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l" } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export const silentLogger: Logger = pino({ level: "silent" });
