// Cuts a pg_dump script into batches of whole statements, so a restore sends it in pieces of about
// a megabyte: PostgreSQL parses a whole simple-protocol query before running it, and a year of data
// in one string would hold every parse tree at once (PGlite's WebAssembly memory is small).
// Semicolons inside '…' strings, "…" names, $tag$…$tag$ bodies and -- comments do not end a statement.

export function* sqlBatches(sql: string, targetBytes = 1 << 20): Generator<string> {
  let batchStart = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      i = sql.indexOf(c, i + 1);
      // A doubled quote inside continues the string.
      while (i >= 0 && sql[i + 1] === c) i = sql.indexOf(c, i + 2);
      if (i < 0) break;
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (!tag) {
        i++;
        continue;
      }
      const end = sql.indexOf(tag[0], i + tag[0].length);
      i = end < 0 ? n : end + tag[0].length;
    } else if (c === ";") {
      i++;
      if (i - batchStart >= targetBytes) {
        yield sql.slice(batchStart, i);
        batchStart = i;
      }
    } else i++;
  }
  const rest = sql.slice(batchStart);
  if (rest.trim()) yield rest;
}
