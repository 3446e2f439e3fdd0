// node-cron's distributed mode asks a RunCoordinator before each run; ours claims the run slot in
// the database, so with several instances on one PostgreSQL each scheduled run happens once.
import type { RunCoordinator } from "node-cron";
import type { Db } from "../core/db/db.ts";

export function dbRunCoordinator(db: Db, owner: string): RunCoordinator {
  return {
    async shouldRun(key) {
      const n = await db.$executeRaw`INSERT INTO "JobRun" (key, owner) VALUES (${key}, ${owner}) ON CONFLICT (key) DO NOTHING`;
      return n === 1;
    },
    async onComplete(key) {
      await db.jobRun.updateMany({ where: { key, owner }, data: { finishedAt: new Date() } });
    },
  };
}
