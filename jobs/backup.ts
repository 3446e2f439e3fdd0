// Nightly backup of the embedded database into BACKUP_DIR, keeping the newest BACKUP_KEEP files:
// backups exist without anyone remembering to make them (DESIGN.md). The dump runs inside this
// process, which owns the folder: it is held only while the folder is copied, and a child process dumps
// the copy (core/db/backup.ts; the pause is in bench/README.md).
// PostgreSQL is backed up by its own tooling (pg_dump, the provider's snapshots): no job there.
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { backupName, backupPglite, pruneBackups } from "../core/db/backup.ts";
import type { Clock } from "../core/clock.ts";
import type { Job } from "./scheduler.ts";

export function backupJob(pglite: PGlite, opts: { dir: string; keep: number; schedule: string; clock: Clock; dataDir?: string }): Job {
  return {
    name: "backup",
    schedule: opts.schedule,
    async run() {
      const info = await backupPglite(pglite, path.resolve(opts.dir, backupName(opts.clock.now())), { dataDir: opts.dataDir });
      const pruned = pruneBackups(opts.dir, opts.keep);
      return { file: info.file, bytes: info.bytes, ms: info.ms, heldMs: info.heldMs, pruned };
    },
  };
}
