// Run as a child process by backupPglite's snapshot path: opens the copied (checkpointed) data folder
// with a PGlite of its own and dumps it, so the service's PGlite is held only for the copy, not for
// the dump. Usage (internal): node --import tsx scripts/dump-snapshot.ts <snapshot-dir> <file>
import { PGlite } from "@electric-sql/pglite";
import { backupPglite } from "../core/db/backup.ts";

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
  console.error("usage: dump-snapshot.ts <snapshot-dir> <backup-file>");
  process.exit(2);
}
const pg = await PGlite.create(dir);
try {
  const info = await backupPglite(pg, file);
  process.stdout.write(`${JSON.stringify(info)}\n`);
} finally {
  await pg.close();
}
