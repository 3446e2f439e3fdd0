// One owner per PGlite data folder. Two processes opening one folder corrupt it for good (issue 14:
// "PANIC: could not locate a valid checkpoint record"), so whoever opens the folder — the service or
// a tool when the service is down — first creates `owner.lock` in it with O_EXCL: pid, start time,
// host and command. A lock whose process is gone (same host, pid not alive) is taken over; any other
// lock is refused with one line naming its holder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const LOCK_FILE = "owner.lock";

export interface LockHolder {
  pid: number;
  startedAt: string;
  hostname: string;
  command: string;
}

/** The folder is held by a live process (or by one on another host, which cannot be checked). */
export class DataFolderInUse extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The database folder ${dir} is in use by PID ${holder.pid}${holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : ""} (${holder.command || "unknown command"}) since ${holder.startedAt}: only one process may open it. Stop that process first; while the service runs, the npm tools reach the database through it.`,
    );
  }
}

export interface DataLock {
  readonly dir: string;
  release(): void;
}

export const lockPath = (dir: string) => path.join(dir, LOCK_FILE);

/** The current holder, when a live one exists (a stale or unreadable lock is no holder). */
export function lockHolder(dir: string): LockHolder | null {
  const held = readLock(lockPath(dir));
  return held && isLive(held) ? held : null;
}

function readLock(file: string): LockHolder | null {
  try {
    const h = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
    return typeof h.pid === "number" ? h : null;
  } catch {
    return null;
  }
}

function isLive(h: LockHolder): boolean {
  if (h.hostname !== os.hostname()) return true; // another machine's process: cannot tell, assume alive
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by another user
  }
}

export function acquireDataLock(dir: string, command = process.argv.slice(1).map((a) => path.basename(a)).join(" ")): DataLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = lockPath(dir);
  const me: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), hostname: os.hostname(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, "wx", 0o644);
      fs.writeSync(fd, JSON.stringify(me));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      const release = () => {
        if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        process.off("exit", release);
      };
      // A process ending without close() (an uncaught error) still frees the folder.
      process.on("exit", release);
      return { dir, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const held = readLock(file);
    if (held && isLive(held)) throw new DataFolderInUse(dir, held);
    // Stale (its process is gone) or half-written by a crash: move it aside, then check that what was
    // moved is the stale lock read above and not a fresh one another taker just made.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = readLock(aside);
    if (moved && held && moved.pid !== held.pid) {
      fs.renameSync(aside, file);
      throw new DataFolderInUse(dir, moved);
    }
    fs.rmSync(aside, { force: true });
  }
  const held = readLock(file);
  throw held ? new DataFolderInUse(dir, held) : new Error(`cannot lock ${file}`);
}
