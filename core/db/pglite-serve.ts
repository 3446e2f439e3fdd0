// The owning process serves its PGlite to the npm tools on two Unix sockets in the data folder:
//   .s.PGSQL.5432  the PostgreSQL wire protocol (@electric-sql/pglite-socket's connection handler over
//                  our SessionQueue), so a tool connects with pg / @prisma/adapter-pg as to a server;
//   control.sock   one JSON line per request, for what needs PGlite itself (a backup by pglite-tools).
// Only processes that can enter the data folder reach them (the folder's permissions guard both).
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler } from "@electric-sql/pglite-socket";
import { SessionQueue } from "./pglite-sessions.ts";
import { backupPglite } from "./backup.ts";
import type { Logger } from "../logger.ts";

/** pg connects to `<host>/.s.PGSQL.<port>` when host is a folder. */
export const SOCKET_PORT = 5432;
export const wireSocket = (dir: string) => path.join(path.resolve(dir), `.s.PGSQL.${SOCKET_PORT}`);
export const controlSocket = (dir: string) => path.join(path.resolve(dir), "control.sock");
/** Linux's limit on a Unix socket path (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

export interface ControlRequest {
  op: "backup";
  file: string;
}

export interface Served {
  close(): Promise<void>;
}

export async function serveLocalTools(pglite: PGlite, dir: string, log: Logger): Promise<Served | null> {
  const wire = wireSocket(dir);
  const control = controlSocket(dir);
  if (control.length > MAX_SOCKET_PATH || wire.length > MAX_SOCKET_PATH) {
    log.warn({ dir }, "PGLITE_DIR is too long a path for a Unix socket: the npm tools cannot reach the database while the service runs (move the folder to a shorter path)");
    return null;
  }
  // A crashed owner leaves its socket files; the lock (held by now) says they are ours to replace.
  for (const f of [wire, control]) fs.rmSync(f, { force: true });

  const queue = new SessionQueue(pglite);
  const handlers = new Set<PGLiteSocketHandler>();
  const wireServer = net.createServer((socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener("close", () => handlers.delete(handler));
    handler.addEventListener("error", () => handlers.delete(handler));
    void handler.attach(socket);
  });

  const controlServer = net.createServer((socket) => {
    let buf = "";
    socket.on("data", (d) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      const reply = (o: object) => socket.end(`${JSON.stringify(o)}\n`);
      let req: ControlRequest;
      try {
        req = JSON.parse(buf.slice(0, nl)) as ControlRequest;
      } catch {
        return reply({ ok: false, error: "bad request" });
      }
      if (req.op !== "backup" || typeof req.file !== "string" || !path.isAbsolute(req.file)) return reply({ ok: false, error: "bad request" });
      backupPglite(pglite, req.file, { dataDir: dir }).then(
        (info) => {
          log.info({ file: info.file, bytes: info.bytes, ms: info.ms, heldMs: info.heldMs }, "backup written (npm run backup)");
          reply({ ok: true, info });
        },
        (err: Error) => reply({ ok: false, error: err.message }),
      );
    });
    socket.on("error", () => {});
  });

  const listen = (server: net.Server, file: string) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(file, () => {
        fs.chmodSync(file, 0o600);
        resolve();
      });
    });
  await listen(wireServer, wire);
  await listen(controlServer, control);
  log.info({ socket: wire }, "embedded database served to the npm tools");

  return {
    async close() {
      for (const h of handlers) await h.detach(true);
      await Promise.all([wireServer, controlServer].map((s) => new Promise((r) => s.close(r))));
      for (const f of [wire, control]) fs.rmSync(f, { force: true });
    },
  };
}

/** Asks the owner of `dir` for a backup into `file` (an absolute path). */
export function requestBackup(dir: string, file: string): Promise<import("./backup.ts").BackupInfo> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(controlSocket(dir));
    let buf = "";
    socket.on("connect", () => socket.write(`${JSON.stringify({ op: "backup", file } satisfies ControlRequest)}\n`));
    socket.on("data", (d) => (buf += d.toString()));
    socket.on("error", (err) => reject(new Error(`cannot reach the running service through ${controlSocket(dir)}: ${err.message}`)));
    socket.on("end", () => {
      try {
        const r = JSON.parse(buf) as { ok: boolean; info?: import("./backup.ts").BackupInfo; error?: string };
        if (r.ok && r.info) resolve(r.info);
        else reject(new Error(`the running service could not write the backup: ${r.error}`));
      } catch {
        reject(new Error("the running service closed the connection without answering"));
      }
    });
  });
}
