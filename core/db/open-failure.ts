// One line for each way a PGlite data folder cannot be opened, saying what is wrong and what to do.
// PGlite reports a damaged folder as WebAssembly's "Aborted()" (after printing PostgreSQL's PANIC)
// and a newer format not at all; left alone, Node prints the minified line of PGlite that threw.
import fs from "node:fs";
import path from "node:path";
import { DataFolderInUse } from "./data-lock.ts";

/** PostgreSQL major version of the bundled PGlite (0.5.x writes PG_VERSION 18). */
export const PGLITE_PG_MAJOR = "18";

export class DataFolderError extends Error {}

const RESTORE = "restore the newest backup: npm run restore -- data/backups/<file> --force";

/** Checks done before PGlite touches the folder: readable, and a format this PGlite knows. */
export function checkDataFolder(dir: string): void {
  try {
    fs.accessSync(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // a new database
    throw new DataFolderError(`The database folder ${dir} cannot be read or written by this user (${(err as NodeJS.ErrnoException).code}): fix its owner or permissions (e.g. chown -R $(whoami) ${dir}).`);
  }
  const versionFile = path.join(dir, "PG_VERSION");
  if (!fs.existsSync(versionFile)) return;
  let version: string;
  try {
    version = fs.readFileSync(versionFile, "utf8").trim();
  } catch (err) {
    throw new DataFolderError(`The database folder ${dir} cannot be read (${(err as NodeJS.ErrnoException).code} on PG_VERSION): fix its permissions.`);
  }
  if (Number(version) > Number(PGLITE_PG_MAJOR)) {
    throw new DataFolderError(`The database folder ${dir} was written by a newer PostgreSQL (${version}; this version reads ${PGLITE_PG_MAJOR}): run the newer version of this app, or ${RESTORE}.`);
  }
  if (version !== PGLITE_PG_MAJOR) {
    throw new DataFolderError(`The database folder ${dir} holds PostgreSQL ${version} data, which this version (${PGLITE_PG_MAJOR}) cannot open: ${RESTORE}.`);
  }
}

/** The one line for an error PGlite threw while opening `dir`. */
export function describeOpenFailure(err: unknown, dir: string): Error {
  if (err instanceof DataFolderInUse || err instanceof DataFolderError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return new DataFolderError(`The database folder ${dir} cannot be read or written by this user (${code}): fix its owner or permissions.`);
  if (/Aborted|PANIC|checkpoint|unreachable|RuntimeError|memory access out of bounds|invalid|corrupt/i.test(msg) || err instanceof WebAssembly.RuntimeError) {
    return new DataFolderError(`The database folder ${dir} is damaged and cannot be opened (${firstLine(msg)}): ${RESTORE} (the damaged folder is kept aside).`);
  }
  return new DataFolderError(`The database folder ${dir} cannot be opened: ${firstLine(msg)}`);
}

const firstLine = (s: string) => s.split("\n")[0]!.slice(0, 200);
