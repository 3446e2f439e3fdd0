// The HTTP server as main.ts starts it. Idle kept-alive connections are held 65 s instead of
// Node's 5 s: a client or proxy in front (nginx keeps idle upstream connections 60 s by default)
// may reuse a connection at the moment Node closes it, and a POST sent into that race fails —
// nginx answers 502 and does not retry a POST, so Telegram's webhook call fails and is re-delivered
// later. The headers timeout must stay above the keep-alive timeout.
import type { Server } from "node:http";
import type { Express } from "express";

export const KEEP_ALIVE_MS = 65_000;

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(srv)));
    srv.keepAliveTimeout = KEEP_ALIVE_MS;
    srv.headersTimeout = KEEP_ALIVE_MS + 1000;
  });
}
