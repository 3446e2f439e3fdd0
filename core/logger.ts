import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, pretty = process.stdout.isTTY): Logger {
  return pino({
    level,
    base: undefined,
    redact: { paths: ["token", "*.token", "secret", "*.secret", "headers.authorization"], remove: true },
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l" } } } : {}),
  });
}

export const silentLogger: Logger = pino({ level: "silent" });
