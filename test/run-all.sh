#!/usr/bin/env bash
# The README's test command: type-check, then the whole suite on embedded PGlite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npx tsc -p .
echo "== suite on PGlite (embedded)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$out/pglite.json" "$@"
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$PG_URL"; then
  echo "== suite on PostgreSQL ($PG_URL)"
  TEST_DATABASE_URL="$PG_URL" npx vitest run --reporter=default --reporter=json --outputFile.json="$out/postgres.json" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL not reachable at $PG_URL, and CI requires it" >&2; exit 1
else
  echo "!! PostgreSQL not reachable at $PG_URL: PostgreSQL run skipped (set TEST_DATABASE_URL)" >&2
fi
# One closing line over both runs.
node -e '
  let p = 0, f = 0, s = 0;
  for (const file of process.argv.slice(1)) {
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  console.log(`${p} passed, ${f} failed` + (s ? `, ${s} skipped` : ""));
' "$out"/*.json
